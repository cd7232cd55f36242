// The language features in-process (no transport): diagnostics mapping, hover, definition and
// completion on small policies. Positions are marked in the text with `|`.
import { describe, expect, test } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache, sourceName, type PolicyDocument } from '../../src/lsp/documents.js';
import { toLspDiagnostics } from '../../src/lsp/diagnostics.js';
import { hover } from '../../src/lsp/hover.js';
import { definition } from '../../src/lsp/definition.js';
import { complete } from '../../src/lsp/completion.js';
import { SETTINGS } from '../../src/lsp/vocabulary.js';
import { analyzeText } from '../../src/pipeline.js';

const URI = 'file:///p/lab.policy';

/** The text without its `|` marker, and the marker's offset. */
function marked(text: string): { text: string; offset: number } {
  const offset = text.indexOf('|');
  if (offset < 0 || text.indexOf('|', offset + 1) >= 0) throw new Error('mark exactly one position with |');
  return { text: text.slice(0, offset) + text.slice(offset + 1), offset };
}

function open(text: string, version = 1): PolicyDocument {
  return new AnalysisCache().get(TextDocument.create(URI, 'tierwall', version, text));
}

const TIERS = 'tier web 10.0.1.0/24;\ntier app 10.0.2.0/24 isolated;\ntier db 10.0.3.0/24 bridge db-br;\n';
/** Two nets that overlap: 192.0.2.0/25 is in both (zone `office+vpn`). */
const NETS = 'net office 192.0.2.0/24, 198.51.100.0/24;\nnet vpn 192.0.2.0/25;\n';

describe('diagnostics', () => {
  test('ranges count UTF-16 code units, like the spans (an emoji is two)', () => {
    const text = `${TIERS}service s {\n  image "x"; command "🚀🚀"; tiers nope;\n}\n`;
    const [d] = toLspDiagnostics(open(text));
    expect(d).toMatchObject({ code: 'unknown-tier', severity: 1, source: 'tierwall' });
    const line = text.split('\n')[4]!;
    expect(d!.range).toEqual({ start: { line: 4, character: line.indexOf('nope') }, end: { line: 4, character: line.indexOf('nope') + 4 } });
    const codePoints = [...line.slice(0, line.indexOf('nope'))].length;
    expect(line.indexOf('nope') - codePoints).toBe(2); // two emoji, each two code units
  });

  test('the same diagnostics as tierwall check, with hints, severities and tags', () => {
    const text = `policy p;\ntier web 172.20.1.0/24;\ntier app 10.0.2.0/24;\nallow web -> app;\nallow web -> app tcp/80;\n`;
    const lsp = toLspDiagnostics(open(text));
    const check = analyzeText(sourceName(URI), text).diagnostics;
    expect(lsp.map((d) => d.code)).toEqual(check.map((d) => d.code));
    const pool = lsp.find((d) => d.code === 'docker-pool-overlap')!;
    expect(pool.severity).toBe(2);
    expect(pool.message).toMatch(/\nhint: /);
    const shadowed = lsp.find((d) => d.code === 'rule-shadowed' || d.code === 'rule-redundant')!;
    expect(shadowed.tags).toEqual([1]); // DiagnosticTag.Unnecessary
    expect(shadowed.relatedInformation?.[0]?.location.range.start.line).toBe(3);
  });

  test('file: URIs are analysed under their path (policy names derive from it)', () => {
    expect(sourceName('file:///srv/policies/prod.policy')).toBe('/srv/policies/prod.policy');
    expect(sourceName('untitled:Untitled-1')).toBe('untitled:Untitled-1');
    expect(open(TIERS).analysis.policy.name).toBe('lab');
  });

  test('a new version of the same document object is analysed again', () => {
    const cache = new AnalysisCache();
    const doc = TextDocument.create(URI, 'tierwall', 1, 'tier web 10.0.1.0/24;\nallow web -> nope;\n');
    expect(toLspDiagnostics(cache.get(doc))).toHaveLength(1);
    TextDocument.update(doc, [{ text: 'tier web 10.0.1.0/24;\n' }], 2);
    expect(toLspDiagnostics(cache.get(doc))).toEqual([]);
  });
});

