// test support: the policy the mutation tests break the ruleset of. Every mutation must change a
// verdict or a log, so each rule here is placed to make one of them visible (default deny). The
// ruleset has both shapes of a pair: web -> db is 5 lines (more than INLINE_MAX_LINES: a pair chain),
// app -> db 3 lines (inline in app's source chain); mutations.test.ts asserts both.
import { buildPolicy, type PolicySpec } from '../backends/iptables/build-ir.js';

export const MUT: PolicySpec = {
  name: 'mut',
  file: 'mut.policy',
  tiers: [
    { name: 'web', subnet: '10.70.1.0/24', line: 3 },
    { name: 'app', subnet: '10.70.2.0/24', line: 4 },
    { name: 'db', subnet: '10.70.3.0/24', isolated: true, line: 5 },
  ],
  rules: [
    { action: 'allow', from: ['web'], to: ['app'], services: ['tcp/80-90'], line: 7 },
    { action: 'deny', from: ['web'], to: ['db'], services: ['tcp/5432', 'udp/5432'], log: true, line: 8 },
    { action: 'allow', from: ['web'], to: ['db'], services: ['tcp/5000-6000'], line: 9 },
    { action: 'deny', from: ['app'], to: ['db'], services: ['udp/53'], log: true, line: 10 },
    { action: 'allow', from: ['app'], to: ['db'], line: 11 },
  ],
  defaultAction: 'deny',
};

export const mutPolicy = () => buildPolicy(MUT);
