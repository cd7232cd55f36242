// validate: finds jump loops between the declared chains (iptables-restore rejects them; the walker
// would never end) and nesting deeper than the walker recurses. Input: the parsed chains. Output:
// one problem per jump that closes a loop or goes too deep.
import type { RulesetProblem } from './types.js';
import type { Chain, Ruleset } from './ruleset.js';
import { lineOf } from './ruleset.js';

const WHITE = 0;
const GREY = 1;
const BLACK = 2;
/** tierwall nests three chains deep; far deeper nesting is outside the subset (and would exhaust the walker's stack). */
export const MAX_DEPTH = 64;

/** Iterative depth-first search (chains can be many; no recursion limit to hit). */
export function jumpLoops(rs: Ruleset): RulesetProblem[] {
  const color = new Map<string, number>();
  /** Chains a packet can pass through from here, this one included (callees are finished first). */
  const height = new Map<string, number>();
  const problems: RulesetProblem[] = [];
  for (const root of rs.chains.values()) {
    if ((color.get(root.name) ?? WHITE) !== WHITE) continue;
    const stack: { chain: Chain; next: number }[] = [{ chain: root, next: 0 }];
    color.set(root.name, GREY);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const rule = top.chain.rules[top.next++];
      if (!rule) {
        color.set(top.chain.name, BLACK);
        let h = 1;
        for (const r of top.chain.rules) if (r.target.kind === 'jump') h = Math.max(h, 1 + (height.get(r.target.chain) ?? 0));
        height.set(top.chain.name, h);
        if (h === MAX_DEPTH + 1) {
          problems.push({ kind: 'ruleset', line: top.chain.line, text: lineOf(rs, top.chain.line), reason: `chains nest deeper than ${MAX_DEPTH} from ${top.chain.name}` });
        }
        stack.pop();
        continue;
      }
      if (rule.target.kind !== 'jump') continue;
      const callee = rule.target.to;
      const c = color.get(callee.name) ?? WHITE;
      if (c === GREY) {
        problems.push({ kind: 'ruleset', line: rule.line, text: lineOf(rs, rule.line), reason: `jump to ${callee.name} closes a loop of chains` });
      } else if (c === WHITE) {
        color.set(callee.name, GREY);
        stack.push({ chain: callee, next: 0 });
      }
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}
