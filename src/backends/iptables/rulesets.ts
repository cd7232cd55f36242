// backends/iptables: a policy's rulesets, built once per policy. Input: Policy IR. Output: the
// IPv4 model and its rules.v4 text, and for dual-stack policies the IPv6 ones (ipv6.ts). The iptables
// backend writes them and the installer embeds them: at 1,000 tiers x 100,000 rules one build is
// ~1.5 s and a 31 MB string, which the default target used to pay twice.
import type { Policy } from '../../ir/types.js';
import type { IptablesModel } from './model-types.js';
import { buildIptables } from './model.js';
import { restoreText } from './restore.js';
import { buildIp6tables, hasIpv6 } from './ipv6.js';

export interface Ruleset {
  readonly model: IptablesModel;
  readonly text: string;
}

export interface Rulesets {
  readonly v4: Ruleset;
  /** Only for a policy with dual-stack tiers. */
  readonly v6?: Ruleset;
}

const memo = new WeakMap<Policy, Rulesets>();

/** The IR is readonly and so are the models: every caller may share them. */
export function rulesetsOf(policy: Policy): Rulesets {
  let r = memo.get(policy);
  if (!r) {
    const v4 = buildIptables(policy);
    const v6 = hasIpv6(policy) ? buildIp6tables(policy) : undefined;
    r = {
      v4: { model: v4, text: restoreText(v4) },
      ...(v6 ? { v6: { model: v6, text: restoreText(v6, 'iptables/rules.v6.hbs') } } : {}),
    };
    memo.set(policy, r);
  }
  return r;
}
