// diff: the words both human renderers use for a DiffResult's parts. Input: changes. Output:
// strings; `code` wraps literal values (identity for text, a code span for markdown).
import { formatInterval } from '../ir/ports.js';
import type { Decider, Decision, DiffSummary, FlowChange, NetChange, ServiceChange, ServiceFieldChange, TierChange, ZoneMove } from './types.js';

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
  if (s.netChanges) parts.push(plural(s.netChanges, 'net change'));
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

/** One line about a net change, without the net's name: its ranges, then what moved addresses change. */
export function netDetails(n: NetChange, code: Code = plain): string {
  const ranges = (rs: readonly string[]) => rs.map(code).join(', ');
  const head = n.change === 'added'
    ? `${ranges(n.net.ranges)}; allowed to reach: ${list(n.reach.to)}; reachable from: ${list(n.reach.from)}`
    : n.change === 'removed' ? ranges(n.net.ranges) : `ranges ${ranges(n.old.ranges)} -> ${ranges(n.new.ranges)}`;
  return [head, ...n.moved.map((m) => moveText(m, code))].join('; ');
}

/** `192.0.3.0/24 world -> office: now reaches web; now reachable from app; other verdicts change with db`. */
function moveText(m: ZoneMove, code: Code): string {
  const parts: string[] = [];
  if (m.newlyAllowed.to.length > 0) parts.push(`now reaches ${m.newlyAllowed.to.join(', ')}`);
  if (m.newlyAllowed.from.length > 0) parts.push(`now reachable from ${m.newlyAllowed.from.join(', ')}`);
  if (m.otherwiseChanged.length > 0) parts.push(`other verdicts change with ${m.otherwiseChanged.join(', ')}`);
  return `${m.addresses.map(code).join(', ')} ${m.from} -> ${m.to}: ${parts.join(', ')}`;
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
