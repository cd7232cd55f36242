// Text renderer: layout, caret placement (tabs, CRLF, wide and combining characters, EOF, empty and
// multi-line spans), related spans, hints, summary, colour, and terminal safety.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SourceFile } from '../../src/source/source-file.js';
import { diag } from '../../src/diagnostics/diagnostic.js';
import { renderText } from '../../src/diagnostics/render/text.js';
import { at, overlap, sourceMap, spanOf, stripAnsi, underlined, UNSAFE_OUTPUT, X } from './fixtures.js';

const one = (file: SourceFile, start: number, end: number) =>
  renderText([at(file.span(start, end))], sourceMap(file));
const lines = (s: string) => s.split('\n');

describe('text layout', () => {
  it('renders the rustc-style block with related span and hint', () => {
    expect(renderText([overlap()], sourceMap(X))).toBe(
      [
        "error[cidr-overlap]: subnet 10.0.0.0/16 of tier 'b' overlaps 10.0.1.0/24 of tier 'a'",
        ' --> policies/x.policy:4:8',
        '  |',
        '4 | tier b 10.0.0.0/16;',
        '  |        ^^^^^^^^^^^',
        '  |',
        ' ::: policies/x.policy:3:8',
        '  |',
        '3 | tier a 10.0.1.0/24;',
        '  |        ----------- first declared here',
        '  |',
        "  = hint: give tier 'b' a subnet disjoint from 10.0.1.0/24",
        '',
        'error: 1 error emitted',
        '',
      ].join('\n'),
    );
  });

  it('renders nothing for no diagnostics', () => {
    expect(renderText([], sourceMap(X))).toBe('');
  });

  it('widens the gutter to the largest line number shown, across files', () => {
    const big = new SourceFile('policies/big.policy', `${'#\n'.repeat(119)}tier c 10.0.0.0/8;\n`);
    const d = diag('cidr-overlap', { subnet: 's', tier: 't', other: 'o', otherTier: 'u' }, spanOf(X, '10.0.1.0/24'), {
      related: [{ span: spanOf(big, '10.0.0.0/8'), message: 'overlaps this' }],
    });
    const out = lines(renderText([d], sourceMap(X, big)));
    expect(out.slice(1, 11)).toEqual([
      '   --> policies/x.policy:3:8',
      '    |',
      '  3 | tier a 10.0.1.0/24;',
      '    |        ^^^^^^^^^^^',
      '    |',
      '   ::: policies/big.policy:120:8',
      '    |',
      '120 | tier c 10.0.0.0/8;',
      '    |        ---------- overlaps this',
      '',
    ]);
  });

  it('prints only the header for a diagnostic without a span', () => {
    const d = diag('unknown-target', { target: 'nft', known: 'compose, iptables' }, undefined);
    expect(lines(renderText([d], new Map()))).toEqual([
      "error[unknown-target]: unknown target 'nft' (known: compose, iptables)",
      '',
      'error: 1 error emitted',
      '',
    ]);
  });

  it('keeps hints of a spanless diagnostic, aligning continuation lines', () => {
    const d = diag('io-error', { path: 'p.policy', reason: 'ENOENT' }, undefined, { hints: ['check the path\nand retry'] });
    expect(lines(renderText([d], new Map())).slice(0, 3)).toEqual([
      'error[io-error]: p.policy: ENOENT',
      '  = hint: check the path',
      '          and retry',
    ]);
  });

  it('names the file without a snippet when its source is missing', () => {
    const d = diag('duplicate-tier', { name: 'a' }, { file: 'gone.policy', start: 3, end: 4 }, {
      related: [{ span: { file: 'gone.policy', start: 0, end: 1 }, message: 'first declared here' }],
    });
    expect(lines(renderText([d], new Map())).slice(0, 4)).toEqual([
      "error[duplicate-tier]: tier 'a' is declared twice",
      ' --> gone.policy',
      ' ::: gone.policy',
      '  = note: first declared here',
    ]);
  });

  it('sorts diagnostics by file and offset', () => {
    const out = renderText([at(spanOf(X, 'tier b')), at(spanOf(X, 'default'))], sourceMap(X));
    expect(out.indexOf('x.policy:2:1')).toBeLessThan(out.indexOf('x.policy:4:1'));
  });
});

