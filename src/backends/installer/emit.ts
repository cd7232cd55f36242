// backends/installer: renders install.sh from an InstallerModel. Every value is quoted here (bash
// words, heredoc delimiters); templates/installer/*.sh.hbs only place them. Input: model. Output: text.
import { registerPartialFile, render } from '../shared/render.js';
import { OWNER_LABEL, type InstallerModel } from './model.js';
import { heredoc, shellArray, shellQuote } from './shell.js';

/** The parts of install.sh, registered as partials `installer/<name>` (one file each, for size). */
const PARTIALS = ['common', 'networks', 'chains', 'ipv6', 'verify', 'cleanup', 'persist', 'status', 'metrics', 'notify', 'apply'] as const;

/**
 * What `docker ... --format` prints for a network: the fields install.sh compares, one per line
 * (see net_inspect). `index` yields "" for an absent option or label, on every engine.
 */
export const NET_FORMAT = [
  '{{.Name}}',
  '{{.Driver}}',
  '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}};{{end}}',
  '{{index .Options "com.docker.network.bridge.name"}}',
  '{{index .Options "com.docker.network.bridge.enable_icc"}}',
  '{{index .Options "com.docker.network.bridge.trusted_host_interfaces"}}',
  `{{index .Labels "${OWNER_LABEL}"}}`,
  '{{len .Containers}}',
  '{{.EnableIPv6}}',
].join('\n');
/** Docker >= 28 reports its firewall backend; `with` prints nothing on engines without the field. */
export const FIREWALL_FORMAT = '{{with .FirewallBackend}}{{.Driver}}{{end}}';

let registered = false;
function registerPartials(): void {
  if (registered) return;
  for (const name of PARTIALS) {
    registerPartialFile(`installer/${name}`, `installer/${name}.sh.hbs`);
  }
  registered = true;
}

const mode = (m: number): string => m.toString(8).padStart(4, '0');

/** One line per network for --help. */
function summary(model: InstallerModel): string {
  return model.networks
    .map((n) => {
      const extra = [n.icc === 'false' ? 'isolated' : '', n.trusted ? `trusts ${n.trusted}` : ''].filter(Boolean).join(', ');
      return `  ${n.name}  ${n.subnet}  ${n.gateway}${n.subnet6 ? `  ${n.subnet6}  ${n.gateway6}` : ''}  ${n.bridge}${extra ? `  (${extra})` : ''}\n`;
    })
    .join('');
}

export function renderInstaller(model: InstallerModel): string {
  registerPartials();
  // rules.v4 is loaded from the same function it is installed from: one copy in the script.
  const fnOf = (path: string, i: number): string =>
    path === model.layout.rules ? 'rules_v4' : path === model.layout.rules6 ? 'rules_v6' : `payload_${i}`;
  const payloads = model.files.map((f, i) => ({ fn: fnOf(f.path, i), ...heredoc(`TIERWALL_${fnOf(f.path, i).toUpperCase()}`, f.content) }));
  if (!payloads.some((p) => p.fn === 'rules_v4')) throw new Error('rules.v4 is not among the installed files');
  const nets = model.networks;
  const mon = model.monitoring;
  const q = {
    policy: shellQuote(model.policy),
    mainChain: shellQuote(model.mainChain),
    chains: shellArray(model.chains),
    ownChainPattern: shellQuote(model.ownChainPattern),
    entryRule: shellArray(model.entryRule),
    entryRuleText: shellQuote(model.entryRuleText),
    ipv6Tiers: shellQuote(model.ipv6Tiers.join(', ')),
    isolatedIpv6Tiers: shellQuote(model.isolatedIpv6Tiers.join(', ')),
    chains6: shellArray(model.chains6),
    netName: shellArray(nets.map((n) => n.name)),
    netSubnet: shellArray(nets.map((n) => n.subnet)),
    netGateway: shellArray(nets.map((n) => n.gateway)),
    netSubnet6: shellArray(nets.map((n) => n.subnet6)),
    netGateway6: shellArray(nets.map((n) => n.gateway6)),
    netBridge: shellArray(nets.map((n) => n.bridge)),
    netIcc: shellArray(nets.map((n) => n.icc)),
    netTrusted: shellArray(nets.map((n) => n.trusted)),
    isolatedTiers: shellQuote(model.isolatedTiers.join(', ')),
    ownerLabel: shellQuote(OWNER_LABEL),
    stateDir: shellQuote(model.layout.stateDir),
    scriptPath: shellQuote(model.layout.script),
    lockFile: shellQuote(model.layout.lockFile),
    rsyslogConf: shellQuote(model.layout.rsyslogConf),
    unitService: shellQuote(model.units.service),
    unitTimer: shellQuote(model.units.monitorTimer),
    unitPaths: shellArray([model.units.service, model.units.monitorService, model.units.monitorTimer].map((u) => `${model.layout.unitDir}/${u}`)),
    filePath: shellArray(model.files.map((f) => f.path)),
    fileMode: shellArray(model.files.map((f) => mode(f.mode))),
    fileFn: shellArray(payloads.map((p) => p.fn)),
    netFormat: shellQuote(NET_FORMAT),
    netListFormat: shellQuote('{{.Name}}'),
    firewallFormat: shellQuote(FIREWALL_FORMAT),
    versionFormat: shellQuote('{{.ServerVersion}}'),
    ruleTag: shellArray(mon.rules.map((r) => r.tag)),
    ruleAction: shellArray(mon.rules.map((r) => r.action)),
    ruleText: shellArray(mon.rules.map((r) => r.text)),
    ruleLogPrefix: shellArray(mon.rules.map((r) => r.logPrefix)),
    ruleLabels: shellArray(mon.rules.map((r) => r.labels)),
    netLabels: shellArray(mon.networkLabels),
    policyLabels: shellQuote(mon.policyLabels),
    policyInfoLabels: shellQuote(mon.policyInfoLabels),
    policyHash: shellQuote(mon.hash),
    logFile: shellQuote(model.layout.logFile),
    applyStateFile: shellQuote(model.layout.applyStateFile),
    metricsFile: shellQuote(model.layout.metricsFile),
    alertConfigFile: shellQuote(model.layout.alertConfigFile),
    alertStateFile: shellQuote(model.layout.alertStateFile),
  };
  return render('installer/install.sh.hbs', {
    policy: model.policy,
    q,
    networks: nets.map((n, index) => ({ index, command: shellArray(n.createArgs) })),
    summary: summary(model),
    payloads,
    xtablesWait: model.xtablesWait,
    lockWait: model.lockWait,
    metricsFile: model.layout.metricsFile,
    alertConfigFile: model.layout.alertConfigFile,
  });
}
