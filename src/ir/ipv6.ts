// ir: IPv6 address and prefix arithmetic on 128-bit bigints, and the canonical text form (RFC 5952).
// Strict parsing: eight groups of 1-4 hex digits, at most one `::`; no embedded dotted IPv4 and no
// zone index (the lexer's Ipv6Prefix token has neither).

const GROUPS = 8;
const ALL_ONES = (1n << 128n) - 1n;

/** Parses an IPv6 address; undefined when it is not one. */
export function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string): string[] | undefined => {
    if (s === '') return [];
    const gs = s.split(':');
    return gs.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? gs : undefined;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const written = head.length + tail.length;
  // `::` stands for at least one zero group (RFC 4291 2.2); without it all eight are written.
  if (halves.length === 2 ? written > GROUPS - 1 : written !== GROUPS) return undefined;
  const groups = [...head, ...Array<string>(GROUPS - written).fill('0'), ...tail];
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(parseInt(g, 16));
  return value;
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run (first on a tie) of 2+ zero groups as `::`. */
export function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = GROUPS - 1; i >= 0; i--) groups.push(Number((value >> BigInt(16 * i)) & 0xffffn));
  let bestAt = -1;
  let bestLen = 1; // a single zero group is never shortened (RFC 5952 4.2.2)
  for (let i = 0; i < GROUPS; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < GROUPS && groups[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestAt < 0) return hex(groups);
  return `${hex(groups.slice(0, bestAt))}::${hex(groups.slice(bestAt + bestLen))}`;
}

/** Netmask of a prefix length (0-128). */
export function mask6(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL_ONES << BigInt(128 - prefix)) & ALL_ONES;
}

/** Last address of a prefix. */
export function lastAddress6(base: bigint, prefix: number): bigint {
  return base | (~mask6(prefix) & ALL_ONES);
}

/** The 32-hex-digit form the IR keeps (JSON has no bigint; fixed width sorts like the number). */
export const toHex6 = (value: bigint): string => value.toString(16).padStart(32, '0');
export const fromHex6 = (hex: string): bigint => BigInt(`0x${hex}`);

export type Ipv6PrefixParse =
  | {
      readonly ok: true;
      readonly base: bigint;
      readonly prefix: number;
      /** RFC 5952 form of the network address with its /n. */
      readonly canonical: string;
      readonly hostBits: boolean;
      /** The address as written is not in RFC 5952 form (case, leading zeros, `::` placement). */
      readonly nonCanonical: boolean;
    }
  | { readonly ok: false; readonly reason: string };

/** Parses ADDR/n. */
export function parseIpv6Prefix(text: string): Ipv6PrefixParse {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'missing /prefix' };
  const addrText = text.slice(0, slash);
  const addr = parseIpv6(addrText);
  if (addr === undefined) return { ok: false, reason: 'bad address (eight groups of 1-4 hex digits, at most one ::)' };
  const ptext = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(ptext) || Number(ptext) > 128) return { ok: false, reason: 'prefix length must be 0-128' };
  const prefix = Number(ptext);
  const base = addr & mask6(prefix);
  return {
    ok: true,
    base,
    prefix,
    canonical: `${formatIpv6(base)}/${prefix}`,
    hostBits: base !== addr,
    nonCanonical: formatIpv6(addr) !== addrText || ptext !== String(prefix),
  };
}

export function prefixes6Overlap(a: { base: bigint; prefix: number }, b: { base: bigint; prefix: number }): boolean {
  const m = mask6(Math.min(a.prefix, b.prefix));
  return (a.base & m) === (b.base & m);
}
