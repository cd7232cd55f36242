// syntax/to-ast: `service NAME { ... }` blocks. Input: a serviceDecl CST node and the settings to
// leave out (those with syntax errors). Output: a ServiceDecl; setting names/arity are lowering's job.
import type { CstNode } from 'chevrotain';
import type { ServiceDecl, ServiceSetting, SettingValue } from '../ast.js';
import type { ServiceDeclCstNode, SettingCstNode, SettingValueCstNode } from '../cst-types.js';
import { stringValue } from '../lexer.js';
import { one, spanFrom, tokenSpan, word, type BuildContext } from './common.js';

export function serviceDecl(cx: BuildContext, node: ServiceDeclCstNode, broken: ReadonlySet<CstNode>): ServiceDecl {
  const c = node.children;
  return {
    kind: 'service',
    name: word(cx, one(c.name)),
    settings: (c.setting ?? []).filter((s) => !broken.has(s)).map((s) => setting(cx, s)),
    span: spanFrom(cx, one(c.Kw_service), one(c.RBrace)),
  };
}

function setting(cx: BuildContext, node: SettingCstNode): ServiceSetting {
  const c = node.children;
  const name = one(c.name);
  return {
    name: word(cx, name),
    // Commas are not kept: `command "a", "b"` and `command "a" "b"` are the same values (fmt keeps them).
    values: (c.settingValue ?? []).map((v) => settingValue(cx, v)),
    span: spanFrom(cx, name, one(c.Semicolon)),
  };
}

function settingValue(cx: BuildContext, node: SettingValueCstNode): SettingValue {
  const c = node.children;
  const str = c.String?.[0];
  if (str !== undefined) return { kind: 'string', text: stringValue(str.image), span: tokenSpan(cx, str) };
  const b = c.binding?.[0]?.children;
  if (b !== undefined) {
    const host = one(b.hostAddress);
    const containerPort = one(b.containerPort);
    return {
      kind: 'binding',
      hostAddress: word(cx, host),
      hostPort: word(cx, one(b.hostPort)),
      proto: one(b.proto).image === 'udp' ? 'udp' : 'tcp',
      containerPort: word(cx, containerPort),
      span: spanFrom(cx, host, containerPort),
    };
  }
  const t = one(c.Identifier ?? c.Number ?? c.Cidr ?? c.Address);
  return { kind: 'word', text: t.image, span: tokenSpan(cx, t) };
}
