// Mutation tests of the k8s output: each breaks the backend's real manifests in one small, realistic
// way; the validator must catch it and its first problem must say which flow, what the policy
// wants, and which NetworkPolicy rule (or isolating policy) decided it on the manifests' side.
import { describe, expect, it } from 'vitest';
import { describeK8sProblem, validateK8s, type K8sProblem } from '../../src/validate/k8s/index.js';
import { dropRule, deleteLine, editLine, insertAfter, k8sFiles, kmutPolicy, mutate, OPTIONS, tierFile } from './k8s-support.js';

const policy = kmutPolicy();
const files = k8sFiles(policy);

function problemsOf(mutated: ReadonlyMap<string, string>, options: { namespace?: string; dnsEgress?: boolean } = OPTIONS): readonly K8sProblem[] {
  const r = validateK8s(policy, mutated, options);
  if (r.ok) throw new Error('the mutation was not caught');
  return r.problems;
}

const ruleAt = (line: number) => ({ kind: 'rule', origin: expect.objectContaining({ file: 'kmut.policy', line }) });
const site = (file: string, dir: string, index: number) => ({ kind: 'rule', site: expect.objectContaining({ file: tierFile(file), dir, index, policy: `tierwall-${file}` }) });
const isolatedBy = (file: string) => ({ kind: 'no-rule', by: [{ name: `tierwall-${file}`, file: tierFile(file) }] });

