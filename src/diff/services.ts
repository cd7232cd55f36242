// diff: service comparison by name. Input: two Policies. Output: ServiceChange[] with the settings
// that differ, values printed as in the policy language; new policy's order, then removed services.
import type { Policy, Service } from '../ir/types.js';
import type { ServiceChange, ServiceField, ServiceFieldChange } from './types.js';

/** Settings whose order carries meaning are compared as lists; the others as sets. */
const ORDERED: ReadonlySet<ServiceField> = new Set(['tiers', 'command']);

/** A service's settings as printable values; a missing user or no command is an empty list. */
function settings(s: Service | undefined): Record<ServiceField, string[]> {
  if (!s) {
    return { image: [], tiers: [], address: [], publish: [], user: [], cap_add: [], writable: [], tmpfs: [], env: [], command: [] };
  }
  return {
    image: [s.image],
    tiers: [...s.tiers],
    address: s.addresses.map((a) => `${a.tier} ${a.address}`),
    publish: s.publish.map((p) => `${p.hostAddress}:${p.hostPort} -> ${p.proto}/${p.containerPort}`),
    user: s.user === undefined ? [] : [s.user],
    cap_add: [...s.capAdd],
    writable: s.readOnly ? [] : ['writable'],
    tmpfs: [...s.tmpfs],
    env: s.env.map((e) => `${e.name}=${JSON.stringify(e.value)}`),
    // One value: the argument vector is a unit, and JSON quoting keeps argument boundaries visible.
    command: s.command.length === 0 ? [] : [JSON.stringify(s.command)],
  };
}

const FIELDS: readonly ServiceField[] = ['image', 'tiers', 'address', 'publish', 'user', 'cap_add', 'writable', 'tmpfs', 'env', 'command'];

function minus(a: readonly string[], b: readonly string[]): string[] {
  const rest = new Set(b);
  return a.filter((x) => !rest.has(x));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return minus(a, b).length === 0 && minus(b, a).length === 0;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function fieldChanges(before: Service | undefined, after: Service | undefined): ServiceFieldChange[] {
  const a = settings(before);
  const b = settings(after);
  const out: ServiceFieldChange[] = [];
  for (const f of FIELDS) {
    const same = ORDERED.has(f) ? sameList(a[f], b[f]) : sameSet(a[f], b[f]);
    if (!same) out.push({ field: f, old: a[f], new: b[f], added: minus(b[f], a[f]), removed: minus(a[f], b[f]) });
  }
  return out;
}

/**
 * Exposure grows when a port is newly published on the host, or when an existing container joins
 * another tier (it becomes reachable from there, and can relay between its tiers). A new service
 * on tiers alone adds no flow the tier rules did not already allow.
 */
function widens(change: ServiceChange['change'], fields: readonly ServiceFieldChange[]): boolean {
  const gained = (f: ServiceField) => fields.some((c) => c.field === f && c.added.length > 0);
  return gained('publish') || (change === 'changed' && gained('tiers'));
}

export function diffServices(oldPolicy: Policy, newPolicy: Policy): ServiceChange[] {
  const oldByName = new Map(oldPolicy.services.map((s) => [s.name, s]));
  const newNames = new Set(newPolicy.services.map((s) => s.name));
  const out: ServiceChange[] = [];
  for (const s of newPolicy.services) {
    const before = oldByName.get(s.name);
    const change = before ? 'changed' : 'added';
    const fields = fieldChanges(before, s);
    if (fields.length > 0) out.push({ change, name: s.name, fields, widens: widens(change, fields) });
  }
  for (const s of oldPolicy.services) {
    if (!newNames.has(s.name)) out.push({ change: 'removed', name: s.name, fields: fieldChanges(s, undefined), widens: false });
  }
  return out;
}
