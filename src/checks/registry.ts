// checks: the list of checks and the runner. Input: Policy. Output: every check's diagnostics,
// sorted by file, offset and code (the order of this list never shows in the output).
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy } from '../ir/types.js';
import type { Check } from './check.js';
import { tierOverlap } from './tier-overlap.js';
import { tierGateway } from './tier-gateway.js';
import { dockerPools } from './docker-pools.js';
import { ruleSelf } from './rule-self.js';
import { ruleAnomalies } from './rule-anomalies.js';
import { serviceChecks } from './service-checks.js';
import { publishWildcard } from './publish-wildcard.js';
import { tierSpecialRanges } from './tier-special-ranges.js';
import { netOverlap } from './net-overlap.js';
import { ipv6Overlap } from './ipv6-overlap.js';
import { ipv6SpecialRanges } from './ipv6-special-ranges.js';

export const CHECKS: readonly Check[] = [tierOverlap, tierGateway, tierSpecialRanges, ipv6Overlap, ipv6SpecialRanges, netOverlap, dockerPools, ruleSelf, ruleAnomalies, serviceChecks, publishWildcard];

export function runChecks(policy: Policy): Diagnostic[] {
  const out: Diagnostic[] = [];
  // A loop, not push(...): a large policy can yield more diagnostics than the spread limit.
  for (const check of CHECKS) for (const d of check.run(policy)) out.push(d);
  return sortDiagnostics(out);
}
