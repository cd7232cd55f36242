// diff: `tierwall diff`'s core, pure. Input: the old and the new Policy. Output: DiffResult, what
// changes in the decisions (flow classes, also with the outside), the tiers, the nets and the
// services, with a summary.
import type { Policy } from '../ir/types.js';
import { diffFlows } from './classes.js';
import { diffTiers } from './tiers.js';
import { diffNets } from './nets.js';
import { diffServices } from './services.js';
import type { DiffResult, FlowChange, FlowChangeKind } from './types.js';

const KIND_ORDER: readonly FlowChangeKind[] = ['newly-allowed', 'newly-denied', 'log-changed'];

/** Compares what two policies decide and deploy; their text, rule order and deciding rules do not matter. */
export function diffPolicies(oldPolicy: Policy, newPolicy: Policy): DiffResult {
  // Stable sort: inside each kind the flows keep the tier-pair and class order diffFlows made.
  const flows = [...diffFlows(oldPolicy, newPolicy)].sort((a, b) => KIND_ORDER.indexOf(a.change) - KIND_ORDER.indexOf(b.change));
  const tiers = diffTiers(oldPolicy, newPolicy);
  const nets = diffNets(oldPolicy, newPolicy);
  const services = diffServices(oldPolicy, newPolicy);
  const count = (k: FlowChangeKind) => flows.filter((f: FlowChange) => f.change === k).length;
  const newlyAllowed = count('newly-allowed');
  return {
    summary: {
      newlyAllowed,
      newlyDenied: count('newly-denied'),
      logChanged: count('log-changed'),
      tierChanges: tiers.length,
      netChanges: nets.length,
      serviceChanges: services.length,
      changed: flows.length + tiers.length + nets.length + services.length > 0,
      widens: newlyAllowed > 0 || tiers.some((t) => t.widens) || nets.some((n) => n.widens) || services.some((s) => s.widens),
    },
    flows,
    tiers,
    nets,
    services,
  };
}
