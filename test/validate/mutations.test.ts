// Mutation tests: each breaks the backend's real rules.v4 in one small, realistic way; the validator
// must catch it and its first problem must say which flow, what the policy wants, and which rule did it.
import { describe, expect, it } from 'vitest';
import { validateIptables, type ValidationProblem } from '../../src/validate/index.js';
import { mutPolicy } from './mutation-policy.js';
import { backendOutput, deleteLine, editLine, lineNo, moveAfter, swapWithNext } from './support.js';

const policy = mutPolicy();
const { text, entry } = backendOutput(policy);

function problemsOf(mutated: string): readonly ValidationProblem[] {
  const r = validateIptables(policy, mutated, entry);
  if (r.ok) throw new Error('the mutation was not caught');
  return r.problems;
}

const ruleOrigin = (line: number) => ({ kind: 'rule', origin: expect.objectContaining({ file: 'mut.policy', line }) });

describe('mutations of rules.v4 are caught', () => {
  it('the unmutated output validates', () => {
    // 9 pairs x 4 protocols, plus the extra port pieces: web->app tcp 80-90 (+2), web->db tcp 5000-5431,
    // 5432, 5433-6000 (+4), web->db udp 5432 (+2), app->db udp 53 (+2).
    expect(validateIptables(policy, text, entry)).toEqual({ ok: true, classes: 46 });
  });

  it('mutates both shapes of a pair: a pair chain (web -> db) and inline lines (app -> db)', () => {
    expect(text).toMatch(/^-A TW-MUT_S0 -s 10\.70\.1\.0\/24 -d 10\.70\.3\.0\/24 .*-j TW-MUT_P0-2$/m);
    expect(text.match(/^-A TW-MUT_P0-2 /gm)).toHaveLength(5);
    expect(text.match(/^-A TW-MUT_S1 -s 10\.70\.2\.0\/24 -d 10\.70\.3\.0\/24 /gm)).toHaveLength(3);
    expect(text).not.toMatch(/^:TW-MUT_P1-2 /m);
  });

  it('moving a rule after the default of its source chain', () => {
    // Lines for different destinations may trade places (tier subnets never overlap); the default may not.
    const [p] = problemsOf(moveAfter(text, /^-A TW-MUT_S0 .*--dport 80:90/, /^-A TW-MUT_S0 .*mut:default/));
    expect(p).toMatchObject({
      kind: 'flow',
      flow: { src: 'web', dst: 'app', srcAddress: '10.70.1.0/24', proto: 'tcp', lo: 80, hi: 90, state: 'NEW' },
      expected: { verdict: 'ACCEPT', log: false, reason: ruleOrigin(7) },
      actual: { verdict: 'DROP', logs: [], cause: { kind: 'rule', rule: { chain: 'TW-MUT_S0', num: 3, comment: 'mut:default' } } },
    });
  });

  it('an off-by-one port range (80:90 -> 80:89)', () => {
    const problems = problemsOf(editLine(text, /--dport 80:90/, (l) => l.replace('80:90', '80:89')));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      flow: { src: 'web', dst: 'app', proto: 'tcp', lo: 90, hi: 90 },
      expected: { verdict: 'ACCEPT', reason: ruleOrigin(7) },
      actual: { verdict: 'DROP', cause: { rule: { chain: 'TW-MUT_S0', num: 4, comment: 'mut:default' } } },
    });
  });

  it('removing the ESTABLISHED rule: replies of a denied direction are dropped', () => {
    const [p] = problemsOf(deleteLine(text, /--ctstate RELATED,ESTABLISHED/));
    expect(p).toMatchObject({
      flow: { src: 'web', dst: 'app', proto: 'tcp', lo: 1, hi: 79, state: 'ESTABLISHED' },
      expected: { verdict: 'ACCEPT', reason: { kind: 'established' } },
      actual: { verdict: 'DROP', cause: { rule: { chain: 'TW-MUT_S0', comment: 'mut:default' } } },
    });
  });

  it('moving a DROP after the ACCEPT it is an exception to', () => {
    const [p] = problemsOf(moveAfter(text, /^-A TW-MUT_P0-2 .*--dport 5432 .*-j DROP/, /--dport 5000:6000/));
    expect(p).toMatchObject({
      flow: { src: 'web', dst: 'db', proto: 'tcp', lo: 5432, hi: 5432 },
      expected: { verdict: 'DROP', log: true, reason: ruleOrigin(8) },
      actual: { verdict: 'ACCEPT', cause: { rule: { comment: 'mut:L9' } }, logs: [{ prefix: 'tw:mut:L8 ', rule: { chain: 'TW-MUT_P0-2', num: 1 } }] },
    });
  });

  it('dropping the LOG rule of a logged deny', () => {
    const problems = problemsOf(deleteLine(text, /^-A TW-MUT_S1 .*-j LOG/));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      flow: { src: 'app', dst: 'db', proto: 'udp', lo: 53, hi: 53 },
      expected: { verdict: 'DROP', log: true, reason: ruleOrigin(10) },
      actual: { verdict: 'DROP', logs: [], cause: { rule: { comment: 'mut:L10' } } },
    });
  });

  it('replacing a scoped DROP by an unscoped one', () => {
    const anchor = /^-A TW-MUT_S1 -s 10\.70\.2\.0\/24 -m comment --comment "mut:default"/;
    const mutated = editLine(text, anchor, (l) => l.replace('-s 10.70.2.0/24 ', ''));
    const problems = problemsOf(mutated);
    // Caught even where it happens to be harmless (only app's packets to a tier reach this line):
    // an unscoped DROP is one edit away from dropping what tierwall does not govern.
    expect(problems[0]).toMatchObject({ kind: 'ruleset', line: lineNo(text, anchor), reason: expect.stringContaining('DROP without a -s/-d/-i/-o scope') });
  });

  it('dropping the destination check: packets to the internet would meet the default', () => {
    const problems = problemsOf(editLine(text, /^-A TW-MUT -d 10\.70\.2\.0\/24 /, (l) => l.replace('-d 10.70.2.0/24 ', '')));
    expect(problems).toContainEqual(expect.objectContaining({
      flow: expect.objectContaining({ src: 'app', dst: '203.0.113.7' }),
      actual: expect.objectContaining({ verdict: 'DROP', cause: expect.objectContaining({ rule: expect.objectContaining({ comment: 'mut:default' }) }) }),
    }));
  });

  it('an option outside the subset (--sport 1)', () => {
    const anchor = /--dport 80:90/;
    const problems = problemsOf(editLine(text, anchor, (l) => l.replace('--dport 80:90', '--dport 80:90 --sport 1')));
    expect(problems).toEqual([expect.objectContaining({ kind: 'ruleset', line: lineNo(text, anchor), reason: "unknown option '--sport'" })]);
  });

  it.each([
    ['a truncated rule', (t: string) => editLine(t, /^-A TW-MUT_S0 .*intra:web/, (l) => l.slice(0, l.indexOf(' -d ') + 3)), "'-d' without a value"],
    ['an unterminated quote', (t: string) => editLine(t, /"mut:L7"/, (l) => l.replace('"mut:L7"', '"mut:L7')), 'unterminated quoted argument'],
    ['a line of words', (t: string) => editLine(t, /^COMMIT$/, () => 'hello world\nCOMMIT'), 'malformed line'],
    ['no COMMIT', (t: string) => deleteLine(t, /^COMMIT$/), 'the table is not committed (no COMMIT)'],
    ['a jump to an undeclared chain', (t: string) => deleteLine(t, /^:TW-MUT_P0-2 /), "target 'TW-MUT_P0-2' is neither"],
    ['a jump loop', (t: string) => editLine(t, /^-A TW-MUT_P0-2 .*mut:L9/, (l) => l.replace('-j ACCEPT', '-j TW-MUT_S0')), 'closes a loop'],
  ])('a malformed ruleset: %s', (_, mutate, reason) => {
    const problems = problemsOf(mutate(text));
    expect(problems[0]).toMatchObject({ kind: 'ruleset', reason: expect.stringContaining(reason) });
    expect(problems.every((p) => p.kind === 'ruleset')).toBe(true);
  });
});