describe('hover', () => {
  const hoverAt = (source: string) => {
    const { text, offset } = marked(source);
    return hover(open(text), offset)?.contents as { value: string } | undefined;
  };

  test('a tier: subnet, gateway, bridge, isolation and its services with their addresses', () => {
    const value = hoverAt(`${TIERS}allow web -> d|b tcp/5432;\nservice pg {\n  image "postgres";\n  tiers db, app;\n  address db 10.0.3.9;\n}\n`)!.value;
    expect(value).toContain('tier db 10.0.3.0/24');
    expect(value).toContain('| gateway | `10.0.3.1` |');
    expect(value).toContain('| bridge | `db-br` |');
    expect(value).toContain('| isolated | no');
    expect(value).toContain('| services | `pg` (10.0.3.9) |');
  });

  test('at the declaration and at the end of a name', () => {
    expect(hoverAt(`tier w|eb 10.0.1.0/24;\n`)!.value).toContain('tier web 10.0.1.0/24');
    expect(hoverAt(`${TIERS}allow web| -> app;\n`)!.value).toContain('tier web');
  });

  test('a rule: what it decides and the verdict per flow class', () => {
    const value = hoverAt(`${TIERS}al|low web -> app tcp/80, udp/53;\ndefault deny;\n`)!.value;
    expect(value).toContain('allow web -> app tcp/80, udp/53;');
    expect(value).toContain('Rule 1 of 1');
    expect(value).toContain('Decides **all** of the 2 flow classes it matches.');
    expect(value).toContain('| `web -> app tcp/80` | allow | this rule |');
    expect(value).toContain('| `web -> app udp/53` | allow | this rule |');
  });

  test('a shadowed rule: decides nothing, says which rule decides instead, and the anomaly', () => {
    const value = hoverAt(`${TIERS}deny web -> app log;\nallow web -> app tcp/8|0;\n`)!.value;
    expect(value).toContain('Decides **none** of the 1 flow class it matches');
    expect(value).toContain('| `web -> app tcp/80` | deny, logged | rule 1 (line 4) |');
    expect(value).toContain('**rule-shadowed** (error)');
    expect(value).toContain('- line 4: this earlier rule denies (and logs) some of its flows first');
  });

  test('a rule with part of its flows decided earlier', () => {
    const value = hoverAt(`${TIERS}deny web -> app tcp/22;\nallow| web -> app tcp;\n`)?.value;
    // `tcp` alone is not a service spec: the rule has a syntax error and is not evaluated.
    expect(value).toBeUndefined();
    const ranged = hoverAt(`${TIERS}deny web -> app tcp/22;\nallow| web -> app tcp/1-1024;\n`)!.value;
    expect(ranged).toContain('Decides **2** of the 3 flow classes it matches; earlier rules decide the rest.');
    expect(ranged).toContain('| `web -> app tcp/22` | deny | rule 1 (line 4) |');
  });

  test('a rule written over several lines with comments is shown on one line', () => {
    const value = hoverAt(`${TIERS}allow web, # the proxy\n  app -> db  // the store\n  tcp/5432;|\n`)!.value;
    expect(value).toContain('```tierwall\nallow web, app -> db tcp/5432;\n```');
  });

  test('a rule over many tiers lists the first rows and counts the rest', () => {
    const value = hoverAt(`${TIERS}tier q 10.0.4.0/24;\na|llow any -> any;\n`)!.value;
    expect(value).toMatch(/\| … \d+ more \| \| \|/);
  });

  test('a service, and a name that is not a tier', () => {
    const value = hoverAt(`${TIERS}service a|pi {\n  image "node:20";\n  tiers app;\n  publish 127.0.0.1:8080 -> tcp/80;\n}\n`)!.value;
    expect(value).toContain('- image: `node:20`');
    expect(value).toContain('- tiers: `app`');
    expect(value).toContain('`127.0.0.1:8080 -> tcp/80`');
    expect(hoverAt(`${TIERS}allow web -> no|pe;\n`)!.value).toBe('`nope` is not a declared tier.');
  });

  test('a net: its ranges and the zones it makes, at the declaration and in a rule', () => {
    for (const at of [`${TIERS}net off|ice 192.0.2.0/24, 198.51.100.0/24;\nnet vpn 192.0.2.0/25;\n`, `${TIERS}${NETS}allow offi|ce -> web tcp/22;\n`]) {
      const value = hoverAt(at)!.value;
      expect(value).toContain('net office 192.0.2.0/24, 198.51.100.0/24');
      expect(value).toContain('| ranges | `192.0.2.0/24`, `198.51.100.0/24` |');
      expect(value).toContain('| zones | `office+vpn` (192.0.2.0-192.0.2.127), `office` (192.0.2.128-192.0.2.255, 198.51.100.0-198.51.100.255) |');
    }
    expect(hoverAt(`${TIERS}net bad 192.0.2.0/33;\nallow b|ad -> web;\n`)!.value).toContain('_This net has errors');
  });

  test('world: what it means, and the zones it covers here; host: why it is refused', () => {
    const value = hoverAt(`${TIERS}${NETS}allow wor|ld -> web tcp/443;\n`)!.value;
    expect(value).toContain('every address outside the tiers');
    expect(value).toContain('`any` means every tier, never `world`');
    expect(value).toContain('`office+vpn` (192.0.2.0-192.0.2.127), `office` (');
    expect(value).toContain('`world`.');
    expect(hoverAt(`${TIERS}deny web -> ho|st;\n`)!.value).toContain('**host-not-managed**');
  });

  test('a rule with an external end: the classes between the tiers and the zones it covers', () => {
    const value = hoverAt(`${TIERS}${NETS}al|low office -> web tcp/22;\ndeny world -> web;\n`)!.value;
    expect(value).toContain('Decides **all** of the 2 flow classes it matches.');
    expect(value).toContain('| `office+vpn -> web tcp/22` | allow | this rule |');
    expect(value).toContain('| `office -> web tcp/22` | allow | this rule |');
    const world = hoverAt(`${TIERS}${NETS}allow office -> web tcp/22;\nden|y world -> web;\n`)!.value;
    expect(world).toContain('| `office -> web tcp/22` | allow | rule 1 (line 6) |');
    // office+vpn and office: 6 classes each (tcp cut at 22, two decided by rule 1); world: 4.
    expect(world).toContain('Decides **14** of the 16 flow classes it matches; earlier rules decide the rest.');
    expect(world).toContain('| `office -> web tcp/23-65535` | deny | this rule |');
  });

  test('nothing on default, policy, or between statements', () => {
    expect(hoverAt(`${TIERS}defa|ult deny;\n`)).toBeUndefined();
    expect(hoverAt(`${TIERS}\n|\nallow web -> app;\n`)).toBeUndefined();
  });
});

