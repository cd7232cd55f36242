// test support (installer): a PATH on which docker, iptables & co. are recording stubs and every other
// command is a symlink to a real coreutils/util-linux tool. Nothing on it can reach a real firewall.
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { which } from './support.js';

/** Commands install.sh may change the host with: always stubs, never the real binaries. */
export const STUBBED = ['docker', 'iptables', 'iptables-restore', 'iptables-save', 'modprobe', 'systemctl', 'ip', 'nsenter', 'dockerd'] as const;
/** Plain tools the script needs, linked from the real system. */
const REAL = ['bash', 'cat', 'mktemp', 'rm', 'mkdir', 'sed', 'awk', 'grep', 'cmp', 'stat', 'cp', 'chmod', 'mv', 'head', 'diff', 'flock', 'basename', 'unshare'];

/**
 * Each stub appends "<name> <args>" to $STUB_LOG. Read-only questions get canned answers steered by
 * env: STUB_FW (docker's firewall backend), STUB_JUMP_RC (FORWARD -> DOCKER-USER present: 0),
 * STUB_NETS (a dir whose file NAME is the `network inspect` output of network NAME), STUB_INSPECT_ERR
 * (every `network inspect` fails with that message), STUB_RULES (a file: what `iptables -S` lists). Anything else
 * fails with 97, so a scenario that wrongly reaches a change stops there, and the log shows it.
 */
const STUB = `#!/bin/bash
me=$(basename "$0")
all=$*
printf '%s %s\\n' "$me" "\${all//$'\\n'/\\\\n}" >>"$STUB_LOG"
case "$me $1 $2" in
  "docker info --format")
    case $3 in *FirewallBackend*) printf '%s\\n' "\${STUB_FW-}" ;; *) echo 28.5.2 ;; esac
    exit 0 ;;
  "docker network inspect")
    name=\${!#}
    if [[ -n \${STUB_INSPECT_ERR-} ]]; then echo "$STUB_INSPECT_ERR" >&2; exit 1; fi
    if [[ -n \${STUB_NETS-} && -f $STUB_NETS/$name ]]; then cat "$STUB_NETS/$name"; exit 0; fi
    echo "Error response from daemon: network $name not found" >&2
    exit 1 ;;
esac
if [[ $me == iptables && "$*" == *"-C FORWARD -j DOCKER-USER" ]]; then exit "\${STUB_JUMP_RC:-0}"; fi
if [[ $me == iptables && -n \${STUB_RULES-} && "$*" == "-w "*" -S" ]]; then cat "$STUB_RULES"; exit 0; fi
echo "stub $me: refusing $*" >&2
exit 97
`;

export interface Toolbox {
  readonly path: string;
  readonly log: string;
  calls(): string[];
}

/** Builds the toolbox in dir; `without` leaves some stubs out (to test a missing command). */
export function toolbox(dir: string, without: readonly string[] = []): Toolbox {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const t of REAL) {
    const real = which(t);
    if (!real) throw new Error(`${t} not found`);
    symlinkSync(real, join(bin, t));
  }
  for (const t of STUBBED) {
    if (without.includes(t)) continue;
    writeFileSync(join(bin, t), STUB, { mode: 0o755 });
  }
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  chmodSync(log, 0o666); // the non-root runs log too
  return { path: bin, log, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/** Calls that would change a host (a stub refuses them, but they must not even be tried); reads pass. */
export function mutations(calls: readonly string[]): string[] {
  return calls.filter((c) => !/^docker (info|network inspect) /.test(c) && !/^iptables -w \d+ (-S|-C)( |$)/.test(c));
}
