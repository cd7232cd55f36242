// validate: walks the chains symbolically, as the kernel would walk them for every packet of a probe
// at once. Input: the entry rule (jumps hold their chains), a probe (address ranges, interfaces), packets.
// Output: Outcomes: disjoint packet sets, each with its verdict, the rule that decided it and its LOGs.
import { cidrContains } from '../ir/ipv4.js';
import type { IptVerdict } from './types.js';
import { BOTH_STATES, ESTABLISHED, type AddrMatch, type Chain, type IfaceMatch, type IptRule } from './ruleset.js';
import { ChainIndex, type Prefix } from './chain-index.js';
import { splitPiece, type LogTrail, type Piece } from './svc-set.js';

/** The packets of one probe: every address of src and dst, arriving on inIface, leaving on outIface. */
export interface Probe {
  readonly src: Prefix;
  readonly dst: Prefix;
  readonly inIface: string;
  readonly outIface: string;
  /**
   * From outside to a tier: the probe's port is the one the peer addressed, which Docker's DNAT
   * (nat PREROUTING, before DOCKER-USER) may have rewritten to a container port, so a plain --dport
   * cannot decide these packets; only --ctorigdstport sees the addressed port.
   */
  readonly dnat?: boolean;
}

/** What decided: a rule, or falling off the end of a chain. */
export type Cause = IptRule | { readonly end: string };

export interface Outcome extends Piece {
  /**
   * SPLIT: a rule matched only part of an address range, so the packets are not treated alike.
   * UNDECIDED: a rule matches by what the probe does not fix (see undecided()).
   */
  readonly verdict: IptVerdict | 'SPLIT' | 'UNDECIDED';
  readonly cause: Cause;
}

const NONE = 0;
const ALL = 1;
const PART = 2;
type Tri = typeof NONE | typeof ALL | typeof PART;

/** How much of the range r an address match takes: all of it, none, or part (r holds the match's prefix). */
function addrTri(m: AddrMatch | undefined, r: Prefix): Tri {
  if (!m) return ALL;
  let t: Tri;
  if (m.prefix <= r.prefix) t = cidrContains(m.base, m.prefix, r.base) ? ALL : NONE;
  else t = cidrContains(r.base, r.prefix, m.base) ? PART : NONE;
  if (!m.neg || t === PART) return t;
  return t === ALL ? NONE : ALL;
}

function ifaceMatches(m: IfaceMatch | undefined, name: string): boolean {
  if (!m) return true;
  const hit = m.wildcard ? name.startsWith(m.name) : name === m.name;
  return hit !== m.neg;
}

/** Does the rule's address and interface scope take all, none or part of the probe's packets? */
function scopeOf(rule: IptRule, probe: Probe): Tri {
  if (!ifaceMatches(rule.inIface, probe.inIface) || !ifaceMatches(rule.outIface, probe.outIface)) return NONE;
  const s = addrTri(rule.src, probe.src);
  if (s === NONE) return NONE;
  const d = addrTri(rule.dst, probe.dst);
  if (d === NONE) return NONE;
  return s === ALL && d === ALL ? ALL : PART;
}

/** A piece that left a chain (RETURN or its end), with what sent it back. */
interface Returned extends Piece {
  readonly ret: Cause;
}

export class Walker {
  private readonly indexes = new Map<string, ChainIndex>();
  private readonly top: Chain;

  /** `entry` is the rule in DOCKER-USER that jumps to tierwall's main chain (jumps hold their chains). */
  constructor(entry: IptRule) {
    this.top = { name: 'DOCKER-USER', line: 0, rules: [entry] };
  }

  /** Walks `pieces` from DOCKER-USER's entry rule; pieces nothing decided come back as RETURN. */
  run(probe: Probe, pieces: readonly Piece[]): Outcome[] {
    const out: Outcome[] = [];
    const back = this.walk(this.top, ENTRY_ONLY, pieces, probe, out, true);
    for (let k = 0; k < back.length; k++) {
      const p = back[k]!;
      out.push({ states: p.states, svc: p.svc, logs: p.logs, verdict: 'RETURN', cause: p.ret });
    }
    return out;
  }

