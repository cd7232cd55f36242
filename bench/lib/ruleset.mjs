// bench: the shape of a ruleset. Input: iptables-restore text (tierwall's rules.v4, ferm's or
// Capirca's output). Output: the number of rules (`-A` lines) and, for tierwall's dispatch layout,
// the most rules one packet is tested against.

/** `-A` lines: the rules the kernel holds (Capirca's jumps to its per-term chains included). */
export function countRules(text) {
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith('-A ')) n++;
  return n;
}

/** Chains in declaration order: name -> list of jump targets (one per rule, '' for none). */
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
    chains.get(rule[1]).push(jump ? jump[1] : '');
  }
  return { chains, order };
}

/**
 * The worst path through tierwall's layout: main chain -> per-source chain (jumped to by `-s`) ->
 * per-pair chain (by `-d`). Tier subnets are disjoint, so a packet takes at most one jump per
 * chain. A NEW packet between two tiers is tested against (position of its source's jump in the
 * main chain) + (position of its destination's rule in the source chain) + (the whole pair chain,
 * when it reaches that chain's last rule). A packet from a tier to an address outside every tier
 * runs through the whole source chain, RETURNs, and through the rest of the main chain: (main) +
 * (source chain). Returns both maxima and the chain sizes.
 */
export function worstPath(text) {
  const { chains, order } = parseChains(text);
  const main = order[0];
  const mainRules = chains.get(main) ?? [];
  let tierToTier = 0;
  let toForeign = 0;
  let maxSource = 0;
  let maxPair = 0;
  mainRules.forEach((target, p) => {
    const source = chains.get(target);
    if (!source) return; // a verdict or RETURN
    maxSource = Math.max(maxSource, source.length);
    toForeign = Math.max(toForeign, mainRules.length + source.length);
    source.forEach((t, q) => {
      const pair = chains.get(t);
      const here = p + 1 + q + 1 + (pair ? pair.length : 0);
      if (pair) maxPair = Math.max(maxPair, pair.length);
      if (t !== 'RETURN') tierToTier = Math.max(tierToTier, here);
    });
  });
  return { tierToTier, toForeign, mainChain: mainRules.length, maxSourceChain: maxSource, maxPairChain: maxPair, chains: order.length };
}
