// checks: `publish-wildcard`. Input: the services' published ports and the rules. Output: one
// warning per port published on 0.0.0.0 that the policy lets `world` (any address outside the
// tiers and nets) reach, on the service (bindings carry no span of their own in the IR).
//
// Docker DNATs a published port in nat PREROUTING, before DOCKER-USER; tierwall's chains match the
// port the peer addressed with conntrack's original destination (docs/semantics.md, "Published
// ports"), so the policy does decide who outside reaches it. On 0.0.0.0 that is every network the
// host is on: worth a word when the policy then opens it to everyone.
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { WORLD, type Policy } from '../ir/types.js';
import type { Check } from './check.js';
import { Evaluator, type Verdict } from '../eval/evaluate.js';

/** The host address Docker reads as "every IPv4 address of the host". */
export const WILDCARD = '0.0.0.0';

export const publishWildcard: Check = {
  id: 'publish-wildcard',
  run(policy: Policy): Diagnostic[] {
    const out: Diagnostic[] = [];
    if (!policy.services.some((s) => s.publish.some((b) => b.hostAddress === WILDCARD))) return out;
    const ev = new Evaluator(policy);
    if (!ev.zones.isExternal(WORLD)) return out; // the nets cover every address outside the tiers
    for (const s of policy.services) {
      for (const b of s.publish) {
        if (b.hostAddress !== WILDCARD) continue;
        // The first of the service's tiers that world may reach on this port, with the verdict saying why.
        let open: string | undefined;
        let verdict: Verdict | undefined;
        for (const t of s.tiers) {
          const v = ev.evaluate({ src: WORLD, dst: t, proto: b.proto, port: b.hostPort });
          if (v.action !== 'allow') continue;
          open = t;
          verdict = v;
          break;
        }
        if (open === undefined || verdict === undefined) continue;
        const why = verdict.reason.kind === 'rule' ? [{ span: verdict.reason.rule.origin.span, message: 'this rule lets every outside address in' }] : policy.defaultOrigin ? [{ span: policy.defaultOrigin.span, message: 'the default lets every outside address in' }] : [];
        out.push(
          diag('publish-wildcard', { binding: `${b.hostAddress}:${b.hostPort}/${b.proto}`, tier: open }, s.origin.span, {
            related: why,
            hints: [
              `allow only the peers that need it (net NAME RANGE; allow NAME -> ${open} ${b.proto}/${b.hostPort};), or bind the port to one host address, e.g. 'publish 127.0.0.1:${b.hostPort} -> ${b.proto}/${b.containerPort};'`,
            ],
          }),
        );
      }
    }
    return out;
  },
};
