// test support (installer): policies the installer tests compile, policy text -> IR through the real
// parser and lowering. three-tier is the shipped example; the others reach what it does not.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Policy } from '../../../src/ir/types.js';
import { SourceFile } from '../../../src/source/source-file.js';
import { lowerPolicy, parse } from '../../../src/pipeline.js';

/**
 * Parse + lower, failing on any error. Unlike test/support/policy.ts it skips the checks stage:
 * backends see only the IR, and these tests must not depend on the anomaly analysis.
 */
export function loadPolicy(text: string, file: string): Policy {
  const source = new SourceFile(file, text);
  const parsed = parse(source);
  const lowered = lowerPolicy(parsed.ast, source);
  const errors = [...parsed.diagnostics, ...lowered.diagnostics].filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file} has errors:\n${errors.map((d) => `  ${d.code}: ${d.message}`).join('\n')}`);
  return lowered.policy;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

export const THREE_TIER_TEXT = readFileSync(`${root}policies/three-tier.policy`, 'utf8');

/** udp and icmp rules, a port range, a logged deny, default allow, two isolated tiers. */
export const MESH_TEXT = `
policy mesh;
tier a 10.31.1.0/24 bridge tw-mesh-a;
tier b 10.31.2.0/24 bridge tw-mesh-b isolated;
tier c 10.31.3.0/24 gateway 10.31.3.254 bridge tw-mesh-c isolated;
allow a -> c tcp/80, tcp/8000-8010;
allow b -> c udp/53;
allow c -> a icmp;
deny b -> a tcp/22 log;
deny any -> c;
default allow;
`;

/** A name too long for `TW-<NAME>` (hashed chain names), a bridge name with dots and capitals. */
export const LONG_TEXT = `
policy a-rather-long-policy-name-for-chains;
tier only 10.32.0.0/16 bridge br.x_Y;
tier other 10.33.0.0/16 bridge br0;
allow only -> other tcp/443 log;
default deny;
`;

export function threeTier(): Policy {
  return loadPolicy(THREE_TIER_TEXT, 'three-tier.policy');
}

/** three-tier plus two rules: one more pair chain, the same networks (no trusted list changes). */
export function threeTierV2(): Policy {
  // frontend -> backend grows to 5 lines (L8 + a logged tcp and udp allow): more than
  // INLINE_MAX_LINES, so v2 has a pair chain v1 lacks (the Docker suite's stale-chain test).
  return loadPolicy(`${THREE_TIER_TEXT}\nallow frontend -> backend tcp/9000, udp/9000 log;\ndeny backend -> frontend tcp/22;\n`, 'three-tier.policy');
}

export function mesh(): Policy {
  return loadPolicy(MESH_TEXT, 'mesh.policy');
}

export function longName(): Policy {
  return loadPolicy(LONG_TEXT, 'long.policy');
}

export const ALL = { 'three-tier': threeTier, mesh, long: longName } as const;
