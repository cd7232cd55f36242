// diffPolicies on real policy text (policies/three-tier.policy and edits): flow classes with their
// deciding rules, coalescing, `any` lines, tier and service changes, and the widening summary.
import { describe, expect, it } from 'vitest';
import { diffPolicies } from '../../src/diff/diff.js';
import { loadPolicy } from '../support/policy.js';
import { base, edit, edited } from './fixtures.js';

const FB = 'allow frontend -> backend tcp/8080;';

describe('diffPolicies: flows', () => {
  it('a policy against itself, and against a rewrite deciding alike, reports no change', () => {
    expect(diffPolicies(base(), base()).summary.changed).toBe(false);
    const rewrite = edit(
      [`${FB}\nallow backend -> database tcp/5432;`, 'allow backend -> database tcp/5432; # reordered\nallow frontend -> backend tcp/8080;'],
      ['deny frontend -> database log;', 'deny frontend -> database tcp/1-1000, udp/1-65535 log;\ndeny frontend -> database log;'],
      ['default deny;', ''], // deny is the default's default
    );
    const result = diffPolicies(base(), loadPolicy(rewrite, 'new.policy'));
    expect(result.flows).toEqual([]);
    expect(result.summary).toMatchObject({ changed: false, widens: false });
  });

  it('widening a port range is one newly allowed class, decided by default before and the rule after', () => {
    const result = diffPolicies(base(), edited([FB, 'allow frontend -> backend tcp/8080-8090;']));
    expect(result.flows).toEqual([{
      change: 'newly-allowed', src: 'frontend', dst: 'backend', proto: 'tcp', ports: { lo: 8081, hi: 8090 },
      old: { action: 'deny', log: false, decidedBy: { kind: 'default' } },
      new: { action: 'allow', log: false, decidedBy: { kind: 'rule', file: 'new.policy', line: 8, col: 1 } },
    }]);
    expect(result.summary).toMatchObject({ newlyAllowed: 1, newlyDenied: 0, changed: true, widens: true });
  });

  it('coalesces adjacent classes decided alike, and keeps apart those decided by different rules', () => {
    const old = loadPolicy(edit([FB, 'allow frontend -> backend tcp/8000-8009;\nallow frontend -> backend tcp/8010-8019, tcp/8030;']), 'old.policy');
    // The new rules cut 8000-8019 into three classes; only the decisions matter.
    const neu = loadPolicy(edit([FB, 'allow frontend -> backend tcp/8003, tcp/8005-8006;']), 'new.policy');
    const lines = diffPolicies(old, neu).flows.map((f) => `${f.change} ${f.proto}/${f.ports!.lo}-${f.ports!.hi} ${JSON.stringify(f.old.decidedBy)}`);
    expect(lines).toEqual([
      'newly-denied tcp/8000-8002 {"kind":"rule","file":"old.policy","line":8,"col":1}',
      'newly-denied tcp/8004-8004 {"kind":"rule","file":"old.policy","line":8,"col":1}',
      'newly-denied tcp/8007-8009 {"kind":"rule","file":"old.policy","line":8,"col":1}',
      'newly-denied tcp/8010-8019 {"kind":"rule","file":"old.policy","line":9,"col":1}',
      'newly-denied tcp/8030-8030 {"kind":"rule","file":"old.policy","line":9,"col":1}',
    ]);
  });

  it('a change to the whole pair is one `any` line (dropping `log` from a deny)', () => {
    const result = diffPolicies(base(), edited(['deny frontend -> database log;', 'deny frontend -> database;']));
    expect(result.flows).toEqual([{
      change: 'log-changed', src: 'frontend', dst: 'database', proto: 'any',
      old: { action: 'deny', log: true, decidedBy: { kind: 'rule', file: 'old.policy', line: 10, col: 1 } },
      new: { action: 'deny', log: false, decidedBy: { kind: 'rule', file: 'new.policy', line: 10, col: 1 } },
    }]);
    expect(result.summary).toMatchObject({ logChanged: 1, widens: false });
  });

  it('a changed default shows on every class it decides, and only there', () => {
    const result = diffPolicies(base(), edited(['default deny;', 'default allow;']));
    const backToFront = result.flows.filter((f) => f.src === 'backend' && f.dst === 'frontend');
    expect(backToFront).toHaveLength(1);
    expect(backToFront[0]).toMatchObject({ change: 'newly-allowed', proto: 'any' });
    // frontend -> backend tcp/8080 stays decided by its rule: the pair splits around it.
    const fb = result.flows.filter((f) => f.src === 'frontend' && f.dst === 'backend').map((f) => `${f.proto}${f.ports ? `/${f.ports.lo}-${f.ports.hi}` : ''}`);
    expect(fb).toEqual(['tcp/1-8079', 'tcp/8081-65535', 'udp/1-65535', 'icmp', 'other']);
    expect(result.flows.some((f) => f.src === 'frontend' && f.dst === 'database')).toBe(false);
  });
});

