// report backend: REPORT.md for three-tier (golden file), the reachability matrix checked cell by
// cell against the evaluator (the cell text is parsed back), logged denies, Markdown safety.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { backend as reportBackend, reachabilityMatrix, reachabilityListing, listingOrder, loggedDenies, MATRIX_MAX_TIERS } from '../../../src/backends/report/backend.js';
import { groupSummaries } from '../../../src/backends/shared/group-summaries.js';
import { buildPolicy } from '../iptables/build-ir.js';
import { mdText } from '../../../src/backends/report/markdown.js';
import { Evaluator } from '../../../src/eval/evaluate.js';
import { decideAllClasses } from '../../../src/eval/flow-classes.js';
import { buildGraph } from '../../../src/graph/model.js';
import { toMermaid } from '../../../src/graph/mermaid.js';
import { complementSet, EMPTY_SET, FULL_SET, setContains, type ServiceSet } from '../../../src/graph/service-set.js';
import type { Policy } from '../../../src/ir/types.js';
import { EXAMPLES, mixed, policy, sampleFlows, service, threeTier, tier } from '../../graph/fixtures.js';

const report = (p: Policy): string => reportBackend.generate(p).artifacts[0]!.content;

/** Parses a matrix cell ("tcp/8080, udp", "all except tcp/22", "—") back into a service set. */
function parseCell(cell: string): ServiceSet {
  if (cell === '—') return EMPTY_SET;
  if (cell === 'all') return FULL_SET;
  if (cell.startsWith('all except ')) return complementSet(parseCell(cell.slice('all except '.length)));
  const s = { tcp: [] as { lo: number; hi: number }[], udp: [] as { lo: number; hi: number }[], icmp: false, other: false };
  for (const item of cell.split(', ')) {
    const m = /^(tcp|udp)(?:\/(\d+)(?:-(\d+))?)?$/.exec(item);
    if (item === 'icmp') s.icmp = true;
    else if (item === 'other') s.other = true;
    else if (!m) throw new Error(`unparsable cell item '${item}'`);
    else s[m[1] as 'tcp' | 'udp'].push(m[2] === undefined ? { lo: 1, hi: 65535 } : { lo: Number(m[2]), hi: Number(m[3] ?? m[2]) });
  }
  return s;
}

