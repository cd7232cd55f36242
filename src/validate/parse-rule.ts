// validate: reads the arguments of one rule (after `-A CHAIN`) into an IptRule, checking every match
// and option against the subset tierwall emits. An unknown option is an error, never skipped.
// Runs once per line (millions at 1,000 tiers): words compared in place, values cached by text.
import type { Interval } from '../ir/ports.js';
import type { AddrMatch, Chain, IfaceMatch, IptRule, Target } from './ruleset.js';
import { Words } from './tokens.js';
import * as v from './parse-values.js';

// Options as bits (each may be given once); NOT is the '!' word, MATCH is '-m'.
const S = 1, D = 2, I = 4, O = 8, P = 16, DPORT = 32, DPORTS = 64, CTSTATE = 128;
const COMMENT_OPT = 256, LIMIT_OPT = 512, BURST = 1024, JUMP = 2048, LOG_PREFIX = 4096;
const CTORIGDSTPORT = 8192, CTDIR = 16384;
const NOT = -1, MATCH = -2;
const NEGATABLE = S | D | I | O | CTSTATE;
/** -X options by their letter. */
const SHORT: Readonly<Record<number, number>> = { 115: S, 100: D, 105: I, 111: O, 112: P, 106: JUMP, 109: MATCH };
const LONG: readonly [string, number][] = [
  ['--dport', DPORT], ['--dports', DPORTS], ['--ctstate', CTSTATE], ['--comment', COMMENT_OPT],
  ['--limit', LIMIT_OPT], ['--limit-burst', BURST], ['--log-prefix', LOG_PREFIX],
  ['--ctorigdstport', CTORIGDSTPORT], ['--ctdir', CTDIR],
];
// Modules (-m), as bits of their own; PROTO_OWNER is the tcp/udp match -p loads, owner of a bare --dport.
const TCP = 1, UDP = 2, MULTIPORT = 4, CONNTRACK = 8, COMMENT = 16, LIMIT = 32, PROTO_OWNER = 64;
const MODULES: readonly [string, number][] = [['tcp', TCP], ['udp', UDP], ['multiport', MULTIPORT], ['conntrack', CONNTRACK], ['comment', COMMENT], ['limit', LIMIT]];
/** Modules that mean nothing without their option (iptables itself rejects a bare multiport). */
const NEEDS: readonly [number, number, string][] = [[MULTIPORT, DPORTS, 'multiport'], [CONNTRACK, CTSTATE | CTORIGDSTPORT, 'conntrack'], [COMMENT, COMMENT_OPT, 'comment']];
const VERDICTS: readonly Target[] = [{ kind: 'ACCEPT' }, { kind: 'DROP' }, { kind: 'RETURN' }];
const MAX_COMMENT = 255;
const MAX_LOG_PREFIX = 29;

/** Caches shared by every rule of one file: values repeat on thousands of lines. */
export interface RuleContext {
  /** The chain of that name if the file declared it (so far). */
  readonly chainNamed: (name: string) => Chain | undefined;
  readonly caches: Map<string, ValueCache>;
}

export const newContext = (chainNamed: (name: string) => Chain | undefined): RuleContext => ({ chainNamed, caches: new Map() });

type Failure = { readonly error: string };
const fail = (error: string): Failure => ({ error });

/** Parsed values of one kind by text, and the last one read: consecutive lines mostly repeat it. */
interface ValueCache {
  readonly byText: Map<string, unknown>;
  lastText: string;
  lastValue: unknown;
}

/** The current word parsed as `kind`, once per distinct text in the file. */
function cached<T>(ctx: RuleContext, kind: string, w: Words, parse: (t: string) => T): T {
  let c = ctx.caches.get(kind);
  if (!c) ctx.caches.set(kind, (c = { byText: new Map(), lastText: '', lastValue: undefined }));
  if (c.lastText !== '' && w.is(c.lastText)) return c.lastValue as T;
  const text = w.text();
  let value = c.byText.get(text) as T | undefined;
  if (value === undefined) c.byText.set(text, (value = parse(text)));
  if (!w.quoted) {
    c.lastText = text;
    c.lastValue = value;
  }
  return value;
}

