// ir: IPv4 address and prefix arithmetic on unsigned 32-bit integers.
// Strict parsing: four decimal octets without leading zeros (so "010" never means octal).

/** Parses a dotted quad; undefined when it is not a valid IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Netmask of a prefix length as an unsigned integer (prefix 0 -> 0). */
export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export type CidrParse =
  | { readonly ok: true; readonly base: number; readonly prefix: number; readonly canonical: string; readonly hostBits: boolean }
  | { readonly ok: false; readonly reason: string };

/** Parses a.b.c.d/n. hostBits tells whether the address had bits set below the prefix. */
export function parseCidr(text: string): CidrParse {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'missing /prefix' };
  const addr = parseIpv4(text.slice(0, slash));
  if (addr === undefined) return { ok: false, reason: 'bad address' };
  const ptext = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]?)$/.test(ptext) || Number(ptext) > 32) return { ok: false, reason: 'prefix length must be 0-32' };
  const prefix = Number(ptext);
  const base = (addr & maskOf(prefix)) >>> 0;
  return { ok: true, base, prefix, canonical: `${formatIpv4(base)}/${prefix}`, hostBits: base !== addr };
}

/** Last address of a prefix (the broadcast address for prefixes shorter than /31). */
export function lastAddress(base: number, prefix: number): number {
  return (base | (~maskOf(prefix) >>> 0)) >>> 0;
}

export function cidrContains(base: number, prefix: number, address: number): boolean {
  return ((address & maskOf(prefix)) >>> 0) === base;
}

export function cidrsOverlap(a: { base: number; prefix: number }, b: { base: number; prefix: number }): boolean {
  const p = Math.min(a.prefix, b.prefix);
  const m = maskOf(p);
  return ((a.base & m) >>> 0) === ((b.base & m) >>> 0);
}
