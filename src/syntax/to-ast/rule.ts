// syntax/to-ast: `allow` / `deny` rules. Input: a ruleDecl CST node (error-free).
// Output: a RuleDecl with endpoints and services as written (ports are checked in lowering).
import type { IToken } from 'chevrotain';
import type { Endpoint, RuleDecl, ServiceSpec } from '../ast.js';
import type { RuleDeclCstNode, ServiceSpecCstNode } from '../cst-types.js';
import { Any, Host, World } from '../tokens.js';
import { one, spanFrom, tokenSpan, word, type BuildContext } from './common.js';

export function ruleDecl(cx: BuildContext, node: RuleDeclCstNode): RuleDecl {
  const c = node.children;
  const action = one(c.action);
  const log = c.Kw_log?.[0];
  return {
    kind: 'rule',
    action: action.image === 'allow' ? 'allow' : 'deny',
    sources: (c.source ?? []).map((t) => endpoint(cx, t)),
    destinations: (c.destination ?? []).map((t) => endpoint(cx, t)),
    services: (c.serviceSpec ?? []).map((s) => serviceSpec(cx, s)),
    log: log === undefined ? undefined : tokenSpan(cx, log),
    span: spanFrom(cx, action, one(c.Semicolon)),
  };
}

function endpoint(cx: BuildContext, t: IToken): Endpoint {
  if (t.tokenType === Any) return { kind: 'any', span: tokenSpan(cx, t) };
  if (t.tokenType === World) return { kind: 'world', span: tokenSpan(cx, t) };
  if (t.tokenType === Host) return { kind: 'host', span: tokenSpan(cx, t) };
  return { kind: 'tier', name: word(cx, t) };
}

function serviceSpec(cx: BuildContext, node: ServiceSpecCstNode): ServiceSpec {
  const c = node.children;
  const proto = one(c.proto);
  if (proto.image === 'icmp') return { proto: 'icmp', span: tokenSpan(cx, proto) };
  const lo = one(c.lo);
  const hi = c.hi?.[0] ?? lo;
  // Numbers are kept as written (even 99999999999); lowering checks 1-65535 and lo <= hi.
  return { proto: proto.image === 'udp' ? 'udp' : 'tcp', lo: Number(lo.image), hi: Number(hi.image), span: spanFrom(cx, proto, hi) };
}
