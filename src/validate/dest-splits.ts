// validate: which destination tiers the ruleset itself can tell apart for one source, read from the
// parsed rules.v4 alone (no backend code). Input: the tiers, the entry rule. Output: per source,
// "conditions": sets of tier indices some rule reachable from that source matches by destination.
//
// Why this is enough (the soundness argument validate.ts relies on). The walker (walk.ts) looks at
// the destination of a probe in exactly two places: a rule's -d prefix (addrTri: ALL, NONE or PART
// of the tier's subnet) and a rule's -o interface (the tier's bridge); ports, protocol and states
// are the same for every destination, -s and -i depend on the source alone. So if two destination
// tiers X and Y get the same answer from every -d and -o of every rule a walk from source S can
// reach, the walker takes the same steps for (S, X) and (S, Y) and returns outcomes with the same
// verdicts, packet sets and presence of LOGs (only the cited rule may differ, see runs below).
// Conditions are built so that tiers outside a condition and tiers inside it are told apart, and a
// tier for which a -d is PART is a condition of its own. Hence two tiers in the same set of
// conditions give the same answer to every reachable -d and -o:
// - a -d prefix: tiers wholly inside it form one condition (ALL), tiers not in it get NONE, a tier
//   that contains the prefix without being inside it (PART) gets its own condition. `!` swaps ALL
//   and NONE, so the same condition separates it.
// - a run of consecutive rules that differ only in a positive -d, with pairwise disjoint prefixes
//   (the main chain's `-d <tier> -j ..._D` lines): at most one rule of the run can match a packet,
//   and all do the same to it, so the run acts as one rule matching the union of its prefixes; its
//   condition is the union (the walker sees a different rule of the run for X and Y, which changes
//   the cited cause and the LOG rule, never the verdict or whether something logged).
// - an -o name (or `name+` prefix): the tiers whose bridge it matches, `!` or not.
// A condition that holds for every tier or none separates nothing and is dropped. Reachability is
// over-approximated: every jump whose -s and -i do not exclude the source is followed, whatever its
// destination, ports or state; extra conditions only split groups further.
import type { Tier } from '../ir/types.js';
import { cidrContains, lastAddress } from '../ir/ipv4.js';
import type { AddrMatch, Chain, IfaceMatch, IptRule } from './ruleset.js';
import type { Prefix } from './chain-index.js';

/** A set of tier indices (ascending is not required); every member got the same answer from one match. */
export type Condition = readonly number[];

function ifaceHit(m: IfaceMatch, name: string): boolean {
  return m.wildcard ? name.startsWith(m.name) : name === m.name;
}

/** Can the rule's -s and -i match some packet of the source? (Ports, state and destination ignored.) */
function sourceMayMatch(r: IptRule, src: Prefix, inIface: string): boolean {
  if (r.inIface && ifaceHit(r.inIface, inIface) === r.inIface.neg) return false;
  const m = r.src;
  if (!m) return true;
  // Positive: some address of the source must be in the prefix; negative: some must be outside it.
  const overlap = m.prefix <= src.prefix ? cidrContains(m.base, m.prefix, src.base) : cidrContains(src.base, src.prefix, m.base);
  if (!m.neg) return overlap;
  return !(m.prefix <= src.prefix && overlap); // all of the source inside the prefix: `!` excludes it
}

/** Everything about a rule but its -d and position: rules with the same key differ only in -d. */
function keyOf(r: IptRule): string {
  const a = (m: AddrMatch | undefined): string => (m ? `${m.neg ? '!' : ''}${m.base}/${m.prefix}` : '');
  const i = (m: IfaceMatch | undefined): string => (m ? `${m.neg ? '!' : ''}${m.name}${m.wildcard ? '+' : ''}` : '');
  const t = r.target;
  const target = t.kind === 'jump' ? `j:${t.chain}` : t.kind === 'LOG' ? `LOG:${t.prefix ?? ''}` : t.kind;
  const ports = r.ports ? r.ports.map((p) => `${p.lo}-${p.hi}`).join(',') : '*';
  return `${a(r.src)} ${i(r.inIface)} ${i(r.outIface)} ${r.proto ?? ''} ${ports}${r.origDir ? ' orig' : ''} ${r.states ?? ''} ${target}`;
}

