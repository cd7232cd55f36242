// syntax: hand-written matchers for the tokens whose length the writer controls (names, strings,
// dotted numbers, comments). Input: the text and an offset. Output: the match, as chevrotain's custom
// token patterns expect it, or null.
//
// Why not regexps: V8's irregexp keeps a backtrack entry per iteration of a quantified group such as
// `(?:a|b)*` or `(?:\.\d+)*`, so one token of ~10 million characters overflowed its stack and the
// lexer threw (issue 5). These loops read each character once, need no stack and are no slower
// (4.3 MB generated policy: the same time within noise). Each one matches exactly what the
// regexp it replaces matched; test/syntax/token-matchers.test.ts compares them on random inputs.

/** Chevrotain's custom pattern result: only element 0 (the image) is read. */
type Match = RegExpExecArray | null;

// One result array for every match: chevrotain reads its element 0 (and `payload`, never set here)
// before it calls any matcher again, so one array saves an allocation per token.
const RESULT = [''] as unknown as RegExpExecArray;

function image(text: string, start: number, end: number): RegExpExecArray {
  RESULT[0] = text.substring(start, end);
  return RESULT;
}

const DOT = 46;
const SLASH = 47;
const QUOTE = 34;
const BACKSLASH = 92;
const HYPHEN = 45;
const GT = 62;
const UNDERSCORE = 95;
const HASH = 35;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

// charCodeAt past the end is NaN, which every comparison below rejects: no bounds checks needed.
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** `[A-Za-z_](?:[A-Za-z0-9_.]|-(?!>))*`: a '-' right before '>' starts an arrow, not part of the name. */
export function matchIdentifier(text: string, offset: number): Match {
  const first = text.charCodeAt(offset);
  if (!isLetter(first) && first !== UNDERSCORE) return null;
  let i = offset + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (isLetter(c) || isDigit(c) || c === UNDERSCORE || c === DOT) i++;
    else if (c === HYPHEN && text.charCodeAt(i + 1) !== GT) i++;
    else break;
  }
  return image(text, offset, i);
}

// Runs of plain characters go through sticky regexps of one character class: V8 matches a greedy
// class loop without a backtrack entry per character (safe at 50 MB, measured), and faster than a
// charCodeAt loop. Only the quantified *groups* of the old patterns needed stack per repetition.
const STRING_RUN = /[^"\\\r\n]*/y;
const LINE_RUN = /[^\r\n]*/y;

/** `"(?:[^"\\\r\n]|\\[^\r\n]?)*"?`: to the closing quote, or (unterminated) to the end of the line. */
export function matchString(text: string, offset: number): Match {
  if (text.charCodeAt(offset) !== QUOTE) return null;
  let i = offset + 1;
  for (;;) {
    STRING_RUN.lastIndex = i;
    STRING_RUN.test(text);
    i = STRING_RUN.lastIndex;
    const c = text.charCodeAt(i);
    if (c === QUOTE) return image(text, offset, i + 1);
    if (c !== BACKSLASH) return image(text, offset, i); // end of line or of the text: unterminated
    const next = text.charCodeAt(i + 1);
    // A backslash takes the next character with it, unless that ends the line (or the text).
    i += next === LF || next === CR || Number.isNaN(next) ? 1 : 2;
  }
}

// Cidr, Address and Number are tried in a row at one offset (in that order): the scan of
// `\d+(?:\.\d+)*` is kept in these variables for the next matcher instead of being repeated.
// `text === scannedText` is a pointer comparison in practice: chevrotain passes the same string.
let scannedText = '';
let scannedOffset = -1;
/** End of the first `\d+` (offset when there is no digit), end of the whole dotted run, parts in it. */
let firstEnd = 0;
let dottedEnd = 0;
let parts = 0;

/** Drops the reference to the last text lexed (lexer.ts calls it after each tokenize). */
export function forgetScan(): void {
  scannedText = '';
  scannedOffset = -1;
}

function scanDotted(text: string, offset: number): void {
  if (offset === scannedOffset && text === scannedText) return;
  let i = offset;
  let n = 0;
  while (isDigit(text.charCodeAt(i))) {
    i++;
    while (isDigit(text.charCodeAt(i))) i++;
    if (n++ === 0) firstEnd = i;
    // A '.' belongs to the number only when a digit follows it (`1.2.` ends before the last '.').
    if (text.charCodeAt(i) !== DOT || !isDigit(text.charCodeAt(i + 1))) break;
    i++;
  }
  if (n === 0) firstEnd = offset;
  scannedText = text;
  scannedOffset = offset;
  dottedEnd = i;
  parts = n;
}

/** `\d+(?:\.\d+)*\/\d+`. */
export function matchCidr(text: string, offset: number): Match {
  scanDotted(text, offset);
  if (parts === 0) return null;
  let i = dottedEnd;
  if (text.charCodeAt(i) !== SLASH || !isDigit(text.charCodeAt(i + 1))) return null;
  i += 2;
  while (isDigit(text.charCodeAt(i))) i++;
  return image(text, offset, i);
}

/** `\d+(?:\.\d+)+`. */
export function matchAddress(text: string, offset: number): Match {
  scanDotted(text, offset);
  return parts >= 2 ? image(text, offset, dottedEnd) : null;
}

/** `\d+`. */
export function matchNumber(text: string, offset: number): Match {
  scanDotted(text, offset);
  return parts > 0 ? image(text, offset, firstEnd) : null;
}

/**
 * `#(?:[^\r\n]*[^ \t\r\n])?` and `//` alike: to the end of the line, trailing blanks left out (fmt
 * keeps the comment's text byte for byte and still drops invisible trailing whitespace).
 */
export function matchComment(text: string, offset: number): Match {
  const c = text.charCodeAt(offset);
  let i: number;
  if (c === HASH) i = offset + 1;
  else if (c === SLASH && text.charCodeAt(offset + 1) === SLASH) i = offset + 2;
  else return null;
  const bodyStart = i;
  LINE_RUN.lastIndex = i;
  LINE_RUN.test(text);
  i = LINE_RUN.lastIndex;
  while (i > bodyStart) {
    const d = text.charCodeAt(i - 1);
    if (d !== SPACE && d !== TAB) break;
    i--;
  }
  return image(text, offset, i);
}

const COLON = 58;
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * `[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:]*\/\d+`: an IPv6 prefix (prefix form only, `/n` required).
 * At least two colons: every IPv6 address has them (`::/0`, `fd00::/8`, the full form has seven),
 * and nothing else in the language does. `publish 0.0.0.0:80` stops at the first '.' (and has one
 * colon), a name like `default` stops at 'n'. Lexed broadly (groups of any length, several `::`):
 * lowering says what is wrong with it (invalid-ipv6-prefix).
 */
export function matchIpv6Prefix(text: string, offset: number): Match {
  let i = offset;
  let colons = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === COLON) colons++;
    else if (!isHex(c)) break;
    i++;
  }
  if (colons < 2 || text.charCodeAt(i) !== SLASH || !isDigit(text.charCodeAt(i + 1))) return null;
  i += 2;
  while (isDigit(text.charCodeAt(i))) i++;
  return image(text, offset, i);
}
