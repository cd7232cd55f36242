// validate: the validator's own reading of rules.v4, independent of the backend's model.
// Built by parse-file.ts and parse-rule.ts; walked by walk.ts.
import type { Interval } from '../ir/ports.js';

/** `[!] -s/-d CIDR`; an address without a prefix is a /32. */
export interface AddrMatch {
  readonly base: number;
  readonly prefix: number;
  readonly neg: boolean;
}

/** `[!] -i/-o NAME`; a trailing `+` matches every interface whose name starts with the rest. */
export interface IfaceMatch {
  readonly name: string;
  readonly wildcard: boolean;
  readonly neg: boolean;
}

/** Bits of the conntrack states the validator probes; a rule's ctstate match is reduced to them. */
export const NEW = 1;
export const ESTABLISHED = 2;
export const BOTH_STATES = NEW | ESTABLISHED;

export type Target =
  | { readonly kind: 'ACCEPT' }
  | { readonly kind: 'DROP' }
  | { readonly kind: 'RETURN' }
  | { readonly kind: 'LOG'; readonly prefix: string | undefined }
  | { readonly kind: 'jump'; readonly chain: string; readonly to: Chain };

/** One `-A` line with every match it carries; a missing field means "no such match" (matches all). */
export interface IptRule {
  readonly chain: string;
  /** 1-based position in the chain. */
  readonly num: number;
  /** 1-based line in rules.v4; 0 for the entry rule. */
  readonly line: number;
  readonly src: AddrMatch | undefined;
  readonly dst: AddrMatch | undefined;
  readonly inIface: IfaceMatch | undefined;
  readonly outIface: IfaceMatch | undefined;
  readonly proto: 'tcp' | 'udp' | 'icmp' | undefined;
  /** Destination ports (merged, sorted) from --dport or --dports; undefined: every port. */
  readonly ports: readonly Interval[] | undefined;
  /** Which probe states the conntrack match admits (NEW/ESTABLISHED bits); undefined: no such match. */
  readonly states: number | undefined;
  /**
   * `--ctorigdstport P --ctdir ORIGINAL`: `ports` are the connection's original destination ports,
   * matched in the original direction only. A NEW packet is of the original direction and, with no
   * DNAT modelled, its own port is the original one; an ESTABLISHED probe holds replies too, whose
   * original port is not theirs, so the walker cannot decide those packets (walk.ts).
   */
  readonly origDir: boolean;
  readonly target: Target;
}

export interface Chain {
  readonly name: string;
  readonly line: number;
  readonly rules: IptRule[];
}

/** A parsed rules.v4: the declared chains (by name) and the text, kept to quote lines in problems. */
export interface Ruleset {
  readonly chains: ReadonlyMap<string, Chain>;
  readonly text: string;
  /** Start offset of each 1-based line at index line - 1. */
  readonly lineStarts: readonly number[];
}

/** The text of a 1-based line of the ruleset (without its newline). */
export function lineOf(rs: Ruleset, line: number): string {
  const start = rs.lineStarts[line - 1] ?? rs.text.length;
  const next = rs.lineStarts[line];
  return rs.text.slice(start, next === undefined ? rs.text.length : next - 1);
}
