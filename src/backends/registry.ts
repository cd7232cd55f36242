// backends: the plain registry of targets. A target is a list of backends whose artifacts go
// into one output directory. Backends load lazily, so `check` never pays for handlebars.
import type { Backend } from './types.js';

type Loader = () => Promise<Backend>;

const BACKENDS: Record<string, Loader> = {
  iptables: async () => (await import('./iptables/backend.js')).backend,
  installer: async () => (await import('./installer/backend.js')).backend,
  systemd: async () => (await import('./systemd/backend.js')).backend,
  logging: async () => (await import('./logging/backend.js')).backend,
  compose: async () => (await import('./compose/backend.js')).backend,
  report: async () => (await import('./report/backend.js')).backend,
  k8s: async () => (await import('./k8s/backend.js')).backend,
  monitoring: async () => (await import('./monitoring/backend.js')).backend,
};

/** `docker` is the default target: everything a single Docker host needs. */
export const TARGETS: Record<string, readonly string[]> = {
  docker: ['iptables', 'installer', 'systemd', 'logging', 'compose', 'report'],
  iptables: ['iptables'],
  compose: ['compose'],
  report: ['report'],
  k8s: ['k8s'],
  // Opt-in, into its own directory: Prometheus + node-exporter on the policy's monitoring tier.
  monitoring: ['monitoring'],
};

export const DEFAULT_TARGET = 'docker';

export async function loadTarget(target: string): Promise<Backend[] | undefined> {
  const names = TARGETS[target];
  if (!names) return undefined;
  return Promise.all(names.map((n) => BACKENDS[n]!()));
}
