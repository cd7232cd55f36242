// validate/k8s: a strict reader of the block-YAML subset the manifests are written in, linear in the
// text (the general `yaml` package takes seconds on the bench's megabytes of manifests). Block
// mappings and sequences by indentation, double- and single-quoted and plain scalars, `[]`, `{}` and
// full-line or trailing comments. Everything else (anchors, aliases, tags, block scalars, flow
// collections with content, multi-line scalars, several documents, tabs, duplicate keys, plain
// scalars another YAML reader could type as bool, null or float) is a YamlError with its line:
// what this reader accepts, every YAML 1.2 reader reads the same way.
// Input: text. Output: plain objects/arrays/strings/integers/null, and the line of each key and item.

export class YamlError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
  }
}

export type YamlValue = string | number | null | YamlValue[] | { [k: string]: YamlValue };

/** The 1-based line of every mapping key and sequence item, by container. */
export type Lines = WeakMap<object, Map<string | number, number>>;

interface Line {
  readonly no: number;
  readonly indent: number;
  /** The content after the indentation; never empty, never a comment. */
  readonly text: string;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\x0b', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};
const HEX_LEN: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** Plain scalars a YAML 1.1 or 1.2 reader could resolve to something other than a string or a decimal integer. */
const AMBIGUOUS = /^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0[xob][0-9a-fA-F_]+|[0-9]+(?::[0-5]?[0-9])+|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|<<|=)$/;
const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    let s = raw[i]!;
    if (s.endsWith('\r')) s = s.slice(0, -1);
    let indent = 0;
    while (s.charCodeAt(indent) === 32) indent++;
    const rest = s.slice(indent);
    if (rest === '' || rest.startsWith('#')) continue;
    if (rest.startsWith('\t')) throw new YamlError(i + 1, 'a tab in the indentation');
    if (indent === 0 && (rest.startsWith('---') || rest.startsWith('...') || rest.startsWith('%'))) throw new YamlError(i + 1, 'document markers and directives are not read (one document per file)');
    out.push({ no: i + 1, indent, text: rest.trimEnd() });
  }
  return out;
}

class Parser {
  private i = 0;
  readonly lines: Lines = new WeakMap();

  constructor(private readonly ls: Line[]) {}

  parse(): YamlValue {
    const first = this.ls[0];
    if (!first) return null;
    if (first.indent !== 0) throw new YamlError(first.no, 'the document must start at column 1');
    const v = this.block(0);
    const extra = this.ls[this.i];
    if (extra) throw new YamlError(extra.no, 'unexpected indentation');
    return v;
  }

  private block(indent: number): YamlValue {
    const l = this.ls[this.i]!;
    if (isItem(l.text)) return this.seq(indent);
    if (keyEnd(l.text, l.no) < 0) {
      // A scalar alone on its line(s): only as the whole document, never as a multi-line value.
      this.i++;
      return scalar(l.text, l.no);
    }
    return this.map(indent);
  }

