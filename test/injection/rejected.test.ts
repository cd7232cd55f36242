// test/injection (a): every policy string that reaches a generated file and is checked by the lexer or
// lowering refuses shell, YAML and systemd metacharacters with the right code, and compile then emits
// nothing. Names (policy, tier, service, bridge) cannot even be lexed with them; image, user, tmpfs,
// capability, env names, tier references and bindings are refused by lowering; control characters, line
// breaks and bidi overrides are refused by the lexer in every string, including the ones lowering accepts.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { analyze } from '../../src/pipeline.js';
import { SourceFile } from '../../src/source/source-file.js';
import { FORMAT_PAYLOADS, TIERS, quote, serviceWith, shellPayloads } from './payloads.js';

const CANARY = '/tmp/tierwall-injection-canary';
/** Characters that mean something to a shell, YAML, Compose or systemd ('-', '.', '_', '/', '@', '+' do not). */
const SIGNIFICANT = /[\s$`'"\\;|&<>(){}[\]*?!~#%:,=^]/;
const PAYLOADS = [...shellPayloads(CANARY), ...FORMAT_PAYLOADS].filter((p) => SIGNIFICANT.test(p));

async function refused(text: string): Promise<{ codes: string[]; artifacts: number; names: string[] }> {
  const source = new SourceFile('injection.policy', text);
  const a = analyze(source);
  const codes = a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
  const c = await compile(source);
  const p = a.policy;
  const names = [p.name, ...p.tiers.flatMap((t) => [t.name, t.bridge]), ...p.services.flatMap((s) => [s.name, ...s.env.map((e) => e.name)])];
  return { codes, artifacts: c.artifacts.length, names };
}

/** A setting whose value lowering checks, the policy line that carries a payload there, and the code. */
const CHECKED_SINKS: readonly { sink: string; line: (p: string) => string; code: string }[] = [
  { sink: 'image', line: (p) => serviceWith(`image ${quote(p)}`).replace('  image "nginx:1.27-alpine";\n', ''), code: 'invalid-image' },
  { sink: 'image (after a valid reference)', line: (p) => serviceWith(`image ${quote(`nginx:1.27${p}`)}`).replace('  image "nginx:1.27-alpine";\n', ''), code: 'invalid-image' },
  { sink: 'user', line: (p) => serviceWith(`user ${quote(p)}`), code: 'invalid-user' },
  { sink: 'user (after a uid)', line: (p) => serviceWith(`user ${quote(`1000${p}`)}`), code: 'invalid-user' },
  { sink: 'tmpfs path', line: (p) => serviceWith(`tmpfs ${quote(`/tmp/${p}`)}`), code: 'invalid-path' },
  { sink: 'tmpfs options', line: (p) => serviceWith(`tmpfs ${quote(`/tmp:size=1m,${p}`)}`), code: 'invalid-path' },
  { sink: 'cap_add', line: (p) => serviceWith(`cap_add ${quote(`NET_ADMIN${p}`)}`), code: 'invalid-capability' },
  { sink: 'tiers', line: (p) => serviceWith(`tiers ${quote(p)}`).replace('  tiers web;\n', ''), code: 'unknown-tier' },
  { sink: 'address tier', line: (p) => serviceWith(`address ${quote(p)} 10.41.1.10`), code: 'unknown-tier' },
  { sink: 'env name', line: (p) => serviceWith(`env ${quote(p)} "x"`), code: 'invalid-setting' },
  { sink: 'publish', line: (p) => serviceWith(`publish ${quote(p)}`), code: 'invalid-setting' },
];

describe('lowering refuses metacharacters where values are checked', () => {
  for (const { sink, line, code } of CHECKED_SINKS) {
    it.each(PAYLOADS)(`${sink}: %j -> ${code}, nothing compiled`, async (payload) => {
      const r = await refused(TIERS + line(payload));
      expect(r.codes).toContain(code);
      expect(r.artifacts).toBe(0);
    });
  }
});

describe('names cannot carry metacharacters: the lexer splits them, compile emits nothing', () => {
  // Each name position, with the payload where the name goes.
  const POSITIONS: readonly { what: string; text: (p: string) => string }[] = [
    { what: 'policy name', text: (p) => `policy ${p};\n${TIERS}` },
    { what: 'tier name', text: (p) => `${TIERS}tier ${p} 10.41.3.0/24;\n` },
    { what: 'bridge name', text: (p) => `${TIERS}tier app 10.41.3.0/24 bridge ${p};\n` },
    { what: 'service name', text: (p) => `${TIERS}service ${p} { image "nginx"; tiers web; }\n` },
    { what: 'rule endpoint', text: (p) => `${TIERS}allow web -> ${p};\n` },
    { what: 'env name', text: (p) => TIERS + serviceWith(`env ${p} "x"`) },
  ];
  // The lexer or a naming rule says so (recovery may add consequences, e.g. service-no-tier).
  const NAME_CODES = new Set(['unknown-character', 'syntax-error', 'unterminated-string', 'invalid-name', 'invalid-bridge-name', 'invalid-env', 'invalid-setting']);
  for (const { what, text } of POSITIONS) {
    it.each(PAYLOADS)(`${what}: %j is refused`, async (payload) => {
      const r = await refused(text(payload));
      expect(r.codes.some((c) => NAME_CODES.has(c)), r.codes.join(', ')).toBe(true);
      expect(r.artifacts).toBe(0);
      // Whatever recovery kept, no name in the IR holds a character outside the naming rules.
      for (const n of r.names) expect(n).toMatch(/^[A-Za-z0-9_.-]+$/);
    });
  }

  it('names that lex but break the naming rules get their code', async () => {
    expect((await refused('policy Evil_Policy;\n')).codes).toEqual(['invalid-name']);
    expect((await refused('tier Web 10.41.1.0/24;\n')).codes).toEqual(['invalid-name']);
    expect((await refused('tier a.b 10.41.1.0/24;\n')).codes).toEqual(['invalid-name']);
    expect((await refused(`tier ${'a'.repeat(64)} 10.41.1.0/24;\n`)).codes).toEqual(['invalid-name']);
    expect((await refused('tier web 10.41.1.0/24 bridge a234567890123456;\n')).codes).toEqual(['invalid-bridge-name']);
    expect((await refused(TIERS + serviceWith('env A.B "x"'))).codes).toEqual(['invalid-env']);
    expect((await refused(`${TIERS}service Svc { image "nginx"; tiers web; }\n`)).codes).toEqual(['invalid-name']);
  });
});

describe('no string can carry a line break, control character or bidi override', () => {
  // Even where lowering accepts almost anything (env values, command arguments), these are refused by
  // the lexer: a newline in a value is the classic way out of a quoted YAML scalar or a unit file line.
  const INVISIBLE = ['\n', '\r', '\u0000', '\u0007', '\u001b[2J', '\t', '\u000b', '\u000c', '\u0085', '\u007f', '\u2028', '\u2029', '\u202e', '\u2066', '\u2069'];
  const ACCEPTING = [
    { sink: 'env value', line: (p: string) => serviceWith(`env A ${quote(`x${p}y`)}`) },
    { sink: 'command argument', line: (p: string) => serviceWith(`command "sh", ${quote(`x${p}y`)}`) },
    { sink: 'image', line: (p: string) => serviceWith(`image ${quote(`nginx${p}`)}`).replace('  image "nginx:1.27-alpine";\n', '') },
  ];
  for (const { sink, line } of ACCEPTING) {
    it.each(INVISIBLE)(`${sink} with %j: invalid-string or unterminated-string, nothing compiled`, async (ch) => {
      const r = await refused(TIERS + line(ch));
      expect(r.codes.some((c) => c === 'invalid-string' || c === 'unterminated-string')).toBe(true);
      expect(r.artifacts).toBe(0);
    });
  }

  it('the escapes are only \\" and \\\\: \\n, \\t, \\x1b and \\u202e stay refused', async () => {
    for (const esc of ['\\n', '\\t', '\\x1b', '\\u202e', '\\$', '\\0']) {
      const r = await refused(TIERS + serviceWith(`env A "a${esc}b"`));
      expect(r.codes, esc).toContain('invalid-string');
      expect(r.artifacts).toBe(0);
    }
  });
});
