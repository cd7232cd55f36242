// graph: Mermaid and DOT output. Exact text for three-tier; a line grammar for Mermaid; `dot`
// itself for DOT (when graphviz is installed); hostile tier names cannot break either format.
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { buildGraph } from '../../src/graph/model.js';
import { mermaidIds, toMermaid } from '../../src/graph/mermaid.js';
import { toDot } from '../../src/graph/dot.js';
import type { Policy } from '../../src/ir/types.js';
import { EDGE_TEXT, mixed, policy, threeTier, tier } from './fixtures.js';
import { mustHaveSystem } from '../support/system.js';
import { loadPolicy } from '../support/policy.js';


const edgePolicy = loadPolicy(EDGE_TEXT, 'edge.policy');

/** Tier names no lowering would accept; the renderers must not rely on lowering. */
const NASTY = ['end', 'a"b', 'x-->y', '<b>html</b>', 'new\nline', 'back\\slash\\', '#35;', 'a_b', 'a-b', 'o', 'a]b|c', '雪 🐳'];
const nasty: Policy = policy(
  'p"q\\',
  'deny',
  NASTY.map((n, i) => ({ ...tier(`t${i}`, `10.8.${i}.0/24`, { isolated: i % 3 === 0 }), name: n })),
  // Edges into two tiers only: every name appears on an edge, and dot stays fast.
  [
    { action: 'allow', from: '*', to: [NASTY[0]!], services: ['tcp/80', 'udp/53'] },
    { action: 'deny', from: '*', to: [NASTY[1]!], log: true },
  ],
);

const ID = '(?:tier|zone)_[A-Za-z0-9_]+';
const TEXT = '(?:[A-Za-z0-9 ./,:_()+-]|#\\d+;)*';
const MERMAID_LINE = [
  new RegExp(`^  ${ID}\\["${TEXT}(?:<br/>${TEXT})*"\\]$`),
  new RegExp(`^  zone_[A-Za-z0-9_]+\\(\\["${TEXT}(?:<br/>${TEXT})*"\\]\\)$`),
  new RegExp(`^  ${ID} (?:-->|-\\.->)\\|"${TEXT}"\\| ${ID}$`),
  /^ {2}classDef isolated stroke-dasharray: 5 5$/,
  new RegExp(`^  class ${ID}(?:,${ID})* isolated$`),
  /^ {2}linkStyle \d+(?:,\d+)* stroke:#c62828,color:#c62828$/,
];

/** Checks Mermaid source line by line; returns node label lines by id and edges in order. */
function checkMermaid(src: string): { labels: Map<string, string[]>; edges: [string, string, string, string][] } {
  const lines = src.split('\n');
  expect(lines[0]).toBe('flowchart LR');
  expect(lines.at(-1)).toBe('');
  const decode = (s: string): string => s.replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
  const labels = new Map<string, string[]>();
  const edges: [string, string, string, string][] = [];
  for (const line of lines.slice(1, -1)) {
    expect([line, MERMAID_LINE.some((re) => re.test(line))]).toEqual([line, true]);
    const node = /^ {2}(\S+?)\(?\["(.*)"\]\)?$/.exec(line);
    if (node) {
      expect(labels.has(node[1]!)).toBe(false);
      labels.set(node[1]!, node[2]!.split('<br/>').map(decode));
    }
    const edge = /^ {2}(\S+) (\S+)\|"(.*)"\| (\S+)$/.exec(line);
    if (edge) edges.push([edge[1]!, edge[2]!, decode(edge[3]!), edge[4]!]);
  }
  for (const [a, , , b] of edges) expect(labels.has(a) && labels.has(b)).toBe(true);
  return { labels, edges };
}

