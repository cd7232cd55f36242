// backends/shared: every name derived from a policy: iptables chains, rule tags, LOG prefixes,
// comments, systemd units and files. Pure and deterministic. Input: policy (name, tiers, rules) -> names.
// Shared by the iptables backend and the installer, so both agree on what tierwall owns.
import { createHash } from 'node:crypto';
import type { Policy, Rule } from '../../ir/types.js';

/** iptables chain names hold at most 28 characters (XT_EXTENSION_MAXNAMELEN 29 with the NUL). */
export const MAX_CHAIN_NAME = 28;
/** The LOG target's --log-prefix holds at most 29 characters. */
export const MAX_LOG_PREFIX = 29;
/** Sub-chains are numbered by tier index; three digits keep every name within MAX_CHAIN_NAME. */
export const MAX_TIERS = 1000;

// "TW-" + base; the longest suffix is "_P999-999" (9), so the base part may use 19 characters.
const BASE_MAX = MAX_CHAIN_NAME - 9;
// Log prefix: "tw:" + abbrev (<= 12) + ":" + tag (<= 12) + " " = 29.
const ABBREV_MAX = 12;
const TAG_MAX = 12;

/** FNV-1a (32 bit) as lowercase hex, cut to `digits` (1-8): short, stable, dependency-free. */
export function shortHash(text: string, digits: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').slice(0, digits);
}

// Hash digits of shortened main chains: 0-9 and A-Z without I and O (read as 1 and 0) and without
// S and P, the letters that start sub-chain suffixes (`_S3`, `_P1-2`), so a hash suffix can never
// look like one (isOwnedChain, and install.sh's OWN_CHAIN_RE, rely on that).
const CHAIN_HASH_DIGITS = '0123456789ABCDEFGHJKLMNQRTUVWXYZ';
const CHAIN_PREFIX = 6;
const CHAIN_HASH = 9; // 9 x 5 = 45 bits; "TW-" + 6 + "_" + 9 = 19 = BASE_MAX

/** The first `digits` x 5 bits of SHA-256(text) in CHAIN_HASH_DIGITS. */
function chainHash(text: string, digits: number): string {
  const bytes = createHash('sha256').update(text, 'utf8').digest();
  let out = '';
  for (let i = 0; i < digits; i++) {
    const bit = i * 5;
    // The 5 bits starting at `bit`, read from the two bytes that hold them (big-endian).
    const pair = (bytes[bit >> 3]! << 8) | bytes[(bit >> 3) + 1]!;
    out += CHAIN_HASH_DIGITS[(pair >> (11 - (bit & 7))) & 31];
  }
  return out;
}

/**
 * The main chain DOCKER-USER jumps to: `TW-<NAME>` (upper case, like Docker's own chains), or,
 * when that is too long, `TW-<first 6>_<hash9>`: 45 bits of SHA-256 of the name, so two policies
 * share chains only by a deliberate 2^45 search (it was 20 bits of FNV-1a: a second per collision),
 * and install.sh also refuses to take over a chain whose rules carry another policy's name.
 * Invariants: policy names never contain '_', so a shortened name cannot equal another policy's full
 * name; hash digits exclude S and P and have a fixed length of 9, so a shortened main chain cannot
 * equal or look like a sub-chain (`_S..`, `_P..-..`) of another policy.
 */
export function mainChainName(policyName: string): string {
  const upper = policyName.toUpperCase();
  const full = `TW-${upper}`;
  if (full.length <= BASE_MAX) return full;
  return `TW-${upper.slice(0, CHAIN_PREFIX)}_${chainHash(policyName, CHAIN_HASH)}`;
}

function checkIndex(i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= MAX_TIERS) throw new Error(`tier index ${i} out of range for chain names`);
}

/** Per-source-tier dispatch chain (tier index in policy order, 0-based). */
export function sourceChainName(policyName: string, src: number): string {
  checkIndex(src);
  return `${mainChainName(policyName)}_S${src}`;
}

/** Per ordered tier pair chain holding the pair's rules in policy order. */
export function pairChainName(policyName: string, src: number, dst: number): string {
  checkIndex(src);
  checkIndex(dst);
  return `${mainChainName(policyName)}_P${src}-${dst}`;
}

/** The chain the main chain sends packets to a tier to; it dispatches them by source tier. */
export function dispatchChainName(policyName: string): string {
  return `${mainChainName(policyName)}_D`;
}

/**
 * Per-source-tier chain of the rules with external destinations (tier index, as sourceChainName):
 * the main chain sends packets from the tier to an address outside every tier there.
 */
