// backends/installer: every decision install.sh acts on, pure. Input: Policy IR plus the compiled
// iptables model and the systemd/logging artifacts it installs. Output: InstallerModel (networks with
// their exact `docker network create` argv, owned chains, entry rule, files to persist, paths).
import type { Policy, Tier } from '../../ir/types.js';
import type { Artifact } from '../types.js';
import type { IptablesModel } from '../iptables/model-types.js';
import { mainChainName, OWNED_SUFFIX } from '../shared/names.js';
import { networkName } from '../shared/network-name.js';
import { artifactLogrotate, artifactRsyslog, artifactUnit, hostLayout, unitNames, type HostLayout, type UnitNames } from './layout.js';
import { splitRuleArgs } from './shell.js';
import { trustedSources } from './trusted.js';
import { buildMonitoring, type MonitoringModel } from './monitoring.js';

/** Docker label on every network install.sh creates: cleanup removes only networks carrying it. */
export const OWNER_LABEL = 'tierwall.policy';
/** Seconds iptables and iptables-restore wait for the xtables lock (-w): bounded, never forever. */
export const XTABLES_WAIT = 30;
/** Seconds install.sh waits for another run of the same policy (flock -w). */
export const LOCK_WAIT = 120;

/** One tier's Docker network, as install.sh creates it and as --verify expects it. */
export interface InstallerNetwork {
  readonly tier: string;
  readonly name: string;
  readonly subnet: string;
  readonly gateway: string;
  /** The tier's IPv6 prefix and gateway ('' for an IPv4-only tier): the network is created with --ipv6. */
  readonly subnet6: string;
  readonly gateway6: string;
  readonly bridge: string;
  /** com.docker.network.bridge.enable_icc as Docker reports it ("true" when the option is absent). */
  readonly icc: 'true' | 'false';
  /** com.docker.network.bridge.trusted_host_interfaces: source bridges joined by ':' ('' when none). */
  readonly trusted: string;
  /** argv after `docker`: network create ... NAME. */
  readonly createArgs: readonly string[];
}

