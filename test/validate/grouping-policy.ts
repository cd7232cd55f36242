// test support: a policy whose sources leave most destinations unnamed, so the grouped validation
// (src/validate/source-groups.ts) probes one of several tiers: the grouping mutations target them.
import { buildPolicy, type PolicySpec } from '../backends/iptables/build-ir.js';

export const GRP: PolicySpec = {
  name: 'grp',
  file: 'grp.policy',
  tiers: [
    { name: 'web', subnet: '10.80.1.0/24', line: 3 },
    { name: 'app', subnet: '10.80.2.0/24', line: 4 },
    // q1 and q2 share the supernet 10.80.8.0/23; no rule names q1..q4.
    { name: 'q1', subnet: '10.80.8.0/24', line: 5 },
    { name: 'q2', subnet: '10.80.9.0/24', line: 6 },
    { name: 'q3', subnet: '10.80.10.0/24', line: 7 },
    { name: 'q4', subnet: '10.80.11.0/24', line: 8 },
  ],
  rules: [
    { action: 'allow', from: ['web'], to: ['app'], services: ['tcp/80'], line: 10 },
    { action: 'allow', from: 'any', to: 'any', services: ['udp/53'], line: 11 },
  ],
  defaultAction: 'deny',
};

export const grpPolicy = () => buildPolicy(GRP);
