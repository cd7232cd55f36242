// syntax/to-ast: helpers shared by the CST -> AST builders: spans and words from tokens, and the
// context every builder gets (the source for spans, the list diagnostics go to).
import type { IToken } from 'chevrotain';
import type { SourceFile, Span } from '../../source/source-file.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Word } from '../ast.js';
import { tokenEnd } from '../lexer.js';

export interface BuildContext {
  readonly source: SourceFile;
  readonly diagnostics: Diagnostic[];
}

/** Span of one token, half-open. */
export function tokenSpan(cx: BuildContext, t: IToken): Span {
  return cx.source.span(t.startOffset, tokenEnd(t));
}

/** Span from the start of `first` to the end of `last`. */
export function spanFrom(cx: BuildContext, first: IToken, last: IToken): Span {
  return cx.source.span(first.startOffset, tokenEnd(last));
}

export function word(cx: BuildContext, t: IToken): Word {
  return { text: t.image, span: tokenSpan(cx, t) };
}

/**
 * The one token or node of a CST child the grammar guarantees for a statement that parsed without errors.
 * Builders only see such statements, so a missing token here is a bug, not bad input.
 */
export function one<X>(items: readonly X[] | undefined): X {
  const t = items?.[0];
  if (t === undefined) throw new Error('CST is missing a child the grammar requires');
  return t;
}