export function egressChainName(policyName: string, src: number): string {
  checkIndex(src);
  return `${mainChainName(policyName)}_E${src}`;
}

/** Largest counter of extraPairChainName: `_Q9999999` is as long as `_P999-999`. */
export const MAX_EXTRA_PAIR_CHAINS = 10_000_000;

/**
 * A pair's second and later chains (a source chain groups a pair's rules once per run between
 * `any`-destination rules), numbered across the policy: a name has no room for a third number.
 */
export function extraPairChainName(policyName: string, n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= MAX_EXTRA_PAIR_CHAINS) throw new Error(`pair chain number ${n} out of range for chain names`);
  return `${mainChainName(policyName)}_Q${n}`;
}

/**
 * A chain shared by every source chain: a range of the `any`-source rules (with specific
 * destinations) grouped per destination, or one such group. Numbered across the policy.
 */
export function sharedChainName(policyName: string, n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= MAX_EXTRA_PAIR_CHAINS) throw new Error(`shared chain number ${n} out of range for chain names`);
  return `${mainChainName(policyName)}_A${n}`;
}

/**
 * The sub-chain suffixes after the main chain's name, as an ERE. Policy names hold no '_', so no
 * suffix can be read as part of another policy's name; `_D` is shorter than any hash suffix, and so
 * is `_E` with at most three digits (E is a hash digit: an unbounded `E[0-9]+` could read another
 * policy's shortened main chain `_E12345678` as a sub-chain).
 */
export const OWNED_SUFFIX = '_(S[0-9]+|P[0-9]+-[0-9]+|Q[0-9]+|A[0-9]+|D|E[0-9]{1,3})';

/** Does `chain` belong to this policy (main chain or one of its sub-chains)? For stale-chain cleanup. */
export function isOwnedChain(policyName: string, chain: string): boolean {
  const main = mainChainName(policyName);
  if (chain === main) return true;
  return chain.startsWith(main) && new RegExp(`^${OWNED_SUFFIX}$`).test(chain.slice(main.length));
}

/**
 * A short tag per rule, unique within the policy and stable while the rule stays on its line:
 * `L<line>`; `L<line>c<col>` when rules share a line; `R<index+1>` when even that is ambiguous
 * (several files) or longer than 12 characters. Keyed by rule.index.
 */
export function ruleTags(policy: Policy): ReadonlyMap<number, string> {
  const count = new Map<string, number>();
  const bump = (k: string): void => void count.set(k, (count.get(k) ?? 0) + 1);
  for (const r of policy.rules) {
    bump(`L${r.origin.line}`);
    bump(`L${r.origin.line}c${r.origin.col}`);
  }
  const tags = new Map<number, string>();
  for (const r of policy.rules) {
    const line = `L${r.origin.line}`;
    const col = `${line}c${r.origin.col}`;
    let tag = `R${r.index + 1}`;
    if (count.get(line) === 1 && line.length <= TAG_MAX) tag = line;
    else if (count.get(col) === 1 && col.length <= TAG_MAX) tag = col;
    tags.set(r.index, tag);
  }
  return tags;
}

/** The policy name as it appears in LOG prefixes: itself, or its first 7 characters + '-' + hash4. */
export function logAbbrev(policyName: string): string {
  if (policyName.length <= ABBREV_MAX) return policyName;
  return `${policyName.slice(0, 7)}-${shortHash(policyName, 4)}`;
}

/** `tw:<abbrev>:<tag> ` (trailing space separates it from the kernel's fields); <= 29 characters. */
export function logPrefix(policyName: string, tag: string): string {
  const prefix = `tw:${logAbbrev(policyName)}:${tag} `;
  if (prefix.length > MAX_LOG_PREFIX) throw new Error(`log prefix too long: '${prefix}'`);
  return prefix;
}

/** Comment text on an iptables rule: `<policy>:<what>`, e.g. `three-tier:L9`, `three-tier:default`. */
export function ruleComment(policyName: string, what: string): string {
  return `${policyName}:${what}`;
}

/** Base name of everything installed on the host for this policy: systemd units, /etc files. */
export function unitBaseName(policyName: string): string {
  return `tierwall-${policyName}`;
}

/** A rule's tag, failing loudly if the map was built from another policy (a bug). */
export function tagOf(tags: ReadonlyMap<number, string>, rule: Rule): string {
  const tag = tags.get(rule.index);
  if (tag === undefined) throw new Error(`no tag for rule ${rule.index}`);
  return tag;
}
