// Problems as `validation-failed` diagnostics: error severity, the span on what the policy says,
// the ruleset's side (line, rule text, LOG prefix) in hints, and a note when problems were omitted.
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/source/source-file.js';
import { renderText } from '../../src/diagnostics/render/text.js';
import { MAX_PROBLEMS, problemDiagnostic, validateIptables, validationDiagnostics } from '../../src/validate/index.js';
import { buildPolicy } from '../backends/iptables/build-ir.js';
import { mutPolicy } from './mutation-policy.js';
import { backendOutput, deleteLine, editLine, moveAfter } from './support.js';

const policy = mutPolicy();
const { text, entry } = backendOutput(policy);

function failed(mutated: string) {
  const r = validateIptables(policy, mutated, entry);
  if (r.ok) throw new Error('expected a validation failure');
  return r;
}

describe('validation diagnostics', () => {
  it('none for a ruleset that validates', () => {
    expect(validationDiagnostics(validateIptables(policy, text, entry))).toEqual([]);
  });

  it('a flow problem points at the policy rule and cites the iptables rules in hints', () => {
    const r = failed(moveAfter(text, /^-A TW-MUT_P0-2 .*--dport 5432 .*-j DROP/, /--dport 5000:6000/));
    const d = problemDiagnostic(r.problems[0]!);
    expect(d).toMatchObject({ code: 'validation-failed', severity: 'error', span: policy.rules[1]!.origin.span });
    expect(d.message).toBe(
      'rules.v4: NEW tcp/5432 from web (10.70.1.0/24) to db (10.70.3.0/24): the ruleset accepts and logs it at ' +
        'TW-MUT_P0-2 rule 4 (rules.v4:34 "mut:L9"), but the policy drops and logs it (rule at mut.policy:8)',
    );
    expect(d.hints[0]).toMatch(/^logged by TW-MUT_P0-2 rule 1 \(rules.v4:31 "mut:L8"\) with prefix "tw:mut:L8 ": -A TW-MUT_P0-2 .* -j LOG/);
    expect(d.hints[1]).toMatch(/^decided by: -A TW-MUT_P0-2 .*--dport 5000:6000 .*-j ACCEPT$/);
    expect(d.hints.at(-1)).toContain("bug in tierwall's iptables backend");
  });

  it('a ruleset problem has no policy span and quotes the line', () => {
    const r = failed(editLine(text, /--dport 80:90/, (l) => l.replace('--dport 80:90', '--dport 80:90 --sport 1')));
    const d = problemDiagnostic(r.problems[0]!);
    expect(d.span).toBeUndefined();
    expect(d.message).toBe("rules.v4: line 21: unknown option '--sport'");
    expect(d.hints[0]).toMatch(/^rules\.v4:21: -A TW-MUT_S0 .*--sport 1/);
  });

  it('renders like any other diagnostic', () => {
    const src = new SourceFile('mut.policy', 'policy mut;\n');
    const r = failed(deleteLine(text, /^-A TW-MUT_S1 .*-j LOG/));
    const out = renderText(validationDiagnostics(r), new Map([['mut.policy', src]]), { color: false });
    expect(out).toContain('error[validation-failed]: rules.v4: NEW udp/53 from app (10.70.2.0/24) to db (10.70.3.0/24)');
  });

  it(`keeps at most ${MAX_PROBLEMS} problems and says how many more there are`, () => {
    // 12 tiers, default deny, no rules: without the ESTABLISHED rule every inter-tier pair fails 4 ways.
    const tiers = Array.from({ length: 12 }, (_, i) => ({ name: `t${i}`, subnet: `10.50.${i}.0/24` }));
    const p = buildPolicy({ name: 'many', tiers, rules: [] });
    const out = backendOutput(p);
    const r = validateIptables(p, deleteLine(out.text, /ESTABLISHED/), out.entry);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(MAX_PROBLEMS);
    expect(r.omitted).toBe(12 * 11 * 4 - MAX_PROBLEMS);
    const ds = validationDiagnostics(r);
    expect(ds).toHaveLength(MAX_PROBLEMS + 1);
    expect(ds.at(-1)!.message).toBe(`rules.v4: ${12 * 11 * 4 - MAX_PROBLEMS} more problem(s) not listed`);
  });
});
