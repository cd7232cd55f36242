// diff: the result of comparing what two policies decide (not their text). Produced by
// diff/diff.ts, rendered by diff/render-*.ts; the JSON form follows schemas/diff.schema.json.
import type { Action } from '../ir/types.js';
import type { FlowProto } from '../eval/evaluate.js';
import type { Interval } from '../ir/ports.js';

/** A place in a policy file (1-based), for "decided by file:line". */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** What decided a flow on one side: a rule (where it is written), the default, or tier isolation. */
export type Decider =
  | ({ readonly kind: 'rule' } & Location)
  | { readonly kind: 'default' }
  | { readonly kind: 'intra-tier'; readonly isolated: boolean };

/** One side's verdict for a flow class. */
export interface Decision {
  readonly action: Action;
  readonly log: boolean;
  readonly decidedBy: Decider;
}

/** Newly allowed / newly denied (the action flips), or only the log flag changes. */
export type FlowChangeKind = 'newly-allowed' | 'newly-denied' | 'log-changed';

/**
 * A run of flows between two tiers present in both policies, or between such a tier and an
 * external zone (eval/zones.ts: `world`, `office`, `office+vpn`) of that name in both, whose
 * verdict changes in one way and is decided by the same rules on each side. Adjacent port classes
 * are coalesced into one. Zones are compared by name: addresses that change zone (a net's ranges
 * changed) are the net changes' part.
 */
export interface FlowChange {
  readonly change: FlowChangeKind;
  readonly src: string;
  readonly dst: string;
  /** `any`: every protocol and port of the pair changes alike (e.g. a tier's isolation changed). */
  readonly proto: FlowProto | 'any';
  /** tcp and udp only: the destination ports, an inclusive interval within 1-65535. */
  readonly ports?: Interval;
  readonly old: Decision;
  readonly new: Decision;
}

/** The properties of a tier that the diff compares. */
export interface TierSnapshot {
  readonly name: string;
  readonly subnet: string;
  readonly gateway: string;
  readonly bridge: string;
  readonly isolated: boolean;
  readonly origin: Location;
}

export type TierField = 'subnet' | 'gateway' | 'bridge' | 'isolated';

export interface TierFieldChange {
  readonly field: TierField;
  readonly old: string | boolean;
  readonly new: string | boolean;
}

/**
 * A tier that exists on one side only, or whose settings changed. Flows of added or removed
 * tiers are not listed as flow changes (there is nothing to compare them with); for an added
 * tier, `reach` says which tiers the new policy lets it talk to (`to`) or hear from (`from`).
 */
export type TierChange =
  | { readonly change: 'added'; readonly name: string; readonly tier: TierSnapshot; readonly reach: TierReach; readonly widens: boolean }
  | { readonly change: 'removed'; readonly name: string; readonly tier: TierSnapshot; readonly widens: false }
  | { readonly change: 'changed'; readonly name: string; readonly fields: readonly TierFieldChange[]; readonly old: Location; readonly new: Location; readonly widens: false };

export interface TierReach {
  /** Tiers, then external zones, this tier may open some flow to (some class is allowed), in the new policy's order. */
  readonly to: readonly string[];
  /** Tiers, then external zones, that may open some flow to this tier. */
  readonly from: readonly string[];
}

/** A net as the diff shows it: its ranges, canonical, in written order. */
export interface NetSnapshot {
  readonly name: string;
  readonly ranges: readonly string[];
  readonly origin: Location;
}

/**
 * A net added, removed, or whose ranges changed. Its addresses then move between zones (into or
 * out of `world`, another net, an overlap), which a comparison by zone name cannot show; `widens`
 * says whether some flow between such a moved address and a tier that was denied is now allowed,
 * and `moved` lists, per pair of old and new zone, the tiers whose verdicts for those addresses
 * change. For an added net, `reach` says which tiers the new policy lets its addresses talk to or
 * hear from, as for a tier.
 */
export type NetChange =
  | { readonly change: 'added'; readonly name: string; readonly net: NetSnapshot; readonly reach: TierReach; readonly moved: readonly ZoneMove[]; readonly widens: boolean }
  | { readonly change: 'removed'; readonly name: string; readonly net: NetSnapshot; readonly moved: readonly ZoneMove[]; readonly widens: boolean }
  | { readonly change: 'changed'; readonly name: string; readonly old: NetSnapshot; readonly new: NetSnapshot; readonly moved: readonly ZoneMove[]; readonly widens: boolean };

/** Addresses that were in zone `from` and are in zone `to`, and what that changes for each tier. */
export interface ZoneMove {
  readonly from: string;
  readonly to: string;
  /** The moved addresses as first-last ranges (a.b.c.d-e.f.g.h), ascending; the first few only. */
  readonly addresses: readonly string[];
  /** Tiers that the moved addresses may now open some flow to, or hear from, where before they could not. */
  readonly newlyAllowed: { readonly to: readonly string[]; readonly from: readonly string[] };
  /** Tiers some of whose flows with the moved addresses change verdict otherwise (denied, log). */
  readonly otherwiseChanged: readonly string[];
}

/** Service settings, named as in the policy language. */
export type ServiceField = 'image' | 'tiers' | 'address' | 'publish' | 'user' | 'cap_add' | 'writable' | 'tmpfs' | 'env' | 'command';

/** One changed setting; values are printed as in the policy (`0.0.0.0:80 -> tcp/80`, `backend 172.20.2.10`). */
export interface ServiceFieldChange {
  readonly field: ServiceField;
  readonly old: readonly string[];
  readonly new: readonly string[];
  /** Values present only on the new side / only on the old side. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * A service added, removed or changed. An added service's fields compare it with nothing.
 * `widens`: the change exposes something new (a published port, or a container joining another tier).
 */
export interface ServiceChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly name: string;
  readonly fields: readonly ServiceFieldChange[];
  readonly widens: boolean;
}

export interface DiffSummary {
  readonly newlyAllowed: number;
  readonly newlyDenied: number;
  readonly logChanged: number;
  readonly tierChanges: number;
  readonly netChanges: number;
  readonly serviceChanges: number;
  /** Anything at all differs in what the policies decide or deploy. */
  readonly changed: boolean;
  /** Something becomes reachable that was not: a newly allowed flow, or a widening tier/net/service change. */
  readonly widens: boolean;
}

/** Everything that differs between two policies' decisions, in a stable order. */
export interface DiffResult {
  readonly summary: DiffSummary;
  /** Newly allowed first, then newly denied, then log changes; inside each, tier pairs first, then per external zone. */
  readonly flows: readonly FlowChange[];
  readonly tiers: readonly TierChange[];
  readonly nets: readonly NetChange[];
  readonly services: readonly ServiceChange[];
}

/** How the two sides are named in the output ("HEAD~1:p.policy", "p.policy", "<stdin>"). */
export interface DiffLabels {
  readonly old: string;
  readonly new: string;
}