describe('carets', () => {
  it('line up under spans after tabs (tab stops of 4)', () => {
    const f = new SourceFile('t.policy', 'policy t;\n\ttier\tb  10.0.0.0/16;\n');
    const out = renderText([at(spanOf(f, '10.0.0.0/16'))], sourceMap(f));
    expect(out).toContain(' --> t.policy:2:10\n');
    expect(out).toContain('2 |     tier    b  10.0.0.0/16;\n');
    expect(underlined(out)).toBe('10.0.0.0/16');
  });

  it('ignore the CR of CRLF line ends', () => {
    const f = new SourceFile('c.policy', 'policy c;\r\ntier a 10.0.1.0/24;\r\n');
    const out = renderText([at(spanOf(f, '10.0.1.0/24'))], sourceMap(f));
    expect(out).toContain(' --> c.policy:2:8\n');
    expect(out).toContain('2 | tier a 10.0.1.0/24;\n');
    expect(out).not.toContain('\r');
    expect(underlined(out)).toBe('10.0.1.0/24');
    // A span on the CR itself points just past the line's text.
    const cr = f.text.indexOf('\r');
    expect(lines(one(f, cr, cr + 2))[4]).toBe('  |          ^');
  });

  it('count wide CJK characters and emoji as two columns', () => {
    const f = new SourceFile('u.policy', 'tier 日本語 x;\nallow 😀 -> y;\n');
    const cjk = lines(renderText([at(spanOf(f, 'x'))], sourceMap(f)));
    expect(cjk[1]).toBe(' --> u.policy:1:10'); // columns are UTF-16 code units
    expect(cjk[4]).toBe(`  | ${' '.repeat(12)}^`);
    const emoji = lines(renderText([at(spanOf(f, 'y'))], sourceMap(f)));
    expect(emoji[1]).toBe(' --> u.policy:2:13');
    expect(emoji[4]).toBe(`  | ${' '.repeat(12)}^`);
    const wide = lines(renderText([at(spanOf(f, '日本語'))], sourceMap(f)));
    expect(wide[4]).toBe(`  |      ${'^'.repeat(6)}`);
  });

  it('give combining marks no column of their own', () => {
    const f = new SourceFile('m.policy', 'tier cafe\u0301 x;\n');
    expect(lines(renderText([at(spanOf(f, 'x'))], sourceMap(f)))[4]).toBe(`  | ${' '.repeat(10)}^`);
    expect(lines(renderText([at(spanOf(f, 'cafe\u0301'))], sourceMap(f)))[4]).toBe('  |      ^^^^');
  });

  it('mark an empty span with one caret', () => {
    const f = new SourceFile('z.policy', 'tier a;\n');
    expect(lines(one(f, 6, 6))[4]).toBe('  |       ^');
    expect(underlined(one(f, 6, 6))).toBe(';');
  });

  it('point just past the text for a span at end of file', () => {
    const noNewline = new SourceFile('e.policy', 'tier a');
    const out = lines(one(noNewline, 6, 6));
    expect(out.slice(1, 5)).toEqual([' --> e.policy:1:7', '  |', '1 | tier a', '  |       ^']);
    const newline = new SourceFile('n.policy', 'tier a\n');
    expect(lines(one(newline, 7, 7)).slice(1, 5)).toEqual([' --> n.policy:2:1', '  |', '2 |', '  | ^']);
    expect(lines(one(newline, 50, 60))[1]).toBe(' --> n.policy:2:1'); // past the end: clamped
    expect(lines(one(new SourceFile('empty.policy', ''), 0, 0)).slice(1, 5)).toEqual([
      ' --> empty.policy:1:1', '  |', '1 |', '  | ^',
    ]);
  });

  it('underline a span crossing lines to the end of its first line', () => {
    const f = new SourceFile('s.policy', 'service web {\n  image "x";\n}\n');
    const out = one(f, f.text.indexOf('web'), f.text.length - 1);
    expect(underlined(out)).toBe('web {');
    const nl = f.text.indexOf('\n');
    expect(lines(one(f, nl, nl + 5))[4]).toBe(`  | ${' '.repeat(13)}^`);
  });

  it('underline related spans with dashes and their message', () => {
    const out = renderText([overlap()], sourceMap(X));
    expect(underlined(out.slice(out.indexOf(':::')), /-+/)).toBe('10.0.1.0/24');
  });
});

