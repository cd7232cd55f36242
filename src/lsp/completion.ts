// lsp: textDocument/completion. Input: the document text + offset. Output: tier names where a tier
// is expected (rule endpoints, `tiers`, `address`), net names, `any` and `world` at rule endpoints,
// keywords at statement start, settings in blocks.
// Works on tokens, not the AST: the statement being typed does not parse yet.
import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver';
import type { IToken, TokenType } from 'chevrotain';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SourceFile } from '../source/source-file.js';
import { lex, tokenEnd } from '../syntax/lexer.js';
import * as T from '../syntax/tokens.js';
import { CAPABILITIES } from '../ir/validate-names.js';
import { ANY, WORLD, DEFAULT_ACTIONS, RULE_TAIL, SETTINGS, STATEMENT_KEYWORDS, TIER_OPTIONS, type Term } from './vocabulary.js';

/** Tokens a word being typed can be: the prefix of a name or of a keyword. */
const WORDS: ReadonlySet<TokenType> = new Set([T.Identifier, ...T.KEYWORDS]);
const ENDS_STATEMENT: ReadonlySet<TokenType> = new Set([T.Semicolon, T.LBrace, T.RBrace]);
const PROTOCOLS: ReadonlySet<TokenType> = new Set([T.Tcp, T.Udp, T.Icmp]);
/** Keywords that always start a statement (`allow`/`deny` do too, except after `default`). */
const STATEMENT_STARTERS: ReadonlySet<TokenType> = new Set([T.Policy, T.Tier, T.Net, T.Service, T.Default]);
/** Tokens that end a rule endpoint. */
const ENDPOINTS: ReadonlySet<TokenType> = new Set([T.Identifier, T.Any, T.World, T.Host]);

interface Context {
  /** The tokens of the statement before the cursor, the word being typed excluded. */
  readonly statement: readonly IToken[];
  readonly inBlock: boolean;
  readonly tokens: readonly IToken[];
  /** What a chosen item replaces: the part of the word before the cursor. */
  readonly range: Range;
}

export function complete(doc: TextDocument, offset: number): CompletionItem[] {
  const cx = context(doc, offset);
  return cx ? itemsFor(cx) : [];
}

function context(doc: TextDocument, offset: number): Context | undefined {
  const text = doc.getText();
  const { tokens, comments } = lex(new SourceFile(doc.uri, text));
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (comments.some((c) => c.startOffset >= lineStart && c.startOffset < offset)) return undefined;
  let inBlock = false;
  let statementStart = 0;
  let i = 0;
  for (; i < tokens.length && tokenEnd(tokens[i]!) <= offset; i++) {
    const t = tokens[i]!;
    if (t.tokenType === T.LBrace) inBlock = true;
    if (t.tokenType === T.RBrace) inBlock = false;
    if (ENDS_STATEMENT.has(t.tokenType)) statementStart = i + 1;
    // A statement keyword starts a statement even when the one before lacks its ';'.
    else if (!inBlock && startsStatement(t, tokens[i - 1])) statementStart = i;
  }
  let end = i;
  let start = offset;
  const inside = tokens[i];
  const last = tokens[i - 1];
  if (inside && inside.startOffset < offset) {
    if (!WORDS.has(inside.tokenType)) return undefined; // inside a string, a number, an address
    start = inside.startOffset;
  } else if (offset > 0 && !/\s/.test(text[offset - 1]!) && !(last && tokenEnd(last) === offset)) {
    return undefined; // right after a character no token takes (`10.0.`)
  } else if (last && tokenEnd(last) === offset) {
    if (WORDS.has(last.tokenType)) {
      // The cursor is right after a word: that word is being typed, and completion replaces it.
      start = last.startOffset;
      end = i - 1;
    } else if (last.tokenType !== T.Arrow && last.tokenType !== T.Comma) {
      return undefined; // right after a number, an address, a string, a '/'
    }
  }
  return {
    statement: tokens.slice(Math.min(statementStart, end), end),
    inBlock,
    tokens,
    range: { start: doc.positionAt(start), end: doc.positionAt(offset) },
  };
}

function startsStatement(t: IToken, before: IToken | undefined): boolean {
  if (STATEMENT_STARTERS.has(t.tokenType)) return true;
  return (t.tokenType === T.Allow || t.tokenType === T.Deny) && before?.tokenType !== T.Default;
}

