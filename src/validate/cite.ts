// validate: turns the walker's internal rules and outcomes into what a problem cites: chain, rule
// number, rules.v4 line, the rule's text and comment. Only runs for problems, so it re-reads lines lazily.
import type { ActualCause, ActualDecision, RuleRef } from './types.js';
import { lineOf, type IptRule, type Ruleset } from './ruleset.js';
import type { Cause, Outcome } from './walk.js';
import type { LogTrail } from './svc-set.js';
import { splitWords } from './tokens.js';

export class Citer {
  constructor(private readonly rs: Ruleset, private readonly entryText: string) {}

  rule(r: IptRule): RuleRef {
    const text = r.line === 0 ? this.entryText : lineOf(this.rs, r.line);
    const words = splitWords(text);
    const at = Array.isArray(words) ? words.indexOf('--comment') : -1;
    const comment = at >= 0 && Array.isArray(words) ? words[at + 1] : undefined;
    return { chain: r.chain, num: r.num, line: r.line, text, comment };
  }

  cause(c: Cause): ActualCause {
    return 'end' in c ? { kind: 'end', chain: c.end } : { kind: 'rule', rule: this.rule(c) };
  }

  actual(o: Outcome): ActualDecision {
    const logs: ActualDecision['logs'][number][] = [];
    for (let t: LogTrail | undefined = o.logs; t; t = t.prev) {
      const prefix = t.rule.target.kind === 'LOG' ? t.rule.target.prefix : undefined;
      logs.unshift({ rule: this.rule(t.rule), prefix });
    }
    return { verdict: o.verdict, cause: this.cause(o.cause), logs };
  }
}
