// validate: translation validation of the iptables backend. Reads rules.v4 independently of the backend,
// walks it as Docker's FORWARD -> DOCKER-USER -> entry rule would, and proves every flow class decided
// as the evaluator decides it: between tiers, and between each tier and every address outside the
// tiers (outside.ts), both ways. Input: Policy, rules.v4 text, entry rule text. Output: ValidationResult.
import type { Policy, Rule } from '../ir/types.js';
import type { ValidationResult } from './types.js';
import { BOTH_STATES, ESTABLISHED, NEW, type IptRule, type Ruleset } from './ruleset.js';
import { parseRestoreFile } from './parse-file.js';
import { newContext, parseRule } from './parse-rule.js';
import { Words } from './tokens.js';
import { Walker, type Probe } from './walk.js';
import type { Prefix } from './chain-index.js';
import { ALL_SVC, type Piece } from './svc-set.js';
import { Oracle } from './expected.js';
import { Citer } from './cite.js';
import { Collector } from './collector.js';
import { checkUniform, compareRules, compareTierPair, ESTABLISHED_EXPECTED, FOREIGN_EXPECTED, type ProbeBase } from './compare.js';
import { outsideProbes, uplinkName, type OutsideProbe } from './outside.js';
import { EdgeOracle } from './edge-expected.js';
import { SourceGroups } from './source-groups.js';
import { forEachSource } from '../eval/grouped-classes.js';

/** Up to this many outside probes, outside-to-outside traffic is probed for every ordered pair. */
const MAX_ALL_PAIRS = 64;

/** Every packet of a probe, new and established, every protocol and port, nothing logged yet. */
const START: readonly Piece[] = [{ states: BOTH_STATES, svc: ALL_SVC, logs: undefined }];

/** The entry rule as given (`-j TW-X`, optionally after `-I DOCKER-USER [1]` or `-A DOCKER-USER`). */
function parseEntry(text: string, rs: Ruleset): IptRule | { readonly error: string } {
  const w = new Words(text);
  let from = 0;
  if (w.next() && (w.is('-I') || w.is('-A'))) {
    const insert = w.is('-I');
    if (!w.next() || !w.is('DOCKER-USER')) return { error: `the entry rule must go into DOCKER-USER, not '${w.error ? '' : w.text()}'` };
    from = w.end;
    if (insert && w.next() && /^[1-9][0-9]*$/.test(w.text())) from = w.end;
  }
  return parseRule(text, from, text.length, 'DOCKER-USER', 1, 0, newContext((n) => rs.chains.get(n)));
}

/** A DROP without saying whose traffic: it would drop what tierwall does not govern. */
function unscoped(r: IptRule): boolean {
  if (r.target.kind !== 'DROP') return false;
  return !((r.src && !r.src.neg) || (r.dst && !r.dst.neg) || (r.inIface && !r.inIface.neg) || (r.outIface && !r.outIface.neg));
}

export interface ValidateOptions {
  /** Walk every ordered tier pair instead of one per destination group: the reference the grouped check is tested against. */
  readonly perPair?: boolean;
}

