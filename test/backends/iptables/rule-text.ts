// test support: splits one iptables rule (the arguments after `-A CHAIN`) into the fields the
// targeted tests look at. Not a general reader: it knows only what model.ts emits.
import type { Interval } from '../../../src/ir/ports.js';

export interface RuleFields {
  readonly src?: string;
  readonly dst?: string;
  readonly proto?: string;
  /** Destination ports of --dport / --dports, as intervals. */
  readonly dports?: Interval[];
  readonly conntrack: boolean;
  readonly limit: boolean;
  readonly comment?: string;
  readonly target: string;
  readonly logPrefix?: string;
  /** The rule without target and target options: what the packet must match. */
  readonly match: string;
}

/** Shell-like split: double quotes group, no escapes (model.ts never emits any). */
export function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2]!);
  return out;
}

function intervals(spec: string): Interval[] {
  return spec.split(',').map((p) => {
    const [lo, hi] = p.split(':').map(Number);
    return { lo: lo!, hi: hi ?? lo! };
  });
}

export function parseRule(text: string): RuleFields {
  const t = tokens(text);
  const get = (flag: string): string | undefined => {
    const i = t.indexOf(flag);
    return i < 0 ? undefined : t[i + 1];
  };
  // Everything before the target, without the comment and the rate limit (LOG and its verdict
  // differ only in those).
  const padded = ` ${text}`;
  const match = padded
    .slice(0, padded.indexOf(' -j '))
    .replace(/ -m comment --comment "[^"]*"/, '')
    .replace(/ -m limit --limit \S+ --limit-burst \S+/, '')
    .trim();
  const dport = get('--dport') ?? get('--dports');
  return {
    src: get('-s'),
    dst: get('-d'),
    proto: get('-p'),
    dports: dport === undefined ? undefined : intervals(dport),
    conntrack: t.includes('conntrack'),
    limit: t.includes('limit'),
    comment: get('--comment'),
    target: get('-j') ?? '',
    logPrefix: get('--log-prefix'),
    match,
  };
}
