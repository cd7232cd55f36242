// validate: the words of one rules.v4 line, as iptables-restore splits them for the subset tierwall
// emits: separated by spaces or tabs; double-quoted words with \" and \\ escapes. A cursor, so the hot
// path compares words in place instead of building an array of strings per line.

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;

export class Words {
  /** The current word: line[start, end), quotes included when `quoted`. */
  start = 0;
  end = 0;
  quoted = false;
  /** Set when the line cannot be split (then next() returns false). */
  error: string | undefined;
  private pos: number;

  /** Words of line[from, to): `line` may be the whole file, so the hot path never slices a line out of it. */
  constructor(readonly line: string, from = 0, private readonly to = line.length) {
    this.pos = from;
  }

  /** Moves to the next word; false at the end of the line or on an error. */
  next(): boolean {
    const line = this.line;
    const n = this.to;
    let i = this.pos;
    let c = line.charCodeAt(i);
    while (i < n && (c === SPACE || c === TAB)) c = line.charCodeAt(++i);
    if (i >= n) return false;
    this.start = i;
    this.quoted = c === QUOTE;
    if (this.quoted) {
      for (i++; ; i++) {
        if (i >= n) return this.fail('unterminated quoted argument');
        c = line.charCodeAt(i);
        if (c === QUOTE) break;
        if (c < 32 || c === 127) return this.fail('control character in a quoted argument');
        if (c === BACKSLASH) {
          const next = line.charCodeAt(++i);
          if (next !== QUOTE && next !== BACKSLASH) return this.fail('backslash before neither a quote nor a backslash');
        }
      }
      i++;
      c = line.charCodeAt(i);
      if (i < n && c !== SPACE && c !== TAB) return this.fail('a quoted argument must be followed by a space');
    } else {
      for (; i < n; c = line.charCodeAt(++i)) {
        if (c === SPACE || c === TAB) break;
        if (c === QUOTE) return this.fail('a quote inside an unquoted argument');
        if (c < 32 || c === 127) return this.fail('control character in the line');
      }
    }
    this.end = i;
    this.pos = i;
    return true;
  }

  /** The current word's text, unquoted and unescaped. */
  text(): string {
    if (!this.quoted) return this.line.slice(this.start, this.end);
    return this.line.slice(this.start + 1, this.end - 1).replace(/\\(["\\])/g, '$1');
  }

  /** Does the current (unquoted) word equal `s`? Compared in place, without a slice. */
  is(s: string): boolean {
    return !this.quoted && this.end - this.start === s.length && this.line.startsWith(s, this.start);
  }

  /** Length of the current word's text (a quoted word's without quotes and escapes). */
  textLength(): number {
    if (!this.quoted) return this.end - this.start;
    let n = 0;
    for (let i = this.start + 1; i < this.end - 1; i++, n++) if (this.line.charCodeAt(i) === BACKSLASH) i++;
    return n;
  }

  private fail(error: string): false {
    this.error = error;
    return false;
  }
}

/** All words of a line, or why it cannot be split (for the lines off the hot path). */
export function splitWords(line: string): string[] | { readonly error: string } {
  const w = new Words(line);
  const out: string[] = [];
  while (w.next()) out.push(w.text());
  return w.error === undefined ? out : { error: w.error };
}
