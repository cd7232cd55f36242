// validate: finds the rules of a chain that can match a probe without scanning the chain. Rules are
// indexed by their positive -d prefix, else their positive -s prefix; the rest are always candidates.
// Input: a chain + the probe's source and destination ranges. Output: candidate positions, in order.
import { lastAddress, maskOf } from '../ir/ipv4.js';
import type { AddrMatch, Chain } from './ruleset.js';

/** An address range that is a prefix: a tier subnet, or a single address (/32). */
export interface Prefix {
  readonly base: number;
  readonly prefix: number;
}

/** Rule positions by prefix length, then by network address; sorted bases for "inside the probe" queries. */
class PrefixIndex {
  // Parallel arrays, not a Map of Maps: a query runs per probe and chain, and iterating a Map allocates.
  private readonly lens: number[] = [];
  private readonly byBase: Map<number, number[]>[] = [];
  private readonly sorted: (number[] | undefined)[] = [];

  add(m: AddrMatch, pos: number): void {
    let k = this.lens.indexOf(m.prefix);
    if (k < 0) {
      k = this.lens.push(m.prefix) - 1;
      this.byBase.push(new Map());
      this.sorted.push(undefined);
    }
    const map = this.byBase[k]!;
    let list = map.get(m.base);
    if (!list) map.set(m.base, (list = []));
    list.push(pos);
  }

  /** Pushes the position lists of every indexed prefix that overlaps `q` (contains it or lies inside it). */
  query(q: Prefix, out: number[][]): void {
    for (let k = 0; k < this.lens.length; k++) {
      const len = this.lens[k]!;
      const map = this.byBase[k]!;
      if (len <= q.prefix) {
        const list = map.get((q.base & maskOf(len)) >>> 0);
        if (list) out.push(list);
        continue;
      }
      const bases = (this.sorted[k] ??= [...map.keys()].sort((a, b) => a - b));
      const last = lastAddress(q.base, q.prefix);
      let lo = 0;
      let hi = bases.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (bases[mid]! < q.base) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < bases.length && bases[i]! <= last; i++) out.push(map.get(bases[i]!)!);
    }
  }
}

/** Below this many rules a chain is scanned whole: an index would cost more than it saves. */
const INDEX_FROM = 8;

export class ChainIndex {
  private readonly byDst: PrefixIndex | undefined;
  private readonly bySrc: PrefixIndex | undefined;
  private readonly rest: number[] = [];
  private readonly all: number[] | undefined;
  // The last merge: consecutive probes from one source tier query the same lists of a dispatch chain.
  private lastA: readonly number[] | undefined;
  private lastB: readonly number[] | undefined;
  private lastMerged: number[] = [];

  constructor(chain: Chain) {
    if (chain.rules.length < INDEX_FROM) {
      this.all = chain.rules.map((_, i) => i);
      return;
    }
    this.byDst = new PrefixIndex();
    this.bySrc = new PrefixIndex();
    chain.rules.forEach((r, pos) => {
      if (r.dst && !r.dst.neg) this.byDst!.add(r.dst, pos);
      else if (r.src && !r.src.neg) this.bySrc!.add(r.src, pos);
      else this.rest.push(pos);
    });
  }

  /**
   * Positions of every rule whose -s and -d can overlap the probe, ascending. A rule left out has a
   * positive prefix disjoint from the probe's, so it cannot match any packet of it.
   */
  candidates(src: Prefix, dst: Prefix): readonly number[] {
    if (this.all) return this.all;
    const lists: number[][] = [];
    this.byDst!.query(dst, lists);
    this.bySrc!.query(src, lists);
    if (this.rest.length > 0) lists.push(this.rest);
    if (lists.length === 1) return lists[0]!;
    if (lists.length === 0) return [];
    if (lists.length === 2) {
      if (lists[0] !== this.lastA || lists[1] !== this.lastB) {
        this.lastA = lists[0];
        this.lastB = lists[1];
        this.lastMerged = merge(lists[0]!, lists[1]!);
      }
      return this.lastMerged;
    }
    return lists.flat().sort((a, b) => a - b);
  }
}

/** Two ascending lists of distinct positions as one (each rule sits in one list only). */
function merge(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
