// validate: reads a whole rules.v4 (iptables-restore input) into a Ruleset: one *filter table,
// `:CHAIN - [0:0]` declarations, `-A` rules, COMMIT. Input: text. Output: Ruleset + RulesetProblems.
import type { RulesetProblem } from './types.js';
import type { Chain, Ruleset } from './ruleset.js';
import { splitWords, Words } from './tokens.js';
import { newContext, parseRule, type RuleContext } from './parse-rule.js';
import { jumpLoops } from './jump-graph.js';

/** Chains the file must never declare: declaring a chain in iptables-restore flushes it. */
const BUILTIN = new Set(['INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING', 'POSTROUTING']);
const RESERVED_TARGETS = new Set(['ACCEPT', 'DROP', 'RETURN', 'LOG', 'QUEUE', 'REJECT']);
/** iptables chain names hold at most 28 characters. */
const CHAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,27}$/;

function chainNameProblem(name: string): string | undefined {
  if (!CHAIN_NAME.test(name)) return `'${name}' is not a chain name of the subset (1-28 of [A-Za-z0-9_.-])`;
  if (BUILTIN.has(name)) return `declares the built-in chain ${name}`;
  if (name.startsWith('DOCKER')) return `declares Docker's chain ${name}: loading the file would flush it`;
  if (RESERVED_TARGETS.has(name)) return `chain name ${name} is a target name`;
  return undefined;
}

export interface ParsedFile {
  readonly ruleset: Ruleset;
  readonly problems: readonly RulesetProblem[];
}

const ruleProblem = (line: number, text: string, reason: string): RulesetProblem => ({ kind: 'ruleset', line, text, reason });

export function parseRestoreFile(text: string): ParsedFile {
  const chains = new Map<string, Chain>();
  const lineStarts: number[] = [];
  const problems: RulesetProblem[] = [];
  const ctx = newContext((name) => chains.get(name));
  let state: State = 'start';
  const appends = new Appender(chains, ctx);
  let no = 0;
  // Line by line without splitting the whole text first: a large ruleset has millions of lines, and
  // -A lines (nearly all of them) are read in place, never sliced out.
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    lineStarts.push(start);
    no++;
    const c2 = text.charCodeAt(start + 2);
    if (text.charCodeAt(start) === 45 /* - */ && text.charCodeAt(start + 1) === 65 /* A */ && (c2 === 32 || c2 === 9 || end === start + 2) && state === 'table') {
      const problem = appends.read(text, start, end, no);
      if (problem !== undefined) problems.push(ruleProblem(no, text.slice(start, end), problem));
    } else {
      const line = text.slice(start, end);
      const r = readOther(line, no, state, chains);
      if ('error' in r) problems.push(ruleProblem(no, line, r.error));
      else state = r.next;
    }
    start = end + 1;
  }
  if (state !== 'done') {
    problems.push(ruleProblem(no + 1, '', state === 'start' ? 'no *filter table' : 'the table is not committed (no COMMIT)'));
  }
  const ruleset = { chains, text, lineStarts };
  // A loop, not push(...): a hostile ruleset can have more loops than the argument limit.
  for (const p of jumpLoops(ruleset)) problems.push(p);
  return { ruleset, problems };
}

type State = 'start' | 'table' | 'done';

/** Reads `-A CHAIN ...` lines into their chains; they come grouped by chain, so the last one is kept at hand. */
class Appender {
  private last: Chain | undefined;

  constructor(private readonly chains: ReadonlyMap<string, Chain>, private readonly ctx: RuleContext) {}

  /** Appends the rule of text[start, end) to its chain; returns the line's problem instead when there is one. */
  read(text: string, start: number, end: number, no: number): string | undefined {
    const w = new Words(text, start + 2, end);
    if (!w.next()) return w.error ?? "'-A' without a chain";
    let chain = this.last;
    if (!chain || !w.is(chain.name)) {
      const name = w.text();
      chain = this.chains.get(name);
      if (!chain) return `appends to '${name}', a chain this file does not declare`;
      this.last = chain;
    }
    const rule = parseRule(text, w.end, end, chain.name, chain.rules.length + 1, no, this.ctx);
    if ('error' in rule) return rule.error;
    chain.rules.push(rule);
    return undefined;
  }
}

/** Any line but `-A`: comments, *filter, declarations, COMMIT. The next state, or the line's problem. */
function readOther(line: string, no: number, state: State, chains: Map<string, Chain>): { next: State } | { error: string } {
  const trimmed = line.replace(/^[ \t]+|[ \t]+$/g, '');
  if (trimmed === '' || trimmed.startsWith('#')) return { next: state };
  if (state === 'done') return { error: 'text after COMMIT' };
  if (state === 'start') {
    if (trimmed === '*filter') return { next: 'table' };
    return { error: trimmed.startsWith('*') ? `table '${trimmed.slice(1)}' is outside the subset (only *filter)` : 'expected *filter first' };
  }
  if (trimmed === 'COMMIT') return { next: 'done' };
  if (line.startsWith(':')) {
    const words = splitWords(line);
    if (!Array.isArray(words)) return words;
    const name = words[0]!.slice(1);
    const bad = chainNameProblem(name)
      ?? (words[1] !== '-' ? `chain policy '${words[1] ?? ''}': own chains have the policy '-'` : undefined)
      ?? (words.length > 3 || (words[2] !== undefined && !/^\[[0-9]+:[0-9]+\]$/.test(words[2])) ? 'malformed chain declaration' : undefined)
      ?? (chains.has(name) ? `chain ${name} is declared twice` : undefined);
    if (bad) return { error: bad };
    chains.set(name, { name, line: no, rules: [] });
    return { next: state };
  }
  if (line.startsWith('-')) return { error: `'${line.split(' ')[0]}' is outside the subset: the file only appends (-A) to its own chains` };
  return { error: 'malformed line' };
}