describe('REPORT.md for three-tier', () => {
  const text = report(threeTier);

  test('matches the golden file (writes .actual on mismatch)', () => {
    const golden = new URL('./golden/three-tier.REPORT.md', import.meta.url);
    const expected = readFileSync(golden, 'utf8');
    if (text !== expected) writeFileSync(new URL('./golden/three-tier.REPORT.md.actual', import.meta.url), text);
    expect(text).toBe(expected);
  });

  test('sections, matrix rows and the Mermaid diagram from src/graph', () => {
    expect(text.match(/^## .*$/gm)).toEqual(['## Tiers', '## Reachability', "## The host's edge", '## Logged denies', '## Published ports', '## Diagram']);
    expect(text).toContain('| **world** | frontend | tcp/80 |');
    expect(text).toContain('| **every tier (3)** | world | — |');
    expect(text).toContain('| **frontend** | same tier | tcp/8080 | — |');
    expect(text).toContain('| **database** | — | — | isolated |');
    expect(text).toContain('| frontend | database | all | rule 3 (line 10) |');
    expect(text).toContain('| web | 0.0.0.0 (all host addresses) | tcp/80 | tcp/80 | frontend |');
    expect(text).toContain('```mermaid\n' + toMermaid(buildGraph(threeTier, undefined, { deniedLogged: true })) + '```\n');
    expect(text.endsWith('\n') && !text.includes('\r')).toBe(true);
    expect(report(threeTier)).toBe(text);
  });
});

describe('reachability matrix', () => {
  test('three-tier', () => {
    expect(reachabilityMatrix(threeTier, decideAllClasses(threeTier))).toEqual([
      ['frontend', 'same tier', 'tcp/8080', '—'],
      ['backend', '—', 'same tier', 'tcp/5432'],
      ['database', '—', '—', 'isolated'],
    ]);
  });

  test('any, default allow, overlapping ranges', () => {
    expect(reachabilityMatrix(mixed, decideAllClasses(mixed))).toEqual([
      ['web', 'same tier', 'all except tcp/8101-9000', '—', '—'],
      ['app', 'all', 'isolated', 'all except tcp/5000-6000', '—'],
      ['db', 'all', 'all', 'same tier', '—'],
      ['mgmt', 'all', 'all', 'all except tcp/5000-6000', 'same tier'],
    ]);
  });

  const udpAndIcmp = policy('udp-icmp', 'deny', [tier('a', '10.0.1.0/24'), tier('b', '10.0.2.0/24')], [
    { action: 'allow', from: ['a'], to: ['b'], services: ['udp/53', 'udp/5353', 'icmp', 'tcp/1-1024'] },
    { action: 'allow', from: ['b'], to: ['a'], services: ['tcp/443'] },
    { action: 'deny', from: ['a'], to: ['b'], services: ['tcp/22'], log: true }, // shadowed by tcp/1-1024
  ]);

  const cases = [...EXAMPLES.map((e) => ({ name: `policies/${e.file}`, load: e.load })), ...[mixed, udpAndIcmp].map((p) => ({ name: p.name, load: () => p }))];
  test.each(cases)('$name: every cell, parsed back, agrees with the evaluator', ({ load }) => {
    const p = load();
    const ev = new Evaluator(p);
    const rows = reachabilityMatrix(p, decideAllClasses(p));
    p.tiers.forEach((a, i) =>
      p.tiers.forEach((b, j) => {
        const cell = rows[i]![j + 1]!;
        for (const f of sampleFlows(p, a.name, b.name)) {
          const allowed = ev.evaluate(f).action === 'allow';
          if (a === b) expect([f, cell]).toEqual([f, allowed ? 'same tier' : 'isolated']);
          else expect([f, cell, setContains(parseCell(cell), f.proto, f.port)]).toEqual([f, cell, allowed]);
        }
      }),
    );
  });

  test('several protocols in one cell; a shadowed logged deny never shows', () => {
    expect(reachabilityMatrix(udpAndIcmp, decideAllClasses(udpAndIcmp))).toEqual([
      ['a', 'same tier', 'tcp/1-1024, udp/53, udp/5353, icmp'],
      ['b', 'tcp/443', 'same tier'],
    ]);
    expect(loggedDenies(decideAllClasses(udpAndIcmp))).toEqual([]);
  });
});

describe('logged denies', () => {
  test('grouped per pair and deciding rule, in tier order', () => {
    expect(loggedDenies(decideAllClasses(mixed)).map((d) => `${d.src}>${d.dst} ${d.services} #${d.rule.index}`)).toEqual([
      'web>app tcp/8101-9000 #2',
      'web>db tcp/5000-6000 #0',
      'app>db tcp/5000-6000 #0',
      'mgmt>db tcp/5000-6000 #0',
    ]);
  });

  test('a policy without logged denies or published ports says so', () => {
    const text = report(policy('quiet', 'allow', [tier('a', '10.0.1.0/24')], []));
    expect(text).toContain('## Logged denies\n\nNone: no traffic is both denied and logged.\n');
    expect(text).toContain('## Published ports\n\nNone: no service publishes a port on the host.\n');
  });
});

describe('Markdown safety', () => {
  test('mdText leaves no markup, no pipe and no line break', () => {
    const s = mdText('a|b *c* _d_ `e` <script>x</script> [l](u) # h ~~s~~ \\ & \n\r\u2028 ok');
    expect(s).not.toMatch(/(^|[^\\])[|*_`<>[\]#~]/);
    expect(s).not.toMatch(/[\n\r\u2028]/);
    expect(s).toContain('&amp;');
  });

  test('hostile names keep every table row at its column count', () => {
    const p = policy('x|y', 'deny', [{ ...tier('a', '10.0.1.0/24'), name: 'a|b\nc' }], [], [
      service('s|`x`', { tiers: ['a|b\nc'], publish: [{ hostAddress: '127.0.0.1|', hostPort: 1, proto: 'tcp', containerPort: 2 }] }),
    ]);
    const text = report(p);
    // Tables are runs of lines starting with '| '; every row of one table has as many unescaped pipes.
    const tables = text.split(/\n(?!\| )/).map((b) => b.split('\n').filter((l) => l.startsWith('| '))).filter((t) => t.length > 0);
    expect(tables.length).toBe(5); // tiers, matrix, the edge both ways, published ports
    for (const t of tables) {
      const pipes = t.map((l) => l.split(/(?<!\\)\|/).length);
      expect([t, new Set(pipes).size]).toEqual([t, 1]);
    }
  });
});

describe(`more than ${MATRIX_MAX_TIERS} tiers: a per-source listing instead of the matrix`, () => {
  const T = MATRIX_MAX_TIERS + 10;
  const big = buildPolicy({
    name: 'big',
    tiers: Array.from({ length: T }, (_, i) => ({ name: `t${i}`, subnet: `10.6.${i}.0/24`, isolated: i % 7 === 3 })),
    rules: [
      { action: 'allow', from: ['t0'], to: ['t1', 't2'], services: ['tcp/80', 'tcp/81'] },
      { action: 'deny', from: ['t0'], to: 'any', services: ['tcp/22'], log: true },
      { action: 'allow', from: 'any', to: ['t5'], services: ['udp/53'] },
      { action: 'allow', from: ['t9'], to: 'any', services: ['icmp'] },
      { action: 'deny', from: 'any', to: ['t8'], log: true },
    ],
    defaultAction: 'deny',
  });
  const text = report(big);

  test('every listed cell is the matrix cell of every destination it stands for', () => {
    const matrix = reachabilityMatrix(big, decideAllClasses(big));
    const col = new Map(big.tiers.map((t, j) => [t.name, j + 1]));
    const row = new Map(big.tiers.map((t, i) => [t.name, i]));
    const groups = listingOrder(groupSummaries(big));
    const listing = reachabilityListing(groups);
    expect(listing).toHaveLength(groups.length);
    let covered = 0;
    listing.forEach(([src, label, cell], k) => {
      for (const d of groups[k]!.dsts) {
        expect(cell, `${src} -> ${d} (${label})`).toBe(matrix[row.get(src!)!]![col.get(d)!]);
        covered++;
      }
    });
    expect(covered).toBe(T * T);
    expect(listing.filter(([src]) => src === 't0').map(([, label]) => label)).toEqual(['t0', 't1', 't2', 't5', 't8', `every other tier (${T - 5})`]);
  });

  test('lists logged denies per group, draws no diagram, builds no tiers x tiers table', () => {
    expect(text).toMatch(new RegExp(`\\| t0 \\| every other tier \\(${T - 5}\\) \\| tcp/22 \\| rule 2 \\(line \\d+\\) \\|`));
    expect(text).toMatch(/\| t9 \| t8 \| all except icmp \| rule 5 \(line \d+\) \|/);
    expect(text).toContain(`None: ${T} tiers are more than a diagram can show`);
    expect(text).not.toContain('```mermaid');
    expect(text).toContain('| From | To | Allowed |');
    expect(text.length).toBeLessThan(200 * (T * 5 + 20));
  });
});
