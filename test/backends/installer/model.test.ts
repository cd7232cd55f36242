// installer model: quoting, chain ownership, the trusted_host_interfaces lists (against the
// Evaluator by brute force), networks and installed files. Pure; no system tools.
import { describe, expect, it } from 'vitest';
import type { Policy } from '../../../src/ir/types.js';
import { Evaluator, type FlowProto } from '../../../src/eval/evaluate.js';
import { isOwnedChain, mainChainName } from '../../../src/backends/shared/names.js';
import { heredoc, shellArray, shellQuote, splitRuleArgs } from '../../../src/backends/installer/shell.js';
import { ownChainPattern } from '../../../src/backends/installer/model.js';
import { trustedSources } from '../../../src/backends/installer/trusted.js';
import { backend, installerModel } from '../../../src/backends/installer/backend.js';
import { backend as iptables } from '../../../src/backends/iptables/backend.js';
import { systemdArtifacts } from '../../../src/backends/systemd/backend.js';
import { loggingArtifacts } from '../../../src/backends/logging/backend.js';
import { ALL, mesh, threeTier } from './fixtures.js';
import { sh } from './support.js';

describe('shell quoting', () => {
  const samples = ['plain', '', "it's", 'a b', '$HOME `id` $(id) \\ "q"', 'line1\nline2', "''", '-x', '*?[a]'];

  it('bash reads every quoted word back unchanged', () => {
    const script = samples.map((s) => `printf '%s\\0' ${shellQuote(s)}`).join('\n');
    const r = sh('bash', ['-c', script]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(samples);
  });

  it('arrays keep their elements, empty ones included', () => {
    const r = sh('bash', ['-c', `a=(${shellArray(samples)}); printf '%s\\0' "\${a[@]}"`]);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(samples);
  });

  it('splits rule arguments the way iptables-restore does', () => {
    expect(splitRuleArgs('-m comment --comment "tierwall:three-tier" -j TW-X')).toEqual(['-m', 'comment', '--comment', 'tierwall:three-tier', '-j', 'TW-X']);
    expect(splitRuleArgs('--log-prefix "tw:p:L9 "  -j LOG')).toEqual(['--log-prefix', 'tw:p:L9 ', '-j', 'LOG']);
    expect(splitRuleArgs('--comment "a \\"b\\"" x')).toEqual(['--comment', 'a "b"', 'x']);
    expect(splitRuleArgs('--comment ""')).toEqual(['--comment', '']);
    expect(() => splitRuleArgs('--comment "open')).toThrow(/unbalanced/);
  });

  it('picks a heredoc delimiter that no line of the content equals', () => {
    expect(heredoc('EOF', 'a\nb\n').delimiter).toBe('EOF');
    expect(heredoc('EOF', 'a\nEOF\nEOF_2\n').delimiter).toBe('EOF_3');
    expect(() => heredoc('EOF', 'no newline')).toThrow(/newline/);
  });
});

describe('chain ownership pattern', () => {
  const policies = ['three-tier', 'a', 'ab', 'a-rather-long-policy-name-for-chains', 'a-rather-long-policy-name-for-chainz'];
  const candidates = (p: string): string[] => {
    const m = mainChainName(p);
    return [m, `${m}_S0`, `${m}_S12`, `${m}_P3-14`, `${m}_P3`, `${m}_S`, `${m}_X1`, `${m}2`, `${m}-S1`, `x${m}`, `${m}_S1_S2`, `${m}_D`, `${m}_Q0`, `${m}_Q1234567`, `${m}_DD`, `${m}_Q`, `${m}_D1`, `${m}_A0`, `${m}_A`,
      'DOCKER-USER', 'TW-A', 'TW-AB_S0', ...policies.map(mainChainName)];
  };

  it('matches exactly the chains names.ts isOwnedChain() claims, in JS and in bash', () => {
    const checks: string[] = [];
    const want: string[] = [];
    for (const p of policies) {
      const re = new RegExp(ownChainPattern(p));
      for (const c of candidates(p)) {
        expect(re.test(c), `${p} / ${c}`).toBe(isOwnedChain(p, c));
        // As install.sh does it: the pattern from an unquoted variable (quoted, it would match literally).
        checks.push(`re=${shellQuote(ownChainPattern(p))}; [[ ${shellQuote(c)} =~ $re ]] && echo 1 || echo 0`);
        want.push(isOwnedChain(p, c) ? '1' : '0');
      }
    }
    expect(sh('bash', ['-c', checks.join('\n')]).stdout.trim().split('\n')).toEqual(want);
  });
});

/** Brute force: every port of tcp and udp, icmp and other, straight through the Evaluator. */
function reachableByBruteForce(policy: Policy): Map<string, string[]> {
  const ev = new Evaluator(policy);
  const out = new Map<string, string[]>();
  const flows: { proto: FlowProto; port?: number }[] = [{ proto: 'icmp' }, { proto: 'other' }];
  for (const proto of ['tcp', 'udp'] as const) for (let port = 1; port <= 65535; port++) flows.push({ proto, port });
  for (const dst of policy.tiers) {
    out.set(dst.name, policy.tiers.filter((src) => src !== dst && flows.some((f) => {
      const v = ev.evaluate({ src: src.name, dst: dst.name, ...f });
      return v.action === 'allow' || v.log;
    })).map((s) => s.name));
  }
  return out;
}

describe('trusted_host_interfaces', () => {
  it('lists, per destination, the sources some flow is allowed (or logged) from', () => {
    expect(Object.fromEntries(trustedSources(threeTier()))).toEqual({
      frontend: [],
      backend: ['frontend'],
      database: ['frontend', 'backend'], // frontend -> database is a logged deny: LOG must see it
    });
  });

  it.each(Object.keys(ALL))('agrees with a brute-force walk of the Evaluator (%s)', (name) => {
    const policy = ALL[name as keyof typeof ALL]();
    expect(trustedSources(policy)).toEqual(reachableByBruteForce(policy));
  }, 60_000);
});

describe('installer model', () => {
  it('creates each network with exactly the compiled settings', () => {
    const m = installerModel(threeTier());
    expect(m.networks.map((n) => n.createArgs.join(' '))).toEqual([
      'network create --driver bridge --subnet 172.20.1.0/24 --gateway 172.20.1.1 -o com.docker.network.bridge.name=web-bridge --label tierwall.policy=three-tier frontend',
      'network create --driver bridge --subnet 172.20.2.0/24 --gateway 172.20.2.1 -o com.docker.network.bridge.name=app-bridge -o com.docker.network.bridge.trusted_host_interfaces=web-bridge --label tierwall.policy=three-tier backend',
      'network create --driver bridge --subnet 172.20.3.0/24 --gateway 172.20.3.1 -o com.docker.network.bridge.name=db-bridge -o com.docker.network.bridge.enable_icc=false -o com.docker.network.bridge.trusted_host_interfaces=web-bridge:app-bridge --label tierwall.policy=three-tier database',
    ]);
    expect(m.isolatedTiers).toEqual(['database']);
    expect(m.entryRule).toEqual(['-m', 'comment', '--comment', 'tierwall:three-tier', '-j', 'TW-THREE-TIER']);
  });

  it('installs the other backends\' artifacts byte for byte, at their host paths', () => {
    const p = mesh();
    const m = installerModel(p);
    const rules = iptables.generate(p).artifacts[0]!;
    const byContent = [rules, ...systemdArtifacts(p), ...loggingArtifacts(p)].map((a) => a.content);
    expect(m.files.map((f) => f.content)).toEqual(byContent);
    expect(m.files.map((f) => f.path)).toEqual([
      '/etc/tierwall/mesh/rules.v4',
      '/etc/systemd/system/tierwall-mesh.service',
      '/etc/systemd/system/tierwall-mesh-monitor.service',
      '/etc/systemd/system/tierwall-mesh-monitor.timer',
      '/etc/rsyslog.d/30-tierwall-mesh.conf',
      '/etc/logrotate.d/tierwall-mesh',
    ]);
  });

  it('emits install.sh with mode 0755, deterministically', () => {
    const a = backend.generate(threeTier());
    const b = backend.generate(threeTier());
    expect(a.diagnostics).toEqual([]);
    expect(a.artifacts.map((x) => [x.path, x.mode])).toEqual([['install.sh', 0o755]]);
    expect(a.artifacts[0]!.content).toBe(b.artifacts[0]!.content);
    expect(a.artifacts[0]!.content.endsWith('\n')).toBe(true);
  });

  it('reports more tiers than chain names can number, instead of emitting a broken script', () => {
    const p = threeTier();
    const t = p.tiers[0]!;
    const many: Policy = { ...p, rules: [], tiers: Array.from({ length: 1001 }, (_, i) => ({ ...t, name: `t${i}` })) };
    const r = backend.generate(many);
    expect(r.artifacts).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['backend-unsupported']);
  });
});