  private candidates(chain: Chain, probe: Probe): readonly number[] {
    let index = this.indexes.get(chain.name);
    if (!index) this.indexes.set(chain.name, (index = new ChainIndex(chain)));
    return index.candidates(probe.src, probe.dst);
  }

  /**
   * Walks pieces through the rules at `positions` of a chain. Decided pieces go to `out`; the rest
   * come back with what returned them. In the top chain (DOCKER-USER) a piece keeps the RETURN that
   * sent it out of tierwall's chains: that rule, not DOCKER-USER's end, handed it back to Docker.
   */
  private walk(chain: Chain, positions: readonly number[], pieces: readonly Piece[], probe: Probe, out: Outcome[], top = false): Returned[] {
    let active: readonly (Piece | Returned)[] = pieces;
    const returned: Returned[] = [];
    for (let k = 0; k < positions.length && active.length > 0; k++) {
      const rule = chain.rules[positions[k]!]!;
      const scope = scopeOf(rule, probe);
      if (scope === NONE) continue;
      if (rule.origDir) active = undecided(active, rule, ESTABLISHED, out);
      else if (probe.dnat && rule.ports) active = undecided(active, rule, BOTH_STATES, out);
      const next: Piece[] = [];
      const hits: Piece[] = [];
      for (let q = 0; q < active.length; q++) {
        const hit = splitPiece(active[q]!, rule, next);
        if (hit) hits.push(hit);
      }
      if (hits.length === 0) continue;
      const t = rule.target;
      if (scope === PART) {
        for (const h of hits) out.push({ states: h.states, svc: h.svc, logs: h.logs, verdict: 'SPLIT', cause: rule });
      } else if (t.kind === 'ACCEPT' || t.kind === 'DROP') {
        for (const h of hits) out.push({ states: h.states, svc: h.svc, logs: h.logs, verdict: t.kind, cause: rule });
      } else if (t.kind === 'RETURN') {
        for (const h of hits) returned.push({ states: h.states, svc: h.svc, logs: h.logs, ret: rule });
      } else if (t.kind === 'LOG') {
        for (const h of hits) next.push({ states: h.states, svc: h.svc, logs: { rule, prev: h.logs } satisfies LogTrail });
      } else {
        const callee = t.to;
        const back = this.walk(callee, this.candidates(callee, probe), hits, probe, out);
        for (let q = 0; q < back.length; q++) next.push(back[q]!);
      }
      active = next;
    }
    for (let q = 0; q < active.length; q++) {
      const p = active[q]!;
      const ret = top && 'ret' in p ? p.ret : { end: chain.name };
      returned.push({ states: p.states, svc: p.svc, logs: p.logs, ret });
    }
    return returned;
  }
}

const ENTRY_ONLY: readonly number[] = [0];

/**
 * Packets of `states` a port rule cannot decide leave as UNDECIDED, which no expectation accepts;
 * the rest of the pieces go on. Two cases: a `--ctdir ORIGINAL` rule and ESTABLISHED packets (they
 * include replies, whose connection's original port is not their own), and a plain --dport on a
 * probe from outside (dnat: the packet's port may be a container port, not the one addressed).
 * Their part of the rule's protocol, every port, is undecided. The ruleset keeps ESTABLISHED packets
 * away (the main chain accepts them first) and matches ingress by --ctorigdstport.
 */
function undecided(active: readonly Piece[], rule: IptRule, states: number, out: Outcome[]): Piece[] {
  const s = (rule.states ?? BOTH_STATES) & states;
  if (s === 0) return [...active];
  const anyPort: IptRule = { ...rule, ports: undefined, states: s };
  const rest: Piece[] = [];
  for (const p of active) {
    const hit = splitPiece(p, anyPort, rest);
    if (hit) out.push({ states: hit.states, svc: hit.svc, logs: hit.logs, verdict: 'UNDECIDED', cause: rule });
  }
  return rest;
}