/** The option the current word is: its bit, NOT, MATCH, or undefined. */
function optionOf(w: Words): number | undefined {
  if (w.quoted) return undefined;
  const len = w.end - w.start;
  const c0 = w.line.charCodeAt(w.start);
  if (len === 1 && c0 === 33) return NOT;
  if (len === 2 && c0 === 45) return SHORT[w.line.charCodeAt(w.start + 1)];
  if (len < 7) return undefined;
  for (let k = 0; k < LONG.length; k++) {
    const [name, bit] = LONG[k]!;
    if (len === name.length && w.line.startsWith(name, w.start)) return bit;
  }
  return undefined;
}

const NAMES: ReadonlyMap<number, string> = new Map([
  ...Object.entries(SHORT).map(([letter, bit]): [number, string] => [bit, `-${String.fromCharCode(Number(letter))}`]),
  ...LONG.map(([name, bit]): [number, string] => [bit, name]),
]);

/** `-m NAME`: a known match, once, after the -p it needs. Its bit, or why not. */
function moduleBit(w: Words, proto: IptRule['proto'], modules: number): number | string {
  const m = MODULES.find(([name]) => w.is(name))?.[1];
  if (m === undefined) return `unknown match '-m ${w.text()}'`;
  const name = w.text();
  if ((modules & m) !== 0) return `match '-m ${name}' given twice`;
  if ((m === TCP || m === UDP) && proto !== name) return `'-m ${name}' without '-p ${name}' before it`;
  if (m === MULTIPORT && proto !== 'tcp' && proto !== 'udp') return "'-m multiport' without '-p tcp' or '-p udp' before it";
  return m;
}

/**
 * Reads text[from, to) (the arguments after `-A CHAIN` on one line) into a rule, or says why they are outside the
 * subset. The option loop follows iptables: matches and their options, then -j and its options.
 */