export class DestinationSplits {
  /** Tier indices sorted by subnet base (subnets never overlap: an overlap is a check error). */
  private readonly byBase: number[];
  private readonly conditionsOf = new Map<Chain, Condition[]>();
  private readonly top: Chain;

  constructor(private readonly tiers: readonly Tier[], entry: IptRule) {
    this.byBase = tiers.map((_, i) => i).sort((x, y) => tiers[x]!.subnet.base - tiers[y]!.subnet.base);
    this.top = { name: 'DOCKER-USER', line: 0, rules: [entry] };
  }

  /** The conditions of every rule a walk from a source (its subnet, arriving on its bridge) can reach. */
  forSource(src: Prefix, inIface: string): Condition[] {
    const out: Condition[] = [];
    const seen = new Set<Chain>([this.top]);
    const stack: Chain[] = [this.top];
    while (stack.length > 0) {
      const chain = stack.pop()!;
      for (const c of this.chainConditions(chain)) out.push(c);
      for (const r of chain.rules) {
        if (r.target.kind !== 'jump' || seen.has(r.target.to) || !sourceMayMatch(r, src, inIface)) continue;
        seen.add(r.target.to);
        stack.push(r.target.to);
      }
    }
    return out;
  }

  /** A chain's conditions, once per chain: its -o matches, its -d prefixes, its runs as unions. */
  private chainConditions(chain: Chain): Condition[] {
    let out = this.conditionsOf.get(chain);
    if (out) return out;
    out = [];
    const rules = chain.rules;
    for (let k = 0; k < rules.length; ) {
      const r = rules[k]!;
      if (r.outIface) this.keep(out, this.bridgesMatching(r.outIface));
      if (!r.dst) {
        k++;
        continue;
      }
      // The longest run from k of rules alike but for a positive -d, with disjoint prefixes.
      let end = k + 1;
      if (!r.dst.neg) {
        const key = keyOf(r);
        const prefixes: AddrMatch[] = [r.dst];
        while (end < rules.length) {
          const n = rules[end]!;
          if (!n.dst || n.dst.neg || keyOf(n) !== key) break;
          prefixes.push(n.dst);
          end++;
        }
        while (!disjoint(prefixes.slice(0, end - k))) end--; // keep the disjoint head of the run
      }
      const inside: number[] = [];
      for (let q = k; q < end; q++) this.inside(rules[q]!.dst!, inside, out);
      this.keep(out, inside);
      k = end;
    }
    this.conditionsOf.set(chain, out);
    return out;
  }

  private keep(out: Condition[], c: Condition): void {
    if (c.length > 0 && c.length < this.tiers.length) out.push(c);
  }

  /** Pushes the tiers wholly inside the prefix to `inside`; a tier only partly covered becomes its own condition. */
  private inside(m: AddrMatch, inside: number[], out: Condition[]): void {
    const order = this.byBase;
    const last = lastAddress(m.base, m.prefix);
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tiers[order[mid]!]!.subnet.base < m.base) lo = mid + 1;
      else hi = mid;
    }
    // Only the tier just before can contain the prefix's base (subnets are disjoint).
    const before = lo > 0 ? this.tiers[order[lo - 1]!]! : undefined;
    if (before && cidrContains(before.subnet.base, before.subnet.prefix, m.base)) out.push([order[lo - 1]!]);
    for (let q = lo; q < order.length; q++) {
      const t = this.tiers[order[q]!]!;
      if (t.subnet.base > last) break;
      if (t.subnet.prefix >= m.prefix) inside.push(order[q]!);
      else out.push([order[q]!]); // the tier starts at the prefix's base and is larger than it
    }
  }

  private bridgesMatching(m: IfaceMatch): number[] {
    const out: number[] = [];
    this.tiers.forEach((t, i) => {
      if (ifaceHit(m, t.bridge)) out.push(i);
    });
    return out;
  }
}

/** Are the prefixes pairwise disjoint? (Sorting by base, each must end before the next begins.) */
function disjoint(ms: readonly AddrMatch[]): boolean {
  if (ms.length < 2) return true;
  const s = [...ms].sort((a, b) => a.base - b.base);
  for (let q = 1; q < s.length; q++) if (lastAddress(s[q - 1]!.base, s[q - 1]!.prefix) >= s[q]!.base) return false;
  return true;
}
