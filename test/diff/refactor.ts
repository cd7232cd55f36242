// test support for diff: rewrites of a policy model that keep every decision (split and merge
// intervals and rules, swap independent neighbours, add rules that can never decide differently).
import fc from 'fast-check';
import type { PolicyM, RuleM, SvcM } from './gen.js';

type Rewrite = (m: PolicyM, pick: number, cut: number) => PolicyM | undefined;

const withRules = (m: PolicyM, rules: RuleM[]): PolicyM => ({ ...m, rules });
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** tcp/1-100 -> tcp/1-50, tcp/51-100 inside one rule. */
const splitInterval: Rewrite = (m, pick, cut) => {
  const spots = m.rules.flatMap((r, i) => r.services.map((s, j) => ({ i, j, s })))
    .filter((x): x is { i: number; j: number; s: Extract<SvcM, { lo: number }> } => x.s.proto !== 'icmp' && x.s.lo < x.s.hi);
  const spot = spots[pick % Math.max(1, spots.length)];
  if (!spot) return undefined;
  const mid = spot.s.lo + (cut % (spot.s.hi - spot.s.lo));
  const parts: SvcM[] = [{ ...spot.s, hi: mid }, { ...spot.s, lo: mid + 1 }];
  const rules = m.rules.map((r, i) => (i !== spot.i ? r : { ...r, services: r.services.flatMap((s, j) => (j === spot.j ? parts : [s])) }));
  return withRules(m, rules);
};

/** One rule -> two consecutive rules, splitting its services, sources or destinations. */
const splitRule: Rewrite = (m, pick, cut) => {
  const i = pick % Math.max(1, m.rules.length);
  const r = m.rules[i];
  if (!r) return undefined;
  const halves = <T>(xs: T[]): [T[], T[]] | undefined => {
    if (xs.length < 2) return undefined;
    const k = 1 + (cut % (xs.length - 1));
    return [xs.slice(0, k), xs.slice(k)];
  };
  const by = (['services', 'src', 'dst'] as const)[cut % 3]!;
  const h = by === 'services' ? (r.all ? undefined : halves(r.services)) : halves(r[by] as string[]);
  if (!h) return undefined;
  const pair: RuleM[] = [{ ...r, [by]: h[0] }, { ...r, [by]: h[1] }];
  return withRules(m, [...m.rules.slice(0, i), ...pair, ...m.rules.slice(i + 1)]);
};

/** Two consecutive rules with one action, log flag and endpoints -> one rule with both services. */
const mergeRules: Rewrite = (m, pick) => {
  const candidates = m.rules.map((_, i) => i).filter((i) => {
    const a = m.rules[i]!;
    const b = m.rules[i + 1];
    return b && a.action === b.action && a.log === b.log && sameSet(a.src, b.src) && sameSet(a.dst, b.dst);
  });
  const i = candidates[pick % Math.max(1, candidates.length)];
  if (i === undefined) return undefined;
  const a = m.rules[i]!;
  const b = m.rules[i + 1]!;
  const all = a.all || b.all;
  const merged: RuleM = { ...a, all, services: all ? [] : [...a.services, ...b.services] };
  return withRules(m, [...m.rules.slice(0, i), merged, ...m.rules.slice(i + 2)]);
};

function svcOverlap(a: SvcM, b: SvcM): boolean {
  if (a.proto !== b.proto) return false;
  if (a.proto === 'icmp' || b.proto === 'icmp') return true;
  return a.lo <= b.hi && b.lo <= a.hi;
}

/** Can one flow between two different tiers match both rules? */
export function rulesOverlap(a: RuleM, b: RuleM): boolean {
  const pair = a.src.some((s) => b.src.includes(s) && a.dst.some((d) => d !== s && b.dst.includes(d)));
  if (!pair) return false;
  if (a.all || b.all) return true;
  return a.services.some((x) => b.services.some((y) => svcOverlap(x, y)));
}

/** Neighbours that never meet, or that decide alike where they meet, may trade places. */
const swapAdjacent: Rewrite = (m, pick) => {
  const candidates = m.rules.map((_, i) => i).filter((i) => {
    const a = m.rules[i]!;
    const b = m.rules[i + 1];
    return b && (!rulesOverlap(a, b) || (a.action === b.action && a.log === b.log));
  });
  const i = candidates[pick % Math.max(1, candidates.length)];
  if (i === undefined) return undefined;
  const rules = [...m.rules];
  [rules[i], rules[i + 1]] = [rules[i + 1]!, rules[i]!];
  return withRules(m, rules);
};

/** A copy right after a rule never decides (the original matches first). */
const duplicateRule: Rewrite = (m, pick) => {
  const i = pick % Math.max(1, m.rules.length);
  const r = m.rules[i];
  return r ? withRules(m, [...m.rules.slice(0, i + 1), { ...r }, ...m.rules.slice(i + 1)]) : undefined;
};

/** A final unlogged catch-all with the default's action spells out the default. */
const spellDefault: Rewrite = (m) => {
  const names = m.tiers.map((t) => t.name);
  return withRules(m, [...m.rules, { action: m.defaultAction, log: false, src: names, dst: names, all: true, services: [] }]);
};

const REWRITES = { splitInterval, splitRule, mergeRules, swapAdjacent, duplicateRule, spellDefault };
export type RewriteName = keyof typeof REWRITES;

export const rewriteStepArb = fc.record({
  name: fc.constantFrom(...(Object.keys(REWRITES) as RewriteName[])),
  pick: fc.nat(1000),
  cut: fc.nat(1000),
});

/** Applies the steps in turn; a step that does not apply to the current model is skipped. */
export function applyRewrites(m: PolicyM, steps: readonly { name: RewriteName; pick: number; cut: number }[]): PolicyM {
  return steps.reduce((acc, s) => REWRITES[s.name](acc, s.pick, s.cut) ?? acc, m);
}
