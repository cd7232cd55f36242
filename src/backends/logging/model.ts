// backends/logging: every decision of the policy's log routing, pure. Input: Policy IR. Output:
// LoggingModel (the rsyslog match on the policy's LOG prefixes, the log file, rotation settings).
import type { Policy } from '../../ir/types.js';
import { logPrefix } from '../shared/names.js';
import { hostLayout } from '../installer/layout.js';

/** Rotation: weekly, 8 generations, or earlier once the file passes MAX_SIZE. */
export const ROTATE_KEEP = 8;
export const ROTATE_MAX_SIZE = '50M';

export interface LoggingModel {
  readonly policy: string;
  /** What every LOG prefix of the policy starts with, e.g. `tw:three-tier:`. */
  readonly prefixStart: string;
  /** A RainerScript string literal body (already escaped) holding the POSIX ERE that matches $msg. */
  readonly msgRegex: string;
  readonly logFile: string;
  readonly keep: number;
  readonly maxSize: string;
}

/** The common start of the policy's LOG prefixes: logPrefix with an empty tag, minus its separator space. */
export function logPrefixStart(policyName: string): string {
  return logPrefix(policyName, '').trimEnd();
}

const ereEscape = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
const rainerString = (text: string): string => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

export function buildLogging(policy: Policy): LoggingModel {
  const prefixStart = logPrefixStart(policy.name);
  // imklog hands over the kernel line with a leading space and, on kernels that stamp printk, the
  // "[ seconds.micros] " stamp; journald-forwarded lines have neither. Anchor after both.
  const ere = `^ ?(\\[ *[0-9]+\\.[0-9]+\\] )?${ereEscape(prefixStart)}`;
  return {
    policy: policy.name,
    prefixStart,
    msgRegex: rainerString(ere),
    logFile: hostLayout(policy.name).logFile,
    keep: ROTATE_KEEP,
    maxSize: ROTATE_MAX_SIZE,
  };
}
