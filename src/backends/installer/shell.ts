// backends/installer: the quoting the generated bash needs, in TypeScript so templates only place
// values. Input: plain strings / iptables-save argument text. Output: bash words and heredoc delimiters.

/** One bash word that expands to exactly `text`: single-quoted, with `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A bash array literal body: each element quoted, separated by one space. */
export function shellArray(items: readonly string[]): string {
  return items.map(shellQuote).join(' ');
}

/**
 * Splits rule arguments written as iptables-save prints them (`-m comment --comment "a b" -j X`)
 * into argv words, the way iptables-restore does: whitespace separates, double quotes group, and
 * inside quotes a backslash escapes the next character. Unbalanced quotes are a bug upstream.
 */
export function splitRuleArgs(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '\\' && i + 1 < text.length) word += text[++i];
      else if (ch === '"') quoted = false;
      else word += ch;
    } else if (ch === '"') {
      quoted = true;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quoted) throw new Error(`unbalanced quote in rule arguments: ${text}`);
  if (inWord) words.push(word);
  return words;
}

/**
 * A quoted-heredoc body and a delimiter that no line of it equals. Content must end with '\n'
 * (artifacts always do): the heredoc then reproduces it byte for byte.
 */
export function heredoc(base: string, content: string): { readonly delimiter: string; readonly body: string } {
  if (!content.endsWith('\n')) throw new Error(`heredoc content for ${base} must end with a newline`);
  const lines = new Set(content.split('\n'));
  let delimiter = base;
  for (let n = 2; lines.has(delimiter); n++) delimiter = `${base}_${n}`;
  return { delimiter, body: content };
}
