// The ruleset's edge lines (edge.ts): exact shapes for a policy with nets and world both ways.
// Semantics are the validator's and the kernel test's; this pins the layout docs/semantics.md shows.
import { describe, expect, it } from 'vitest';
import { buildIptables } from '../../../src/backends/iptables/model.js';
import { edgePolicy } from './edge-policy.js';

const m = buildIptables(edgePolicy());
const chain = (name: string): readonly string[] => m.chains.find((c) => c.name === name)!.rules;
const c = (tag: string): string => `-m comment --comment "edge:${tag}"`;
const log = (tag: string): string => `-m limit --limit 10/min --limit-burst 20 ${c(tag)} -j LOG --log-prefix "tw:edge:${tag} "`;

describe('edge chains', () => {
  it('main: tiers by destination, then by source to their egress chain or the default, then foreign', () => {
    expect(chain('TW-EDGE')).toEqual([
      `-m conntrack --ctstate RELATED,ESTABLISHED ${c('established')} -j ACCEPT`,
      `-d 10.60.1.0/24 ${c('to:web')} -j TW-EDGE_D`,
      `-d 10.60.2.0/24 ${c('to:app')} -j TW-EDGE_D`,
      `-s 10.60.1.0/24 ${c('out:web')} -j TW-EDGE_E0`,
      `-s 10.60.2.0/24 ${c('out:app')} -j TW-EDGE_E1`,
      `${c('foreign')} -j RETURN`,
    ]);
  });

  it('dispatch: tier sources, then ingress in policy order by --ctorigdstport, then the default per tier', () => {
    const orig = (proto: string, p: string): string => `-p ${proto} -m conntrack --ctorigdstport ${p} --ctdir ORIGINAL`;
    expect(chain('TW-EDGE_D').slice(2)).toEqual([
      // world -> web: no -s (only sources outside the tiers get here); one line per merged interval.
      `-d 10.60.1.0/24 ${orig('tcp', '80')} ${log('L10')}`,
      `-d 10.60.1.0/24 ${orig('tcp', '80')} ${c('L10')} -j ACCEPT`,
      `-d 10.60.1.0/24 ${orig('tcp', '443')} ${log('L10')}`,
      `-d 10.60.1.0/24 ${orig('tcp', '443')} ${c('L10')} -j ACCEPT`,
      `-d 10.60.1.0/24 ${orig('udp', '1000:3000')} ${log('L10')}`,
      `-d 10.60.1.0/24 ${orig('udp', '1000:3000')} ${c('L10')} -j ACCEPT`,
      // office -> app: per range of the net.
      `-s 198.19.0.0/24 -d 10.60.2.0/24 ${orig('tcp', '22')} ${c('L11')} -j ACCEPT`,
      `-s 198.19.0.0/24 -d 10.60.2.0/24 -p icmp ${c('L11')} -j ACCEPT`,
      `-s 198.19.8.0/24 -d 10.60.2.0/24 ${orig('tcp', '22')} ${c('L11')} -j ACCEPT`,
      `-s 198.19.8.0/24 -d 10.60.2.0/24 -p icmp ${c('L11')} -j ACCEPT`,
      // vpn -> any: no -d.
      `-s 198.19.0.128/25 ${log('L12')}`,
      `-s 198.19.0.128/25 ${c('L12')} -j DROP`,
      // world -> any: neither end would scope the line, so one per tier.
      `-d 10.60.1.0/24 ${orig('tcp', '23')} ${c('L13')} -j DROP`,
      `-d 10.60.2.0/24 ${orig('tcp', '23')} ${c('L13')} -j DROP`,
      `-d 10.60.1.0/24 ${c('default')} -j DROP`,
      `-d 10.60.2.0/24 ${c('default')} -j DROP`,
    ]);
  });

  it('egress: per source, its rules in policy order with plain --dport, then the default unless decided', () => {
    // web: any -> world udp/53, then web -> world (all traffic): nothing is left for the default.
    expect(chain('TW-EDGE_E0')).toEqual([
      `-s 10.60.1.0/24 -p udp -m udp --dport 53 ${c('L15')} -j ACCEPT`,
      `-s 10.60.1.0/24 ${c('L16')} -j ACCEPT`,
    ]);
    expect(chain('TW-EDGE_E1')).toEqual([
      `-s 10.60.2.0/24 -d 198.19.0.0/24 -p tcp -m tcp --dport 5432 ${c('L14')} -j ACCEPT`,
      `-s 10.60.2.0/24 -d 198.19.8.0/24 -p tcp -m tcp --dport 5432 ${c('L14')} -j ACCEPT`,
      `-s 10.60.2.0/24 -p udp -m udp --dport 53 ${c('L15')} -j ACCEPT`,
      `-s 10.60.2.0/24 ${c('default')} -j DROP`,
    ]);
  });

  it('keeps rules to the outside out of the tier chains (no empty shared chain for `any -> world`)', () => {
    expect(m.chains.map((ch) => ch.name)).toEqual(['TW-EDGE', 'TW-EDGE_D', 'TW-EDGE_S0', 'TW-EDGE_S1', 'TW-EDGE_E0', 'TW-EDGE_E1']);
    expect(chain('TW-EDGE_S0')).toEqual([
      `-s 10.60.1.0/24 -d 10.60.1.0/24 ${c('intra:web')} -j ACCEPT`,
      `-s 10.60.1.0/24 -d 10.60.2.0/24 -p tcp -m tcp --dport 8080 ${c('L9')} -j ACCEPT`,
      `-s 10.60.1.0/24 ${c('default')} -j DROP`,
    ]);
  });
});
