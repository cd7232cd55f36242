// Evaluator table tests: the semantics of docs/semantics.md, case by case.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Evaluator, type Flow } from '../../src/eval/evaluate.js';
import { decideAllClasses } from '../../src/eval/flow-classes.js';
import { loadPolicy } from '../support/policy.js';

const three = loadPolicy(readFileSync('policies/three-tier.policy', 'utf8'), 'policies/three-tier.policy');

function verdict(ev: Evaluator, flow: Flow): string {
  const v = ev.evaluate(flow);
  const why = v.reason.kind === 'rule' ? `L${v.reason.rule.origin.line}` : v.reason.kind;
  return `${v.action}${v.log ? '+log' : ''} ${why}`;
}

describe('three-tier', () => {
  const ev = new Evaluator(three);
  it.each<[Flow, string]>([
    [{ src: 'frontend', dst: 'backend', proto: 'tcp', port: 8080 }, 'allow L8'],
    [{ src: 'frontend', dst: 'backend', proto: 'tcp', port: 8081 }, 'deny default'],
    [{ src: 'frontend', dst: 'backend', proto: 'udp', port: 8080 }, 'deny default'],
    [{ src: 'backend', dst: 'database', proto: 'tcp', port: 5432 }, 'allow L9'],
    [{ src: 'frontend', dst: 'database', proto: 'tcp', port: 5432 }, 'deny+log L10'],
    [{ src: 'frontend', dst: 'database', proto: 'icmp' }, 'deny+log L10'],
    [{ src: 'frontend', dst: 'database', proto: 'other' }, 'deny+log L10'],
    [{ src: 'database', dst: 'backend', proto: 'tcp', port: 5432 }, 'deny default'],
    [{ src: 'frontend', dst: 'frontend', proto: 'tcp', port: 1 }, 'allow intra-tier'],
    [{ src: 'database', dst: 'database', proto: 'tcp', port: 5432 }, 'deny intra-tier'],
  ])('%j -> %s', (flow, expected) => {
    expect(verdict(ev, flow)).toBe(expected);
  });
  it('maps addresses to tiers', () => {
    expect(ev.tierOfAddress('172.20.2.200')?.name).toBe('backend');
    expect(ev.tierOfAddress('172.20.4.1')).toBeUndefined();
    expect(ev.tierOfAddress('not-an-ip')).toBeUndefined();
  });
});

describe('first match, any, default allow', () => {
  const p = loadPolicy(`
tier a 10.1.0.0/24;
tier b 10.2.0.0/24;
tier c 10.3.0.0/24 isolated;
deny a -> b tcp/22 log;
allow any -> b tcp/1-1024, udp/53;
allow any -> c icmp;
default allow;
`);
  const ev = new Evaluator(p);
  it.each<[Flow, string]>([
    [{ src: 'a', dst: 'b', proto: 'tcp', port: 22 }, 'deny+log L5'],
    [{ src: 'a', dst: 'b', proto: 'tcp', port: 23 }, 'allow L6'],
    [{ src: 'c', dst: 'b', proto: 'tcp', port: 22 }, 'allow L6'],
    [{ src: 'a', dst: 'b', proto: 'udp', port: 53 }, 'allow L6'],
    [{ src: 'a', dst: 'b', proto: 'tcp', port: 2000 }, 'allow default'],
    [{ src: 'a', dst: 'c', proto: 'icmp' }, 'allow L7'],
    // `any` never reopens an isolated tier to itself.
    [{ src: 'c', dst: 'c', proto: 'icmp' }, 'deny intra-tier'],
  ])('%j -> %s', (flow, expected) => {
    expect(verdict(ev, flow)).toBe(expected);
  });
});

describe('flow classes', () => {
  it('every port inside a class gets the verdict of its first port', () => {
    const p = loadPolicy(`
tier a 10.1.0.0/24;
tier b 10.2.0.0/24;
allow a -> b tcp/10-20;
deny a -> b tcp/15-30 log;
allow a -> b tcp/25, udp/7-9;
`);
    const ev = new Evaluator(p);
    const classes = decideAllClasses(p);
    for (const c of classes) {
      if (c.lo === undefined) continue;
      for (const port of [c.lo, c.hi!, Math.floor((c.lo + c.hi!) / 2)]) {
        const v = ev.evaluate({ src: c.src, dst: c.dst, proto: c.proto, port });
        expect([v.action, v.log]).toEqual([c.verdict.action, c.verdict.log]);
      }
    }
    const ab = classes.filter((c) => c.src === 'a' && c.dst === 'b' && c.proto === 'tcp').map((c) => `${c.lo}-${c.hi}:${c.verdict.action}`);
    expect(ab).toEqual(['1-9:deny', '10-14:allow', '15-20:allow', '21-24:deny', '25-25:deny', '26-30:deny', '31-65535:deny']);
  });
});
