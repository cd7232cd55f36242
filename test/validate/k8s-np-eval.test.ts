// The NetworkPolicy evaluator of src/validate/k8s checked on its own, against the examples and rules of the Kubernetes NetworkPolicy
// documentation, with manifests written here by hand (no backend involved).
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { Cluster, readNetworkPolicy, type Pod, type Protocol } from '../../src/validate/k8s/index.js';

const ns = (name: string, labels: Record<string, string> = {}) => ({ name, labels: { 'kubernetes.io/metadata.name': name, ...labels } });
const NAMESPACES = [ns('default'), ns('prod', { project: 'myproject' }), ns('dev')];
const pod = (name: string, namespace: string, labels: Record<string, string>): Pod => ({ name, namespace, labels });
const db = pod('db', 'default', { role: 'db' });
const fe = pod('fe', 'default', { role: 'frontend' });
const other = pod('other', 'default', {});
const prodFe = pod('prod-fe', 'prod', { role: 'frontend' });
const prodX = pod('prod-x', 'prod', {});
const devFe = pod('dev-fe', 'dev', { role: 'frontend' });

function cluster(...yamls: string[]): Cluster {
  return new Cluster(NAMESPACES, yamls.map((y) => readNetworkPolicy(parse(y))));
}
const can = (c: Cluster, from: Pod, to: Pod, protocol: Protocol = 'TCP', port: number | undefined = 6379) => c.allowed({ from, to, protocol, port });

const HEAD = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: default}\n';

describe('NetworkPolicy oracle (Kubernetes documentation)', () => {
  test('no policy selects a pod: everything is allowed (pods are non-isolated by default)', () => {
    const c = cluster();
    expect(can(c, fe, db) && can(c, prodX, devFe, 'UDP', 53) && can(c, fe, db, 'ICMP', undefined)).toBe(true);
  });

  test('default deny ingress: podSelector {} isolates every pod of the namespace for ingress only', () => {
    const c = cluster(`${HEAD}spec: {podSelector: {}, policyTypes: [Ingress]}`);
    expect(can(c, fe, db)).toBe(false);
    expect(can(c, prodFe, fe)).toBe(false);
    expect(can(c, fe, prodFe)).toBe(true); // egress of fe not isolated, prod not isolated
  });

  test('without policyTypes: Ingress always, Egress only when egress rules exist', () => {
    const ingressOnly = cluster(`${HEAD}spec: {podSelector: {matchLabels: {role: db}}}`);
    expect(can(ingressOnly, fe, db)).toBe(false);
    expect(can(ingressOnly, db, fe)).toBe(true);
    const both = cluster(`${HEAD}spec: {podSelector: {matchLabels: {role: db}}, egress: [{to: [{podSelector: {matchLabels: {role: frontend}}}]}]}`);
    expect(can(both, db, fe)).toBe(true);
    expect(can(both, db, other)).toBe(false);
    expect(can(both, fe, db)).toBe(false);
  });

  test('the docs example: namespaceSelector + podSelector in one peer is AND, in two peers OR', () => {
    const and = cluster(`${HEAD}spec:
  podSelector: {matchLabels: {role: db}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {project: myproject}}
          podSelector: {matchLabels: {role: frontend}}`);
    expect([can(and, prodFe, db), can(and, prodX, db), can(and, fe, db), can(and, devFe, db)]).toEqual([true, false, false, false]);
    const or = cluster(`${HEAD}spec:
  podSelector: {matchLabels: {role: db}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {project: myproject}}
        - podSelector: {matchLabels: {role: frontend}}`);
    // podSelector alone means the policy's own namespace: fe yes, dev-fe no.
    expect([can(or, prodFe, db), can(or, prodX, db), can(or, fe, db), can(or, devFe, db)]).toEqual([true, true, true, false]);
  });

  test('ports: protocol defaults to TCP; endPort makes an inclusive range; an empty list means all', () => {
    const c = cluster(`${HEAD}spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - ports: [{port: 32000, endPort: 32768}, {protocol: UDP, port: 53}]`);
    const at = (protocol: Protocol, port: number) => can(c, fe, prodX, protocol, port);
    expect([at('TCP', 31999), at('TCP', 32000), at('TCP', 32768), at('TCP', 32769)]).toEqual([false, true, true, false]);
    expect([at('UDP', 53), at('TCP', 53), at('UDP', 32000)]).toEqual([true, false, false]);
    const all = cluster(`${HEAD}spec: {podSelector: {}, policyTypes: [Egress], egress: [{ports: []}]}`);
    expect(can(all, fe, prodX, 'SCTP', 9)).toBe(true);
  });

  test('policies are a union; both ends must allow a connection', () => {
    const c = cluster(
      `${HEAD}spec: {podSelector: {matchLabels: {role: db}}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {matchLabels: {role: frontend}}}]}]}`,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: q, namespace: default}\nspec: {podSelector: {matchLabels: {role: db}}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {}}], ports: [{port: 9}]}]}`,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: r, namespace: default}\nspec: {podSelector: {matchLabels: {role: frontend}}, policyTypes: [Egress]}`,
    );
    expect(can(c, other, db, 'TCP', 9)).toBe(true); // second policy
    expect(can(c, other, db, 'TCP', 10)).toBe(false);
    expect(can(c, fe, db)).toBe(false); // ingress allows, fe's egress is isolated with no rule
  });

  test('ICMP and other protocols: isolated, and allowed only by a rule without ports', () => {
    const c = cluster(`${HEAD}spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {matchLabels: {role: frontend}}}], ports: [{port: 80}]}, {from: [{podSelector: {matchLabels: {role: db}}}]}]}`);
    expect(can(c, fe, other, 'ICMP', undefined)).toBe(false);
    expect(can(c, db, other, 'ICMP', undefined)).toBe(true);
    expect(can(c, db, other, 'OTHER', undefined)).toBe(true);
  });

  test('matchExpressions; a pod cannot block access to itself', () => {
    const c = cluster(`${HEAD}spec: {podSelector: {matchExpressions: [{key: role, operator: In, values: [db, frontend]}]}, policyTypes: [Ingress, Egress]}`);
    expect(can(c, other, fe)).toBe(false);
    expect(can(c, other, pod('x', 'default', { role: 'cache' }))).toBe(true);
    expect(can(c, db, db)).toBe(true);
  });

  test('the reader refuses what it does not understand instead of ignoring it', () => {
    expect(() => readNetworkPolicy(parse(`${HEAD}spec: {podselector: {}}`))).toThrow(/podselector/);
    expect(() => readNetworkPolicy(parse(`${HEAD}spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}`))).toThrow(/ipBlock/);
    expect(() => readNetworkPolicy(parse(`${HEAD}spec: {podSelector: {}, ingress: [{ports: [{port: http}]}]}`))).toThrow(/named/);
    expect(() => readNetworkPolicy(parse(`${HEAD}spec: {podSelector: {}, ingress: [{ports: [{protocol: ICMP}]}]}`))).toThrow(/ICMP/);
  });
});
