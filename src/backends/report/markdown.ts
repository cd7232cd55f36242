// backends/report: escaping for GitHub-flavoured Markdown. Input: any string. Output: text that
// renders as itself inside a paragraph, a heading or a table cell (no markup, no HTML, no '|').

/**
 * Backslash-escapes the ASCII punctuation that can start markup in GFM (emphasis, code, links,
 * HTML, tables, headings, strikethrough), writes '&' as an entity (no character references) and
 * turns line breaks and other control characters into spaces: a table row must stay on one line.
 */
export function mdText(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_{}[\]<>|~#!]/g, (c) => `\\${c}`)
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/** One table row from cells that are already Markdown (escaped where they hold user text). */
export function mdRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A table: header row, delimiter row, body rows; '\n'-separated, no trailing newline. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [mdRow(header), mdRow(header.map(() => '---')), ...rows.map(mdRow)].join('\n');
}