  private map(indent: number): { [k: string]: YamlValue } {
    const out: { [k: string]: YamlValue } = {};
    const at = new Map<string, number>();
    this.lines.set(out, at);
    for (let l = this.ls[this.i]; l && l.indent === indent && !isItem(l.text); l = this.ls[this.i]) {
      const end = keyEnd(l.text, l.no);
      if (end < 0) throw new YamlError(l.no, `expected 'key: value', found '${l.text}'`);
      const key = keyText(l.text.slice(0, end), l.no);
      if (at.has(key)) throw new YamlError(l.no, `duplicate key '${key}'`);
      at.set(key, l.no);
      const rest = l.text.slice(end + 1).trimStart();
      this.i++;
      // defineProperty, not assignment: a key `__proto__` is data here, never the object's prototype.
      Object.defineProperty(out, key, { value: this.valueAfter(rest, indent, l.no, true), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  private seq(indent: number): YamlValue[] {
    const out: YamlValue[] = [];
    const at = new Map<number, number>();
    this.lines.set(out, at);
    for (let l = this.ls[this.i]; l && l.indent === indent && isItem(l.text); l = this.ls[this.i]) {
      at.set(out.length, l.no);
      const rest = l.text.slice(1).trimStart();
      if (rest !== '' && !rest.startsWith('#') && (isItem(rest) || keyEnd(rest, l.no) >= 0)) {
        // `- key: value` (or `- - x`): a mapping (sequence) whose entries sit at the column after the dash.
        const col = indent + (l.text.length - rest.length);
        this.ls[this.i] = { no: l.no, indent: col, text: rest };
        out.push(isItem(rest) ? this.seq(col) : this.map(col));
        continue;
      }
      this.i++;
      out.push(this.valueAfter(rest, indent, l.no, false));
    }
    return out;
  }

  /** The value after `key:` or `-`: inline, or the block on the following lines. */
  private valueAfter(rest: string, indent: number, no: number, inMap: boolean): YamlValue {
    if (rest !== '' && !rest.startsWith('#')) return inline(rest, no);
    const next = this.ls[this.i];
    if (next && next.indent > indent) return this.block(next.indent);
    // YAML lets a mapping's sequence value start at the key's own column.
    if (inMap && next && next.indent === indent && isItem(next.text)) return this.seq(indent);
    return null;
  }
}

const isItem = (s: string): boolean => s === '-' || s.startsWith('- ');

/** Where the key of `key: value` ends (the colon), or -1 when the text is not a mapping entry. */
function keyEnd(s: string, no: number): number {
  if (s.startsWith('"') || s.startsWith("'")) {
    const close = quotedEnd(s, no);
    return s[close + 1] === ':' && (close + 2 === s.length || s[close + 2] === ' ') ? close + 1 : -1;
  }
  for (let k = s.indexOf(':'); k >= 0; k = s.indexOf(':', k + 1)) {
    if (s.slice(0, k).includes(' #')) return -1;
    if (k + 1 === s.length || s[k + 1] === ' ') return k;
  }
  return -1;
}

function keyText(s: string, no: number): string {
  const v = s.startsWith('"') || s.startsWith("'") ? scalar(s, no) : plain(s, no);
  if (typeof v !== 'string') throw new YamlError(no, `key ${s} is not a string`);
  return v;
}

/** An inline value: `[]`, `{}` or a scalar, with an optional trailing comment. */
function inline(s: string, no: number): YamlValue {
  if (s.startsWith('[') || s.startsWith('{')) {
    const body = s.replace(/\s+#.*$/, '');
    if (body === '[]') return [];
    if (body === '{}') return {};
    throw new YamlError(no, `flow collections with content are not read: '${s}'`);
  }
  return scalar(s, no);
}

/** The index of the closing quote of the quoted scalar starting at 0. */
function quotedEnd(s: string, no: number): number {
  const q = s[0]!;
  for (let k = 1; k < s.length; k++) {
    if (q === '"' && s[k] === '\\') k++;
    else if (s[k] === q) {
      if (q === "'" && s[k + 1] === "'") k++;
      else return k;
    }
  }
  throw new YamlError(no, 'a quoted scalar must close on its own line');
}

function scalar(s: string, no: number): YamlValue {
  if (s.startsWith('"') || s.startsWith("'")) {
    const close = quotedEnd(s, no);
    const after = s.slice(close + 1);
    if (after !== '' && !/^\s+#/.test(after)) throw new YamlError(no, `unexpected text after a quoted scalar: '${after}'`);
    return s[0] === '"' ? doubleQuoted(s.slice(1, close), no) : s.slice(1, close).replaceAll("''", "'");
  }
  const hash = s.search(/\s#/);
  return plain(hash >= 0 ? s.slice(0, hash).trimEnd() : s, no);
}

function doubleQuoted(body: string, no: number): string {
  let out = '';
  for (let k = 0; k < body.length; k++) {
    const ch = body[k]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = body[++k] ?? '';
    const short = ESCAPES[e];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const n = HEX_LEN[e];
    const hex = n === undefined ? '' : body.slice(k + 1, k + 1 + n);
    if (n === undefined || !new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new YamlError(no, `unknown escape \\${e}${hex}`);
    out += String.fromCodePoint(parseInt(hex, 16));
    k += n;
  }
  return out;
}

function plain(s: string, no: number): string | number {
  if (/^[&*!|>%@`]/.test(s)) throw new YamlError(no, `anchors, aliases, tags and block scalars are not read: '${s}'`);
  if (/^[-?:,[\]{}#'"]/.test(s) && !/^[-?:][^\s]/.test(s)) throw new YamlError(no, `a plain scalar may not start with '${s[0]}'`);
  if (DECIMAL.test(s)) return Number(s);
  if (AMBIGUOUS.test(s)) throw new YamlError(no, `plain scalar '${s}' could be read as a number, boolean or null: quote it`);
  return s;
}

/** Parses `text`; throws YamlError. */
export function parseYamlSubset(text: string): { value: YamlValue; lines: Lines } {
  const p = new Parser(splitLines(text));
  return { value: p.parse(), lines: p.lines };
}
