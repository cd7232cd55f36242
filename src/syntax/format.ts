// syntax: `tierwall fmt`. Input: a SourceFile. Output: the canonical text (or the original text when
// the file has errors). Works on the token stream, so every token and comment is kept as written.
import type { IToken, TokenType } from 'chevrotain';
import type { SourceFile } from '../source/source-file.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseDetailed } from './parse.js';
import { tokenEnd } from './lexer.js';
import * as T from './tokens.js';

export interface FormatResult {
  /** The formatted text; the input text unchanged when `diagnostics` has errors. */
  readonly text: string;
  readonly diagnostics: Diagnostic[];
}

/**
 * Canonical layout: one statement per line, single spaces (none before `,` `;`, none around `/` `-` `:`),
 * service settings indented by 2, at most one blank line kept where the user had blank lines, comments
 * kept byte for byte (a trailing comment stays on its line after two spaces), LF and a final newline.
 * A comment inside a statement breaks it: the rest continues on the next line, indented 4 more.
 */
export function format(source: SourceFile): FormatResult {
  const parsed = parseDetailed(source);
  if (hasErrors(parsed.diagnostics)) return { text: source.text, diagnostics: parsed.diagnostics };
  const w = new Writer(source.text);
  for (const item of merge(parsed.tokens, parsed.comments)) {
    if (item.tokenType === T.Comment) w.comment(item);
    else w.token(item);
  }
  return { text: w.finish(), diagnostics: parsed.diagnostics };
}

/** Builds the output line by line; `cur` stays open after a statement so a trailing comment can join it. */
class Writer {
  private readonly lines: string[] = [];
  private cur: string | undefined;
  private prev: IToken | undefined; // last token or comment written
  private depth = 0;
  private lineDone = false; // `cur` ends a statement, `{` or `}`: the next token starts a new line
  private inStatement = false; // inside a statement whose line has already been written out
  private afterOpen = false; // the last token was `{`: no blank line right after it

  constructor(private readonly text: string) {}

  comment(c: IToken): void {
    const newlines = this.newlinesBefore(c);
    if (this.cur !== undefined && newlines === 0) {
      this.cur += `  ${c.image}`; // trailing: stays on its line
    } else {
      this.flush();
      this.blankLineIf(newlines >= 2 && !this.inStatement);
      this.cur = this.indent(this.inStatement ? 4 : 0) + c.image;
      this.afterOpen = false; // a blank line between this comment and the next line is kept
    }
    this.flush();
    this.prev = c;
  }

  token(t: IToken): void {
    const newlines = this.newlinesBefore(t);
    const type = t.tokenType;
    if (type === T.RBrace) this.depth--;
    if (this.cur === undefined || this.lineDone) {
      this.flush();
      if (!this.inStatement) this.blankLineIf(newlines >= 2 && type !== T.RBrace);
      this.cur = this.indent(this.inStatement ? 4 : 0) + t.image;
    } else {
      this.cur += spaceBetween(this.prev!.tokenType, type) + t.image;
    }
    const ends = type === T.Semicolon || type === T.LBrace || type === T.RBrace;
    this.lineDone = ends;
    this.inStatement = !ends;
    this.afterOpen = type === T.LBrace;
    if (type === T.LBrace) this.depth++;
    this.prev = t;
  }

  finish(): string {
    this.flush();
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }

  private flush(): void {
    if (this.cur !== undefined) this.lines.push(this.cur);
    this.cur = undefined;
  }

  private blankLineIf(wanted: boolean): void {
    if (wanted && this.lines.length > 0 && !this.afterOpen) this.lines.push('');
  }

  private indent(extra: number): string {
    return ' '.repeat(this.depth * 2 + extra);
  }

  private newlinesBefore(t: IToken): number {
    const from = this.prev === undefined ? 0 : tokenEnd(this.prev);
    let n = 0;
    for (let i = from; i < t.startOffset; i++) if (this.text.charCodeAt(i) === 10) n++;
    return n;
  }
}

const GLUE_LEFT = new Set([T.Comma, T.Semicolon, T.Colon, T.Slash, T.Dash]);
const GLUE_RIGHT = new Set([T.Colon, T.Slash, T.Dash]);

/** `a, b;` `tcp/80-90` `0.0.0.0:80`; a single space everywhere else. */
function spaceBetween(left: TokenType, right: TokenType): string {
  return GLUE_LEFT.has(right) || GLUE_RIGHT.has(left) ? '' : ' ';
}

/** Tokens and comments in source order (both lists are sorted). */
function merge(tokens: readonly IToken[], comments: readonly IToken[]): IToken[] {
  const out: IToken[] = [];
  let i = 0;
  let j = 0;
  while (i < tokens.length || j < comments.length) {
    const takeComment = j < comments.length && (i >= tokens.length || comments[j]!.startOffset < tokens[i]!.startOffset);
    out.push(takeComment ? comments[j++]! : tokens[i++]!);
  }
  return out;
}
