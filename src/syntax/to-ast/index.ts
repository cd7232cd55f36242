// syntax/to-ast: CST -> AST. Input: the policyFile CST and the parser's errors. Output: the AST
// without the statements (and service settings) that had syntax errors: dropped rather than guessed.
import type { CstNode, IRecognitionException, IToken } from 'chevrotain';
import type { Comment, PolicyFile, Statement } from '../ast.js';
import type {
  DefaultDeclCstNode, NetDeclCstNode, PolicyDeclCstNode, PolicyFileCstNode, RuleDeclCstNode, ServiceDeclCstNode, TierDeclCstNode,
} from '../cst-types.js';
import { defaultDecl, netDecl, policyDecl, tierDecl } from './declarations.js';
import { ruleDecl } from './rule.js';
import { serviceDecl } from './service.js';
import { tokenSpan, type BuildContext } from './common.js';

type StatementNode = RuleDeclCstNode | TierDeclCstNode | NetDeclCstNode | ServiceDeclCstNode | PolicyDeclCstNode | DefaultDeclCstNode;

export function toAst(
  cx: BuildContext,
  cst: PolicyFileCstNode,
  errors: readonly IRecognitionException[],
  comments: readonly IToken[],
): PolicyFile {
  const nodes = statementsInOrder(cst);
  const broken = errors.length === 0 ? new Set<CstNode>() : brokenNodes(nodes, errors);
  const statements: Statement[] = [];
  for (const n of nodes) {
    if (broken.has(n.node)) continue;
    statements.push(build(cx, n.node, broken));
  }
  return {
    file: cx.source.name,
    statements,
    comments: comments.map((t): Comment => ({ text: t.image, span: tokenSpan(cx, t) })),
  };
}

function build(cx: BuildContext, node: StatementNode, broken: ReadonlySet<CstNode>): Statement {
  switch (node.name) {
    case 'ruleDecl': return ruleDecl(cx, node);
    case 'tierDecl': return tierDecl(cx, node);
    case 'netDecl': return netDecl(cx, node);
    case 'serviceDecl': return serviceDecl(cx, node, broken);
    case 'policyDecl': return policyDecl(cx, node);
    case 'defaultDecl': return defaultDecl(cx, node);
  }
}

interface Placed {
  readonly node: StatementNode;
  readonly start: number;
}

/** The CST groups statements by kind; their first tokens (always present) give back source order. */
function statementsInOrder(cst: PolicyFileCstNode): Placed[] {
  const c = cst.children;
  const out: Placed[] = [];
  for (const n of c.ruleDecl ?? []) out.push({ node: n, start: n.children.action![0]!.startOffset });
  for (const n of c.tierDecl ?? []) out.push({ node: n, start: n.children.Kw_tier[0]!.startOffset });
  for (const n of c.netDecl ?? []) out.push({ node: n, start: n.children.Kw_net[0]!.startOffset });
  for (const n of c.serviceDecl ?? []) out.push({ node: n, start: n.children.Kw_service[0]!.startOffset });
  for (const n of c.policyDecl ?? []) out.push({ node: n, start: n.children.Kw_policy[0]!.startOffset });
  for (const n of c.defaultDecl ?? []) out.push({ node: n, start: n.children.Kw_default[0]!.startOffset });
  // Each kind's list is already in order; TimSort merges such runs in linear time.
  out.sort((a, b) => a.start - b.start);
  return out;
}

/**
 * Statements and settings touched by a syntax error. Recovery can leave no trace in the CST (a deleted
 * token, tokens skipped inside a repetition), so besides chevrotain's `recoveredNode` flags each error
 * raised inside a statement is placed by the last token the parser had read when it failed.
 */
function brokenNodes(nodes: readonly Placed[], errors: readonly IRecognitionException[]): Set<CstNode> {
  const broken = new Set<CstNode>();
  const starts = nodes.map((n) => n.start);
  for (const e of errors) {
    const stack = e.context.ruleStack;
    if (stack.length <= 1) continue; // between statements: nothing parsed was affected
    const prev = (e as { previousToken?: IToken }).previousToken;
    const anchor = prev !== undefined && !Number.isNaN(prev.startOffset) ? prev.startOffset : e.token.startOffset;
    const stmt = nodes[lastAtOrBefore(starts, anchor)]?.node;
    if (stmt === undefined) continue;
    const settings = stmt.name === 'serviceDecl' ? stmt.children.setting ?? [] : [];
    const setting = stack.includes('setting')
      ? settings[lastAtOrBefore(settings.map((s) => s.children.name[0]!.startOffset), anchor)]
      : undefined;
    broken.add(setting ?? stmt);
  }
  for (const { node } of nodes) {
    if (hasRecovered(node, 'setting')) broken.add(node);
    if (node.name !== 'serviceDecl') continue;
    for (const setting of node.children.setting ?? []) if (hasRecovered(setting)) broken.add(setting);
  }
  return broken;
}

/** True when chevrotain re-synced inside `node` (children named `skip` excluded). */
function hasRecovered(node: CstNode, skip?: string): boolean {
  if (node.recoveredNode === true) return true;
  for (const [name, children] of Object.entries(node.children)) {
    if (name === skip) continue;
    for (const child of children) if ('children' in child && hasRecovered(child)) return true;
  }
  return false;
}

/** Index of the last sorted start <= offset, or -1. */
function lastAtOrBefore(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