describe('diffPolicies: tiers', () => {
  it('an isolation change is a tier change and an intra-tier flow change', () => {
    const result = diffPolicies(base(), edited(['bridge db-bridge isolated;', 'bridge db-bridge;']));
    expect(result.tiers).toEqual([{
      change: 'changed', name: 'database', fields: [{ field: 'isolated', old: true, new: false }],
      old: { file: 'old.policy', line: 6, col: 1 }, new: { file: 'new.policy', line: 6, col: 1 }, widens: false,
    }]);
    expect(result.flows).toMatchObject([{ change: 'newly-allowed', src: 'database', dst: 'database', proto: 'any',
      old: { decidedBy: { kind: 'intra-tier', isolated: true } }, new: { decidedBy: { kind: 'intra-tier', isolated: false } } }]);
    expect(result.summary.widens).toBe(true);
  });

  it('an added tier says whom it reaches; its flows are not flow changes', () => {
    const result = diffPolicies(base(), edited(
      ['tier database', 'tier cache 172.20.4.0/24 bridge cache-bridge;\ntier database'],
      ['allow backend -> database tcp/5432;', 'allow backend -> database tcp/5432;\nallow backend -> cache tcp/6379;'],
    ));
    expect(result.flows).toEqual([]);
    expect(result.tiers).toMatchObject([{ change: 'added', name: 'cache', tier: { subnet: '172.20.4.0/24', bridge: 'cache-bridge', isolated: false },
      reach: { to: [], from: ['backend'] }, widens: true }]);
    expect(result.summary.widens).toBe(true);
  });

  it('a removed tier, and a changed subnet and bridge', () => {
    const old = loadPolicy('tier a 10.1.0.0/24 bridge br-a;\ntier b 10.2.0.0/24 bridge br-b;\ntier c 10.3.0.0/24 bridge br-c;\nallow a -> b tcp/80;\n', 'old.policy');
    const neu = loadPolicy('tier a 10.1.0.0/24 bridge br-a;\ntier b 10.9.0.0/24 bridge br-b2;\nallow a -> b tcp/80;\n', 'new.policy');
    const result = diffPolicies(old, neu);
    expect(result.tiers.map((t) => [t.change, t.name])).toEqual([['changed', 'b'], ['removed', 'c']]);
    expect(result.tiers[0]).toMatchObject({ fields: [
      { field: 'subnet', old: '10.2.0.0/24', new: '10.9.0.0/24' },
      { field: 'gateway', old: '10.2.0.1', new: '10.9.0.1' },
      { field: 'bridge', old: 'br-b', new: 'br-b2' },
    ] });
    expect(result.flows).toEqual([]);
    expect(result.summary).toMatchObject({ tierChanges: 2, changed: true, widens: false });
  });
});

