// syntax/to-ast: `policy`, `tier` and `default` statements. Input: their CST nodes (error-free).
// Output: AST nodes; a tier option given twice is reported here (the grammar allows any order).
import type { IToken } from 'chevrotain';
import { diag } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../source/source-file.js';
import type { DefaultDecl, NetDecl, PolicyDecl, TierDecl, Word } from '../ast.js';
import type { DefaultDeclCstNode, NetDeclCstNode, PolicyDeclCstNode, TierDeclCstNode, TierOptionCstNode } from '../cst-types.js';
import { one, spanFrom, tokenSpan, word, type BuildContext } from './common.js';

export function policyDecl(cx: BuildContext, node: PolicyDeclCstNode): PolicyDecl {
  const c = node.children;
  return { kind: 'policy', name: word(cx, one(c.name)), span: spanFrom(cx, one(c.Kw_policy), one(c.Semicolon)) };
}

export function defaultDecl(cx: BuildContext, node: DefaultDeclCstNode): DefaultDecl {
  const c = node.children;
  return {
    kind: 'default',
    action: one(c.action).image === 'allow' ? 'allow' : 'deny',
    span: spanFrom(cx, one(c.Kw_default), one(c.Semicolon)),
  };
}

export function tierDecl(cx: BuildContext, node: TierDeclCstNode): TierDecl {
  const c = node.children;
  let gateway: Word | undefined;
  let bridge: Word | undefined;
  let isolated: Span | undefined;
  let ipv6: Word | undefined;
  const seen = new Map<string, Span>();
  for (const option of c.tierOption ?? []) {
    const { keyword, value } = optionTokens(option);
    const span = spanFrom(cx, keyword, value ?? keyword);
    const first = seen.get(keyword.image);
    if (first !== undefined) {
      // Keep the first value: the statement is otherwise well formed, and dropping the tier would
      // only add "unknown tier" noise to the rules that name it.
      cx.diagnostics.push(
        diag('syntax-error', { detail: `'${keyword.image}' is given twice in the tier declaration` }, span, {
          related: [{ span: first, message: 'first given here' }],
        }),
      );
      continue;
    }
    seen.set(keyword.image, span);
    if (keyword.image === 'gateway') gateway = word(cx, value!);
    else if (keyword.image === 'bridge') bridge = word(cx, value!);
    else if (keyword.image === 'ipv6') ipv6 = word(cx, value!);
    else isolated = tokenSpan(cx, keyword);
  }
  return {
    kind: 'tier',
    name: word(cx, one(c.name)),
    subnet: word(cx, one(c.subnet)),
    gateway,
    bridge,
    isolated,
    ipv6,
    span: spanFrom(cx, one(c.Kw_tier), one(c.Semicolon)),
  };
}

export function netDecl(cx: BuildContext, node: NetDeclCstNode): NetDecl {
  const c = node.children;
  return {
    kind: 'net',
    name: word(cx, one(c.name)),
    cidrs: (c.cidr ?? []).map((t) => word(cx, t)),
    span: spanFrom(cx, one(c.Kw_net), one(c.Semicolon)),
  };
}

function optionTokens(option: TierOptionCstNode): { keyword: IToken; value: IToken | undefined } {
  const c = option.children;
  if (c.Kw_gateway) return { keyword: one(c.Kw_gateway), value: one(c.gateway) };
  if (c.Kw_bridge) return { keyword: one(c.Kw_bridge), value: one(c.bridge) };
  if (c.Kw_ipv6) return { keyword: one(c.Kw_ipv6), value: one(c.ipv6) };
  return { keyword: one(c.Kw_isolated), value: undefined };
}
