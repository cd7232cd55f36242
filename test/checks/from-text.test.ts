// The checks through the real front end: policy text -> parse -> lower -> checks. Spans are
// asserted as the 1-based line of the declaration they point at.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/pipeline.js';

function check(text: string) {
  const a = analyzeText('t.policy', text);
  const line = (offset: number | undefined) => (offset === undefined ? 0 : a.source.position(offset).line);
  return a.diagnostics.map((d) => ({ code: d.code, line: line(d.span?.start), related: d.related.map((r) => line(r.span.start)) }));
}

describe('checks from policy text', () => {
  // The seed's nginx is published on 0.0.0.0 on purpose (the public front end): publish-wildcard
  // says, truthfully, that who reaches it from outside is not up to the tier rules.
  it('the seed policy: only the Docker pool warnings and the wildcard-published port', () => {
    const text = readFileSync(new URL('../../policies/three-tier.policy', import.meta.url), 'utf8');
    expect(check(text).map((d) => [d.code, d.line])).toEqual([
      ['docker-pool-overlap', 4],
      ['docker-pool-overlap', 5],
      ['docker-pool-overlap', 6],
      ['publish-wildcard', 15],
    ]);
  });

  it('shadowing by two rules together, through `any`', () => {
    const text = [
      'tier a 10.0.1.0/24;',
      'tier b 10.0.2.0/24;',
      'tier c 10.0.3.0/24;',
      'allow any -> b tcp/1-100;',
      'allow a -> c tcp/50-200;',
      'deny a -> b, c tcp/60-90 log;',
      'default deny;',
    ].join('\n');
    expect(check(text)).toEqual([{ code: 'rule-shadowed', line: 6, related: [4, 5] }]);
  });

  it('overlapping tiers and a rule inside an isolated tier', () => {
    const text = ['tier a 10.0.0.0/16;', 'tier b 10.0.1.0/24 isolated;', 'allow b -> b tcp/22;'].join('\n');
    expect(check(text)).toEqual([
      { code: 'cidr-overlap', line: 2, related: [1] },
      { code: 'isolated-allow', line: 3, related: [2] },
    ]);
  });
});