function itemsFor(cx: Context): CompletionItem[] {
  const s = cx.statement;
  const first = s[0];
  const last = s[s.length - 1];
  const is = (t: IToken | undefined, type: TokenType) => t?.tokenType === type;
  if (cx.inBlock) {
    if (!first) return terms(cx, SETTINGS, CompletionItemKind.Property);
    const setting = first.image;
    if (setting === 'tiers' && (s.length === 1 || is(last, T.Comma))) {
      return tierItems(cx, new Set(s.slice(1).map((t) => t.image)));
    }
    if (setting === 'address' && s.length === 1) return tierItems(cx, new Set());
    if (setting === 'cap_add' && (s.length === 1 || is(last, T.Comma))) {
      return [...CAPABILITIES].sort().map((label) => ({ label, kind: CompletionItemKind.Constant, textEdit: { range: cx.range, newText: label } }));
    }
    return [];
  }
  if (!first) return terms(cx, STATEMENT_KEYWORDS, CompletionItemKind.Keyword);
  if (is(first, T.Allow) || is(first, T.Deny)) return ruleItems(cx, s);
  if (is(first, T.Default) && s.length === 1) return terms(cx, DEFAULT_ACTIONS, CompletionItemKind.Keyword);
  if (is(first, T.Tier) && s.length >= 3 && !is(last, T.Gateway) && !is(last, T.Bridge)) {
    const used = new Set(s.map((t) => t.image));
    return terms(cx, TIER_OPTIONS.filter((o) => !used.has(o.label)), CompletionItemKind.Keyword);
  }
  return [];
}

function ruleItems(cx: Context, s: readonly IToken[]): CompletionItem[] {
  const last = s[s.length - 1]!;
  const arrow = s.findIndex((t) => t.tokenType === T.Arrow);
  const inServices = arrow >= 0 && s.slice(arrow).some((t) => PROTOCOLS.has(t.tokenType));
  const endpoint = s.length === 1 || last.tokenType === T.Arrow || (last.tokenType === T.Comma && !inServices);
  if (endpoint) {
    // Endpoints already on this side of the arrow are not offered again.
    const side = s.slice(arrow < 0 ? 1 : arrow + 1);
    const used = new Set(side.map((t) => t.image));
    const keywords = [ANY, WORLD].filter((k) => !used.has(k.label));
    return [...tierItems(cx, used), ...netItems(cx, used), ...terms(cx, keywords, CompletionItemKind.Keyword)];
  }
  if (arrow < 0 || s.some((t) => t.tokenType === T.Log)) return [];
  if (inServices && last.tokenType === T.Comma) return terms(cx, RULE_TAIL.filter((t) => t.label !== 'log'), CompletionItemKind.Keyword);
  if (ENDPOINTS.has(last.tokenType) || last.tokenType === T.NumberLit || last.tokenType === T.Icmp) {
    return terms(cx, inServices ? RULE_TAIL.filter((t) => t.label === 'log') : RULE_TAIL, CompletionItemKind.Keyword);
  }
  return [];
}

/** Tier names in declaration order, from the tokens: a file that does not parse still declares them. */
function tierItems(cx: Context, exclude: ReadonlySet<string>): CompletionItem[] {
  return declaredItems(cx, T.Tier, exclude, 0, (name, ranges) => (ranges[0] ? `tier ${name} ${ranges[0]}` : `tier ${name}`));
}

/** Net names in declaration order, after the tiers (sorted after them too). */
function netItems(cx: Context, exclude: ReadonlySet<string>): CompletionItem[] {
  const after = tierItems(cx, new Set()).length;
  return declaredItems(cx, T.Net, exclude, after, (name, ranges) => `net ${name} ${ranges.join(', ')}`.trimEnd());
}

/** The names declared by `keyword NAME CIDR[, CIDR]`, with a detail made of the CIDRs written. */
function declaredItems(
  cx: Context, keyword: TokenType, exclude: ReadonlySet<string>, sortFrom: number,
  detail: (name: string, ranges: string[]) => string,
): CompletionItem[] {
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  const { tokens } = cx;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i]!.tokenType !== keyword || tokens[i + 1]!.tokenType !== T.Identifier) continue;
    const name = tokens[i + 1]!.image;
    if (seen.has(name) || exclude.has(name)) continue;
    seen.add(name);
    const ranges: string[] = [];
    for (let k = i + 2; tokens[k]?.tokenType === T.Cidr; k += 2) {
      ranges.push(tokens[k]!.image);
      if (keyword === T.Tier || tokens[k + 1]?.tokenType !== T.Comma) break;
    }
    items.push({
      label: name,
      kind: CompletionItemKind.Module,
      detail: detail(name, ranges),
      sortText: String(sortFrom + items.length).padStart(5, '0'),
      textEdit: { range: cx.range, newText: name },
    });
  }
  return items;
}

function terms(cx: Context, list: readonly Term[], kind: CompletionItemKind): CompletionItem[] {
  return list.map((t) => ({ label: t.label, kind, detail: t.detail, textEdit: { range: cx.range, newText: t.label } }));
}
