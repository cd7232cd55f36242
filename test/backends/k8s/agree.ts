// test support (k8s): compares the oracle's verdicts on the generated manifests with the
// evaluator's, class by class. Input: Policy. Output: the classes where they differ.
import { decideAllClasses, type DecidedClass } from '../../../src/eval/flow-classes.js';
import type { Policy } from '../../../src/ir/types.js';
import { buildWorld, compileK8s, NAMESPACE, npVerdict, type Compiled } from './harness.js';

export interface Disagreement {
  readonly cls: DecidedClass;
  readonly port: number | undefined;
  readonly networkPolicy: 'allow' | 'deny';
}

/** Both ends of every port class are probed: a range off by one shows at an end. */
function probePorts(c: DecidedClass): (number | undefined)[] {
  return c.lo === undefined ? [undefined] : [...new Set([c.lo, c.hi])];
}

export function disagreements(policy: Policy, compiled: Compiled = compileK8s(policy)): Disagreement[] {
  const world = buildWorld(policy, compiled.manifests, NAMESPACE);
  const out: Disagreement[] = [];
  for (const cls of decideAllClasses(policy)) {
    for (const port of probePorts(cls)) {
      const networkPolicy = npVerdict(world, cls.src, cls.dst, cls.proto, port);
      if (networkPolicy !== cls.verdict.action) out.push({ cls, port, networkPolicy });
    }
  }
  return out;
}

export function describe(d: Disagreement): string {
  const port = d.port === undefined ? '' : `/${d.port}`;
  return `${d.cls.src} -> ${d.cls.dst} ${d.cls.proto}${port}: evaluator ${d.cls.verdict.action}, NetworkPolicy ${d.networkPolicy}`;
}
