// The YAML subset reader of src/validate/k8s: whatever it accepts, the `yaml` package (a full YAML
// 1.2 reader) reads the same; what could be read differently by some reader it refuses, with the line.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { parseYamlSubset, YamlError } from '../../src/validate/k8s/yaml-subset.js';
import { yamlKey, yamlString } from '../../src/backends/compose/yaml-quote.js';
import { k8sFiles, kmutPolicy } from './k8s-support.js';

const same = (text: string) => expect(parseYamlSubset(text).value).toEqual(parse(text, { uniqueKeys: true }));

function refuses(text: string, line: number, reason: RegExp): void {
  try {
    parseYamlSubset(text);
  } catch (e) {
    expect(e).toBeInstanceOf(YamlError);
    expect((e as YamlError).line).toBe(line);
    expect((e as YamlError).reason).toMatch(reason);
    return;
  }
  throw new Error(`accepted: ${text}`);
}

describe('YAML subset reader', () => {
  test('the k8s manifests and kustomization read as the yaml package reads them', () => {
    for (const [, text] of [...k8sFiles(kmutPolicy()), ...k8sFiles(kmutPolicy(), {})]) same(text);
  });

  test('block forms: nested maps, indented and compact sequences, items holding maps, comments, empty collections', () => {
    same('a:\n  b: 1\n  c: "x" # note\nd:\n- e\n- f: g\n  h: []\ni: {}\nj:\n  - - 1\n    - 2\n');
    same("k: 'it''s'\nl: plain text here\nm: -x\n\"n o\": \"\\u00e9\\x41\\t\\\\\"\n");
    same('a:\n');
    same('- a\n-\n  b: c\n');
  });

  test('the lines of keys and items', () => {
    const { value, lines } = parseYamlSubset('# c\na:\n  - x: 1\n\n    z: 2\n');
    const a = (value as { a: object[] }).a;
    expect([lines.get(value as object)?.get('a'), lines.get(a)?.get(0), lines.get(a[0]!)?.get('z')]).toEqual([2, 3, 5]);
  });

  test('refuses what another reader could read differently, or what it does not read', () => {
    refuses('a: yes\n', 1, /could be read as/);
    refuses('a: 1.5\n', 1, /could be read as/);
    refuses('a: 010\n', 1, /could be read as/);
    refuses('a: ~\n', 1, /could be read as/);
    refuses('a: &x 1\nb: *x\n', 1, /anchors/);
    refuses('a: !!str 1\n', 1, /anchors, aliases, tags/);
    refuses('a: |\n  x\n', 1, /block scalars|may not start/);
    refuses('a: [1, 2]\n', 1, /flow collections/);
    refuses('a: 1\na: 2\n', 2, /duplicate key/);
    refuses('a: 1\n---\nb: 2\n', 2, /document markers/);
    refuses('a:\n\tb: 1\n', 2, /tab/);
    refuses('a: "x\n  y"\n', 1, /close on its own line/);
    refuses('a: x\n  y\n', 2, /unexpected indentation/);
    refuses('a: "\\q"\n', 1, /unknown escape/);
    refuses('a: "x" y\n', 1, /after a quoted scalar/);
  });

  test("reads a key named __proto__ as data, not as the object's prototype", () => {
    const value = parseYamlSubset('"__proto__": x\n').value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toBe('x');
  });

  test('any string quoted by the backend helper reads back as itself (as key and as value)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', minLength: 1 }), (v, k) => {
        const text = `${yamlKey(k)}: ${yamlString(v)}\n`;
        expect(parseYamlSubset(text).value).toEqual({ [k]: v });
        same(text);
      }),
      { numRuns: 500 },
    );
  });
});
