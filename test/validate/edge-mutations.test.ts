// Mutations at the host's edge: each breaks the backend's real rules.v4 for a policy with nets and
// world both ways (test/backends/iptables/edge-policy.ts) in one realistic way; the validator must
// catch it, naming the external zone, the tier, what the policy wants and the rule that did it.
import { describe, expect, it } from 'vitest';
import { validateIptables, type ValidationProblem } from '../../src/validate/index.js';
import { edgePolicy } from '../backends/iptables/edge-policy.js';
import { backendOutput, deleteLine, editLine } from './support.js';

const policy = edgePolicy();
const { text, entry } = backendOutput(policy);

function problemsOf(mutated: string): readonly ValidationProblem[] {
  const r = validateIptables(policy, mutated, entry);
  if (r.ok) throw new Error('the mutation was not caught');
  return r.problems;
}

const ruleAt = (line: number) => ({ kind: 'rule', origin: expect.objectContaining({ file: 'edge.policy', line }) });

describe('edge mutations of rules.v4 are caught', () => {
  it('the unmutated output validates', () => {
    const r = validateIptables(policy, text, entry);
    expect(r.ok, JSON.stringify(!r.ok && r.problems.slice(0, 3))).toBe(true);
  });

  it('dropping an ingress line (one range of a net)', () => {
    const [p] = problemsOf(deleteLine(text, /^-A TW-EDGE_D -s 198\.19\.8\.0\/24 -d 10\.60\.2\.0\/24 .*--ctorigdstport 22/));
    expect(p).toMatchObject({
      kind: 'flow',
      flow: { src: 'office', dst: 'app', srcAddress: '198.19.8.0', proto: 'tcp', lo: 22, hi: 22, state: 'NEW' },
      expected: { verdict: 'ACCEPT', reason: ruleAt(11) },
      actual: { verdict: 'DROP', cause: { kind: 'rule', rule: { chain: 'TW-EDGE_D', comment: 'edge:default' } } },
    });
  });

  it('widening a net\'s range: addresses of the world get the net\'s verdict', () => {
    const [p] = problemsOf(editLine(text, /^-A TW-EDGE_D -s 198\.19\.8\.0\/24 .*--ctorigdstport 22/, (l) => l.replace('198.19.8.0/24', '198.19.8.0/23')));
    expect(p).toMatchObject({
      flow: { src: 'world', dst: 'app', srcAddress: '198.19.9.0', proto: 'tcp', lo: 22, hi: 22 },
      expected: { verdict: 'DROP', reason: { kind: 'default' } },
      actual: { verdict: 'ACCEPT', cause: { rule: { comment: 'edge:L11' } } },
    });
  });

  it('--dport instead of --ctorigdstport: after Docker\'s DNAT the packet no longer shows the port addressed', () => {
    const problems = problemsOf(editLine(text, /^-A TW-EDGE_D -d 10\.60\.1\.0\/24 .*--ctorigdstport 443 --ctdir ORIGINAL -m comment/, (l) =>
      l.replace('-m conntrack --ctorigdstport 443 --ctdir ORIGINAL', '-m tcp --dport 443')));
    expect(problems[0]).toMatchObject({
      flow: { src: 'world', dst: 'web', proto: 'tcp', state: 'NEW' },
      actual: { verdict: 'UNDECIDED', cause: { rule: { chain: 'TW-EDGE_D', comment: 'edge:L10' } } },
    });
  });

  it('dropping the egress default: packets to the outside would go back to Docker', () => {
    const [p] = problemsOf(deleteLine(text, /^-A TW-EDGE_E1 .*edge:default/));
    expect(p).toMatchObject({
      flow: { src: 'app', dst: 'world', proto: 'tcp', lo: 1, hi: 65535, state: 'NEW' },
      expected: { verdict: 'DROP', reason: { kind: 'default' } },
      actual: { verdict: 'RETURN' },
    });
  });

  it('dropping the destination check: packets from a tier to the outside would skip egress', () => {
    const [p] = problemsOf(editLine(text, /^-A TW-EDGE -d 10\.60\.1\.0\/24 /, (l) => l.replace('-d 10.60.1.0/24 ', '')));
    expect(p).toMatchObject({
      flow: { src: 'web', dst: 'world', proto: 'tcp', state: 'NEW' },
      expected: { verdict: 'ACCEPT', reason: ruleAt(16) },
      actual: { verdict: 'DROP', cause: { rule: { chain: 'TW-EDGE_S0', comment: 'edge:default' } } },
    });
  });

  it('an egress rule to a net without its -d: it would take the world too', () => {
    const [p] = problemsOf(editLine(text, /^-A TW-EDGE_E1 -s 10\.60\.2\.0\/24 -d 198\.19\.0\.0\/24 /, (l) => l.replace('-d 198.19.0.0/24 ', '')));
    expect(p).toMatchObject({ flow: { src: 'app', dst: 'world', proto: 'tcp', lo: 5432, hi: 5432 }, actual: { verdict: 'ACCEPT', cause: { rule: { comment: 'edge:L14' } } } });
  });

  it('without the ESTABLISHED rule, --ctdir ORIGINAL cannot decide established packets', () => {
    const problems = problemsOf(deleteLine(text, /--ctstate RELATED,ESTABLISHED/));
    expect(problems).toContainEqual(expect.objectContaining({
      flow: expect.objectContaining({ src: 'world', dst: 'web', proto: 'tcp', state: 'ESTABLISHED' }),
      actual: expect.objectContaining({ verdict: 'UNDECIDED' }),
    }));
  });

  it('reads only --ctorigdstport with --ctdir ORIGINAL', () => {
    const anchor = /^-A TW-EDGE_D -d 10\.60\.1\.0\/24 .*--ctorigdstport 443 --ctdir ORIGINAL -m comment/;
    for (const [from, to, reason] of [
      [' --ctdir ORIGINAL', '', "'--ctorigdstport' and '--ctdir ORIGINAL' go together"],
      ['--ctdir ORIGINAL', '--ctdir REPLY', "'--ctdir REPLY' is outside the subset"],
      ['-p tcp -m conntrack', '-m conntrack', "'--ctorigdstport' needs -p tcp or -p udp"],
    ] as const) {
      const problems = problemsOf(editLine(text, anchor, (l) => l.replace(from, to)));
      expect(problems[0]).toMatchObject({ kind: 'ruleset', reason: expect.stringContaining(reason) });
    }
  });
});
