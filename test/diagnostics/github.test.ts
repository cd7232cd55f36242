// GitHub renderer: workflow command lines, property order, @actions/core escaping, multi-line spans.
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/source/source-file.js';
import { diag } from '../../src/diagnostics/diagnostic.js';
import { escapeData, escapeProperty, renderGithub } from '../../src/diagnostics/render/github.js';
import { at, overlap, sourceMap, spanOf, X } from './fixtures.js';

describe('github', () => {
  it('writes one annotation per diagnostic with location, title and the related/hint lines', () => {
    expect(renderGithub([overlap()], sourceMap(X))).toBe(
      '::error file=policies/x.policy,line=4,col=8,endLine=4,endColumn=19,title=cidr-overlap::' +
        "subnet 10.0.0.0/16 of tier 'b' overlaps 10.0.1.0/24 of tier 'a'" +
        "%0Apolicies/x.policy:3:8: first declared here%0Ahint: give tier 'b' a subnet disjoint from 10.0.1.0/24\n",
    );
  });

  it('writes nothing for no diagnostics', () => {
    expect(renderGithub([], new Map())).toBe('');
  });

  it('maps severities to error, warning and notice, sorted by location', () => {
    const out = renderGithub([at(X.span(2, 3), 'info'), at(X.span(1, 2), 'warning'), at(X.span(0, 1))], sourceMap(X));
    expect(out.split('\n').map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['::error', '::warning', '::notice', '']);
  });

  it('omits columns for a span over several lines (the runner rejects them)', () => {
    const f = new SourceFile('s.policy', 'service a {\n}\n');
    expect(renderGithub([at(f.span(0, 13))], sourceMap(f))).toBe(
      '::error file=s.policy,line=1,endLine=2,title=syntax-error::expected ;\n',
    );
  });

  it('keeps an empty span valid: endColumn equals col', () => {
    expect(renderGithub([at(X.span(4, 4))], sourceMap(X))).toContain('line=1,col=5,endLine=1,endColumn=5,');
  });

  it('has only a title without a span, and only the file when its source is missing', () => {
    const d = diag('io-error', { path: 'p.policy', reason: 'EACCES' }, undefined);
    expect(renderGithub([d], new Map())).toBe('::error title=io-error::p.policy: EACCES\n');
    expect(renderGithub([at({ file: 'gone.policy', start: 0, end: 1 })], new Map())).toBe(
      '::error file=gone.policy,title=syntax-error::expected ;\n',
    );
  });

  it('escapes % CR LF in the message and also : , in properties, so nothing ends the command', () => {
    const f = new SourceFile('a,b:c%d\n.policy', 'x\n');
    const d = diag('syntax-error', { detail: '100% sure\r\n::error::injected, too' }, f.span(0, 1));
    const out = renderGithub([d], sourceMap(f));
    expect(out).toBe(
      '::error file=a%2Cb%3Ac%25d%0A.policy,line=1,col=1,endLine=1,endColumn=2,title=syntax-error::' +
        '100%25 sure%0D%0A::error::injected, too\n',
    );
    expect(out.split('\n')).toHaveLength(2);
  });

  it('escapes exactly like @actions/core', () => {
    expect(escapeData('a%b\rc\nd:e,f')).toBe('a%25b%0Dc%0Ad:e,f');
    expect(escapeProperty('a%b\rc\nd:e,f')).toBe('a%25b%0Dc%0Ad%3Ae%2Cf');
    expect(escapeData('%0A')).toBe('%250A'); // '%' first, so an escape is never decoded twice
  });

  it('reports UTF-16 columns like the other formats', () => {
    const f = new SourceFile('u.policy', 'a 😀 b\n');
    expect(renderGithub([at(spanOf(f, 'b'))], sourceMap(f))).toContain('line=1,col=6,endLine=1,endColumn=7,');
  });
});