export function parseRule(text: string, from: number, to: number, chain: string, num: number, lineNo: number, ctx: RuleContext): IptRule | Failure {
  const w = new Words(text, from, to);
  let src: AddrMatch | undefined, dst: AddrMatch | undefined;
  let inIface: IfaceMatch | undefined, outIface: IfaceMatch | undefined;
  let proto: IptRule['proto'];
  let ports: readonly Interval[] | undefined;
  let states: number | undefined;
  let origDir = false;
  let target: Target | undefined;
  let owner = 0;
  let modules = 0;
  let given = 0;
  while (w.next()) {
    let bit = optionOf(w);
    const neg = bit === NOT;
    if (neg) {
      if (!w.next()) return fail(w.error ?? "'!' at the end");
      bit = optionOf(w);
    }
    if (bit === undefined || bit === NOT) return fail(`unknown option '${w.text()}'`);
    if (neg && (bit < 0 || (bit & NEGATABLE) === 0)) return fail(`'!' before '${NAMES.get(bit)}', which the subset never negates`);
    if (target !== undefined && bit !== LOG_PREFIX) return fail(`'${NAMES.get(bit)}' after the target: only LOG's --log-prefix may follow -j`);
    if (bit > 0 && (given & bit) !== 0) return fail(`'${NAMES.get(bit)}' given twice`);
    if (bit > 0) given |= bit;
    if (!w.next()) return fail(w.error ?? `'${NAMES.get(bit)}' without a value`);
    let problem: string | undefined;
    switch (bit) {
      case MATCH: {
        const m = moduleBit(w, proto, modules);
        if (typeof m === 'string') return fail(m);
        modules |= m;
        owner = m;
        break;
      }
      case S: case D: {
        const a = cached(ctx, neg ? '!a' : 'a', w, (t) => v.parseAddr(t, neg));
        if ('error' in a) return a;
        if (bit === S) src = a;
        else dst = a;
        break;
      }
      case I: case O: {
        const f = v.parseIface(w.text(), neg);
        if ('error' in f) return f;
        if (bit === I) inIface = f;
        else outIface = f;
        break;
      }
      case P:
        proto = w.is('tcp') ? 'tcp' : w.is('udp') ? 'udp' : w.is('icmp') ? 'icmp' : undefined;
        if (!proto) return fail(`protocol '${w.text()}' is outside the subset (tcp, udp, icmp)`);
        owner = PROTO_OWNER;
        break;
      case DPORT: {
        problem = (owner & (PROTO_OWNER | TCP | UDP)) === 0 ? "'--dport' outside its match (-m tcp/udp)" : undefined;
        if (!problem && proto !== 'tcp' && proto !== 'udp') problem = "'--dport' needs -p tcp or -p udp";
        if (!problem && ports !== undefined) problem = 'destination ports given twice';
        const r = cached(ctx, 'p', w, (t) => { const x = v.parsePortRange(t); return 'error' in x ? x : [x]; });
        if ('error' in r) return r;
        ports = r;
        break;
      }
      case DPORTS: {
        problem = owner !== MULTIPORT ? "'--dports' outside its match (-m multiport)" : ports !== undefined ? 'destination ports given twice' : undefined;
        const r = cached(ctx, 'l', w, v.parsePortList);
        if ('error' in r) return r;
        ports = r;
        break;
      }
      case CTSTATE: {
        problem = owner !== CONNTRACK ? "'--ctstate' outside its match (-m conntrack)" : undefined;
        const s = cached(ctx, neg ? '!c' : 'c', w, (t) => v.parseStates(t, neg));
        if (typeof s !== 'number') return s;
        states = s;
        break;
      }
      case CTORIGDSTPORT: {
        // The port the peer addressed (before Docker's DNAT). The validator models no DNAT, so for
        // a packet of the original direction it is the packet's own destination port.
        problem = owner !== CONNTRACK ? "'--ctorigdstport' outside its match (-m conntrack)" : undefined;
        if (!problem && proto !== 'tcp' && proto !== 'udp') problem = "'--ctorigdstport' needs -p tcp or -p udp";
        if (!problem && ports !== undefined) problem = 'destination ports given twice';
        const r = cached(ctx, 'p', w, (t) => { const x = v.parsePortRange(t); return 'error' in x ? x : [x]; });
        if ('error' in r) return r;
        ports = r;
        break;
      }
      case CTDIR:
        problem = owner !== CONNTRACK ? "'--ctdir' outside its match (-m conntrack)" : !w.is('ORIGINAL') ? `'--ctdir ${w.text()}' is outside the subset (ORIGINAL only)` : undefined;
        origDir = true;
        break;
      case COMMENT_OPT:
        problem = owner !== COMMENT ? "'--comment' outside its match (-m comment)" : w.textLength() > MAX_COMMENT ? `comment longer than ${MAX_COMMENT} characters` : undefined;
        break;
      case LIMIT_OPT:
      case BURST:
        problem = owner !== LIMIT ? `'${NAMES.get(bit)}' outside its match (-m limit)` : bit === LIMIT_OPT ? v.checkRate(w.text()) : v.checkBurst(w.text());
        break;
      case JUMP:
        target = VERDICTS.find((t) => w.is(t.kind)) ?? (w.is('LOG') ? { kind: 'LOG', prefix: undefined } : undefined);
        if (target === undefined) {
          // Cached only once declared: a jump is checked against the chains declared before its line.
          const name = w.text();
          const to = ctx.chainNamed(name);
          if (!to) return fail(`target '${name}' is neither ACCEPT, DROP, RETURN, LOG nor a chain declared before this line`);
          target = cached(ctx, 'j', w, (c): Target => ({ kind: 'jump', chain: c, to }));
        }
        owner = 0;
        break;
      case LOG_PREFIX: {
        if (target?.kind !== 'LOG') return fail("'--log-prefix' without '-j LOG' before it");
        const prefix = w.text();
        if (prefix.length > MAX_LOG_PREFIX) return fail(`log prefix longer than ${MAX_LOG_PREFIX} characters`);
        target = { kind: 'LOG', prefix };
        break;
      }
    }
    if (problem) return fail(problem);
  }
  if (w.error) return fail(w.error);
  if (target === undefined) return fail('rule without a target (-j)');
  for (let k = 0; k < NEEDS.length; k++) {
    const [m, opt, mod] = NEEDS[k]!;
    if ((modules & m) !== 0 && (given & opt) === 0) return fail(`'-m ${mod}' without its option`);
  }
  // An original destination port without --ctdir ORIGINAL also matches replies by their connection's
  // port, and --ctdir alone says nothing the subset needs: only the pair is read.
  if (((given & CTORIGDSTPORT) !== 0) !== origDir) return fail("'--ctorigdstport' and '--ctdir ORIGINAL' go together");
  // A rate limit on a verdict would make the verdict depend on the packet rate: only LOG may be limited.
  if ((modules & LIMIT) !== 0 && target.kind !== 'LOG') return fail(`'-m limit' on a ${target.kind === 'jump' ? 'jump' : target.kind} rule: the verdict would depend on the packet rate`);
  return { chain, num, line: lineNo, src, dst, inIface, outIface, proto, ports, states, origDir, target };
}
