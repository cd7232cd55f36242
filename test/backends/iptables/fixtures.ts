// test support: the policies the iptables tests run on, as text and as equivalent hand-built IR.
// fixturePolicy() lowers the text with the real front end when it can be loaded, else builds the IR.
import { readFileSync, readdirSync } from 'node:fs';
import type { Policy } from '../../../src/ir/types.js';
import { buildPolicy, type PolicySpec } from './build-ir.js';
import { EDGE, EDGE_TEXT } from './edge-policy.js';

export const THREE_TIER_TEXT = readFileSync(new URL('../../../policies/three-tier.policy', import.meta.url), 'utf8');

/** policies/three-tier.policy, by hand (lines as in the file). */
export const THREE_TIER: PolicySpec = {
  name: 'three-tier',
  file: 'three-tier.policy',
  tiers: [
    { name: 'frontend', subnet: '172.20.1.0/24', gateway: '172.20.1.1', bridge: 'web-bridge', line: 4 },
    { name: 'backend', subnet: '172.20.2.0/24', bridge: 'app-bridge', line: 5 },
    { name: 'database', subnet: '172.20.3.0/24', bridge: 'db-bridge', isolated: true, line: 6 },
  ],
  rules: [
    { action: 'allow', from: ['frontend'], to: ['backend'], services: ['tcp/8080'], line: 8 },
    { action: 'allow', from: ['backend'], to: ['database'], services: ['tcp/5432'], line: 9 },
    { action: 'deny', from: ['frontend'], to: ['database'], log: true, line: 10 },
    { action: 'allow', from: ['world'], to: ['frontend'], services: ['tcp/80'], line: 11 },
  ],
  defaultAction: 'deny',
};

/** Default allow, `any`, overlapping ranges, deny before allow, logged deny and allow, isolation,
 * a rule needing two multiport lines, two rules on one line. */
export const NASTY_TEXT = `# Edge cases for the iptables backend and the kernel test.
# default allow, any, overlapping ranges, deny before allow, logging, isolation, multiport.
policy nasty;

tier web 10.81.1.0/24 bridge tw-web;
tier api 10.81.2.0/24 bridge tw-api;
tier db  10.81.3.0/24 gateway 10.81.3.254 bridge tw-db isolated;
tier ops 10.81.4.0/26 bridge tw-ops;

deny web -> db tcp/5432 log;
allow web, api -> db tcp/5430-5440, tcp/5435-5450, tcp/5451, udp/5432;
deny any -> api udp/1-1023 log;
allow any -> api udp/53, tcp/80, tcp/443, icmp;
deny ops -> any;
allow api -> web tcp/20-21, tcp/25, tcp/110, tcp/143, tcp/993, tcp/995, tcp/3000, tcp/3002, tcp/5000, tcp/6000, tcp/7000, tcp/8000-8009, tcp/8010, tcp/9000, tcp/9002 log;
deny api -> web icmp; allow web -> ops udp/161-162;

default allow;
`;

export const NASTY: PolicySpec = {
  name: 'nasty',
  file: 'nasty.policy',
  tiers: [
    { name: 'web', subnet: '10.81.1.0/24', bridge: 'tw-web', line: 5 },
    { name: 'api', subnet: '10.81.2.0/24', bridge: 'tw-api', line: 6 },
    { name: 'db', subnet: '10.81.3.0/24', gateway: '10.81.3.254', bridge: 'tw-db', isolated: true, line: 7 },
    { name: 'ops', subnet: '10.81.4.0/26', bridge: 'tw-ops', line: 8 },
  ],
  rules: [
    { action: 'deny', from: ['web'], to: ['db'], services: ['tcp/5432'], log: true, line: 10 },
    { action: 'allow', from: ['web', 'api'], to: ['db'], services: ['tcp/5430-5440', 'tcp/5435-5450', 'tcp/5451', 'udp/5432'], line: 11 },
    { action: 'deny', from: 'any', to: ['api'], services: ['udp/1-1023'], log: true, line: 12 },
    { action: 'allow', from: 'any', to: ['api'], services: ['udp/53', 'tcp/80', 'tcp/443', 'icmp'], line: 13 },
    { action: 'deny', from: ['ops'], to: 'any', line: 14 },
    {
      action: 'allow',
      from: ['api'],
      to: ['web'],
      services: ['tcp/20-21', 'tcp/25', 'tcp/110', 'tcp/143', 'tcp/993', 'tcp/995', 'tcp/3000', 'tcp/3002', 'tcp/5000',
        'tcp/6000', 'tcp/7000', 'tcp/8000-8009', 'tcp/8010', 'tcp/9000', 'tcp/9002'],
      log: true,
      line: 15,
    },
    { action: 'deny', from: ['api'], to: ['web'], services: ['icmp'], line: 16, col: 1 },
    { action: 'allow', from: ['web'], to: ['ops'], services: ['udp/161-162'], line: 16, col: 23 },
  ],
  defaultAction: 'allow',
};

export const FIXTURES = {
  'three-tier': { text: THREE_TIER_TEXT, spec: THREE_TIER },
  nasty: { text: NASTY_TEXT, spec: NASTY },
  edge: { text: EDGE_TEXT, spec: EDGE },
} as const;
export type FixtureName = keyof typeof FIXTURES;

type LoadPolicy = (text: string, file?: string) => Policy;
let loader: Promise<LoadPolicy | string> | undefined;

/** test/support/policy.ts's loadPolicy, or why it cannot be loaded yet (front end unfinished). */
export function frontEnd(): Promise<LoadPolicy | string> {
  loader ??= import('../../support/policy.js').then(
    (m) => m.loadPolicy as LoadPolicy,
    (e: unknown) => (e instanceof Error ? e.message.split('\n')[0]! : String(e)),
  );
  return loader;
}

/** The fixture lowered from its text when the front end loads (its errors then fail the test), else by hand. */
export async function fixturePolicy(name: FixtureName): Promise<{ policy: Policy; from: 'text' | 'hand-built' }> {
  const f = FIXTURES[name];
  const load = await frontEnd();
  if (typeof load === 'string') return { policy: buildPolicy(f.spec), from: 'hand-built' };
  return { policy: load(f.text, f.spec.file), from: 'text' };
}

const POLICIES = new URL('../../../policies/', import.meta.url);

/** Every example in policies/ other than three-tier (which has its hand-built twin above). */
export const EXAMPLES: readonly string[] = readdirSync(POLICIES)
  .filter((f) => f.endsWith('.policy') && f !== 'three-tier.policy')
  .sort();

/** An example policy through the front end; undefined while the front end cannot be loaded. */
export async function examplePolicy(file: string): Promise<Policy | undefined> {
  const load = await frontEnd();
  if (typeof load === 'string') return undefined;
  return load(readFileSync(new URL(file, POLICIES), 'utf8'), file);
}
