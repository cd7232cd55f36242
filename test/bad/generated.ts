// test/bad: the hostile cases too big to commit (10 MB, 100k lines, 10,000 repetitions), built in
// memory. Each lists what the front end must answer: how many diagnostics of each code, and the first
// ones exactly (code, line:col-line:col, text), like the committed cases in expected.json.
import type { Entry } from './support.js';

export interface GeneratedCase {
  readonly name: string;
  readonly text: () => string;
  /** Diagnostics per code, all of them (a code not listed must not appear). */
  readonly counts: Readonly<Record<string, number>>;
  /** The first diagnostics in sorted order, exactly. */
  readonly first: readonly Entry[];
  /** Run through the CLI too (under the time and memory meter). */
  readonly cli: boolean;
}

const MB = 1024 * 1024;
const METACHARS = '$(x) `y` \'; "z" | && {} %n ${V} \\ # ';

/**
 * 100,000 lines: 2,000 tiers and 18,000 rules (one statement every fifth line), comments full of shell
 * syntax, blank lines, and a broken tier every 10,000 lines (so the checks stage is skipped: this case is
 * about the lexer, parser and lowering; many tiers times many rules was quadratic there until ad228f8).
 */
function hundredThousandLines(): string {
  const lines: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const n = Math.floor(i / 5);
    switch (i % 5) {
      case 0:
        if (n < 2_000) lines.push(`tier t${n} 10.${n >> 8}.${n & 255}.0/24;`);
        else lines.push(`${n % 2 ? 'allow' : 'deny'} t${n % 2_000} -> t${(n * 7 + 3) % 2_000} ${n % 3 ? 'tcp' : 'udp'}/${(n % 65_535) + 1}${n % 5 ? '' : ' log'};`);
        break;
      case 1: lines.push(`# rule ${n}: $(touch /tmp/tierwall-pwned) \`id\` '; rm -rf / ' %n \${HOME}`); break;
      case 2: lines.push(`    // indented comment ${n}   `); break;
      case 3: lines.push(''); break;
      default: lines.push(i % 10_000 === 9_999 ? 'tier broken;' : '\t');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** 10,000 settings in one service block: env, cap_add and tmpfs (all repeatable), every value distinct. */
function tenThousandSettings(): string {
  const settings: string[] = [];
  for (let i = 0; i < 4_000; i++) settings.push(`  env V${i} "value ${i} $(id) \`id\`";`);
  for (let i = 0; i < 3_000; i++) settings.push('  cap_add NET_BIND_SERVICE, CHOWN;');
  for (let i = 0; i < 3_000; i++) settings.push(`  tmpfs "/t${i}";`);
  return `tier web 10.1.1.0/24;\nservice s {\n  image "nginx";\n  tiers web;\n${settings.join('\n')}\n}\n`;
}

export const GENERATED: readonly GeneratedCase[] = [
  {
    name: 'comment-10mb',
    // A 10 MB comment line (with every kind of metacharacter), then a real error the lexer must still reach.
    text: () => `# ${METACHARS.repeat(Math.ceil((10 * MB) / METACHARS.length))}\npolicy p;\ntier web 10.1.1.0/24;\nallow web -> dbb;\n`,
    counts: { 'unknown-tier': 1 },
    first: [['unknown-tier', '4:14-4:17', 'dbb']],
    cli: true,
  },
  {
    name: 'lines-100k',
    text: hundredThousandLines,
    counts: { 'syntax-error': 10 },
    first: [
      ['syntax-error', '10000:12-10000:13', ';'],
      ['syntax-error', '20000:12-20000:13', ';'],
    ],
    cli: true,
  },
  {
    name: 'sources-10k',
    // `allow a, a, a, ... -> b;` with 10,000 sources: one valid rule.
    text: () => `tier a 10.1.1.0/24;\ntier b 10.1.2.0/24;\nallow ${Array(10_000).fill('a').join(', ')} -> b tcp/80;\n`,
    counts: {},
    first: [],
    cli: false,
  },
  {
    name: 'settings-10k',
    text: tenThousandSettings,
    counts: {},
    first: [],
    cli: false,
  },
  {
    name: 'open-braces-10k',
    text: () => `service a ${'{'.repeat(10_000)}\n`,
    counts: { 'syntax-error': 1 },
    first: [['syntax-error', '1:12-1:13', '{']],
    cli: true,
  },
  {
    name: 'close-braces-10k',
    text: () => `${'}'.repeat(10_000)}\npolicy p;\n`,
    counts: { 'syntax-error': 1 },
    first: [['syntax-error', '1:1-1:2', '}']],
    cli: false,
  },
  {
    name: 'brace-pairs-10k',
    text: () => `service a {${'{}'.repeat(10_000)}\n`,
    counts: { 'syntax-error': 2 },
    first: [['syntax-error', '1:12-1:13', '{']],
    cli: false,
  },
  {
    name: 'unknown-characters-10k',
    text: () => `${'@'.repeat(5_000)}\n${'\u0007\u001b'.repeat(2_500)}\n`,
    counts: { 'unknown-character': 10_000 },
    first: [['unknown-character', '1:1-1:2', '@']],
    cli: true,
  },
  {
    name: 'unterminated-strings-2k',
    text: () => 'service s { image "x\n'.repeat(2_000),
    counts: { 'unterminated-string': 2_000, 'syntax-error': 2_000 },
    first: [['unterminated-string', '1:19-1:21', '"x']],
    cli: false,
  },
  {
    name: 'syntax-error-every-line-5k',
    text: () => 'allow ;\n'.repeat(5_000),
    counts: { 'syntax-error': 5_000 },
    first: [['syntax-error', '1:7-1:8', ';'], ['syntax-error', '2:7-2:8', ';']],
    cli: false,
  },
  {
    name: 'newlines-1m',
    // A million line breaks (CRLF), then an error on the last line: the line table must not slow down.
    text: () => `${'\r\n'.repeat(1_000_000)}tier web;\n`,
    counts: { 'syntax-error': 1 },
    first: [['syntax-error', '1000001:9-1000001:10', ';']],
    cli: false,
  },
];