export function validateIptables(policy: Policy, rulesV4Text: string, entryRule: string, options: ValidateOptions = {}): ValidationResult {
  const { ruleset, problems } = parseRestoreFile(rulesV4Text);
  const citer = new Citer(ruleset, entryRule);
  const col = new Collector(citer);
  const entry = parseEntry(entryRule, ruleset);
  if ('error' in entry) col.ruleset({ kind: 'ruleset', line: 0, text: entryRule, reason: `entry rule: ${entry.error}` });
  for (const p of problems) col.ruleset(p);
  // A ruleset that cannot be read exactly cannot be walked: report what is wrong with it, nothing else.
  if ('error' in entry || problems.length > 0) return col.result(0);

  const unscopedDrop = (r: IptRule): void => {
    if (!unscoped(r)) return;
    col.ruleset({ kind: 'ruleset', line: r.line, text: citer.rule(r).text, reason: 'DROP without a -s/-d/-i/-o scope: it would drop traffic tierwall does not govern' });
  };
  unscopedDrop(entry);
  for (const c of ruleset.chains.values()) c.rules.forEach(unscopedDrop);

  const walker = new Walker(entry);
  const oracle = new Oracle(policy);
  const tiers = policy.tiers;
  // Every probe address as the same {base, prefix} shape (a tier subnet is every address in it):
  // one object shape keeps the walker's property accesses monomorphic.
  const ranges: Prefix[] = tiers.map((t) => ({ base: t.subnet.base, prefix: t.subnet.prefix }));
  /** Walks and compares one ordered tier pair into `into`; returns its number of classes. */
  const checkPair = (i: number, j: number, into: Collector): number => {
    const a = tiers[i]!;
    const b = tiers[j]!;
    const probe: Probe = { src: ranges[i]!, dst: ranges[j]!, inIface: a.bridge, outIface: b.bridge };
    const outcomes = walker.run(probe, START);
    const base: ProbeBase = { src: a.name, dst: b.name, srcAddress: a.subnet.text, dstAddress: b.subnet.text };
    const n = compareTierPair(base, outcomes, oracle, i, j, into);
    // Replies (and every packet of an established connection) pass, whatever the policy says of NEW ones.
    checkUniform(base, outcomes, ESTABLISHED, ESTABLISHED_EXPECTED, into);
    return n;
  };
  const checkSource = (i: number): number => {
    let n = 0;
    for (let j = 0; j < tiers.length; j++) n += checkPair(i, j, col);
    return n;
  };
  let classes = 0;
  const groups = options.perPair ? undefined : new SourceGroups(policy, entry);
  // Source by source, with the evaluator's rule lists of that source only (all of them at once
  // would hold every named pair's list of a 100,000-rule policy).
  forEachSource(policy, (i, named, toAny) => {
    oracle.setSource(i, named, toAny);
    if (!groups) {
      classes += checkSource(i);
      return;
    }
    // One representative per group a failure anywhere in the group would show in (see
    // source-groups.ts); if one fails, the source is checked again pair by pair, so the problems
    // reported are exactly those of the per-pair check, in its order.
    const scratch = new Collector(citer);
    let n = 0;
    for (const g of groups.of(i, named.keys())) n += checkPair(i, g.rep, scratch) * g.size;
    classes += scratch.count === 0 ? n : checkSource(i);
  });

  // The host's edge: every address outside the tiers, through one probe per group the policy and the
  // ruleset both treat alike (outside.ts), against every tier, both ways.
  const uplink = uplinkName(policy);
  const outside = outsideProbes(policy, ruleset, entry);
  const edges = new EdgeOracle(policy);
  const walkEdge = (base: ProbeBase, probe: Probe, rules: readonly Rule[]): void => {
    const outcomes = walker.run(probe, START);
    classes += compareRules(base, outcomes, oracle, rules, col);
    checkUniform(base, outcomes, ESTABLISHED, ESTABLISHED_EXPECTED, col);
  };
  for (const o of outside) {
    const addr: Prefix = { base: o.address, prefix: 32 };
    tiers.forEach((t, i) => {
      walkEdge({ src: o.zone, dst: t.name, srcAddress: o.text, dstAddress: t.subnet.text }, { src: addr, dst: ranges[i]!, inIface: uplink, outIface: t.bridge, dnat: true }, edges.inbound(o.zone, i));
      walkEdge({ src: t.name, dst: o.zone, srcAddress: t.subnet.text, dstAddress: o.text }, { src: ranges[i]!, dst: addr, inIface: t.bridge, outIface: uplink }, edges.outbound(o.zone, i));
    });
  }
  // Outside to outside is no traffic tierwall governs (NEW must go back to Docker): every ordered pair
  // of probes while they are few (nets and the prefixes the ruleset names outside the tiers), else
  // both ways through the first probe, linear in the probes.
  const probeForeign = (a: OutsideProbe, b: OutsideProbe): void => {
    const probe: Probe = { src: { base: a.address, prefix: 32 }, dst: { base: b.address, prefix: 32 }, inIface: uplink, outIface: uplink };
    checkUniform({ src: a.text, dst: b.text, srcAddress: a.text, dstAddress: b.text }, walker.run(probe, START), NEW, FOREIGN_EXPECTED, col);
  };
  if (outside.length <= MAX_ALL_PAIRS) {
    for (const a of outside) for (const b of outside) probeForeign(a, b);
  } else {
    const first = outside[0]!;
    for (const g of outside) {
      probeForeign(first, g);
      if (g !== first) probeForeign(g, first);
    }
  }
  return col.result(classes);
}
