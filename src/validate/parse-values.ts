// validate: the values of rule options (addresses, interfaces, ports, conntrack states, rates),
// parsed strictly: anything iptables would read differently, or tierwall never writes, is an error.
import { parseCidr, parseIpv4 } from '../ir/ipv4.js';
import { mergeIntervals, type Interval } from '../ir/ports.js';
import { ESTABLISHED, NEW, type AddrMatch, type IfaceMatch } from './ruleset.js';

/** A value, or why it is not one. */
export type Parsed<T> = T | { readonly error: string };

export function isError<T>(v: Parsed<T>): v is { readonly error: string } {
  return typeof v === 'object' && v !== null && 'error' in v;
}

/** a.b.c.d or a.b.c.d/n in canonical form (no host bits: iptables would silently mask them). */
export function parseAddr(text: string, neg: boolean): Parsed<AddrMatch> {
  if (!text.includes('/')) {
    const a = parseIpv4(text);
    return a === undefined ? { error: `'${text}' is not an IPv4 address or prefix` } : { base: a, prefix: 32, neg };
  }
  const c = parseCidr(text);
  if (!c.ok) return { error: `'${text}' is not an IPv4 prefix: ${c.reason}` };
  if (c.hostBits) return { error: `'${text}' has host bits set (iptables would read ${c.canonical})` };
  return { base: c.base, prefix: c.prefix, neg };
}

/** Linux interface names: 1-15 bytes, no '/', ':' or whitespace; a trailing '+' is iptables' wildcard. */
export function parseIface(text: string, neg: boolean): Parsed<IfaceMatch> {
  const wildcard = text.endsWith('+');
  const name = wildcard ? text.slice(0, -1) : text;
  if (text.length > 15 || !/^[A-Za-z0-9_.@-]*$/.test(name) || (!wildcard && name === '')) {
    return { error: `'${text}' is not an interface name` };
  }
  return { name, wildcard, neg };
}

function port(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,4})$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

/** N or LO:HI with LO <= HI (open ranges like `:1023` are outside the subset). */
export function parsePortRange(text: string): Parsed<Interval> {
  const colon = text.indexOf(':');
  const lo = port(colon < 0 ? text : text.slice(0, colon));
  const hi = colon < 0 ? lo : port(text.slice(colon + 1));
  if (lo === undefined || hi === undefined) return { error: `'${text}' is not a port or LO:HI port range` };
  if (lo > hi) return { error: `port range '${text}' is reversed` };
  return { lo, hi };
}

/** xt_multiport takes at most 15 slots, a range taking two; iptables-restore rejects more. */
const MULTIPORT_SLOTS = 15;

export function parsePortList(text: string): Parsed<Interval[]> {
  const out: Interval[] = [];
  let slots = 0;
  for (const part of text.split(',')) {
    const r = parsePortRange(part);
    if (isError(r)) return r;
    slots += part.includes(':') ? 2 : 1;
    out.push(r);
  }
  if (slots > MULTIPORT_SLOTS) return { error: `--dports '${text}' needs ${slots} slots; multiport holds ${MULTIPORT_SLOTS}` };
  return mergeIntervals(out);
}

const CT_STATES = new Set(['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED', 'SNAT', 'DNAT']);

/** The probe states (NEW, ESTABLISHED bits) a `[!] --ctstate LIST` admits. */
export function parseStates(text: string, neg: boolean): Parsed<number> {
  let bits = 0;
  for (const s of text.split(',')) {
    if (!CT_STATES.has(s)) return { error: `'${s}' is not a conntrack state` };
    if (s === 'NEW') bits |= NEW;
    if (s === 'ESTABLISHED') bits |= ESTABLISHED;
  }
  return neg ? (NEW | ESTABLISHED) & ~bits : bits;
}

/** `N/unit` for --limit; a burst is a positive integer. */
export function checkRate(text: string): string | undefined {
  return /^[1-9][0-9]*\/(second|minute|hour|day|sec|min|s|m|h|d)$/.test(text) ? undefined : `'${text}' is not a rate like 10/min`;
}

export function checkBurst(text: string): string | undefined {
  return /^[1-9][0-9]{0,5}$/.test(text) ? undefined : `'${text}' is not a burst count`;
}
