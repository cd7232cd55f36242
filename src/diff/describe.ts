// diff: the words both human renderers use for a DiffResult's parts. Input: changes. Output:
// strings; `code` wraps literal values (identity for text, a code span for markdown).
import { formatInterval } from '../ir/ports.js';
import type { Decider, Decision, DiffSummary, FlowChange, ServiceChange, ServiceFieldChange, TierChange } from './types.js';

export type Code = (value: string) => string;
const plain: Code = (s) => s;

export function serviceText(f: FlowChange): string {
  if (f.ports) return `${f.proto}/${formatInterval(f.ports)}`;
  return f.proto;
}

export function deciderText(d: Decider, code: Code = plain): string {
  switch (d.kind) {
    case 'rule':
      return code(`${d.file}:${d.line}`);
    case 'default':
      return 'default';
    case 'intra-tier':
      return d.isolated ? 'intra-tier, isolated' : 'intra-tier';
  }
}

export function verdictText(d: Decision): string {
  return d.log ? `${d.action}, log` : d.action;
}

export function decisionText(d: Decision, code: Code = plain): string {
  return `${verdictText(d)} (${deciderText(d.decidedBy, code)})`;
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** "2 newly allowed, 1 tier change", or "no change" when there is nothing to report. */
export function summaryText(s: DiffSummary): string {
  const parts: string[] = [];
  if (s.newlyAllowed) parts.push(`${s.newlyAllowed} newly allowed`);
  if (s.newlyDenied) parts.push(`${s.newlyDenied} newly denied`);
  if (s.logChanged) parts.push(plural(s.logChanged, 'log change'));
  if (s.tierChanges) parts.push(plural(s.tierChanges, 'tier change'));
  if (s.serviceChanges) parts.push(plural(s.serviceChanges, 'service change'));
  return parts.length === 0 ? 'no change in what the policies decide' : parts.join(', ');
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

/** One line about a tier change, without the tier's name. */
export function tierDetails(t: TierChange, code: Code = plain): string {
  switch (t.change) {
    case 'added': {
      const s = t.tier;
      const decl = `${code(s.subnet)} gateway ${code(s.gateway)} bridge ${code(s.bridge)}${s.isolated ? ', isolated' : ''}`;
      return `${decl}; allowed to reach: ${list(t.reach.to)}; reachable from: ${list(t.reach.from)}`;
    }
    case 'removed':
      return `${code(t.tier.subnet)} bridge ${code(t.tier.bridge)}`;
    case 'changed':
      return t.fields.map((f) => (f.field === 'isolated'
        ? (f.new ? 'now isolated' : 'no longer isolated')
        : `${f.field} ${code(String(f.old))} -> ${code(String(f.new))}`)).join('; ');
  }
}

function fieldText(f: ServiceFieldChange, code: Code): string {
  const values = (vs: readonly string[]) => (vs.length === 0 ? '(none)' : vs.map(code).join(', '));
  switch (f.field) {
    case 'image':
    case 'user':
    case 'command':
      return `${f.field} ${values(f.old)} -> ${values(f.new)}`;
    case 'writable':
      return f.new.length > 0 ? 'now writable' : 'now read-only';
    default: {
      // A pure reordering (tiers) has nothing added or removed: show both orders.
      if (f.added.length + f.removed.length === 0) return `${f.field} ${values(f.old)} -> ${values(f.new)}`;
      return `${f.field} ${[...f.added.map((v) => `+${code(v)}`), ...f.removed.map((v) => `-${code(v)}`)].join(', ')}`;
    }
  }
}

/** One line about a service change, without the service's name. */
export function serviceDetails(s: ServiceChange, code: Code = plain): string {
  if (s.change !== 'changed') {
    // A whole service: what it is, where it runs and what it publishes; its other settings are routine.
    const shown = s.fields.filter((f) => f.field === 'image' || f.field === 'tiers' || f.field === 'publish');
    return shown.map((f) => `${f.field} ${(s.change === 'added' ? f.new : f.old).map(code).join(', ')}`).join('; ');
  }
  return s.fields.map((f) => fieldText(f, code)).join('; ');
}
