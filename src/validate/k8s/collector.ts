// validate/k8s: gathers problems in the order found, joins adjacent port classes that fail the same
// way into one, and keeps at most MAX_PROBLEMS (a wrong selector can fail every pair).
import { MAX_PROBLEMS } from '../collector.js';
import type { K8sActual, K8sExpected, K8sFileProblem, K8sFlow, K8sProblem, K8sValidationResult, SideCause } from './types.js';

interface Pending {
  readonly flow: K8sFlow;
  readonly expected: K8sExpected;
  readonly actual: K8sActual;
}

const causeKey = (c: SideCause): string => (c.kind === 'rule' ? `${c.site.file}#${c.site.dir}${c.site.index}` : c.kind === 'open' ? 'open' : c.by.map((p) => p.file).join(','));

function continues(last: Pending, next: Pending): boolean {
  const f = last.flow;
  const g = next.flow;
  return f.src === g.src && f.dst === g.dst && f.proto === g.proto && f.hi !== undefined && g.lo === f.hi + 1
    && last.expected === next.expected && last.actual.allow === next.actual.allow
    && causeKey(last.actual.egress) === causeKey(next.actual.egress) && causeKey(last.actual.ingress) === causeKey(next.actual.ingress);
}

export class K8sCollector {
  private readonly problems: K8sProblem[] = [];
  private omitted = 0;
  private last: Pending | undefined;

  get count(): number {
    return this.problems.length + this.omitted + (this.last ? 1 : 0);
  }

  file(p: K8sFileProblem): void {
    this.flush();
    this.push(p);
  }

  flow(flow: K8sFlow, expected: K8sExpected, actual: K8sActual): void {
    const next = { flow, expected, actual };
    if (this.last && continues(this.last, next)) {
      this.last = { ...this.last, flow: { ...this.last.flow, hi: flow.hi } };
      return;
    }
    this.flush();
    this.last = next;
  }

  result(classes: number): K8sValidationResult {
    this.flush();
    if (this.problems.length === 0 && this.omitted === 0) return { ok: true, classes };
    return { ok: false, problems: this.problems, omitted: this.omitted };
  }

  private flush(): void {
    const p = this.last;
    if (!p) return;
    this.last = undefined;
    this.push({ kind: 'flow', ...p });
  }

  private push(p: K8sProblem): void {
    if (this.problems.length >= MAX_PROBLEMS) this.omitted++;
    else this.problems.push(p);
  }
}
