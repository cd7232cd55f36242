// backends: the one place that decides the Docker network name of a tier. The installer creates
// the network under this name; compose.yml refers to it as an external network. Input: policy, tier.

import type { Policy, Tier } from '../../ir/types.js';

/**
 * The Docker network name of a tier. Today it is the tier name itself; `policy` is a parameter so
 * a later namespacing (e.g. `<policy>-<tier>`, to let two policies share one host) changes only
 * this function. Every backend that names a network must call it.
 */
export function networkName(policy: Policy, tier: Tier): string {
  void policy;
  return tier.name;
}
