// validate: the destination groups checked through one representative each. Input: Policy IR, the
// evaluator's named destinations per source (src/eval/grouped-classes.ts) and the entry rule (the ruleset, read by
// dest-splits.ts). Output: per source tier, groups of destinations as {representative, size}.
//
// Soundness: two destinations X and Y of source S land in one group only if (1) the evaluator puts
// them in one DestinationGroup of S, so the policy decides every flow class from S to X as it
// decides the class from S to Y (same rules in the same order, else the default; intra-tier is
// always a group of its own), and (2) X and Y are in exactly the same DestinationSplits conditions
// of S, so every -d and -o the walk from S can reach answers alike for them and the walker's
// outcomes for (S, X) and (S, Y) have the same verdicts, packet sets and LOG presence (argued in
// dest-splits.ts). Both sides of every comparison being equal, (S, X) passes exactly when (S, Y)
// does, and with the same number of classes: checking the representative proves the group.
import type { Policy } from '../ir/types.js';
import type { IptRule } from './ruleset.js';
import { DestinationSplits } from './dest-splits.js';

export interface CheckedGroup {
  /** The destination tier (index) probed for the group: its first member in policy order. */
  readonly rep: number;
  readonly size: number;
}

export class SourceGroups {
  private readonly splits: DestinationSplits;
  /** Scratch labels reused for every source: a 1,000-tier policy asks 1,000 times. */
  private readonly label: Int32Array;

  constructor(private readonly policy: Policy, entry: IptRule) {
    this.splits = new DestinationSplits(policy.tiers, entry);
    this.label = new Int32Array(policy.tiers.length);
  }

  /**
   * Source i's groups, in the policy order of their representatives. `named`: the destinations the
   * source's rules name (eval/grouped-classes.ts forEachSource), each a group of its own.
   */
  of(i: number, named: Iterable<number>): CheckedGroup[] {
    const tiers = this.policy.tiers;
    const T = tiers.length;
    const src = tiers[i]!;
    // The evaluator's partition: label 0 for the unnamed destinations, 1 + j for tier j alone.
    const label = this.label;
    label.fill(0);
    label[i] = 1 + i;
    for (const j of named) label[j] = 1 + j;
    let next = T + 1;
    // Refine by each condition: its members of one label move to a fresh label (one per old label).
    const conditions = this.splits.forSource({ base: src.subnet.base, prefix: src.subnet.prefix }, src.bridge);
    const moved = new Map<number, number>();
    for (const c of conditions) {
      moved.clear();
      for (const j of c) {
        const old = label[j]!;
        let to = moved.get(old);
        if (to === undefined) moved.set(old, (to = next++));
        label[j] = to;
      }
    }
    const out: { rep: number; size: number }[] = [];
    const byLabel = new Map<number, { rep: number; size: number }>();
    for (let j = 0; j < T; j++) {
      const g = byLabel.get(label[j]!);
      if (g) g.size++;
      else {
        const n = { rep: j, size: 1 };
        byLabel.set(label[j]!, n);
        out.push(n);
      }
    }
    return out;
  }
}
