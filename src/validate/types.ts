// validate: the types of translation validation. Input: Policy IR + rules.v4 text + the entry rule.
// Output: ValidationResult (ok with the number of flow classes proven, or the problems found).
import type { Origin } from '../ir/types.js';
import type { FlowProto } from '../eval/evaluate.js';

/** What iptables does with a packet: ACCEPT, DROP, or RETURN to Docker (tierwall did not decide). */
export type IptVerdict = 'ACCEPT' | 'DROP' | 'RETURN';

/** The conntrack states a flow class is probed with: a new connection and an established one. */
export type ProbeState = 'NEW' | 'ESTABLISHED';

/** One flow class, probed with a representative packet: tiers (or foreign addresses), protocol, ports. */
export interface ProbedClass {
  /** Tier name, or the foreign address itself for negative-space probes. */
  readonly src: string;
  readonly dst: string;
  /** The addresses the packet was taken from: the tier subnet (every address in it) or one address. */
  readonly srcAddress: string;
  readonly dstAddress: string;
  readonly proto: FlowProto;
  /** Destination port interval, for tcp and udp. */
  readonly lo?: number;
  readonly hi?: number;
  readonly state: ProbeState;
}

/** Why the policy expects its verdict, with the IR origin that says so (for the diagnostic's span). */
export type ExpectedReason =
  | { readonly kind: 'rule'; readonly index: number; readonly origin: Origin }
  | { readonly kind: 'default'; readonly origin: Origin | undefined }
  | { readonly kind: 'intra-tier'; readonly isolated: boolean; readonly origin: Origin }
  | { readonly kind: 'foreign' }
  | { readonly kind: 'established' };

export interface ExpectedDecision {
  readonly verdict: IptVerdict;
  readonly log: boolean;
  readonly reason: ExpectedReason;
}

/** One rule of rules.v4 (or the entry rule, chain DOCKER-USER, line 0), as a reader would cite it. */
export interface RuleRef {
  readonly chain: string;
  /** 1-based position in its chain, as `iptables -L --line-numbers` counts. */
  readonly num: number;
  /** 1-based line in rules.v4; 0 for the entry rule. */
  readonly line: number;
  readonly text: string;
  readonly comment: string | undefined;
}

/** Where the ruleset's decision came from: a rule, or the end of a chain (implicit RETURN). */
export type ActualCause = { readonly kind: 'rule'; readonly rule: RuleRef } | { readonly kind: 'end'; readonly chain: string };

export interface ActualDecision {
  /**
   * SPLIT: a rule matches only part of a tier's subnet, so members of one tier are treated differently.
   * UNDECIDED: a rule matches by what the packet does not show: the port the peer addressed before
   * Docker's DNAT (a plain --dport from outside), the direction of an established packet (--ctdir).
   */
  readonly verdict: IptVerdict | 'SPLIT' | 'UNDECIDED';
  readonly cause: ActualCause;
  /** The LOG rules that fired before the decision, in order, with their prefixes. */
  readonly logs: readonly { readonly rule: RuleRef; readonly prefix: string | undefined }[];
}

/** The ruleset decides a flow class differently from the policy. */
export interface FlowProblem {
  readonly kind: 'flow';
  readonly flow: ProbedClass;
  readonly expected: ExpectedDecision;
  readonly actual: ActualDecision;
}

/** A line (or the entry rule) outside the subset tierwall emits, malformed, or unsafe in itself. */
export interface RulesetProblem {
  readonly kind: 'ruleset';
  /** 1-based line in rules.v4; 0 for the entry rule. */
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

export type ValidationProblem = FlowProblem | RulesetProblem;

export type ValidationResult =
  | { readonly ok: true; readonly classes: number }
  | {
      readonly ok: false;
      /** First problem first; at most MAX_PROBLEMS of them. */
      readonly problems: readonly ValidationProblem[];
      /** Problems found beyond MAX_PROBLEMS (not listed). */
      readonly omitted: number;
    };
