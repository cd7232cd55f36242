// syntax: the AST, what the parser's CST visitor produces. It keeps every span and the raw text
// of literals; values are validated and resolved later, in ir/lower.
import type { Span } from '../source/source-file.js';

/** A word from the source with where it was written. */
export interface Word {
  readonly text: string;
  readonly span: Span;
}

export interface Comment {
  readonly text: string; // including the leading '#' or '//'
  readonly span: Span;
}

/** One parsed file. Statements that failed to parse are left out (their errors are diagnostics). */
export interface PolicyFile {
  readonly file: string;
  readonly statements: readonly Statement[];
  readonly comments: readonly Comment[];
}

export type Statement = PolicyDecl | TierDecl | NetDecl | RuleDecl | DefaultDecl | ServiceDecl;

/** `policy NAME;` */
export interface PolicyDecl {
  readonly kind: 'policy';
  readonly name: Word;
  readonly span: Span;
}

/** `tier NAME CIDR [gateway ADDR] [bridge IFNAME] [isolated] [ipv6 PREFIX];` (options in any order) */
export interface TierDecl {
  readonly kind: 'tier';
  readonly name: Word;
  readonly subnet: Word;
  readonly gateway: Word | undefined;
  readonly bridge: Word | undefined;
  readonly isolated: Span | undefined;
  /** The IPv6 prefix as written (checked in lowering). */
  readonly ipv6: Word | undefined;
  readonly span: Span;
}

/** `net NAME CIDR[, CIDR];`: addresses outside the tiers (an office, a partner, a monitoring host). */
export interface NetDecl {
  readonly kind: 'net';
  readonly name: Word;
  readonly cidrs: readonly Word[];
  readonly span: Span;
}

/** A rule end: a tier or net name (resolved in lowering), `any` (every tier), `world` or `host`. */
export type Endpoint =
  | { readonly kind: 'tier'; readonly name: Word }
  | { readonly kind: 'any'; readonly span: Span }
  | { readonly kind: 'world'; readonly span: Span }
  | { readonly kind: 'host'; readonly span: Span };

/** `tcp/80`, `udp/9000-9010`, `icmp`. Ports are the numbers as written (checked in lowering). */
export type ServiceSpec =
  | { readonly proto: 'tcp' | 'udp'; readonly lo: number; readonly hi: number; readonly span: Span }
  | { readonly proto: 'icmp'; readonly span: Span };

/** `allow|deny SRC[, SRC] -> DST[, DST] [SERVICE, ...] [log];` — no services = all traffic. */
export interface RuleDecl {
  readonly kind: 'rule';
  readonly action: 'allow' | 'deny';
  readonly sources: readonly Endpoint[];
  readonly destinations: readonly Endpoint[];
  readonly services: readonly ServiceSpec[];
  readonly log: Span | undefined;
  readonly span: Span;
}

/** `default allow|deny;` */
export interface DefaultDecl {
  readonly kind: 'default';
  readonly action: 'allow' | 'deny';
  readonly span: Span;
}

/** A value inside a service setting. `publish` uses the `binding` form: HOST:PORT -> PROTO/PORT. */
export type SettingValue =
  | { readonly kind: 'word'; readonly text: string; readonly span: Span } // identifier, number, address
  | { readonly kind: 'string'; readonly text: string; readonly span: Span } // unquoted content
  | {
      readonly kind: 'binding';
      readonly hostAddress: Word;
      readonly hostPort: Word;
      readonly proto: 'tcp' | 'udp';
      readonly containerPort: Word;
      readonly span: Span;
    };

/** `NAME value, value;` inside a service block. Setting names are checked in lowering. */
export interface ServiceSetting {
  readonly name: Word;
  readonly values: readonly SettingValue[];
  readonly span: Span;
}

/** `service NAME { setting; ... }` */
export interface ServiceDecl {
  readonly kind: 'service';
  readonly name: Word;
  readonly settings: readonly ServiceSetting[];
  readonly span: Span;
}
