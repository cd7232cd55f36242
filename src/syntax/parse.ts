// syntax: the stage's entry point. Input: a SourceFile. Output: the AST (statements with syntax
// errors left out) and every lexical and syntax diagnostic, sorted. Reports, never throws on input.
import type { IRecognitionException, IToken } from 'chevrotain';
import type { SourceFile, Span } from '../source/source-file.js';
import { diag, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { PolicyFile } from './ast.js';
import type { PolicyFileCstNode } from './cst-types.js';
import { lex, tokenEnd } from './lexer.js';
import { parseTokens } from './parser.js';
import { toAst } from './to-ast/index.js';

export interface ParseResult {
  readonly ast: PolicyFile;
  readonly diagnostics: Diagnostic[];
}

/** What fmt needs besides the AST: the tokens and comments, in source order. */
export interface DetailedParseResult extends ParseResult {
  readonly tokens: readonly IToken[];
  readonly comments: readonly IToken[];
}

/**
 * Lexes and parses one file. Every lexical and syntax problem is a diagnostic (sorted by position);
 * statements with syntax errors are left out of the AST. The lexer and parser are built on the first
 * call and reused.
 */
export function parse(source: SourceFile): ParseResult {
  const { ast, diagnostics } = parseDetailed(source);
  return { ast, diagnostics };
}

/** parse(), also returning the tokens and comments (for fmt). */
export function parseDetailed(source: SourceFile): DetailedParseResult {
  const lexed = lex(source);
  const { cst, errors } = parseTokens(lexed.tokens);
  const diagnostics = [...lexed.diagnostics];
  for (const e of errors) {
    diagnostics.push(diag('syntax-error', { detail: e.message }, errorSpan(source, e, lexed.tokens)));
  }
  const ast = toAst({ source, diagnostics }, cst as PolicyFileCstNode, errors, lexed.comments);
  return { ast, diagnostics: sortDiagnostics(diagnostics), tokens: lexed.tokens, comments: lexed.comments };
}

/** The offending token; at the end of input (no position) the end of the token before it. */
function errorSpan(source: SourceFile, e: IRecognitionException, tokens: readonly IToken[]): Span {
  const t = e.token;
  if (!Number.isNaN(t.startOffset)) return source.span(t.startOffset, tokenEnd(t));
  const prev = (e as { previousToken?: IToken }).previousToken;
  const at =
    prev !== undefined && !Number.isNaN(prev.startOffset)
      ? tokenEnd(prev)
      : tokens.length > 0
        ? tokenEnd(tokens[tokens.length - 1]!)
        : 0;
  return source.span(at, at);
}