describe('mutations of the k8s manifests are caught', () => {
  it('the unmutated output validates, with and without --dns-egress, in any namespace', () => {
    // 9 tier pairs x 4 protocols, plus port pieces: web->app tcp 80-90 (+2), web->db tcp 5000-5431,
    // 5432, 5433-6000 (+4), app->db tcp 5432 (+2) and udp 53 (+2) = 46; outside probes: 2 untiered
    // pairs, and per tier 4 untiered + 1 from kube-dns + to kube-dns (tcp, udp cut at 53: 8 classes).
    const outside = 2 * 4 + 3 * (5 * 4 + 8);
    expect(validateK8s(policy, files, OPTIONS)).toEqual({ ok: true, classes: 46 + outside });
    expect(validateK8s(policy, k8sFiles(policy, {}), {}).ok).toBe(true);
    expect(validateK8s(policy, k8sFiles(policy, { namespace: 'elsewhere' }), { namespace: 'elsewhere' }).ok).toBe(true);
  });

  it('a dropped ingress rule', () => {
    const [p, ...rest] = problemsOf(mutate(files, tierFile('app'), (t) => dropRule(t, /# from web: tcp\/80-90/)));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      kind: 'flow',
      flow: { src: 'web', dst: 'app', proto: 'tcp', lo: 80, hi: 90 },
      expected: { allow: true, reason: ruleAt(7) },
      actual: { allow: false, egress: site('web', 'egress', 1), ingress: isolatedBy('app') },
    });
  });

  it('a port off by one (endPort 90 -> 89)', () => {
    const problems = problemsOf(mutate(files, tierFile('app'), (t) => editLine(t, /endPort: 90/, (l) => l.replace('90', '89'))));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ flow: { src: 'web', dst: 'app', proto: 'tcp', lo: 90, hi: 90 }, expected: { allow: true, reason: ruleAt(7) }, actual: { allow: false } });
  });

  it('an allowed range that swallows a deny (5000-5431 and 5433-6000 merged into 5000-6000), on both ends', () => {
    const widen = (t: string) => editLine(t, /endPort: 5431/, (l) => l.replace('5431', '6000'));
    // On one end only, the other end still denies 5432: NetworkPolicy needs both, so that is correct.
    expect(validateK8s(policy, mutate(files, tierFile('db'), widen), OPTIONS).ok).toBe(true);
    const m = mutate(mutate(files, tierFile('db'), widen), tierFile('web'), widen);
    const [p] = problemsOf(m);
    expect(p).toMatchObject({ flow: { src: 'web', dst: 'db', proto: 'tcp', lo: 5432, hi: 5432 }, expected: { allow: false, reason: ruleAt(8) }, actual: { allow: true, ingress: site('db', 'ingress', 0) } });
  });

  it("a wrong peer label in an ingress rule's podSelector", () => {
    const m = mutate(files, tierFile('db'), (t) => editLine(t, /"tierwall.dev\/tier": "app"/, (l) => l.replace('"app"', '"ap"'), /# from app/));
    const [p] = problemsOf(m);
    expect(p).toMatchObject({ flow: { src: 'app', dst: 'db', proto: 'tcp', lo: 5432, hi: 5432 }, expected: { allow: true, reason: ruleAt(10) }, actual: { allow: false, ingress: isolatedBy('db') } });
  });

  it("a wrong label in the policy's own podSelector: the tier is not isolated", () => {
    const m = mutate(files, tierFile('db'), (t) => editLine(t, /"tierwall.dev\/tier": "db"/, (l) => l.replace('"db"', '"database"')));
    const [p] = problemsOf(m);
    // db pods are selected by nothing: inside the isolated tier everything passes.
    expect(p).toMatchObject({ flow: { src: 'db', dst: 'db', proto: 'tcp' }, expected: { allow: false, reason: { kind: 'intra-tier', isolated: true } }, actual: { allow: true, egress: { kind: 'open' }, ingress: { kind: 'open' } } });
  });

  it('a missing policyTypes entry (Egress): the tier may reach pods outside the tiers', () => {
    const m = mutate(files, tierFile('web'), (t) => deleteLine(t, /^ {4}- Egress$/));
    const [p] = problemsOf(m);
    expect(p).toMatchObject({ flow: { src: 'web', dst: 'pod untiered-0 (no labels) in shop', proto: 'tcp', lo: 1, hi: 65535 }, expected: { allow: false, reason: { kind: 'outside' } }, actual: { allow: true, egress: { kind: 'open' } } });
    expect(describeK8sProblem(p!)).toBe('tcp/any from web to pod untiered-0 (no labels) in shop: the NetworkPolicies allow it, but the k8s target denies it: tier pods are isolated from pods outside the tiers');
  });

  it("a wrong namespace selector on the DNS rule (kube-system -> kube-public)", () => {
    const m = mutate(files, tierFile('app'), (t) => editLine(t, /"kubernetes.io\/metadata.name": "kube-system"/, (l) => l.replace('kube-system', 'kube-public')));
    const [p] = problemsOf(m);
    expect(p).toMatchObject({ flow: { src: 'app', dst: 'kube-dns (kube-system)', proto: 'tcp', lo: 53, hi: 53 }, expected: { allow: true, reason: { kind: 'dns-egress', enabled: true } }, actual: { allow: false, egress: isolatedBy('app') } });
    expect(describeK8sProblem(p!)).toBe('tcp/53 from app to kube-dns (kube-system): the NetworkPolicies deny it, but --dns-egress allows it');
  });

  it('a peer widened to every namespace: tier-labelled pods elsewhere get in', () => {
    const m = mutate(files, tierFile('app'), (t) => editLine(t, /^ {8}- podSelector:$/, (l) => `${l.replace('podSelector:', 'namespaceSelector: {}')}\n          podSelector:`, /# from web/));
    const [p] = problemsOf(m);
    expect(p).toMatchObject({ flow: { src: 'pod with tier label web in elsewhere', dst: 'app', proto: 'tcp', lo: 80, hi: 90 }, expected: { allow: false, reason: { kind: 'outside' } }, actual: { allow: true, ingress: site('app', 'ingress', 0) } });
  });

  it('an extra allow-all ingress rule', () => {
    const m = mutate(files, tierFile('db'), (t) => insertAfter(t, /^ {2}ingress:$/, '    - {}'));
    const problems = problemsOf(m);
    // Every tier's egress still limits what reaches db, so the tier pairs agree; a pod outside the
    // tiers has no egress isolation, and db now admits it.
    expect(problems[0]).toMatchObject({
      flow: { src: 'pod untiered-0 (no labels) in shop', dst: 'db', proto: 'tcp', lo: 1, hi: 65535 },
      expected: { allow: false, reason: { kind: 'outside' } },
      actual: { allow: true, egress: { kind: 'open' }, ingress: site('db', 'ingress', 0) },
    });
  });

  it('a missing DNS egress rule when --dns-egress is set', () => {
    const m = mutate(files, tierFile('web'), (t) => dropRule(t, /# DNS to kube-dns/));
    const problems = problemsOf(m);
    expect(problems).toHaveLength(2);
    expect(problems.map((p) => p.kind === 'flow' && [p.flow.src, p.flow.dst, p.flow.proto, p.flow.lo, p.expected.reason.kind])).toEqual([
      ['web', 'kube-dns (kube-system)', 'tcp', 53, 'dns-egress'],
      ['web', 'kube-dns (kube-system)', 'udp', 53, 'dns-egress'],
    ]);
    // The same files are right for a compile without --dns-egress only if no tier has the rule.
    expect(validateK8s(policy, m, { namespace: 'shop' }).ok).toBe(false);
  });

  it('a file left out of kustomization.yaml, a manifest in another namespace or in none', () => {
    const left = problemsOf(mutate(files, 'k8s/kustomization.yaml', (t) => deleteLine(t, /tiers\/db.yaml/)));
    expect(left).toEqual([{ kind: 'file', file: 'k8s/kustomization.yaml', line: 0, reason: expect.stringMatching(/k8s\/tiers\/db.yaml is written but not listed/) }]);
    const moved = problemsOf(mutate(files, tierFile('db'), (t) => editLine(t, /namespace: "shop"/, (l) => l.replace('shop', 'default'))));
    expect(moved).toEqual([{ kind: 'file', file: tierFile('db'), line: 0, reason: expect.stringMatching(/metadata.namespace is 'default'/) }]);
    const unset = problemsOf(mutate(files, tierFile('db'), (t) => deleteLine(t, /namespace: "shop"/)));
    expect(unset).toEqual([{ kind: 'file', file: tierFile('db'), line: 0, reason: 'metadata.namespace is missing' }]);
  });

  it('the reader refuses what it does not understand, with the line', () => {
    const typo = problemsOf(mutate(files, tierFile('db'), (t) => t.replace('  podSelector:', '  podselector:')));
    expect(typo).toEqual([{ kind: 'file', file: tierFile('db'), line: 13, reason: expect.stringMatching(/spec.podselector: field 'podselector' is not understood/) }]);
    const named = problemsOf(mutate(files, tierFile('app'), (t) => t.replace('port: 80', 'port: http')));
    expect(named[0]).toMatchObject({ kind: 'file', line: 27, reason: expect.stringMatching(/named ports/) });
    const dup = problemsOf(mutate(files, tierFile('app'), (t) => t.replace('          endPort: 90', '          endPort: 90\n          endPort: 91')));
    expect(dup[0]).toMatchObject({ kind: 'file', line: 29, reason: expect.stringMatching(/duplicate key 'endPort'/) });
  });
});