/** A file install.sh writes under --root (its own copy is handled separately). */
export interface PersistedFile {
  /** Absolute host path. */
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

export interface InstallerModel {
  readonly policy: string;
  readonly mainChain: string;
  /** Chains of the compiled ruleset, main chain first. */
  readonly chains: readonly string[];
  /** POSIX ERE matching every chain any version of this policy can own (names.ts isOwnedChain). */
  readonly ownChainPattern: string;
  /** The DOCKER-USER rule as argv words, and as iptables-save prints it (verify's fallback). */
  readonly entryRule: readonly string[];
  readonly entryRuleText: string;
  /** rules.v4: the one iptables-restore --noflush transaction. */
  readonly rulesV4: string;
  /** Dual-stack tiers, and the chains of rules.v6 (both empty when the policy has no IPv6). */
  readonly ipv6Tiers: readonly string[];
  /** Isolated dual-stack tiers: their IPv6 traffic inside the bridge reaches ip6tables only through br_netfilter. */
  readonly isolatedIpv6Tiers: readonly string[];
  readonly chains6: readonly string[];
  readonly networks: readonly InstallerNetwork[];
  /** Isolated tiers need br_netfilter: traffic inside one bridge reaches iptables only through it. */
  readonly isolatedTiers: readonly string[];
  readonly layout: HostLayout;
  readonly units: UnitNames;
  /** Written under --root by a persisting apply, in this order; removed by --cleanup. */
  readonly files: readonly PersistedFile[];
  readonly xtablesWait: number;
  readonly lockWait: number;
  /** What --status and --metrics report. */
  readonly monitoring: MonitoringModel;
}

export interface InstallerInputs {
  readonly iptables: IptablesModel;
  readonly rulesV4: string;
  /** The IPv6 model and rules.v6 when the policy has dual-stack tiers. */
  readonly ip6tables?: IptablesModel;
  readonly rulesV6?: string;
  /** The systemd backend's three units and the logging backend's two files. */
  readonly units: readonly Artifact[];
  readonly logging: readonly Artifact[];
}

/** The ERE form of names.ts isOwnedChain(): the main chain and its sub-chains (OWNED_SUFFIX). */
export function ownChainPattern(policyName: string): string {
  const main = mainChainName(policyName).replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
  return `^${main}(${OWNED_SUFFIX})?$`;
}

function networkOf(policy: Policy, t: Tier, trusted: readonly string[]): InstallerNetwork {
  const name = networkName(policy, t);
  const icc = t.isolated ? 'false' : 'true';
  const joined = trusted.join(':');
  // Dual stack: --ipv6 and a second --subnet/--gateway pair after IPv4's (Docker pairs them in order and
  // lists IPAM configs in that order). The gateway is given, as IPv4's: Docker reports it only then.
  const v6 = t.ipv6 ? ['--ipv6', '--subnet', t.ipv6.text, '--gateway', t.ipv6.gateway] : [];
  const args = ['network', 'create', '--driver', 'bridge', '--subnet', t.subnet.text, '--gateway', t.gateway, ...v6,
    '-o', `com.docker.network.bridge.name=${t.bridge}`];
  // Options are passed only when they differ from Docker's defaults, so a network an operator
  // created by hand with the same settings compares equal.
  if (icc === 'false') args.push('-o', 'com.docker.network.bridge.enable_icc=false');
  if (joined !== '') args.push('-o', `com.docker.network.bridge.trusted_host_interfaces=${joined}`);
  args.push('--label', `${OWNER_LABEL}=${policy.name}`, name);
  return {
    tier: t.name, name, subnet: t.subnet.text, gateway: t.gateway, subnet6: t.ipv6?.text ?? '', gateway6: t.ipv6?.gateway ?? '',
    bridge: t.bridge, icc, trusted: joined, createArgs: args,
  };
}

export function buildInstaller(policy: Policy, inputs: InstallerInputs): InstallerModel {
  const layout = hostLayout(policy.name);
  const units = unitNames(policy.name);
  const bridgeOf = new Map(policy.tiers.map((t) => [t.name, t.bridge]));
  const trusted = trustedSources(policy);
  const networks = policy.tiers.map((t) => networkOf(policy, t, (trusted.get(t.name) ?? []).map((s) => bridgeOf.get(s)!)));
  const byPath = new Map([...inputs.units, ...inputs.logging].map((a) => [a.path, a]));
  // Each installed file is the artifact of the backend that owns it, placed at its host path.
  const file = (artifact: string, path: string): PersistedFile => {
    const a = byPath.get(artifact);
    if (!a) throw new Error(`artifact ${artifact} missing`);
    return { path, content: a.content, mode: a.mode };
  };
  const unitFile = (unit: string): PersistedFile => file(artifactUnit(unit), `${layout.unitDir}/${unit}`);
  return {
    policy: policy.name,
    mainChain: inputs.iptables.mainChain,
    chains: inputs.iptables.chains.map((c) => c.name),
    ownChainPattern: ownChainPattern(policy.name),
    entryRule: splitRuleArgs(inputs.iptables.entryRule),
    entryRuleText: inputs.iptables.entryRule,
    rulesV4: inputs.rulesV4,
    ipv6Tiers: policy.tiers.filter((t) => t.ipv6).map((t) => t.name),
    isolatedIpv6Tiers: policy.tiers.filter((t) => t.ipv6 && t.isolated).map((t) => t.name),
    chains6: inputs.ip6tables?.chains.map((c) => c.name) ?? [],
    networks,
    isolatedTiers: policy.tiers.filter((t) => t.isolated).map((t) => t.name),
    layout,
    units,
    files: [
      { path: layout.rules, content: inputs.rulesV4, mode: 0o644 },
      ...(inputs.rulesV6 === undefined ? [] : [{ path: layout.rules6, content: inputs.rulesV6, mode: 0o644 }]),
      unitFile(units.service),
      unitFile(units.monitorService),
      unitFile(units.monitorTimer),
      file(artifactRsyslog(policy.name), layout.rsyslogConf),
      file(artifactLogrotate(policy.name), layout.logrotateConf),
    ],
    xtablesWait: XTABLES_WAIT,
    lockWait: LOCK_WAIT,
    monitoring: buildMonitoring(policy, inputs.rulesV4),
  };
}
