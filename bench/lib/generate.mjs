// bench: the policy generator. Input: tiers, rules, seed. Output: a policy model (tiers, rules,
// default) and its tierwall text. Pure and deterministic: the same arguments give the same bytes
// (bench/run checks that with a hash). Peers' inputs are rendered from the same model (peers.mjs).
//
// The mix, chosen so the anomaly checks have real work: most rules join one tier to one other
// tier, some name two or three tiers per side, 1% use `any` (monitoring, DNS); services are single
// tcp/udp ports, port ranges, multi-service lists, icmp or nothing (all traffic); a quarter are
// denies, 70% of those logged; a tenth of the tiers are isolated. Tier popularity is skewed (a
// small core of shared tiers takes a quarter of the picks) so rules meet on the same pairs, and one
// rule in eight is built on an earlier rule's pairs on purpose: a narrow exception before a broad
// rule (generalization), a partly overlapping port range (correlation) or a repeat (redundancy).
// Rules that come out fully shadowed (an error) are dropped afterwards by bench/run, with
// `tierwall check` as the judge (lib/cases.mjs).

/** mulberry32: a small seeded PRNG with a 32-bit state; enough for a benchmark mix. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON_PORTS = [22, 53, 80, 443, 2379, 3306, 5432, 5672, 6379, 8080, 8443, 9090, 9100, 11211, 27017];
const COMMON_RANGES = [
  [8000, 8099],
  [9000, 9010],
  [30000, 32767],
  [6000, 6063],
  [10250, 10259],
];

/** Tier i's subnet: 10.<i/256>.<i%256>.0/24 (at most 1,000 tiers: tierwall's limit). */
export function tierCidr(i) {
  return `10.${(i >> 8) & 255}.${i & 255}.0/24`;
}

/**
 * A policy model. `rules` holds { action, src, dst, services, log } where src/dst are arrays of
 * tier names or the string 'any', and services is 'all' or a list of { proto: 'tcp'|'udp', lo, hi }
 * and { proto: 'icmp' }. `extra` rules are generated beyond `nRules` so that dropping shadowed
 * rules can still leave `nRules`.
 */
export function generateModel(nTiers, nRules, seed, extra = 0) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];

  const tiers = [];
  for (let i = 0; i < nTiers; i++) {
    const t = { name: `t${i}`, cidr: tierCidr(i), bridge: undefined, isolated: false };
    if (i % 3 === 0) t.bridge = `tw-b${i}`;
    t.isolated = i > 0 && rand() < 0.1;
    tiers.push(t);
  }
  const names = tiers.map((t) => t.name);
  const core = Math.max(2, Math.ceil(nTiers / 20));
  const pickTier = () => (rand() < 0.25 ? names[int(0, core - 1)] : pick(names));
  /** k distinct tiers, none of them in `avoid` (tiers on both sides only add intra-tier warnings). */
  const someTiers = (k, avoid = []) => {
    const out = [];
    const limit = Math.min(k, nTiers - avoid.length);
    for (let guard = 0; out.length < limit && guard < 100; guard++) {
      const t = pickTier();
      if (!out.includes(t) && !avoid.includes(t)) out.push(t);
    }
    return out;
  };
  const sideSize = () => (rand() < 0.88 ? 1 : int(2, 3));

  const port = () => (rand() < 0.4 ? pick(COMMON_PORTS) : int(1024, 32767));
  const oneService = () => {
    const x = rand();
    if (x < 0.5) return { proto: 'tcp', lo: port(), hi: 0 };
    if (x < 0.65) {
      const [lo, hi] = rand() < 0.5 ? pick(COMMON_RANGES) : ((l) => [l, l + int(1, 100)])(int(1024, 32000));
      return { proto: rand() < 0.8 ? 'tcp' : 'udp', lo, hi };
    }
    if (x < 0.95) return { proto: 'udp', lo: rand() < 0.5 ? 53 : port(), hi: 0 };
    return { proto: 'icmp' };
  };
  const fixHi = (s) => (s.proto === 'icmp' ? s : { proto: s.proto, lo: s.lo, hi: s.hi || s.lo });
  const serviceList = () => {
    const x = rand();
    if (x < 0.04) return 'all';
    const n = x < 0.85 ? 1 : int(2, 3);
    return Array.from({ length: n }, () => fixHi(oneService()));
  };

  const rules = [];
  const total = nRules + extra;
  while (rules.length < total) {
    const base = rules.length > 0 && rand() < 0.125 ? pick(rules) : undefined;
    if (base && base.services !== 'all' && base.services[0].proto !== 'icmp') {
      rules.push(...overlapOn(base, rand, int, pick));
      continue;
    }
    const x = rand();
    let src;
    let dst;
    if (x < 0.006) [src, dst] = ['any', someTiers(1)];
    else if (x < 0.01) [src, dst] = [someTiers(1), 'any'];
    else if (x < 0.0101) [src, dst] = ['any', 'any'];
    else {
      src = someTiers(sideSize());
      dst = someTiers(sideSize(), src);
    }
    if (src !== 'any' && dst !== 'any' && dst.length === 0) continue; // a one-tier policy
    let services = serviceList();
    // `any` rules that match all traffic would decide most of the policy: give them a port.
    if ((src === 'any' || dst === 'any') && services === 'all') services = [{ proto: 'tcp', lo: port(), hi: 0 }].map(fixHi);
    const deny = rand() < 0.25;
    // An unlogged deny ahead of `default deny` only matters where a later allow overlaps it.
    rules.push({ action: deny ? 'deny' : 'allow', src, dst, services, log: deny ? rand() < 0.7 : rand() < 0.03 });
  }
  rules.length = Math.min(rules.length, total);
  return { name: 'bench', tiers, rules, defaultAction: 'deny' };
}