describe('toMermaid', () => {
  test('three-tier, exact', () => {
    expect(toMermaid(buildGraph(threeTier, undefined, { deniedLogged: true }))).toBe(
      [
        'flowchart LR',
        '  tier_frontend["frontend<br/>172.20.1.0/24"]',
        '  tier_backend["backend<br/>172.20.2.0/24"]',
        '  tier_database["database<br/>172.20.3.0/24<br/>isolated"]',
        '  tier_frontend -->|"tcp/8080"| tier_backend',
        '  tier_frontend -.->|"denied, logged: all"| tier_database',
        '  tier_backend -->|"tcp/5432"| tier_database',
        '  classDef isolated stroke-dasharray: 5 5',
        '  class tier_database isolated',
        '  linkStyle 1 stroke:#c62828,color:#c62828',
        '',
      ].join('\n'),
    );
  });

  test('three-tier with the outside: world is a stadium with its edge', () => {
    const src = toMermaid(buildGraph(threeTier, undefined, { external: true }));
    expect(src).toContain('  zone_world(["world<br/>outside the tiers"])\n');
    expect(src).toContain('  zone_world -->|"tcp/80"| tier_frontend\n');
  });

  test.each([threeTier, mixed, nasty, edgePolicy])('$name: well-formed, labels decode to the model', (p) => {
    const model = buildGraph(p, undefined, { deniedLogged: true, external: true });
    const { labels, edges } = checkMermaid(toMermaid(model));
    const ids = mermaidIds(model.nodes.map((n) => n.name), new Set(model.nodes.filter((n) => n.kind === 'external').map((n) => n.name)));
    expect(new Set(ids.values()).size).toBe(model.nodes.length);
    for (const n of model.nodes) expect(labels.get(ids.get(n.name)!)).toEqual(n.label);
    expect(edges).toEqual(model.edges.map((e) => [ids.get(e.src), e.kind === 'allow' ? '-->' : '-.->', e.label, ids.get(e.dst)]));
  });
});

describe('toDot', () => {
  test('three-tier, exact', () => {
    expect(toDot(buildGraph(threeTier, undefined, { deniedLogged: true }))).toBe(
      [
        'digraph "three-tier" {',
        '  rankdir=LR;',
        '  node [shape=box, style=rounded];',
        '  "frontend" [label="frontend\\n172.20.1.0/24"];',
        '  "backend" [label="backend\\n172.20.2.0/24"];',
        '  "database" [label="database\\n172.20.3.0/24\\nisolated", style="rounded,dashed"];',
        '  "frontend" -> "backend" [label="tcp/8080"];',
        '  "frontend" -> "database" [label="denied, logged: all", style=dashed, color="#c62828", fontcolor="#c62828"];',
        '  "backend" -> "database" [label="tcp/5432"];',
        '}',
        '',
      ].join('\n'),
    );
  });

  const hasDot = spawnSync('dot', ['-V']).status === 0;
  // graphviz comes with scripts/setup-system.sh: under npm test its absence is a failure.
  if (!hasDot && mustHaveSystem()) throw new Error('graphviz (dot) is missing: scripts/setup-system.sh should have installed it');
  if (!hasDot) console.warn('graph tests: graphviz `dot` not installed; DOT is checked as text only');

  test('an external zone is an ellipse', () => {
    expect(toDot(buildGraph(threeTier, undefined, { external: true }))).toContain(
      '  "world" [label="world\\noutside the tiers", shape=ellipse, style=solid];\n  "frontend" -> "backend" [label="tcp/8080"];\n  "backend" -> "database" [label="tcp/5432"];\n  "world" -> "frontend" [label="tcp/80"];\n}\n',
    );
  });

  test.skipIf(!hasDot).each([threeTier, mixed, nasty, edgePolicy])('$name: dot -Tsvg accepts it; -Tjson gives back the model', (p) => {
    const model = buildGraph(p, undefined, { deniedLogged: true, external: true });
    const src = toDot(model);
    const svg = spawnSync('dot', ['-Tsvg'], { input: src, encoding: 'utf8' });
    expect(svg.stderr).toBe('');
    expect(svg.status).toBe(0);
    expect(svg.stdout).toContain('<svg');
    const js = spawnSync('dot', ['-Tjson'], { input: src, encoding: 'utf8' });
    expect(js.status).toBe(0);
    type Obj = { name: string; label: string };
    const g = JSON.parse(js.stdout) as { objects: Obj[]; edges: { tail: number; head: number; label: string }[] };
    // DOT label escapes as graphviz renders them: \\ is a backslash, \n a line break.
    const unlabel = (s: string): string => s.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
    expect(g.objects.map((o) => unlabel(o.label))).toEqual(model.nodes.map((n) => n.label.join('\n')));
    // Nodes are declared in model order, so graphviz numbers them (tail/head) by that order.
    const idx = (name: string): number => model.nodes.findIndex((n) => n.name === name);
    // graphviz lists edges by tail node (stable within one): zone -> tier edges come after the tiers'.
    const byTail = (a: [number, number, string], b: [number, number, string]) => a[0] - b[0];
    expect(g.edges.map((e): [number, number, string] => [e.tail, e.head, unlabel(e.label)]).sort(byTail))
      .toEqual(model.edges.map((e): [number, number, string] => [idx(e.src), idx(e.dst), e.label]).sort(byTail));
  });
});
