// syntax: lexing. Input: a SourceFile. Output: tokens, comment tokens and lexical diagnostics
// (unknown-character, unterminated-string, invalid-string). Never throws; bad characters are skipped.
import { Lexer, type IToken, type TokenType } from 'chevrotain';
import type { SourceFile } from '../source/source-file.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { ALL_TOKENS, StringLit } from './tokens.js';
import { forgetScan } from './token-matchers.js';

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

/** Builds the chevrotain lexer. `validate` runs chevrotain's definition checks (tests do this once). */
export function buildLexer(validate = false): Lexer {
  return new Lexer(ALL_TOKENS as TokenType[], {
    // We compute ends from image lengths and line:col from SourceFile, so offsets are all we need.
    positionTracking: 'onlyOffset',
    ensureOptimizations: validate,
    skipValidations: !validate,
  });
}

let shared: Lexer | undefined;

export function lex(source: SourceFile): LexResult {
  shared ??= buildLexer();
  const result = shared.tokenize(source.text);
  forgetScan();
  const diagnostics: Diagnostic[] = [];
  for (const e of result.errors) unknownCharacters(source, e.offset, e.length, diagnostics);
  for (const t of result.tokens) {
    if (t.tokenType === StringLit) checkString(source, t, diagnostics);
  }
  return { tokens: result.tokens, comments: result.groups['comments'] ?? [], diagnostics };
}

/** End offset (exclusive) of a real token. */
export const tokenEnd = (t: IToken): number => t.startOffset + t.image.length;

/** The value of a string literal: quotes removed, `\"` and `\\` unescaped (other escapes kept as written). */
export function stringValue(image: string): string {
  const closed = image.length >= 2 && image.endsWith('"') && !isEscapedAt(image, image.length - 1);
  const body = image.slice(1, closed ? -1 : undefined);
  return body.replace(/\\(["\\])/g, '$1');
}

// Control characters, line/paragraph separators and bidi overrides ("trojan source") are refused in
// strings: they end up in compose files and shell-quoted commands where they are invisible.
const FORBIDDEN_IN_STRING = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

function checkString(source: SourceFile, t: IToken, out: Diagnostic[]): void {
  const s = t.image;
  const at = t.startOffset;
  let closed = false;
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const next = s[i + 1];
      if (next !== '"' && next !== '\\') {
        const shown = next === undefined ? "'\\' at the end of the line" : `'\\' followed by ${describeChar(next)}`;
        out.push(diag('invalid-string', { char: shown }, source.span(at + i, at + i + (next === undefined ? 1 : 2)), {
          hints: ['the only escapes are \\" and \\\\'],
        }));
      }
      i++;
    } else if (c === '"') {
      closed = true; // the pattern only lets an unescaped quote end the token
    } else if (FORBIDDEN_IN_STRING.test(c)) {
      out.push(diag('invalid-string', { char: describeChar(c) }, source.span(at + i, at + i + 1)));
    }
  }
  if (!closed) {
    out.push(diag('unterminated-string', {}, source.span(at, at + s.length), {
      hints: ['strings end with " on the same line'],
    }));
  }
}

function isEscapedAt(s: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && s[j] === '\\'; j--) n++;
  return n % 2 === 1;
}

function unknownCharacters(source: SourceFile, offset: number, length: number, out: Diagnostic[]): void {
  let at = offset;
  // One diagnostic per code point, so a surrogate pair is one character.
  for (const ch of source.text.slice(offset, offset + length)) {
    out.push(diag('unknown-character', { char: describeChar(ch) }, source.span(at, at + ch.length)));
    at += ch.length;
  }
}

/** `'@'` for a visible character, `U+0007` for anything invisible or ambiguous. */
export function describeChar(ch: string): string {
  // Combining marks are shown as code points too: alone they render on the quote.
  if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch)) return `'${ch}'`;
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
