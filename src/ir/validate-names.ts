// ir: validators for every user-written string that later reaches a generated file.
// Anything that passes here is safe to place in bash, YAML, systemd and iptables artifacts
// (backends still quote for their target; these rules keep the values unsurprising).

/** Returns why `name` is not a valid tier/service/policy name, or undefined when it is. */
export function nameProblem(name: string): string | undefined {
  if (name.length > 63) return 'at most 63 characters';
  if (!/^[a-z]/.test(name)) return 'must start with a lowercase letter';
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return 'only lowercase letters, digits and - are allowed';
  if (name.endsWith('-')) return 'must not end with -';
  // Tier names are Docker network names: these are Docker's predefined networks (host networking
  // would bypass DOCKER-USER entirely).
  if (name === 'host' || name === 'none' || name === 'bridge') return `'${name}' is one of Docker's predefined networks`;
  return undefined;
}

/** Linux interface names: 1-15 bytes, no '/', ':', whitespace, no trailing '+'; we also keep them ASCII. */
export function bridgeProblem(name: string): string | undefined {
  if (name.length === 0 || Buffer.byteLength(name) > 15) return 'must be 1-15 bytes';
  if (name === '.' || name === '..') return 'is reserved';
  if (/[/:\s]/.test(name)) return "must not contain '/', ':' or whitespace";
  if (name.endsWith('+')) return "must not end with '+'";
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return 'only letters, digits, _ . - are allowed';
  return undefined;
}

// Interface names a tier bridge must not take: install.sh asks Docker for a bridge of that name
// (docker network create -o com.docker.network.bridge.name=...), and the name then stands for the
// tier wherever tierwall and Docker match on it. A name the host or Docker already uses would make
// Docker take over (or fail on) that interface.
const HOST_INTERFACES: readonly [RegExp, string][] = [
  [/^lo$/, "is the host's loopback interface"],
  [/^(all|default)$/, 'names the /proc/sys/net/ipv4/conf/{all,default} settings, not an interface'],
  [/^docker0$/, "is Docker's default bridge"],
  [/^docker_gwbridge$/, "is the bridge Docker creates for swarm overlay networks"],
  [/^br-[0-9a-f]{12}$/, 'is how Docker names the bridges of the networks it creates'],
  [/^veth/, "is how Docker names containers' veth interfaces"],
  [/^(eth|wlan)[0-9]+$/, "is the name of a host's network card"],
  // systemd's predictable names: eno1, ens33, enp0s3, enx001122334455, wlp2s0, wwan: a network card.
  [/^(en|wl|ww)(o[0-9]|s[0-9]|p[0-9]|P[0-9]|x[0-9a-f]{12}$|b[0-9]|c[0-9]|an)/, "is the name of a host's network card (systemd's predictable names)"],
];

/** Why `name` must not be a tier bridge because the host or Docker owns it, or undefined. */
export function hostInterfaceProblem(name: string): string | undefined {
  for (const [re, reason] of HOST_INTERFACES) if (re.test(name)) return reason;
  return undefined;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE = new RegExp(
  `^(?:${COMPONENT}(?::[0-9]{1,5})?/)?${COMPONENT}(?:/${COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);

/** Docker image references: [registry[:port]/]path[:tag][@sha256:digest]. */
export function isValidImage(image: string): boolean {
  return image.length <= 255 && IMAGE.test(image);
}

const ID = '(?:[a-z_][a-z0-9_-]{0,31}|[0-9]{1,10})';
const USER = new RegExp(`^${ID}(?::${ID})?$`);

/** USER, UID, USER:GROUP or UID:GID. */
export function isValidUser(user: string): boolean {
  return USER.test(user);
}

/** Absolute container path, optionally with tmpfs options `:size=64m,mode=1777`. */
export function pathProblem(path: string, allowOptions: boolean): string | undefined {
  let p = path;
  const colon = p.indexOf(':');
  if (colon >= 0) {
    if (!allowOptions) return "':' is not allowed";
    // Only options that keep the hardening: exec, suid and dev would weaken it.
    for (const opt of p.slice(colon + 1).split(',')) {
      if (!/^(size=[0-9]+[kmg]?|mode=[0-7]{3,4}|uid=[0-9]+|gid=[0-9]+|noexec|nosuid|nodev|ro|rw)$/.test(opt)) {
        return `tmpfs option '${opt}' is not allowed (size=, mode=, uid=, gid=, noexec, nosuid, nodev, ro, rw)`;
      }
    }
    p = p.slice(0, colon);
  }
  if (!p.startsWith('/')) return 'must be absolute';
  if (!/^[A-Za-z0-9._/@+-]+$/.test(p)) return 'only letters, digits and . _ / @ + - are allowed';
  if (p.split('/').some((c) => c === '..' || c === '.')) return "must not contain '.' or '..' components";
  return undefined;
}

export function isValidEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** Linux capabilities as Docker spells them (without the CAP_ prefix). */
export const CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'BPF', 'CHECKPOINT_RESTORE', 'CHOWN',
  'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE',
  'LINUX_IMMUTABLE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_BROADCAST',
  'NET_RAW', 'PERFMON', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYSLOG', 'SYS_ADMIN', 'SYS_BOOT',
  'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE', 'SYS_PACCT', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME',
  'SYS_TTY_CONFIG', 'WAKE_ALARM',
]);
