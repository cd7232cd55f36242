// compile --target k8s proves its output: a backend that writes a wrong manifest gets no artifacts
// written and a validation-failed error at the policy rule, naming the NetworkPolicy rule; --no-validate
// (noValidate) lets the same output through. The backend is broken in place with a spy.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backend } from '../../src/backends/k8s/backend.js';
import { compile } from '../../src/compile.js';
import { SourceFile } from '../../src/source/source-file.js';
import { renderText } from '../../src/diagnostics/render/index.js';
import { dropRule, KMUT_TEXT, OPTIONS } from './k8s-support.js';

const source = new SourceFile('kmut.policy', KMUT_TEXT);

/** The real backend, with one rule dropped from app.yaml. */
function breakBackend(): void {
  const generate = backend.generate.bind(backend);
  vi.spyOn(backend, 'generate').mockImplementation((policy, options) => {
    const r = generate(policy, options);
    const artifacts = r.artifacts.map((a) => (a.path === 'k8s/tiers/app.yaml' ? { ...a, content: dropRule(a.content, /# from web: tcp\/80-90/) } : a));
    return { ...r, artifacts };
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('compile --target k8s validates its manifests', () => {
  it('a correct compile writes artifacts and times the validation', async () => {
    const r = await compile(source, 'k8s', OPTIONS);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.artifacts.map((a) => a.path)).toEqual(['k8s/kustomization.yaml', 'k8s/tiers/app.yaml', 'k8s/tiers/db.yaml', 'k8s/tiers/web.yaml']);
    expect(r.timings.validate).toBeGreaterThan(0);
  });

  it('a broken manifest: nothing written, the first differing class with the deciding rule on each side', async () => {
    breakBackend();
    const r = await compile(source, 'k8s', OPTIONS);
    expect(r.artifacts).toEqual([]);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    const text = renderText(errors, new Map([['kmut.policy', source]]), { color: false });
    expect(text).toContain('error[validation-failed]: k8s/tiers/app.yaml: tcp/80-90 from web to app: the NetworkPolicies deny it, but the policy allows it (rule at kmut.policy:7)');
    expect(text).toContain(' --> kmut.policy:7:1');
    expect(text).toContain('egress: allowed by spec.egress[1] of NetworkPolicy tierwall-web (k8s/tiers/web.yaml:');
    expect(text).toContain('ingress: denied, isolated by NetworkPolicy tierwall-app (k8s/tiers/app.yaml) and no ingress rule admits it');
    expect(text).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it('noValidate lets the broken output through (the CLI warns loudly)', async () => {
    breakBackend();
    const r = await compile(source, 'k8s', { ...OPTIONS, noValidate: true });
    expect(r.artifacts).toHaveLength(4);
    expect(r.timings.validate).toBeUndefined();
  });
});