describe('definition', () => {
  const definitionAt = (source: string) => {
    const { text, offset } = marked(source);
    const pd = open(text);
    return { text, result: definition(pd, offset, false) as { range: { start: { line: number; character: number } } }[] | null };
  };

  test('from rules, tiers and address to the tier declaration (the first, if declared twice)', () => {
    const service = 'service s {\n  image "x";\n  tiers w|eb;\n}\n';
    expect(definitionAt(`${TIERS}${service}`).result?.[0]!.range.start).toEqual({ line: 0, character: 5 });
    expect(definitionAt(`${TIERS}service s {\n  image "x";\n  tiers db;\n  address d|b 10.0.3.5;\n}\n`).result?.[0]!.range.start).toEqual({ line: 2, character: 5 });
    expect(definitionAt(`${TIERS}tier app 10.0.9.0/24;\ndeny web, a|pp -> db;\n`).result?.[0]!.range.start).toEqual({ line: 1, character: 5 });
  });

  test('from a rule to the net declaration; none for world and host', () => {
    expect(definitionAt(`${TIERS}${NETS}allow web -> v|pn;\n`).result?.[0]!.range.start).toEqual({ line: 4, character: 4 });
    expect(definitionAt(`${TIERS}${NETS}allow web -> vpn, of|fice;\n`).result?.[0]!.range.start).toEqual({ line: 3, character: 4 });
    expect(definitionAt(`${TIERS}${NETS}allow web -> wor|ld;\n`).result).toBeNull();
    expect(definitionAt(`${TIERS}${NETS}allow ho|st -> web;\n`).result).toBeNull();
  });

  test('none for unknown tiers, `any`, or the address value', () => {
    expect(definitionAt(`${TIERS}allow web -> no|pe;\n`).result).toBeNull();
    expect(definitionAt(`${TIERS}allow a|ny -> db;\n`).result).toBeNull();
    expect(definitionAt(`${TIERS}service s {\n  image "x";\n  tiers db;\n  address db 10.0.|3.5;\n}\n`).result).toBeNull();
  });
});

