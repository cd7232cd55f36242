// eval: what a policy decides for one flow. This is the single source of truth: every backend,
// the kernel tests and the Docker tests are checked against it.
// Input: Policy + Flow. Output: Verdict (action, log, and the reason: rule, default or intra-tier).
// A flow's ends are zones: a tier, or an external zone (eval/zones.ts: addresses outside the tiers
// in the same nets, `world` for those in none).
import type { Action, Policy, Rule, Tier } from '../ir/types.js';
import { cidrContains, parseIpv4 } from '../ir/ipv4.js';
import { zonesOf, type Zones } from './zones.js';

/** Protocols a flow can carry; `other` is anything but tcp, udp and icmp (e.g. sctp, gre). */
export type FlowProto = 'tcp' | 'udp' | 'icmp' | 'other';

/**
 * A packet's identity as the policy sees it: source zone, destination zone, protocol, dport. Zones
 * are tier names or external zone names; a flow between two external zones is no traffic tierwall
 * governs (no rule can match it: lowering refuses external ends on both sides), so only the default
 * would speak, and callers leave such flows out.
 */
export interface Flow {
  readonly src: string;
  readonly dst: string;
  readonly proto: FlowProto;
  /**
   * Destination port, for tcp and udp only. From outside to a tier it is the port the peer
   * addressed: a published port's host port (matched before Docker's DNAT), else the port itself.
   */
  readonly port?: number;
}

export type Reason =
  | { readonly kind: 'rule'; readonly rule: Rule }
  | { readonly kind: 'default' }
  | { readonly kind: 'intra-tier'; readonly isolated: boolean };

export interface Verdict {
  readonly action: Action;
  readonly log: boolean;
  readonly reason: Reason;
}

/** Does the rule's service list match the flow's protocol and port? */
export function servicesMatch(rule: Rule, proto: FlowProto, port: number | undefined): boolean {
  if (rule.allTraffic) return true;
  for (const s of rule.services) {
    if (s.proto !== proto) continue;
    if (s.proto === 'icmp') return true;
    if (port !== undefined && port >= s.lo && port <= s.hi) return true;
  }
  return false;
}

/**
 * Evaluates flows against one policy. Built once per policy: it indexes the rules by source
 * tier so a lookup scans only the rules that can match.
 */
export class Evaluator {
  private readonly tiers: Map<string, Tier>;
  private readonly bySource: Map<string, Rule[]>;
  readonly zones: Zones;

  constructor(readonly policy: Policy) {
    this.tiers = new Map(policy.tiers.map((t) => [t.name, t]));
    this.zones = zonesOf(policy);
    this.bySource = new Map();
    const index = (zone: string, rule: Rule): void => {
      let list = this.bySource.get(zone);
      if (!list) this.bySource.set(zone, (list = []));
      list.push(rule);
    };
    for (const rule of policy.rules) {
      for (const s of rule.sources) index(s, rule);
      for (const z of this.zones.zonesOf(rule.externalSources)) index(z, rule);
    }
  }

  /** Does the rule's destination side hold the zone? */
  private destinationHas(rule: Rule, dst: string): boolean {
    return rule.destinations.includes(dst) || this.zones.externalMatch(rule.externalDestinations, dst);
  }

  /** First-match semantics; intra-tier flows are decided by isolation alone. */
  evaluate(flow: Flow): Verdict {
    if (flow.src === flow.dst && this.tiers.has(flow.src)) {
      const isolated = this.tiers.get(flow.src)?.isolated ?? false;
      return { action: isolated ? 'deny' : 'allow', log: false, reason: { kind: 'intra-tier', isolated } };
    }
    for (const rule of this.bySource.get(flow.src) ?? []) {
      if (!this.destinationHas(rule, flow.dst)) continue;
      if (!servicesMatch(rule, flow.proto, flow.port)) continue;
      return { action: rule.action, log: rule.log, reason: { kind: 'rule', rule } };
    }
    return { action: this.policy.defaultAction, log: false, reason: { kind: 'default' } };
  }

  /** The zone (tier or external zone) an address is in. */
  zoneOfAddress(address: string): string | undefined {
    const value = parseIpv4(address);
    return value === undefined ? undefined : this.zones.zoneOfAddress(value, this.policy);
  }

  /** The tier whose subnet holds the address, if any. */
  tierOfAddress(address: string): Tier | undefined {
    const value = parseIpv4(address);
    if (value === undefined) return undefined;
    return this.policy.tiers.find((t) => cidrContains(t.subnet.base, t.subnet.prefix, value));
  }
}

/** Convenience for one-off questions; build an Evaluator when asking many. */
export function evaluate(policy: Policy, flow: Flow): Verdict {
  return new Evaluator(policy).evaluate(flow);
}
