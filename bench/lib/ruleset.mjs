// bench: the shape of a ruleset. Input: iptables-restore text (tierwall's rules.v4, ferm's or
// Capirca's output). Output: the number of rules (`-A` lines) and, for tierwall's dispatch layout
// (ARCHITECTURE.md, "The generated ruleset"), the most rules one packet is tested against.

/** `-A` lines: the rules the kernel holds (Capirca's jumps to its per-term chains included). */
export function countRules(text) {
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith('-A ')) n++;
  return n;
}

/** Chains in declaration order: name -> list of { target (jump target, '' for none), src and dst (-s/-d or '') }. */
function parseChains(text) {
  const chains = new Map();
  const order = [];
  for (const line of text.split('\n')) {
    const decl = /^:(\S+) /.exec(line);
    if (decl) {
      if (!chains.has(decl[1])) {
        chains.set(decl[1], []);
        order.push(decl[1]);
      }
      continue;
    }
    const rule = /^-A (\S+) (.*)$/.exec(line);
    if (!rule) continue;
    if (!chains.has(rule[1])) {
      chains.set(rule[1], []);
      order.push(rule[1]);
    }
    const jump = /(?:^| )-j (\S+)/.exec(rule[2]);
    const src = /(?:^| )-s (\S+)/.exec(rule[2]);
    const dst = /(?:^| )-d (\S+)/.exec(rule[2]);
    chains.get(rule[1]).push({ target: jump ? jump[1] : '', src: src ? src[1] : '', dst: dst ? dst[1] : '' });
  }
  return { chains, order };
}

/**
 * The worst path through tierwall's layout (ARCHITECTURE.md, "The generated ruleset"), as an upper
 * bound. A NEW packet from tier s to tier d is tested against: the main chain's lines up to its
 * `-d d` jump (the established line and the jumps of the tiers before d), the dispatch chain's lines
 * up to the last `-s s` line (the jumps or inline lines of the sources before s, then s's own), and,
 * when that line jumps to s's source chain, every line of that chain and of every chain it can enter
 * for d (pair chains with `-d d`, shared chains without -d). The source chain ends in a line without
 * -d that decides every packet left, so nothing after these is reached. Tier subnets are disjoint.
 * Computed per source chain for each destination it names and once for the others (placed at the
 * latest main-chain position). A packet from a tier to an address outside every tier passes every
 * `-d` jump and stops at its source's `-s` line (egress); toForeign is the whole main chain (a bound
 * for that and for traffic tierwall does not govern). Returns both and the largest chain sizes.
 */
export function worstPath(text) {
  const { chains, order } = parseChains(text);
  const main = order[0];
  const mainRules = chains.get(main) ?? [];
  const dispatchName = mainRules.find((r) => chains.has(r.target))?.target ?? '';
  const dispatch = chains.get(dispatchName) ?? [];
  // 1-based position of each destination's jump in the main chain, of each source's last line in dispatch.
  const mainPos = new Map();
  mainRules.forEach((r, k) => {
    if (r.dst !== '' && r.target === dispatchName && !mainPos.has(r.dst)) mainPos.set(r.dst, k + 1);
  });
  const lastMainPos = Math.max(0, ...mainPos.values());
  const dispEnd = new Map();
  dispatch.forEach((r, k) => {
    if (r.src !== '' && r.dst === '') dispEnd.set(r.src, { pos: k + 1, chain: chains.has(r.target) ? r.target : '' });
  });
  const sources = new Set([...dispEnd.values()].map((e) => e.chain).filter((c) => c !== ''));
  // Lines a packet to `dst` is tested against in `name` and everything it can jump to from there.
  const cost = (name, dst, depth = 0) => {
    const rules = chains.get(name) ?? [];
    let n = rules.length;
    if (depth > 8) return n;
    for (const r of rules) if (chains.has(r.target) && (r.dst === '' || r.dst === dst)) n += cost(r.target, dst, depth + 1);
    return n;
  };
  let tierToTier = 0;
  let maxSource = 0;
  for (const { pos, chain } of dispEnd.values()) {
    if (chain === '') {
      // The source's lines are inline in the dispatch chain: its last one decides.
      tierToTier = Math.max(tierToTier, lastMainPos + pos);
      continue;
    }
    const rules = chains.get(chain);
    maxSource = Math.max(maxSource, rules.length);
    tierToTier = Math.max(tierToTier, lastMainPos + pos + cost(chain, '<other>'));
    for (const d of new Set(rules.map((r) => r.dst).filter((x) => x !== ''))) tierToTier = Math.max(tierToTier, (mainPos.get(d) ?? lastMainPos) + pos + cost(chain, d));
  }
  let maxPair = 0;
  for (const [name, rules] of chains) if (name !== main && !sources.has(name) && rules !== dispatch) maxPair = Math.max(maxPair, rules.length);
  return { tierToTier, toForeign: mainRules.length, mainChain: mainRules.length, maxSourceChain: maxSource, maxPairChain: maxPair, chains: order.length };
}
