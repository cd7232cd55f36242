// checks: `subnet-too-small`, `gateway-outside-subnet`, `gateway-reserved`. Input: the tiers.
// Output: at most one error per tier, on the tier declaration.
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy } from '../ir/types.js';
import { cidrContains, lastAddress, parseIpv4 } from '../ir/ipv4.js';
import type { Check } from './check.js';

export const tierGateway: Check = {
  id: 'tier-gateway',
  run(policy: Policy): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const t of policy.tiers) {
      const { base, prefix, text: subnet } = t.subnet;
      const span = t.subnetSpan ?? t.origin.span;
      const gwSpan = t.gatewaySpan ?? span;
      // /31 and /32 leave no address for a container once the gateway is taken; the gateway
      // checks below would only repeat the same problem.
      if (prefix >= 31) {
        out.push(diag('subnet-too-small', { subnet }, span, { hints: ['use a /30 or larger; a /24 leaves room to grow'] }));
        continue;
      }
      const gw = parseIpv4(t.gateway);
      if (gw === undefined) continue; // lowering reports invalid-address
      if (!cidrContains(base, prefix, gw)) {
        out.push(diag('gateway-outside-subnet', { gateway: t.gateway, subnet }, gwSpan, { hints: [`pick a gateway inside ${subnet}`] }));
      } else if (gw === base || gw === lastAddress(base, prefix)) {
        const which = gw === base ? 'network' : 'broadcast';
        out.push(diag('gateway-reserved', { gateway: t.gateway, which, subnet }, gwSpan, { hints: ['the usual gateway is the first host address, e.g. x.x.x.1'] }));
      }
    }
    return out;
  },
};
