// cli: `tierwall query <file> <src> <dst> [service]`: the verdict and the rule (file:line) that
// decides it, or the default / intra-tier reason.
import { SourceFile } from '../../source/source-file.js';
import { analyze } from '../../pipeline.js';
import { query, describeService, type QueryAnswer } from '../../eval/query.js';
import { readInput } from '../io.js';
import { EXIT, printDiagnostics } from '../output.js';

function reasonText(a: QueryAnswer, file: string): string {
  const r = a.verdict.reason;
  switch (r.kind) {
    case 'rule':
      return `rule at ${file}:${r.rule.origin.line}:${r.rule.origin.col}`;
    case 'default':
      return 'no rule matches: the policy default';
    case 'intra-tier':
      return r.isolated ? 'traffic inside an isolated tier is always dropped' : 'traffic inside a tier is allowed (the tier is not isolated)';
  }
}

export function runQuery(file: string, src: string, dst: string, service: string | undefined, opts: { json?: boolean }): number {
  const { name, text } = readInput(file);
  const source = new SourceFile(name, text);
  const a = analyze(source);
  if (a.diagnostics.some((d) => d.severity === 'error')) {
    printDiagnostics('text', a.diagnostics, new Map([[name, source]]));
    return EXIT.failed;
  }
  const r = query(a.policy, src, dst, service);
  if (!r.ok) {
    process.stderr.write(`tierwall query: ${r.error}\n`);
    return EXIT.usage;
  }
  if (opts.json) {
    const out = r.answers.map((x) => ({
      src: x.flow.src, dst: x.flow.dst, service: describeService(x.flow), action: x.verdict.action, log: x.verdict.log,
      reason: x.verdict.reason.kind,
      ...(x.verdict.reason.kind === 'rule' ? { rule: { file: name, line: x.verdict.reason.rule.origin.line, col: x.verdict.reason.rule.origin.col } } : {}),
    }));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const x of r.answers) {
    const v = x.verdict;
    const verdict = `${v.action}${v.log ? ' (logged)' : ''}`;
    let line = `${x.flow.src} -> ${x.flow.dst} ${describeService(x.flow)}: ${verdict}, ${reasonText(x, name)}`;
    if (v.reason.kind === 'rule') line += `\n    ${source.lineText(v.reason.rule.origin.line).trim()}`;
    process.stdout.write(`${line}\n`);
  }
  return EXIT.ok;
}
