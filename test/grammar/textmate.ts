// test support: tokenizes text with the tierwall TextMate grammar the way VS Code does
// (vscode-textmate + the Oniguruma wasm). Input: text. Output: per line, tokens with their scopes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Both packages are UMD bundles whose named exports Node's ESM loader cannot see: load them with require.
const require = createRequire(import.meta.url);
const tm = require('vscode-textmate') as typeof import('vscode-textmate');
const onig = require('vscode-oniguruma') as typeof import('vscode-oniguruma');

export const GRAMMAR_PATH = fileURLToPath(new URL('../../grammar/tierwall.tmLanguage.json', import.meta.url));

export interface Token {
  readonly line: number; // 0-based
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

let loaded: Promise<import('vscode-textmate').IGrammar> | undefined;

async function load(): Promise<import('vscode-textmate').IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new tm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns),
      createOnigString: (s: string) => new onig.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.tierwall' ? tm.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
  });
  const grammar = await registry.loadGrammar('source.tierwall');
  if (!grammar) throw new Error('grammar source.tierwall did not load');
  return grammar;
}

/** Tokenizes a whole text, carrying the rule stack from line to line as an editor does. */
export async function tokenize(text: string): Promise<Token[][]> {
  loaded ??= load();
  const grammar = await loaded;
  let stack = tm.INITIAL;
  const out: Token[][] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    out.push(result.tokens.map((t) => ({
      line: n,
      start: t.startIndex,
      end: Math.min(t.endIndex, line.length),
      text: line.slice(t.startIndex, t.endIndex),
      scopes: t.scopes,
    })));
  });
  return out;
}
