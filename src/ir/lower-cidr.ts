// ir: lowers one written IPv4 prefix (a tier's subnet, a net's range): invalid-cidr when it is not one,
// cidr-host-bits (kept, canonicalised) when bits below the prefix are set. Input: the word. Output: Cidr.
import type { Word } from '../syntax/ast.js';
import type { Cidr } from './types.js';
import type { LowerContext } from './lower-context.js';
import { parseCidr } from './ipv4.js';

/** `example` names a well-formed prefix of the kind the user was writing (for the hint). */
export function lowerCidr(ctx: LowerContext, w: Word, what: string, example: string): Cidr | undefined {
  const c = parseCidr(w.text);
  if (!c.ok) {
    ctx.report('invalid-cidr', { text: w.text, reason: c.reason }, w.span, { hints: [`write the ${what} as a.b.c.d/n, e.g. ${example}`] });
    return undefined;
  }
  if (c.hostBits) ctx.report('cidr-host-bits', { text: w.text, canonical: c.canonical }, w.span, { hints: [`write ${c.canonical}`] });
  return { text: c.canonical, base: c.base, prefix: c.prefix };
}