describe('diffPolicies: services', () => {
  it('reports changed settings; a new published port widens', () => {
    const result = diffPolicies(base(), edited(
      ['image "postgres:16-alpine";', 'image "postgres:17-alpine";\n  publish 127.0.0.1:5432 -> tcp/5432;'],
      ['cap_add CHOWN, SETUID, SETGID, NET_BIND_SERVICE;', 'cap_add SETGID, SETUID, CHOWN;'],
    ));
    expect(result.services).toEqual([
      { change: 'changed', name: 'web', widens: false, fields: [
        { field: 'cap_add', old: ['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE'], new: ['SETGID', 'SETUID', 'CHOWN'], added: [], removed: ['NET_BIND_SERVICE'] },
      ] },
      { change: 'changed', name: 'db', widens: true, fields: [
        { field: 'image', old: ['postgres:16-alpine'], new: ['postgres:17-alpine'], added: ['postgres:17-alpine'], removed: ['postgres:16-alpine'] },
        { field: 'publish', old: [], new: ['127.0.0.1:5432 -> tcp/5432'], added: ['127.0.0.1:5432 -> tcp/5432'], removed: [] },
      ] },
    ]);
    expect(result.summary).toMatchObject({ serviceChanges: 2, widens: true, newlyAllowed: 0 });
  });

  it('added and removed services; joining another tier widens', () => {
    const old = loadPolicy('tier a 10.1.0.0/24 bridge br-a;\ntier b 10.2.0.0/24 bridge br-b;\nservice x { image "x:1"; tiers a; }\nservice y { image "y:1"; tiers a; }\n', 'old.policy');
    const neu = loadPolicy('tier a 10.1.0.0/24 bridge br-a;\ntier b 10.2.0.0/24 bridge br-b;\nservice x { image "x:1"; tiers a, b; }\nservice z { image "z:1"; tiers b; }\n', 'new.policy');
    const result = diffPolicies(old, neu);
    expect(result.services.map((s) => [s.change, s.name, s.widens])).toEqual([['changed', 'x', true], ['added', 'z', false], ['removed', 'y', false]]);
    expect(result.services[0]!.fields).toEqual([{ field: 'tiers', old: ['a'], new: ['a', 'b'], added: ['b'], removed: [] }]);
  });
});

