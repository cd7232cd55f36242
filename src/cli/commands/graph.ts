// cli: `tierwall graph <file> --format mermaid|dot|svg`: tiers and the external zones they talk to
// as nodes, allowed flows as edges (REPORT.md embeds the same graph, tiers only). svg pipes the DOT text through Graphviz's `dot` when installed.
import { spawnSync } from 'node:child_process';
import { SourceFile } from '../../source/source-file.js';
import { analyze } from '../../pipeline.js';
import { buildGraph, toDot, toMermaid } from '../../graph/index.js';
import { readInput } from '../io.js';
import { EXIT, failed, printDiagnostics } from '../output.js';

export interface GraphOptions {
  format: 'mermaid' | 'dot' | 'svg';
  deniedLogged?: boolean;
}

export function runGraph(file: string, opts: GraphOptions): number {
  const { name, text } = readInput(file);
  const source = new SourceFile(name, text);
  const a = analyze(source);
  if (failed(a.diagnostics, false)) {
    printDiagnostics('text', a.diagnostics, new Map([[name, source]]));
    return EXIT.failed;
  }
  const model = buildGraph(a.policy, undefined, { deniedLogged: opts.deniedLogged ?? false, external: true });
  if (opts.format === 'mermaid') {
    process.stdout.write(toMermaid(model));
    return EXIT.ok;
  }
  const dot = toDot(model);
  if (opts.format === 'dot') {
    process.stdout.write(dot);
    return EXIT.ok;
  }
  const r = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8', timeout: 30_000 });
  if (r.error || r.status !== 0) {
    const why = r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'Graphviz is not installed (Debian: apt-get install graphviz)' : r.stderr.trim();
    process.stderr.write(`tierwall graph: cannot render svg: ${why}; use --format dot and render it elsewhere\n`);
    return EXIT.failed;
  }
  process.stdout.write(r.stdout);
  return EXIT.ok;
}
