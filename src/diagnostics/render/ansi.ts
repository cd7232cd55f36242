// diagnostics/render: ANSI styling for the text renderer, a no-op unless colour was asked for.
// The CLI decides (stdout is a TTY and NO_COLOR is unset); renderers never look at the environment.

export type Style = 'error' | 'warning' | 'info' | 'gutter' | 'bold';

const SGR: Record<Style, string> = { error: '1;31', warning: '1;33', info: '1;34', gutter: '1;34', bold: '1' };

/** Wraps text in one style. Callers pass only text already made safe (see terminal-text.ts). */
export type Paint = (style: Style, text: string) => string;

export function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => (text === '' ? '' : `\x1b[${SGR[style]}m${text}\x1b[0m`);
}
