// test support: a policy at the host's edge, for the iptables edge tests, the validator's edge
// mutations and the kernel test: nets that overlap (vpn inside office), world both ways, `any`,
// logging, port ranges that merge, a world -> any deny (written per tier), default deny.
import { buildPolicy, type PolicySpec } from './build-ir.js';

/** The same policy as text (lines as in EDGE), for the front end; 198.19.0.0/16 keeps clear of the kernel lab's 198.18.0.0/24. */
export const EDGE_TEXT = `policy edge;

tier web 10.60.1.0/24;
tier app 10.60.2.0/24;

net office 198.19.0.0/24, 198.19.8.0/24;
net vpn 198.19.0.128/25;

allow web -> app tcp/8080;
allow world -> web tcp/80, tcp/443, udp/1000-2000, udp/1500-3000 log;
allow office -> app tcp/22, icmp;
deny vpn -> any log;
deny world -> any tcp/23;
allow app -> office tcp/5432;
allow any -> world udp/53;
allow web -> world;

default deny;
`;

export const EDGE: PolicySpec = {
  name: 'edge',
  file: 'edge.policy',
  tiers: [
    { name: 'web', subnet: '10.60.1.0/24', line: 3 },
    { name: 'app', subnet: '10.60.2.0/24', line: 4 },
  ],
  nets: [
    { name: 'office', cidrs: ['198.19.0.0/24', '198.19.8.0/24'], line: 6 },
    { name: 'vpn', cidrs: ['198.19.0.128/25'], line: 7 },
  ],
  rules: [
    { action: 'allow', from: ['web'], to: ['app'], services: ['tcp/8080'], line: 9 },
    { action: 'allow', from: ['world'], to: ['web'], services: ['tcp/80', 'tcp/443', 'udp/1000-2000', 'udp/1500-3000'], log: true, line: 10 },
    { action: 'allow', from: ['office'], to: ['app'], services: ['tcp/22', 'icmp'], line: 11 },
    { action: 'deny', from: ['vpn'], to: 'any', log: true, line: 12 },
    { action: 'deny', from: ['world'], to: 'any', services: ['tcp/23'], line: 13 },
    { action: 'allow', from: ['app'], to: ['office'], services: ['tcp/5432'], line: 14 },
    { action: 'allow', from: 'any', to: ['world'], services: ['udp/53'], line: 15 },
    { action: 'allow', from: ['web'], to: ['world'], line: 16 },
  ],
  defaultAction: 'deny',
};

export const edgePolicy = () => buildPolicy(EDGE);
