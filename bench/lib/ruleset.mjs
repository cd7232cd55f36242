// bench: the shape of a ruleset. Input: iptables-restore text (tierwall's rules.v4, ferm's or
// Capirca's output). Output: the number of rules (`-A` lines) and, for tierwall's dispatch layout
// (ARCHITECTURE.md, "The generated ruleset"), the most rules one packet is tested against.

/** `-A` lines: the rules the kernel holds (Capirca's jumps to its per-term chains included). */
export function countRules(text) {
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith('-A ')) n++;
  return n;
}

/** Chains in declaration order: name -> list of { target (jump target, '' for none), dst (-d or '') }. */
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
    const dst = /(?:^| )-d (\S+)/.exec(rule[2]);
    chains.get(rule[1]).push({ target: jump ? jump[1] : '', dst: dst ? dst[1] : '' });
  }
  return { chains, order };
}

/**
 * The worst path through tierwall's layout: main chain (`-d` per tier) -> dispatch chain (`-s` per
 * tier) -> source chain -> pair chains (`-d`) and shared chains of `any`-source rules (no `-d`,
 * grouped by `-d` inside). Tier subnets are disjoint, so a packet to tier d enters only the jumps
 * whose `-d` is d or absent. Upper bound for a NEW packet between two tiers: the whole main chain
 * but its RETURN + the whole dispatch chain but its RETURN + for the worst source chain and
 * destination, every line of the source chain and of every chain the packet can enter from it.
 * A packet to an address outside every tier runs the main chain only. Returns both maxima and the
 * largest chain sizes.
 */
export function worstPath(text) {
  const { chains, order } = parseChains(text);
  const main = order[0];
  const mainRules = chains.get(main) ?? [];
  const dispatch = chains.get(mainRules.find((r) => chains.has(r.target))?.target ?? '') ?? [];
  const sources = new Set(dispatch.map((r) => r.target).filter((t) => chains.has(t)));
  // Lines a packet to `dst` is tested against in `name` and everything it can jump to from there.
  const cost = (name, dst, depth = 0) => {
    const rules = chains.get(name) ?? [];
    let n = rules.length;
    if (depth > 8) return n;
    for (const r of rules) if (chains.has(r.target) && (r.dst === '' || r.dst === dst)) n += cost(r.target, dst, depth + 1);
    return n;
  };
  let worstSource = 0;
  let maxSource = 0;
  for (const s of sources) {
    const rules = chains.get(s);
    maxSource = Math.max(maxSource, rules.length);
    // Every destination the chain names, and one it does not ('' never equals a -d).
    const dsts = new Set(['<other>', ...rules.map((r) => r.dst).filter((d) => d !== '')]);
    for (const d of dsts) worstSource = Math.max(worstSource, cost(s, d));
  }
  let maxPair = 0;
  for (const [name, rules] of chains) if (name !== main && !sources.has(name) && rules !== dispatch) maxPair = Math.max(maxPair, rules.length);
  const tierToTier = Math.max(0, mainRules.length - 1) + Math.max(0, dispatch.length - 1) + worstSource;
  return { tierToTier, toForeign: mainRules.length, mainChain: mainRules.length, maxSourceChain: maxSource, maxPairChain: maxPair, chains: order.length };
}
