// bench: are the peers' rulesets equivalent to tierwall's? A sampled check. Input: the model and
// the restore files (tierwall's rules.v4, ferm's output, Capirca's wrapped output). Output: how
// many sampled NEW flows between tiers get the same verdict from each peer as from the reference
// (tierwall's rules.v4; ferm's output when there is none), and the first disagreement. A small first-match interpreter for the iptables subset
// these three files use (addresses, protocol, destination ports, state, LOG, jumps, RETURN);
// anything else in a rule is an error, so the check cannot silently ignore a match.
import { prng } from './generate.mjs';

function ipNumber(text) {
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function cidrRange(text) {
  const [addr, len = '32'] = text.split('/');
  const size = 2 ** (32 - Number(len));
  const lo = Math.floor(ipNumber(addr) / size) * size;
  return [lo, lo + size - 1];
}

/** Words of a rule line; a double-quoted word may hold spaces. */
function words(line) {
  return line.match(/"[^"]*"|\S+/g) ?? [];
}

const IGNORED_VALUE = new Set(['--comment', '--limit', '--limit-burst', '--log-prefix']);

/** One `-A` line's arguments -> a rule. */
function parseRule(args) {
  const rule = { src: null, dst: null, proto: null, ports: null, states: null, target: null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => args[++i];
    if (a === '-s' || a === '--source') rule.src = cidrRange(next());
    else if (a === '-d' || a === '--destination') rule.dst = cidrRange(next());
    else if (a === '-p' || a === '--protocol') rule.proto = next();
    else if (a === '--dport' || a === '--dports' || a === '--destination-ports') {
      rule.ports = next().split(',').map((p) => p.split(':').map(Number)).map(([lo, hi]) => [lo, hi ?? lo]);
    } else if (a === '--state' || a === '--ctstate') rule.states = new Set(next().split(','));
    else if (a === '-m' || a === '--match') next(); // the module; its options follow
    else if (a === '-j' || a === '--jump') rule.target = next();
    else if (IGNORED_VALUE.has(a)) next();
    else throw new Error(`equivalence: unknown rule part '${a}' in: ${args.join(' ')}`);
  }
  return rule;
}

/** A restore file -> { chains: name -> rules, policies: name -> ACCEPT|DROP }. */
export function parseRestore(text) {
  const chains = new Map();
  const policies = new Map();
  const chain = (name) => chains.get(name) ?? chains.set(name, []).get(name);
  for (const line of text.split('\n')) {
    const decl = /^:(\S+) (\S+)/.exec(line);
    if (decl) {
      chain(decl[1]);
      if (decl[2] !== '-') policies.set(decl[1], decl[2]);
      continue;
    }
    if (line.startsWith('-N ')) chain(line.slice(3).trim());
    else if (line.startsWith('-A ')) {
      const w = words(line);
      chain(w[1]).push(parseRule(w.slice(2)));
    }
  }
  return { chains, policies };
}

function matches(rule, flow) {
  if (rule.src && (flow.src < rule.src[0] || flow.src > rule.src[1])) return false;
  if (rule.dst && (flow.dst < rule.dst[0] || flow.dst > rule.dst[1])) return false;
  if (rule.proto && rule.proto !== 'all' && rule.proto !== flow.proto) return false;
  if (rule.ports && !rule.ports.some(([lo, hi]) => flow.port >= lo && flow.port <= hi)) return false;
  if (rule.states && !rule.states.has('NEW')) return false; // every sampled flow is a NEW packet
  return true;
}

/** First match through the chain and the chains it jumps to: ACCEPT, DROP, or RETURN (undecided). */
export function decide(rs, chainName, flow, depth = 0) {
  if (depth > 8) throw new Error('equivalence: jumps nested too deep');
  for (const rule of rs.chains.get(chainName) ?? []) {
    if (!matches(rule, flow)) continue;
    const t = rule.target;
    if (t === 'ACCEPT' || t === 'DROP' || t === 'RETURN') return t;
    if (t === 'LOG' || t === null) continue;
    if (!rs.chains.has(t)) throw new Error(`equivalence: jump to unknown chain ${t}`);
    const v = decide(rs, t, flow, depth + 1);
    if (v !== 'RETURN') return v;
  }
  return depth === 0 && rs.policies.has(chainName) ? rs.policies.get(chainName) : 'RETURN';
}

/**
 * Samples NEW flows between two different tiers: most aimed at a rule (its tiers, a port inside
 * or at the edge of one of its services), the rest random (tcp, udp, icmp or gre, any port).
 */
export function sampleFlows(model, n, seed = 7) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const index = new Map(model.tiers.map((t, i) => [t.name, i]));
  const host = (i) => ipNumber(model.tiers[i].cidr.split('/')[0]) + 10;
  const side = (s) => (s === 'any' ? int(0, model.tiers.length - 1) : index.get(pick(s)));
  const flows = [];
  for (let guard = 0; flows.length < n && guard < n * 20; guard++) {
    let a;
    let b;
    let proto;
    let port = 0;
    if (rand() < 0.75 && model.rules.length > 0) {
      const r = pick(model.rules);
      a = side(r.src);
      b = side(r.dst);
      const s = r.services === 'all' ? { proto: pick(['tcp', 'udp', 'icmp', 'gre']), lo: 1, hi: 65535 } : pick(r.services);
      proto = s.proto;
      if (proto === 'tcp' || proto === 'udp') port = Math.min(65535, Math.max(1, pick([s.lo, s.hi, int(s.lo, s.hi), s.lo - 1, s.hi + 1])));
    } else {
      a = int(0, model.tiers.length - 1);
      b = int(0, model.tiers.length - 1);
      proto = pick(['tcp', 'udp', 'icmp', 'gre']);
      if (proto === 'tcp' || proto === 'udp') port = pick([53, 80, 443, 8080, int(1, 65535)]);
    }
    if (a === b) continue;
    flows.push({ src: host(a), dst: host(b), proto, port, text: `${model.tiers[a].name} -> ${model.tiers[b].name} ${proto}${port ? `/${port}` : ''}` });
  }
  return flows;
}

/**
 * Verdicts of each peer against the reference's on the sampled flows. The reference is tierwall's
 * rules.v4 (entered at its main chain, the first one it declares) or a flat peer output (FORWARD).
 */
export function compareRulesets(model, referenceText, peers, n, referenceName = 'tierwall') {
  const tw = parseRestore(referenceText);
  const main = referenceName === 'tierwall' ? referenceText.match(/^:(\S+) /m)?.[1] : 'FORWARD';
  const parsed = Object.fromEntries(Object.entries(peers).map(([name, text]) => [name, parseRestore(text)]));
  const out = Object.fromEntries(Object.keys(peers).map((name) => [name, { agree: 0, total: 0, first: undefined }]));
  for (const flow of sampleFlows(model, n)) {
    const expected = decide(tw, main, flow);
    for (const [name, rs] of Object.entries(parsed)) {
      const got = decide(rs, 'FORWARD', flow);
      const o = out[name];
      o.total++;
      if (got === expected) o.agree++;
      else o.first ??= `${flow.text}: ${referenceName} ${expected}, ${name} ${got}`;
    }
  }
  return out;
}