describe('summary', () => {
  it('counts each severity and leads with the worst', () => {
    const f = new SourceFile('s.policy', 'abc\n');
    const ds = [at(f.span(0, 1)), at(f.span(1, 2)), at(f.span(2, 3), 'warning')];
    expect(lines(renderText(ds, sourceMap(f))).at(-2)).toBe('error: 2 errors, 1 warning emitted');
    expect(lines(renderText([at(f.span(0, 1), 'warning')], sourceMap(f))).at(-2)).toBe('warning: 1 warning emitted');
    const infos = [at(f.span(0, 1), 'info'), at(f.span(1, 2), 'info')];
    expect(lines(renderText(infos, sourceMap(f))).at(-2)).toBe('info: 2 infos emitted');
    expect(renderText(infos, sourceMap(f)).startsWith('info[syntax-error]: ')).toBe(true);
  });
});

describe('colour', () => {
  it('is off by default and when color is false', () => {
    expect(renderText([overlap()], sourceMap(X))).not.toContain('\x1b');
    expect(renderText([overlap()], sourceMap(X), { color: false })).not.toContain('\x1b');
  });

  it('styles severity, gutter and marks when on, and changes nothing else', () => {
    const plain = renderText([overlap()], sourceMap(X));
    const colored = renderText([overlap()], sourceMap(X), { color: true });
    expect(stripAnsi(colored)).toBe(plain);
    expect(colored).toContain('\x1b[1;31merror[cidr-overlap]\x1b[0m\x1b[1m: subnet');
    expect(colored).toContain('\x1b[1;34m4 |\x1b[0m');
    expect(colored).toContain('\x1b[1;31m^^^^^^^^^^^\x1b[0m');
    expect(colored).toContain('\x1b[1;34m----------- first declared here\x1b[0m');
    const f = new SourceFile('w.policy', 'x\n');
    expect(renderText([at(f.span(0, 1), 'warning')], sourceMap(f), { color: true })).toContain('\x1b[1;33mwarning[');
    expect(renderText([at(f.span(0, 1), 'info')], sourceMap(f), { color: true })).toContain('\x1b[1;34minfo[');
  });
});

describe('terminal safety', () => {
  const hostile = new SourceFile('h.policy', 'tier \x1b[2J\x07a\x9b31m \u202eb\r\u0000 \u200d\ufeffc 10.0.0.0/8;\n');

  it('replaces controls, C1 and bidi characters in echoed lines and keeps carets aligned', () => {
    const out = renderText([at(spanOf(hostile, '10.0.0.0/8'))], sourceMap(hostile), { color: true });
    expect(stripAnsi(out)).not.toMatch(UNSAFE_OUTPUT);
    expect(stripAnsi(out)).toContain('1 | tier ␛[2J␇a\ufffd31m \ufffdb␍␀ \ufffd\ufffdc 10.0.0.0/8;');
    expect(underlined(out)).toBe('10.0.0.0/8');
  });

  it('sanitizes messages, hints, related messages and file names', () => {
    const evil = new SourceFile('ev\x1bil.policy', 'x\n');
    const d = diag('unknown-character', { char: '\x1b]0;pwned\x07' }, evil.span(0, 1), {
      related: [{ span: evil.span(0, 1), message: 'here \u202e' }],
      hints: ['\x9b2J'],
    });
    const out = renderText([d], sourceMap(evil));
    expect(out).not.toMatch(UNSAFE_OUTPUT);
    expect(out).toContain('unexpected character ␛]0;pwned␇');
    expect(out).toContain(' --> ev␛il.policy:1:1');
  });

  it('never emits raw controls and always marks at least one column, for any text and span', () => {
    const anyChar = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));
    const ctrl = fc.constantFrom('\t', '\r', '\n', '\r\n', '\x1b', '\u202e', '\x9b');
    const text = fc.string({ unit: fc.oneof(anyChar, ctrl, fc.constantFrom('a', ' ')), maxLength: 40 });
    fc.assert(
      fc.property(text, fc.nat(50), fc.nat(50), (t, a, b) => {
        const f = new SourceFile('p.policy', t);
        const out = renderText([at(f.span(Math.min(a, b), Math.max(a, b)))], sourceMap(f));
        expect(out).not.toMatch(UNSAFE_OUTPUT);
        expect(lines(out)[4]).toMatch(/^ +\| +\^+$/);
      }),
      { numRuns: 300 },
    );
  });
});
