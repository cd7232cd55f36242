// test/injection: the hostile strings and how to write them into a policy. Input: the path of a canary
// file. Output: payloads that would create the canary if any generated artifact ever ran them as code
// (shell, YAML, systemd specifiers, Compose interpolation), and policy-text helpers.

/** Shell payloads: each creates `canary` if a shell evaluates it, in any quoting context. */
export function shellPayloads(canary: string): string[] {
  return [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `'; touch ${canary}; '`,
    `"; touch ${canary}; "`,
    `; touch ${canary}`,
    `| touch ${canary}`,
    `&& touch ${canary} &&`,
    `$(touch\${IFS}${canary})`,
    `\\'$(touch ${canary})\\'`,
    `' "$(touch ${canary})" '`,
    `$'\\x41'$(touch ${canary})`,
    `<(touch ${canary})`,
  ];
}

/** Strings that mean something to YAML, Compose, systemd or Markdown rather than to a shell. */
export const FORMAT_PAYLOADS: readonly string[] = [
  'key: value', '- item', '{a: b}', '[1, 2]', '&anchor *alias !!binary', '---', '...', '? complex', '| literal', '> folded',
  '# not a comment', 'x #tail', '%YAML 1.1', '@at', 'yes', 'no', 'on', 'off', 'null', '~', '0x1F', '1e3', '',
  '${HOME}', '$HOME', '$$', '$', '${TIERWALL_PROBE:-x}', '%n %h %i %% %', '* ? [a] ! ~', '\\', '\\\\', '"', "'",
  '<script>', '| a | b |', '**bold**', 'é 雪 🐳 →',
];

/** The policy-text form of a string literal (only `\"` and `\\` are escapes). */
export function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Two tiers; then whatever a test adds. Subnets outside Docker's default pools (no warnings). */
export const TIERS = 'tier web 10.41.1.0/24;\ntier db 10.41.2.0/24;\n';

/** A service in `web` with one extra setting line (`setting` without its ';'). */
export function serviceWith(setting: string, name = 's'): string {
  return `service ${name} {\n  image "nginx:1.27-alpine";\n  tiers web;\n  ${setting};\n}\n`;
}
