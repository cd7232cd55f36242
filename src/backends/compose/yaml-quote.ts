// backends/compose: quoting for compose.yml. Input: any JS string. Output: a YAML scalar that
// parses back to exactly that string (and, for Compose values, survives Compose's interpolation).

/** YAML 1.2 escapes that have a short form; everything else non-printable becomes \xNN or \uNNNN. */
const SHORT: Readonly<Record<string, string>> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\x0b': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '"': '\\"',
  '\\': '\\\\',
};

/**
 * True for code units that may not appear raw in a double-quoted scalar or that some YAML reader
 * would treat as a line break: C0/C1 controls, DEL, NEL, U+2028/2029 (line breaks in YAML 1.1),
 * surrogates (a lone one cannot be written as UTF-8), the BOM and the non-characters FFFE/FFFF.
 */
function needsEscape(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff) || c === 0xfeff || c >= 0xfffe;
}

/** A YAML double-quoted scalar holding exactly `s`. Iterates UTF-16 code units on purpose: a
 * valid surrogate pair is written raw (it is one printable character), a lone half is escaped. */
export function yamlString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = s.charCodeAt(i);
    const short = SHORT[ch];
    if (short !== undefined) {
      out += short;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += ch + s[i + 1]!;
      i++;
    } else if (needsEscape(c)) {
      out += c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    } else {
      out += ch;
    }
  }
  return out + '"';
}

/**
 * A Compose string value: Compose interpolates `$VAR` / `${VAR}` in every value before use, so a
 * literal `$` must be written `$$`. Without this an env value "pa$HOME" would silently change.
 */
export function composeString(s: string): string {
  return yamlString(s.replace(/\$/g, '$$$$'));
}

/** Words YAML 1.1 readers (Go's yaml among them) resolve to booleans or null when plain. */
const RESERVED = /^(y|yes|n|no|true|false|on|off|null|~)$/i;

/**
 * A mapping key: plain when it is an ordinary identifier (readable diffs), double-quoted
 * otherwise. Keys are not interpolated by Compose, so `$` stays as is.
 */
export function yamlKey(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) && !RESERVED.test(s) ? s : yamlString(s);
}
