// kernel test support: installs rules.v4 the way the installer does and reads the result back.
// Input: router namespace + IptablesModel. Output: iptables-save text, per-rule packet counters.
import type { IptablesModel } from '../../src/backends/iptables/model-types.js';
import { inNs } from './exec.js';

/** `iptables-restore -w --noflush` of rules.v4, then the DOCKER-USER jump added only when missing. */
export async function install(router: string, rulesV4: string, model: IptablesModel): Promise<void> {
  await inNs(router, 'iptables-restore', ['-w', '--noflush'], { input: rulesV4 });
  // entryRule is made of validated names and one double-quoted comment: safe to place in sh.
  const e = model.entryRule;
  await inNs(router, 'sh', ['-c', `iptables -w -C DOCKER-USER ${e} 2>/dev/null || iptables -w -I DOCKER-USER 1 ${e}`]);
}

/** All tables, without counters and the timestamped comment lines. */
export async function saveAll(router: string): Promise<string[]> {
  const out = (await inNs(router, 'iptables-save', [])).stdout;
  return out.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

/** `iptables -S CHAIN` lines. */
export async function listChain(router: string, chain: string): Promise<string[]> {
  return (await inNs(router, 'iptables', ['-w', '-S', chain])).stdout.split('\n').filter((l) => l !== '');
}

export interface Counted {
  readonly line: string; // "-A CHAIN args", exactly as iptables-save prints it
  readonly pkts: number;
}

/** Packet counters of the filter table's rules, in order (iptables-save -c). */
export async function counters(router: string): Promise<Counted[]> {
  const out = (await inNs(router, 'iptables-save', ['-c', '-t', 'filter'])).stdout;
  const rows: Counted[] = [];
  for (const l of out.split('\n')) {
    const m = /^\[(\d+):(\d+)\] (-A .*)$/.exec(l);
    if (m) rows.push({ line: m[3]!, pkts: Number(m[1]) });
  }
  return rows;
}

export async function zeroCounters(router: string): Promise<void> {
  await inNs(router, 'iptables', ['-w', '-Z']);
}