/**
 * One or two rules on (part of) an earlier rule's tiers whose ports overlap its first service:
 * - exception: a narrow rule with the opposite action just past the base's range, then a broad one
 *   with the base's action from the end of the base's range over the exception (it generalizes the
 *   exception: a warning, never an error);
 * - correlation: the opposite action on a range that overlaps only partly;
 * - repeat: the same action on a sub-range (redundant: a warning).
 */
function overlapOn(base, rand, int, pick) {
  const s = base.services[0];
  const src = base.src === 'any' ? 'any' : [pick(base.src)];
  const dst = base.dst === 'any' ? 'any' : [pick(base.dst)];
  const other = base.action === 'allow' ? 'deny' : 'allow';
  const x = rand();
  if (x < 0.4) {
    // Just above the base's range, so the base does not decide it first.
    const p = Math.min(65535, s.hi + int(1, 5));
    return [
      { action: other, src, dst, services: [{ proto: s.proto, lo: p, hi: p }], log: other === 'deny' && rand() < 0.5 },
      { action: base.action, src, dst, services: [{ proto: s.proto, lo: s.hi + 1, hi: Math.min(65535, p + int(1, 20)) }], log: false },
    ];
  }
  if (x < 0.9) {
    const lo = Math.min(65535, s.hi + 1 - int(1, Math.max(1, Math.min(5, s.hi - s.lo + 1))));
    const hi = Math.min(65535, s.hi + int(1, 50));
    // lo > s.lo or hi > s.hi always holds: the new range sticks out, so it is never fully shadowed.
    return [{ action: other, src, dst, services: [{ proto: s.proto, lo, hi }], log: other === 'deny' && rand() < 0.5 }];
  }
  const lo = int(s.lo, s.hi);
  return [{ action: base.action, src, dst, services: [{ proto: s.proto, lo, hi: int(lo, s.hi) }], log: base.log }];
}

function serviceText(s) {
  if (s.proto === 'icmp') return 'icmp';
  return s.lo === s.hi ? `${s.proto}/${s.lo}` : `${s.proto}/${s.lo}-${s.hi}`;
}

function sideText(side) {
  return side === 'any' ? 'any' : side.join(', ');
}

/** One rule as tierwall source (no trailing newline). */
export function ruleText(r) {
  const svc = r.services === 'all' ? '' : ' ' + r.services.map(serviceText).join(', ');
  return `${r.action} ${sideText(r.src)} -> ${sideText(r.dst)}${svc}${r.log ? ' log' : ''};`;
}

/**
 * The model as a tierwall policy. Returns the text and the 1-based line of each rule (so that
 * diagnostics can be mapped back to rules).
 */
export function policyText(model) {
  const lines = [`# Generated by tierwall bench/lib/generate.mjs: ${model.tiers.length} tiers, ${model.rules.length} rules.`, `policy ${model.name};`, ''];
  for (const t of model.tiers) {
    lines.push(`tier ${t.name} ${t.cidr}${t.bridge ? ` bridge ${t.bridge}` : ''}${t.isolated ? ' isolated' : ''};`);
  }
  lines.push('');
  const ruleLines = [];
  for (const r of model.rules) {
    lines.push(ruleText(r));
    ruleLines.push(lines.length);
  }
  lines.push('', `default ${model.defaultAction};`, '');
  return { text: lines.join('\n'), ruleLines };
}
