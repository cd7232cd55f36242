// checks: services. Input: services + tiers + rules. Output: `address-outside-subnet`,
// `duplicate-address`, `publish-conflict` (errors) and `service-bridges-deny` (warning), on the service.
import { diag, type Diagnostic, type Related } from '../diagnostics/diagnostic.js';
import type { Policy, Service, Tier } from '../ir/types.js';
import { cidrContains, lastAddress, parseIpv4 } from '../ir/ipv4.js';
import type { Check } from './check.js';
import { firstDeniedFlow } from './service-flows.js';

const declared = (s: Service, message: string): Related => ({ span: s.origin.span, message });

/** Why an address cannot be a container's static address in the tier, or undefined when it can. */
function addressProblem(t: Tier, value: number): string | undefined {
  const { base, prefix } = t.subnet;
  if (!cidrContains(base, prefix, value)) return `pick an address inside ${t.subnet.text}`;
  if (value === base) return 'that is the network address of the subnet';
  if (value === lastAddress(base, prefix)) return 'that is the broadcast address of the subnet';
  if (value === parseIpv4(t.gateway)) return `that is the tier's gateway (${t.gateway})`;
  return undefined;
}

function checkAddresses(policy: Policy, out: Diagnostic[]): void {
  const tiers = new Map(policy.tiers.map((t) => [t.name, t]));
  const owner = new Map<number, Service>();
  for (const s of policy.services) {
    for (const a of s.addresses) {
      const t = tiers.get(a.tier);
      const value = parseIpv4(a.address);
      if (!t || value === undefined) continue; // lowering reported it
      const problem = addressProblem(t, value);
      if (problem) {
        out.push(
          diag('address-outside-subnet', { address: a.address, tier: t.name, subnet: t.subnet.text }, s.origin.span, {
            related: [{ span: t.origin.span, message: `tier '${t.name}' declared here` }],
            hints: [problem],
          }),
        );
      }
      const first = owner.get(value);
      if (first === undefined) owner.set(value, s);
      else if (first !== s) {
        out.push(
          diag('duplicate-address', { address: a.address, other: first.name }, s.origin.span, {
            related: [declared(first, `service '${first.name}' declared here`)],
            hints: ['give each container its own address'],
          }),
        );
      }
    }
  }
}

/** Same host address, port and protocol twice; 0.0.0.0 takes the port on every address. */
function checkPublish(policy: Policy, out: Diagnostic[]): void {
  const byPort = new Map<string, { any?: Service; specific: Map<string, Service> }>();
  for (const s of policy.services) {
    for (const b of s.publish) {
      const key = `${b.proto}/${b.hostPort}`;
      let slot = byPort.get(key);
      if (!slot) byPort.set(key, (slot = { specific: new Map() }));
      const wildcard = b.hostAddress === '0.0.0.0';
      const earlier = wildcard ? (slot.any ?? slot.specific.values().next().value) : (slot.any ?? slot.specific.get(b.hostAddress));
      if (earlier) {
        out.push(
          diag('publish-conflict', { binding: `${b.hostAddress}:${b.hostPort}/${b.proto}` }, s.origin.span, {
            related: earlier === s ? [] : [declared(earlier, `service '${earlier.name}' publishes it first`)],
            hints: ['use another host port, or bind each to a different host address'],
          }),
        );
        continue;
      }
      if (wildcard) slot.any = s;
      else slot.specific.set(b.hostAddress, s);
    }
  }
}

function checkBridges(policy: Policy, out: Diagnostic[]): void {
  const multi = policy.services.filter((s) => s.tiers.length > 1);
  if (multi.length === 0) return;
  for (const s of multi) {
    for (let i = 0; i < s.tiers.length; i++) {
      for (let j = i + 1; j < s.tiers.length; j++) {
        const a = s.tiers[i]!;
        const b = s.tiers[j]!;
        const found = firstDeniedFlow(policy, a, b) ?? firstDeniedFlow(policy, b, a);
        if (!found) continue;
        const reason = found.verdict.reason;
        const related: Related[] =
          reason.kind === 'rule'
            ? [{ span: reason.rule.origin.span, message: 'the flow is denied by this rule' }]
            : policy.defaultOrigin
              ? [{ span: policy.defaultOrigin.span, message: 'the flow is denied by the default' }]
              : [];
        out.push(
          diag('service-bridges-deny', { service: s.name, a, b, flow: found.text }, s.origin.span, {
            related,
            hints: [`a container on both networks can relay what the policy denies; attach '${s.name}' to one tier, or allow the traffic explicitly`],
          }),
        );
      }
    }
  }
}

export const serviceChecks: Check = {
  id: 'service-checks',
  run(policy: Policy): Diagnostic[] {
    const out: Diagnostic[] = [];
    checkAddresses(policy, out);
    checkPublish(policy, out);
    checkBridges(policy, out);
    return out;
  },
};
