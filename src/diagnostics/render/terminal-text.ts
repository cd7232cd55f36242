// diagnostics/render: makes untrusted text (source lines, messages) safe to print on a terminal and
// measures its display width, so carets still line up under tabs, wide characters and replacements.

/** Tab stops every 4 columns, counted from the start of the echoed source line. */
const TAB_WIDTH = 4;

// Invisible or reordering code points: bidi overrides (Trojan Source), zero-width joiners, BOM,
// lone surrogates, line/paragraph separators. They print as U+FFFD, visibly and harmlessly.
const UNSAFE = /[\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const COMBINING = /[\p{Mn}\p{Me}]/u;
const EMOJI = /\p{Emoji_Presentation}/u;
// East Asian Wide and Fullwidth blocks: two terminal columns each.
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60],
  [0xffe0, 0xffe6], [0x20000, 0x3fffd],
];

/** What one code point prints as; undefined when it prints as itself. */
function replacement(cp: number): string | undefined {
  if (cp < 0x20) return String.fromCodePoint(0x2400 + cp); // C0 control -> control picture (␀, ␛, ␍)
  if (cp === 0x7f) return '\u2421'; // ␡
  if (cp >= 0x80 && cp <= 0x9f) return '\ufffd'; // C1: 0x9b is a one-byte CSI on some terminals
  if (UNSAFE.test(String.fromCodePoint(cp))) return '\ufffd';
  return undefined;
}

/** Terminal columns a printable code point takes: 0 (combining), 1 or 2 (wide). */
function cellWidth(cp: number, ch: string): number {
  if (COMBINING.test(ch)) return 0;
  if (EMOJI.test(ch)) return 2;
  return WIDE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1;
}

/** A source line made printable, and the display column at which each UTF-16 index starts. */
export interface DisplayLine {
  readonly text: string;
  /** columns[i]: display column (0-based) where UTF-16 index i starts; columns[length] is the total width. */
  readonly columns: readonly number[];
}

// Printable ASCII prints as itself, one column per character. Nearly every line and message is
// like that, and the general path below builds strings one character at a time: at 36k diagnostics
// that was most of the renderer's time (the ropes it builds all survive into the output).
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Expands tabs, replaces controls and invisible characters, and records the column map. */
export function displayLine(raw: string): DisplayLine {
  if (PRINTABLE_ASCII.test(raw)) {
    const columns = new Array<number>(raw.length + 1);
    for (let i = 0; i <= raw.length; i++) columns[i] = i;
    return { text: raw, columns };
  }
  let text = '';
  const columns: number[] = [];
  let col = 0;
  for (const ch of raw) {
    const cp = ch.codePointAt(0)!;
    for (let k = 0; k < ch.length; k++) columns.push(col); // both halves of a surrogate pair
    if (cp === 9) {
      const n = TAB_WIDTH - (col % TAB_WIDTH);
      text += ' '.repeat(n);
      col += n;
      continue;
    }
    const shown = replacement(cp) ?? ch;
    text += shown;
    col += shown === ch ? cellWidth(cp, ch) : 1;
  }
  columns.push(col);
  return { text, columns };
}

/** A message made printable: one entry per line (LF or CRLF), tabs as one space, controls replaced. */
export function safeLines(message: string): string[] {
  return message.split(/\r?\n/).map((line) => {
    if (PRINTABLE_ASCII.test(line)) return line;
    let out = '';
    for (const ch of line) out += ch === '\t' ? ' ' : (replacement(ch.codePointAt(0)!) ?? ch);
    return out;
  });
}
