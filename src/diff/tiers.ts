// diff: tier comparison by name. Input: two Policies. Output: TierChange[] (added, removed, and
// changed subnet/gateway/bridge/isolation), new policy's order first, then removed tiers in old order.
import type { Origin, Policy, Tier } from '../ir/types.js';
import { Evaluator } from '../eval/evaluate.js';
import { classesOfPair, rulesOfPair } from '../eval/flow-classes.js';
import { zonesOf } from '../eval/zones.js';
import type { Location, TierChange, TierField, TierFieldChange, TierReach, TierSnapshot } from './types.js';

export function locationOf(o: Origin): Location {
  return { file: o.file, line: o.line, col: o.col };
}

function snapshot(t: Tier): TierSnapshot {
  return { name: t.name, subnet: t.subnet.text, gateway: t.gateway, bridge: t.bridge, isolated: t.isolated, origin: locationOf(t.origin) };
}

const FIELDS: readonly TierField[] = ['subnet', 'gateway', 'bridge', 'isolated'];

function fieldChanges(a: TierSnapshot, b: TierSnapshot): TierFieldChange[] {
  return FIELDS.filter((f) => a[f] !== b[f]).map((f) => ({ field: f, old: a[f], new: b[f] }));
}

/** Does the policy allow at least one class of flows from `src` to `dst`? */
export function allowsSome(policy: Policy, ev: Evaluator, src: string, dst: string): boolean {
  return classesOfPair(src, dst, rulesOfPair(policy, src, dst))
    .some((c) => ev.evaluate({ src, dst, proto: c.proto, port: c.lo }).action === 'allow');
}

/**
 * Whom a new tier can talk to. Its flows have no counterpart in the old policy, so instead of
 * flow changes the diff says which other tiers it reaches: that is what a reviewer must check.
 */
function reachOf(policy: Policy, ev: Evaluator, name: string): TierReach {
  // The external zones too: a new tier that only talks to `world` widens access as much.
  const others = [...policy.tiers.map((t) => t.name).filter((n) => n !== name), ...zonesOf(policy).external.map((z) => z.name)];
  return {
    to: others.filter((o) => allowsSome(policy, ev, name, o)),
    from: others.filter((o) => allowsSome(policy, ev, o, name)),
  };
}

export function diffTiers(oldPolicy: Policy, newPolicy: Policy): TierChange[] {
  const oldByName = new Map(oldPolicy.tiers.map((t) => [t.name, t]));
  const newNames = new Set(newPolicy.tiers.map((t) => t.name));
  const ev = new Evaluator(newPolicy);
  const out: TierChange[] = [];
  for (const t of newPolicy.tiers) {
    const before = oldByName.get(t.name);
    if (!before) {
      const reach = reachOf(newPolicy, ev, t.name);
      out.push({ change: 'added', name: t.name, tier: snapshot(t), reach, widens: reach.to.length + reach.from.length > 0 });
      continue;
    }
    const fields = fieldChanges(snapshot(before), snapshot(t));
    if (fields.length > 0) {
      out.push({ change: 'changed', name: t.name, fields, old: locationOf(before.origin), new: locationOf(t.origin), widens: false });
    }
  }
  for (const t of oldPolicy.tiers) {
    if (!newNames.has(t.name)) out.push({ change: 'removed', name: t.name, tier: snapshot(t), widens: false });
  }
  return out;
}
