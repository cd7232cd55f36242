// diff renderers: the exact text and markdown for one edit of three-tier.policy that has every kind
// of change; JSON validated against schemas/diff.schema.json (also for random diffs); markdown escaping.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { diffPolicies } from '../../src/diff/diff.js';
import { renderText } from '../../src/diff/render-text.js';
import { mdCode, renderMarkdown } from '../../src/diff/render-markdown.js';
import { renderJson } from '../../src/diff/render-json.js';
import { base, edited } from './fixtures.js';
import { buildPolicy, policyArb } from './gen.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/diff.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const labels = { old: 'old.policy', new: 'new.policy' };

function everyKind() {
  return diffPolicies(base(), edited(
    ['tcp/8080;', 'tcp/8080-8081;'],
    ['deny frontend -> database log;', 'deny frontend -> database;\nallow backend -> cache tcp/6379;'],
    ['allow backend -> database tcp/5432;', ''],
    ['bridge db-bridge isolated;', 'bridge db-bridge;\ntier cache 172.20.4.0/24 bridge cache-bridge;'],
    ['  writable;', '  writable;\n  publish 127.0.0.1:5432 -> tcp/5432;'],
  ));
}

describe('diff renderers', () => {
  it('text: summary, then newly allowed, newly denied, log, tier and service changes, aligned', () => {
    expect(renderText(everyKind(), labels)).toBe(`tierwall diff old.policy -> new.policy
2 newly allowed, 1 newly denied, 1 log change, 2 tier changes, 1 service change (widens access)

newly allowed:
  frontend -> backend   tcp/8081  deny (default)               ->  allow (new.policy:9)
  database -> database  any       deny (intra-tier, isolated)  ->  allow (intra-tier)

newly denied:
  backend -> database  tcp/5432  allow (old.policy:9)  ->  deny (default)

log changes:
  frontend -> database  any  deny, log (old.policy:10)  ->  deny (new.policy:11)

tier changes:
  ~ database  changed         no longer isolated
  + cache     added (widens)  172.20.4.0/24 gateway 172.20.4.1 bridge cache-bridge; allowed to reach: none; reachable from: backend

service changes:
  ~ db  changed (widens)  publish +127.0.0.1:5432 -> tcp/5432
`);
  });

  it('markdown: a summary line, then one table with newly allowed first and marked', () => {
    expect(renderMarkdown(everyKind(), labels)).toBe(`### tierwall diff \`old.policy\` → \`new.policy\`

**Summary:** ⚠️ **widens access**: 2 newly allowed, 1 newly denied, 1 log change, 2 tier changes, 1 service change.

| Change | Flow | Service | Old | New |
| --- | --- | --- | --- | --- |
| ⚠️ newly allowed | frontend → backend | \`tcp/8081\` | deny (default) | allow (\`new.policy:9\`) |
| ⚠️ newly allowed | database → database | \`any\` | deny (intra-tier, isolated) | allow (intra-tier) |
| newly denied | backend → database | \`tcp/5432\` | allow (\`old.policy:9\`) | deny (default) |
| log changed | frontend → database | \`any\` | deny, log (\`old.policy:10\`) | deny (\`new.policy:11\`) |

#### Tiers

| Change | Tier | Details |
| --- | --- | --- |
| changed | \`database\` | no longer isolated |
| ⚠️ added | \`cache\` | \`172.20.4.0/24\` gateway \`172.20.4.1\` bridge \`cache-bridge\`; allowed to reach: none; reachable from: backend |

#### Services

| Change | Service | Details |
| --- | --- | --- |
| ⚠️ changed | \`db\` | publish +\`127.0.0.1:5432 -> tcp/5432\` |
`);
  });

  it('no change: one summary line in text and markdown', () => {
    const same = diffPolicies(base(), base());
    expect(renderText(same, labels)).toBe('tierwall diff old.policy -> new.policy\nno change in what the policies decide\n');
    expect(renderMarkdown(same, labels)).toBe('### tierwall diff `old.policy` → `new.policy`\n\n**Summary:** no change in what the policies decide.\n');
  });

  it('the outside: world flows like tier pairs, and a net change with the addresses it moves', () => {
    const WF = 'allow world -> frontend tcp/80;';
    const result = diffPolicies(base(), edited([WF, `${WF}\nallow world -> frontend tcp/443;\nnet office 192.0.2.0/24;\nallow office -> backend tcp/22;`]));
    // The moved addresses are compared old zone (old policy) against new zone (new policy): they gain tcp/443 too.
    expect(renderText(result, labels)).toBe(`tierwall diff old.policy -> new.policy
1 newly allowed, 1 net change (widens access)

newly allowed:
  world -> frontend  tcp/443  deny (default)  ->  allow (new.policy:12)

net changes:
  + office  added (widens)  192.0.2.0/24; allowed to reach: frontend, backend; reachable from: none; 192.0.2.0/24 world -> office: now reaches frontend, backend
`);
    const md = renderMarkdown(result, labels);
    expect(md).toContain('| ⚠️ newly allowed | world → frontend | `tcp/443` | deny (default) | allow (`new.policy:12`) |');
    expect(md).toContain('#### Nets\n\n| Change | Net | Details |\n| --- | --- | --- |\n| ⚠️ added | `office` | `192.0.2.0/24`; allowed to reach: frontend, backend; reachable from: none; `192.0.2.0/24` world -> office: now reaches frontend, backend |\n');
    const doc = JSON.parse(renderJson(result, labels));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.summary).toMatchObject({ newlyAllowed: 1, netChanges: 1, widens: true });
    expect(doc.nets[0]).toMatchObject({ change: 'added', name: 'office', widens: true });
  });

  it('json: follows the schema, with a fixed shape', () => {
    const out = renderJson(everyKind(), labels);
    const doc = JSON.parse(out);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(Object.keys(doc)).toEqual(['diffVersion', 'old', 'new', 'summary', 'flows', 'tiers', 'nets', 'services']);
    expect(out.endsWith('}\n')).toBe(true);
    expect(validate(JSON.parse(renderJson(diffPolicies(base(), base()), labels)))).toBe(true);
  });

  it('json: every diff of random policies follows the schema', () => {
    fc.assert(fc.property(policyArb({ external: true }), policyArb({ external: true }), (a, b) => {
      const doc = JSON.parse(renderJson(diffPolicies(buildPolicy(a, 'a.policy'), buildPolicy(b, 'b.policy')), labels));
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    }), { numRuns: 100 });
  });

  it('markdown code spans survive backticks and pipes', () => {
    expect(mdCode('a|b')).toBe('`a\\|b`');
    expect(mdCode('x`y')).toBe('``x`y``');
    expect(mdCode('`x')).toBe('`` `x ``');
  });
});
