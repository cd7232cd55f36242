// ir: the typed, resolved, readonly policy every later stage works on (checks, eval, backends).
// Produced by ir/lower.ts from the AST; serialised by `tierwall ir` (schema: schemas/ir.schema.json).
import type { Span } from '../source/source-file.js';

/** Where a declaration was written; line/col are 1-based. */
export interface Origin {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly span: Span;
}

/** An IPv4 prefix. `base` is the network address as an unsigned 32-bit integer. */
export interface Cidr {
  readonly text: string; // canonical a.b.c.d/n
  readonly base: number;
  readonly prefix: number;
}

/**
 * An IPv6 prefix. `hex` is the network address as 32 hex digits (JSON has no bigint; the fixed
 * width sorts like the number; ir/ipv6.ts fromHex6 gives the bigint).
 */
export interface Ipv6Subnet {
  readonly text: string; // canonical (RFC 5952) addr/n
  readonly hex: string;
  readonly prefix: number;
  /** The first address after the network address, as Docker picks it: the bridge's IPv6 address. */
  readonly gateway: string;
}

export interface Tier {
  readonly name: string;
  readonly subnet: Cidr;
  readonly gateway: string;
  readonly bridge: string;
  /** Isolated tiers drop all traffic between their own members (Docker enable_icc=false + rules). */
  readonly isolated: boolean;
  readonly origin: Origin;
  /** Where the subnet and the gateway (when written) are, for diagnostics that point at them. */
  readonly subnetSpan?: Span;
  readonly gatewaySpan?: Span;
  /** `ipv6 PREFIX`: the tier is dual-stack (its network has IPv6 enabled; rules.v6 governs it). */
  readonly ipv6?: Ipv6Subnet;
  readonly ipv6Span?: Span;
}

/**
 * `net NAME CIDR[, CIDR];`: named addresses outside every tier (checks/net-overlap.ts keeps them
 * out of the tiers' subnets). Nets may overlap one another; an address in two nets is matched by
 * the rules of both (eval/zones.ts).
 */
export interface Net {
  readonly name: string;
  /** Canonical, deduplicated, in written order. */
  readonly cidrs: readonly Cidr[];
  readonly origin: Origin;
  /** Where each CIDR was written, parallel to `cidrs`. */
  readonly cidrSpans: readonly Span[];
}

/** A rule end outside the tiers: a net's name or `world` (every address outside the tiers). */
export const WORLD = 'world';

export type Protocol = 'tcp' | 'udp' | 'icmp';

/** A service a rule matches: a tcp/udp destination port interval [lo, hi], or all of icmp. */
export type ServiceMatch =
  | { readonly proto: 'tcp' | 'udp'; readonly lo: number; readonly hi: number }
  | { readonly proto: 'icmp' };

export type Action = 'allow' | 'deny';

export interface Rule {
  /** Position among the policy's rules, 0-based, in source order (first match wins). */
  readonly index: number;
  readonly action: Action;
  readonly log: boolean;
  /** Resolved tier names, deduplicated, in written order. `any` expands to every tier. */
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
  readonly sourceAny: boolean;
  readonly destinationAny: boolean;
  /**
   * Ends outside the tiers: net names and/or WORLD, deduplicated, in written order. A rule never has
   * external ends on both sides (lowering refuses it: such traffic does not touch a tier).
   */
  readonly externalSources: readonly string[];
  readonly externalDestinations: readonly string[];
  /** True when the rule names no service: it matches every protocol and port. */
  readonly allTraffic: boolean;
  /** Empty when allTraffic. Port intervals are as written (not merged). */
  readonly services: readonly ServiceMatch[];
  readonly origin: Origin;
}

export interface PortBinding {
  readonly hostAddress: string;
  readonly hostPort: number;
  readonly proto: 'tcp' | 'udp';
  readonly containerPort: number;
}

/** A container that runs in one or more tiers (for the compose backend). */
export interface Service {
  readonly name: string;
  readonly image: string;
  readonly tiers: readonly string[];
  /** Static addresses per tier, where the policy gives them. */
  readonly addresses: readonly { readonly tier: string; readonly address: string }[];
  readonly publish: readonly PortBinding[];
  readonly user: string | undefined;
  /** Hardening is always on: cap_drop ALL, no-new-privileges, read_only unless `writable`. */
  readonly capAdd: readonly string[];
  readonly readOnly: boolean;
  readonly tmpfs: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly command: readonly string[];
  readonly origin: Origin;
}

export interface Policy {
  /** From `policy NAME;`, else derived from the file name. Names chains, units and files. */
  readonly name: string;
  readonly defaultAction: Action;
  readonly defaultOrigin: Origin | undefined;
  readonly tiers: readonly Tier[];
  readonly nets: readonly Net[];
  readonly rules: readonly Rule[];
  readonly services: readonly Service[];
}
