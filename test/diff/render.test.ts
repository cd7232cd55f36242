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

  it('json: follows the schema, with a fixed shape', () => {
    const out = renderJson(everyKind(), labels);
    const doc = JSON.parse(out);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(Object.keys(doc)).toEqual(['diffVersion', 'old', 'new', 'summary', 'flows', 'tiers', 'services']);
    expect(out.endsWith('}\n')).toBe(true);
    expect(validate(JSON.parse(renderJson(diffPolicies(base(), base()), labels)))).toBe(true);
  });

  it('json: every diff of random policies follows the schema', () => {
    fc.assert(fc.property(policyArb(), policyArb(), (a, b) => {
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
