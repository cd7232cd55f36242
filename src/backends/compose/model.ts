// backends/compose: every decision about compose.yml, pure. Input: Policy. Output: ComposeModel
// (all scalars already quoted for YAML) + diagnostics. templates/compose/compose.yml.hbs places it.
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Policy, Service } from '../../ir/types.js';
import type { Span } from '../../source/source-file.js';
import { networkName } from '../shared/network-name.js';
import { composeString, yamlKey } from './yaml-quote.js';

/** The profile every container gets, whatever the policy says. */
export const CAP_DROP = ['ALL'] as const;
export const SECURITY_OPT = ['no-new-privileges:true'] as const;

export interface ComposeNetworkRef {
  readonly key: string;
  /** Quoted ipv4_address, or null for an attachment without a static address. */
  readonly address: string | null;
}

export interface ComposePort {
  readonly hostIp: string;
  readonly published: number;
  readonly target: number;
  readonly protocol: string;
}

export interface ComposeEnv {
  readonly key: string;
  readonly value: string;
}

/** One service; every string field is a ready YAML scalar (quoted), lists may be empty. */
export interface ComposeService {
  readonly key: string;
  readonly image: string;
  readonly user: string | null;
  readonly command: readonly string[];
  readonly environment: readonly ComposeEnv[];
  readonly networks: readonly ComposeNetworkRef[];
  readonly ports: readonly ComposePort[];
  readonly capDrop: readonly string[];
  readonly capAdd: readonly string[];
  readonly securityOpt: readonly string[];
  readonly readOnly: boolean;
  readonly tmpfs: readonly string[];
}

export interface ComposeNetwork {
  readonly key: string;
  readonly name: string;
}

export interface ComposeModel {
  readonly name: string;
  readonly services: readonly ComposeService[];
  readonly networks: readonly ComposeNetwork[];
}

// Compose's own patterns (compose-spec): the project name, and service/network keys.
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const KEY = /^[a-zA-Z0-9._-]+$/;

function unsupported(feature: string, span: Span | undefined): Diagnostic {
  return diag('backend-unsupported', { backend: 'compose', feature }, span);
}

/** Order-preserving dedupe: Compose rejects duplicate cap_add/tmpfs items (uniqueItems). */
function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function serviceModel(s: Service, ds: Diagnostic[]): ComposeService {
  if (!KEY.test(s.name)) ds.push(unsupported(`service name '${s.name}' (Compose allows [a-zA-Z0-9._-])`, s.origin.span));
  // A YAML mapping cannot hold one key twice; Docker's own rule for repeated -e is "last wins".
  const env = new Map<string, string>();
  for (const e of s.env) {
    if (env.has(e.name)) ds.push(unsupported(`environment variable '${e.name}' set twice in service '${s.name}' (the last value is used)`, s.origin.span));
    env.set(e.name, e.value);
  }
  // Addresses for tiers the service does not join are reported by lowering (address-tier-not-joined).
  const address = new Map(s.addresses.map((a) => [a.tier, a.address]));
  return {
    key: yamlKey(s.name),
    image: composeString(s.image),
    user: s.user === undefined ? null : composeString(s.user),
    command: s.command.map(composeString),
    environment: [...env].map(([k, v]) => ({ key: yamlKey(k), value: composeString(v) })),
    networks: s.tiers.map((t) => {
      const a = address.get(t);
      return { key: yamlKey(t), address: a === undefined ? null : composeString(a) };
    }),
    ports: s.publish.map((p) => ({
      hostIp: composeString(p.hostAddress),
      published: p.hostPort,
      target: p.containerPort,
      protocol: composeString(p.proto),
    })),
    capDrop: CAP_DROP.map(composeString),
    capAdd: unique(s.capAdd).map(composeString),
    securityOpt: SECURITY_OPT.map(composeString),
    readOnly: s.readOnly,
    // "path:options" is passed through on purpose: Docker splits at the first ':' and lowering
    // (pathProblem) accepts only a path plus a checked option list there.
    tmpfs: unique(s.tmpfs).map(composeString),
  };
}

/** Builds the compose model: services in policy order, one external network per tier. */
export function composeModel(policy: Policy): { model: ComposeModel; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  // The IR keeps no span for the policy name; the diagnostic has none.
  if (!PROJECT_NAME.test(policy.name)) ds.push(unsupported(`project name '${policy.name}' (Compose allows [a-z0-9][a-z0-9_-]*)`, undefined));
  for (const t of policy.tiers) {
    if (!KEY.test(t.name)) ds.push(unsupported(`network key '${t.name}' (Compose allows [a-zA-Z0-9._-])`, t.origin.span));
  }
  const model: ComposeModel = {
    name: composeString(policy.name),
    services: policy.services.map((s) => serviceModel(s, ds)),
    networks: policy.tiers.map((t) => ({ key: yamlKey(t.name), name: composeString(networkName(policy, t)) })),
  };
  return { model, diagnostics: ds };
}