describe('diffPolicies: the outside (world and nets)', () => {
  const WF = 'allow world -> frontend tcp/80;';

  it('a newly allowed edge flow is a flow change from world, and widens', () => {
    const result = diffPolicies(base(), edited([WF, `${WF}\nallow world -> frontend tcp/22;`]));
    expect(result.flows).toEqual([{
      change: 'newly-allowed', src: 'world', dst: 'frontend', proto: 'tcp', ports: { lo: 22, hi: 22 },
      old: { action: 'deny', log: false, decidedBy: { kind: 'default' } },
      new: { action: 'allow', log: false, decidedBy: { kind: 'rule', file: 'new.policy', line: 12, col: 1 } },
    }]);
    expect(result.summary).toMatchObject({ newlyAllowed: 1, netChanges: 0, widens: true });
  });

  it('egress and a changed default show between the tiers and world too', () => {
    const egress = diffPolicies(base(), edited([WF, `${WF}\ndeny backend -> world log;`]));
    expect(egress.flows).toMatchObject([{ change: 'log-changed', src: 'backend', dst: 'world', proto: 'any' }]);
    const open = diffPolicies(base(), edited(['default deny;', 'default allow;']));
    expect(open.flows.filter((f) => f.src === 'world' && f.dst === 'frontend').map((f) => `${f.proto}${f.ports ? `/${f.ports.lo}-${f.ports.hi}` : ''}`))
      .toEqual(['tcp/1-79', 'tcp/81-65535', 'udp/1-65535', 'icmp', 'other']);
    expect(open.flows.some((f) => f.src === 'database' && f.dst === 'world' && f.proto === 'any')).toBe(true);
  });

  it('an added net: its ranges, whom it reaches, and the addresses that left world', () => {
    const result = diffPolicies(base(), edited([WF, `${WF}\nnet office 192.0.2.0/24;\nallow office -> backend tcp/22;`]));
    // office is a new zone: nothing to compare its flows with by name.
    expect(result.flows).toEqual([]);
    expect(result.nets).toEqual([{
      change: 'added', name: 'office', net: { name: 'office', ranges: ['192.0.2.0/24'], origin: { file: 'new.policy', line: 12, col: 1 } },
      reach: { to: ['frontend', 'backend'], from: [] },
      moved: [{ from: 'world', to: 'office', addresses: ['192.0.2.0/24'], newlyAllowed: { to: ['backend'], from: [] }, otherwiseChanged: [] }],
      widens: true,
    }]);
    expect(result.summary).toMatchObject({ netChanges: 1, changed: true, widens: true });
  });

  it('a net that changes nothing but its name for some addresses does not widen', () => {
    const result = diffPolicies(base(), edited([WF, `${WF}\nnet office 192.0.2.0/24;`]));
    expect(result.nets).toMatchObject([{ change: 'added', name: 'office', moved: [], widens: false }]);
    expect(result.summary).toMatchObject({ changed: true, widens: false });
  });

  it('changed ranges: compared by zone name, and the moved addresses say what they gain or lose', () => {
    const net = (ranges: string) => edited([WF, `${WF}\nnet office ${ranges};\nallow office -> backend tcp/22;\ndeny office -> frontend log;`]);
    const old = loadPolicy(edit([WF, `${WF}\nnet office 192.0.2.0/24, 198.51.100.0/24;\nallow office -> backend tcp/22;\ndeny office -> frontend log;`]), 'old.policy');
    const result = diffPolicies(old, net('192.0.2.0/23'));
    expect(result.flows).toEqual([]);
    expect(result.nets).toMatchObject([{
      change: 'changed', name: 'office', old: { ranges: ['192.0.2.0/24', '198.51.100.0/24'] }, new: { ranges: ['192.0.2.0/23'] },
      moved: [
        { from: 'world', to: 'office', addresses: ['192.0.3.0/24'], newlyAllowed: { to: ['backend'], from: [] }, otherwiseChanged: ['frontend'] },
        // world -> frontend tcp/80 comes first, so these addresses lose only the log on frontend, and tcp/22 to backend.
        { from: 'office', to: 'world', addresses: ['198.51.100.0/24'], newlyAllowed: { to: [], from: [] }, otherwiseChanged: ['frontend', 'backend'] },
      ],
      widens: true,
    }]);
    // Written in another order, the same ranges are no change.
    const reordered = diffPolicies(old, net('198.51.100.0/24, 192.0.2.0/24'));
    expect(reordered.summary.changed).toBe(false);
  });

  it('a removed net, and a zone whose name changes only because the nets were declared in another order', () => {
    const two = (order: string) => `tier a 10.1.0.0/24;\n${order}\nallow vpn -> a tcp/22;\n`;
    const ab = loadPolicy(two('net office 192.0.2.0/24;\nnet vpn 192.0.2.0/25;'), 'old.policy');
    const ba = loadPolicy(two('net vpn 192.0.2.0/25;\nnet office 192.0.2.0/24;'), 'new.policy');
    expect(diffPolicies(ab, ba).summary.changed).toBe(false);
    const opened = loadPolicy(two('net vpn 192.0.2.0/25;\nnet office 192.0.2.0/24;').replace('tcp/22', 'tcp/22-23'), 'new.policy');
    expect(diffPolicies(ab, opened).flows.map((f) => `${f.src} -> ${f.dst} ${f.proto}/${f.ports?.lo}`)).toEqual(['vpn+office -> a tcp/23']);
    const gone = diffPolicies(ab, loadPolicy('tier a 10.1.0.0/24;\nnet vpn 192.0.2.0/25;\nallow vpn -> a tcp/22;\n', 'new.policy'));
    expect(gone.nets).toMatchObject([{ change: 'removed', name: 'office', net: { ranges: ['192.0.2.0/24'] }, moved: [], widens: false }]);
  });
});
