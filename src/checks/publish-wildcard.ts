// checks: `publish-wildcard`. Input: the services' published ports. Output: one warning per port
// published on 0.0.0.0, on the service (bindings carry no span of their own in the IR).
//
// Why a warning: Docker DNATs a published port in the nat table before the packet reaches
// DOCKER-USER, and tierwall's chains judge only traffic whose source is a tier subnet (anything
// else RETURNs as "foreign"). So nothing in the policy decides who outside the host reaches the
// port: on 0.0.0.0 that is every network the host is on. docs/semantics.md "Published ports".
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy } from '../ir/types.js';
import type { Check } from './check.js';

/** The host address Docker reads as "every IPv4 address of the host". */
export const WILDCARD = '0.0.0.0';

export const publishWildcard: Check = {
  id: 'publish-wildcard',
  run(policy: Policy): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const s of policy.services) {
      for (const b of s.publish) {
        if (b.hostAddress !== WILDCARD) continue;
        out.push(
          diag('publish-wildcard', { binding: `${b.hostAddress}:${b.hostPort}/${b.proto}` }, s.origin.span, {
            hints: [
              `tierwall's rules do not govern who outside the host reaches a published port; bind it to one host address, e.g. 'publish 127.0.0.1:${b.hostPort} -> ${b.proto}/${b.containerPort};' (or the address of the interface that should serve it)`,
            ],
          }),
        );
      }
    }
    return out;
  },
};
