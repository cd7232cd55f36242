// Service checks: address-outside-subnet, duplicate-address, publish-conflict, service-bridges-deny.
import { describe, expect, it } from 'vitest';
import { serviceChecks } from '../../src/checks/service-checks.js';
import { bind, policy, rule, service, spanOf, tcp, tier } from './build-ir.js';

const tiers = [tier('frontend', '172.20.1.0/24'), tier('backend', '172.20.2.0/24'), tier('database', '172.20.3.0/24', { isolated: true })];

describe('static addresses', () => {
  it('address-outside-subnet: outside, network, broadcast and gateway addresses', () => {
    const p = policy({
      tiers,
      services: [
        service('ok', ['frontend'], { addresses: [{ tier: 'frontend', address: '172.20.1.10' }] }),
        service('out', ['frontend'], { addresses: [{ tier: 'frontend', address: '172.20.2.10' }] }),
        service('net', ['backend'], { addresses: [{ tier: 'backend', address: '172.20.2.0' }] }),
        service('bcast', ['backend'], { addresses: [{ tier: 'backend', address: '172.20.2.255' }] }),
        service('gw', ['database'], { addresses: [{ tier: 'database', address: '172.20.3.1' }] }),
      ],
    });
    const ds = serviceChecks.run(p);
    expect(ds.map((d) => [d.code, d.span, d.related[0]!.span])).toEqual([
      ['address-outside-subnet', spanOf(p.services[1]!), spanOf(p.tiers[0]!)],
      ['address-outside-subnet', spanOf(p.services[2]!), spanOf(p.tiers[1]!)],
      ['address-outside-subnet', spanOf(p.services[3]!), spanOf(p.tiers[1]!)],
      ['address-outside-subnet', spanOf(p.services[4]!), spanOf(p.tiers[2]!)],
    ]);
    expect(ds[0]!.message).toBe("address 172.20.2.10 is not a usable host address of tier 'frontend' (172.20.1.0/24)");
    expect(ds[3]!.hints[0]).toContain('gateway');
  });

  it('duplicate-address: on the later service, related to the first', () => {
    const at = (address: string) => ({ addresses: [{ tier: 'backend', address }] });
    const p = policy({ tiers, services: [service('a', ['backend'], at('172.20.2.10')), service('b', ['backend'], at('172.20.2.11')), service('c', ['backend'], at('172.20.2.10'))] });
    const ds = serviceChecks.run(p);
    expect(ds.map((d) => [d.code, d.span, d.related[0]!.span])).toEqual([['duplicate-address', spanOf(p.services[2]!), spanOf(p.services[0]!)]]);
    expect(ds[0]!.message).toBe("address 172.20.2.10 is already used by service 'a'");
  });
});

describe('publish-conflict', () => {
  it('same host address, port and protocol twice', () => {
    const p = policy({
      tiers,
      services: [
        service('a', ['frontend'], { publish: [bind('127.0.0.1', 8080), bind('127.0.0.1', 8080, 'udp')] }),
        service('b', ['frontend'], { publish: [bind('127.0.0.2', 8080), bind('127.0.0.1', 8080)] }),
      ],
    });
    const ds = serviceChecks.run(p);
    expect(ds.map((d) => [d.code, d.span, d.related.map((r) => r.span)])).toEqual([['publish-conflict', spanOf(p.services[1]!), [spanOf(p.services[0]!)]]]);
    expect(ds[0]!.message).toBe('host port 127.0.0.1:8080/tcp is published twice');
  });

  it('0.0.0.0 conflicts with any address on the same port and protocol, in either order', () => {
    const p = policy({
      tiers,
      services: [
        service('a', ['frontend'], { publish: [bind('10.1.1.1', 443)] }),
        service('b', ['frontend'], { publish: [bind('0.0.0.0', 443)] }),
        service('c', ['frontend'], { publish: [bind('0.0.0.0', 80)] }),
        service('d', ['frontend'], { publish: [bind('10.1.1.1', 80)] }),
      ],
    });
    const ds = serviceChecks.run(p);
    expect(ds.map((d) => [d.span, d.related[0]!.span])).toEqual([
      [spanOf(p.services[1]!), spanOf(p.services[0]!)],
      [spanOf(p.services[3]!), spanOf(p.services[2]!)],
    ]);
  });

  it('the same service twice has no other service to relate', () => {
    const p = policy({ tiers, services: [service('a', ['frontend'], { publish: [bind('0.0.0.0', 80), bind('0.0.0.0', 80, 'tcp', 8080)] })] });
    expect(serviceChecks.run(p).map((d) => [d.code, d.related])).toEqual([['publish-conflict', []]]);
  });
});

describe('service-bridges-deny', () => {
  const rules = [
    rule('allow', ['frontend'], ['backend'], [tcp(8080)]),
    rule('allow', ['backend'], ['database'], [tcp(5432)]),
    rule('deny', ['frontend'], ['database'], 'all', { log: true }),
  ];

  it('names a denied flow, on a port the destination listens on, and the rule that denies it', () => {
    const p = policy({ tiers, rules, services: [service('hub', ['frontend', 'database'])], defaultAction: 'deny' });
    const ds = serviceChecks.run(p);
    expect(ds.map((d) => [d.code, d.severity, d.span, d.related[0]!.span])).toEqual([['service-bridges-deny', 'warning', spanOf(p.services[0]!), spanOf(p.rules[2]!)]]);
    expect(ds[0]!.message).toBe("service 'hub' joins tiers 'frontend' and 'database', bridging traffic the policy denies (frontend -> database tcp/5432)");
  });

  it('a flow denied by the default points at the default statement', () => {
    const p = policy({ tiers, rules, services: [service('api', ['backend', 'database'])], defaultAction: 'deny' });
    const ds = serviceChecks.run(p);
    // backend -> database allows only tcp/5432; tcp/1 is left to the default.
    expect(ds[0]!.message).toContain('(backend -> database tcp/1)');
    expect(ds[0]!.related[0]!.span.start).toBe(300000);
  });

  it('nothing when every flow both ways is allowed; one diagnostic per tier pair otherwise', () => {
    const open = policy({ tiers, rules: [rule('allow', ['frontend', 'backend'], ['frontend', 'backend'])], services: [service('x', ['frontend', 'backend'])] });
    expect(serviceChecks.run(open)).toEqual([]);
    const three = policy({ tiers, rules, services: [service('y', ['frontend', 'backend', 'database'])] });
    expect(serviceChecks.run(three).map((d) => d.message.match(/tiers '(\w+)' and '(\w+)'/)!.slice(1))).toEqual([
      ['frontend', 'backend'],
      ['frontend', 'database'],
      ['backend', 'database'],
    ]);
  });
});