describe('completion', () => {
  const labels = (source: string) => {
    const { text, offset } = marked(source);
    return complete(TextDocument.create(URI, 'tierwall', 1, text), offset).map((i) => i.label);
  };

  test('tier names (in declaration order) and any at rule endpoints', () => {
    expect(labels(`${TIERS}allow |`)).toEqual(['web', 'app', 'db', 'any', 'world']);
    expect(labels(`${TIERS}allow web -> |`)).toEqual(['web', 'app', 'db', 'any', 'world']);
    expect(labels(`${TIERS}allow web->|`)).toEqual(['web', 'app', 'db', 'any', 'world']);
    expect(labels(`${TIERS}deny web, |`)).toEqual(['app', 'db', 'any', 'world']);
    expect(labels(`${TIERS}deny web -> app, |`)).toEqual(['web', 'db', 'any', 'world']);
    expect(labels(`${TIERS}allow we|`)).toEqual(['web', 'app', 'db', 'any', 'world']); // the client filters by prefix
  });

  test('nets (after the tiers), any and world at rule endpoints; never host', () => {
    expect(labels(`${TIERS}${NETS}allow |`)).toEqual(['web', 'app', 'db', 'office', 'vpn', 'any', 'world']);
    expect(labels(`${TIERS}${NETS}allow office -> |`)).toEqual(['web', 'app', 'db', 'office', 'vpn', 'any', 'world']);
    expect(labels(`${TIERS}${NETS}deny world, |`)).toEqual(['web', 'app', 'db', 'office', 'vpn', 'any']);
    expect(labels(`${TIERS}${NETS}deny web -> office, |`)).toEqual(['web', 'app', 'db', 'vpn', 'any', 'world']);
    expect(labels(`${TIERS}${NETS}allow web -> world |`)).toEqual(['tcp', 'udp', 'icmp', 'log']);
    const { text, offset } = marked(`${TIERS}${NETS}allow |`);
    const office = complete(TextDocument.create(URI, 'tierwall', 1, text), offset).find((i) => i.label === 'office')!;
    expect(office.detail).toBe('net office 192.0.2.0/24, 198.51.100.0/24');
    // A net statement ends the statement before it, like a tier does.
    expect(labels(`${TIERS}allow web -> db tcp/80\nnet office 192.0.2.0/24;\nallow |`)).toEqual(['web', 'app', 'db', 'office', 'any', 'world']);
  });

  test('the statement being typed need not parse, nor the ones after it', () => {
    expect(labels(`${TIERS}allow |\ndeny web -> db;\n`)).toEqual(['web', 'app', 'db', 'any', 'world']);
    expect(labels(`${TIERS}allow web -> db tcp/80\nallow |`)).toEqual(['web', 'app', 'db', 'any', 'world']);
  });

  test('the word being typed is what a chosen item replaces', () => {
    const { text, offset } = marked(`${TIERS}allow web -> ap|`);
    const item = complete(TextDocument.create(URI, 'tierwall', 1, text), offset).find((i) => i.label === 'app')!;
    expect(item.textEdit).toEqual({ range: { start: { line: 3, character: 13 }, end: { line: 3, character: 15 } }, newText: 'app' });
  });

  test('services and log after the destinations', () => {
    expect(labels(`${TIERS}allow web -> app |`)).toEqual(['tcp', 'udp', 'icmp', 'log']);
    expect(labels(`${TIERS}allow web -> app tcp/80, |`)).toEqual(['tcp', 'udp', 'icmp']);
    expect(labels(`${TIERS}allow web -> app tcp/80 |`)).toEqual(['log']);
    expect(labels(`${TIERS}allow web -> app tcp/80 log |`)).toEqual([]);
  });

  test('keywords at statement start; actions after default; tier options', () => {
    expect(labels('|')).toEqual(['policy', 'tier', 'net', 'allow', 'deny', 'default', 'service']);
    expect(labels(`${TIERS}|`)).toEqual(['policy', 'tier', 'net', 'allow', 'deny', 'default', 'service']);
    expect(labels(`${TIERS}al|`)).toEqual(['policy', 'tier', 'net', 'allow', 'deny', 'default', 'service']);
    expect(labels(`${TIERS}default |`)).toEqual(['allow', 'deny']);
    expect(labels('tier web 10.0.1.0/24 |')).toEqual(['gateway', 'bridge', 'isolated', 'ipv6']);
    expect(labels('tier web 10.0.1.0/24 isolated |')).toEqual(['gateway', 'bridge', 'ipv6']);
    expect(labels('tier web 10.0.1.0/24 bridge |')).toEqual([]);
  });

  test('in a service block: settings, tiers in `tiers` and `address`, capabilities', () => {
    expect(labels(`${TIERS}service s {\n  |\n}\n`)).toEqual(SETTINGS.map((s) => s.label));
    expect(labels(`${TIERS}service s {\n  image "x";\n  |`)).toEqual(SETTINGS.map((s) => s.label));
    expect(labels(`${TIERS}service s {\n  tiers |\n}\n`)).toEqual(['web', 'app', 'db']);
    expect(labels(`${TIERS}service s {\n  tiers web, |\n}\n`)).toEqual(['app', 'db']);
    expect(labels(`${TIERS}service s {\n  address |\n}\n`)).toEqual(['web', 'app', 'db']);
    expect(labels(`${TIERS}service s {\n  address web |\n}\n`)).toEqual([]);
    expect(labels(`${TIERS}service s {\n  cap_add |\n}\n`)).toContain('NET_BIND_SERVICE');
    expect(labels(`${TIERS}service s {\n  image "x";\n}\n|`)).toContain('tier'); // after the block
  });

  test('nothing inside comments, strings and numbers', () => {
    expect(labels(`${TIERS}allow web -> app; # allow |`)).toEqual([]);
    expect(labels(`${TIERS}service s {\n  image "ngi|nx";\n}\n`)).toEqual([]);
    expect(labels(`tier web 10.0.|`)).toEqual([]);
  });

  test('every setting offered is one the compiler accepts', () => {
    for (const { label } of SETTINGS) {
      const codes = analyzeText('s.policy', `${TIERS}service s {\n  image "x";\n  tiers web;\n  ${label} x;\n}\n`).diagnostics.map((d) => d.code);
      expect(codes, label).not.toContain('unknown-setting');
    }
  });
});
