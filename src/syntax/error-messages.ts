// syntax: chevrotain's error message provider, in the user's words. Input: what the parser expected,
// the rule it was in and the tokens around. Output: "expected X after Y, found Z" (no token type names).
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { EOF } from 'chevrotain';
import * as T from './tokens.js';

const STATEMENT = 'a statement (policy, tier, net, allow, deny, default or service)';

/** Names for the sets of tokens an alternation or a repetition can start with. */
const CHOICES = new Map<string, string>([
  [key([T.Policy, T.Tier, T.Net, T.Allow, T.Deny, T.Default, T.Service]), STATEMENT],
  [key([T.Identifier, T.Any, T.World, T.Host]), "a tier or net name, 'any', 'world' or 'host'"],
  [key([T.Tcp, T.Udp, T.Icmp]), 'a service (tcp/PORT, udp/PORT or icmp)'],
  [key([T.Gateway, T.Bridge, T.Isolated, T.Ipv6]), "'gateway', 'bridge', 'isolated' or 'ipv6'"],
  [key([T.Identifier, T.NumberLit]), 'a bridge name'],
  [key([T.StringLit, T.Identifier, T.NumberLit, T.Cidr, T.Address]), 'a value (a string, name, number or address)'],
]);

/** A token expected inside a specific rule, named by its role: `rule:Token` or `rule:Token:PreviousToken`. */
const ROLE: Record<string, string> = {
  'policyDecl:Identifier': 'a policy name',
  'tierDecl:Identifier': 'a tier name',
  'tierDecl:Cidr': 'a subnet in CIDR notation (like 10.0.1.0/24)',
  'netDecl:Identifier': 'a net name',
  'netDecl:Cidr': 'an address range in CIDR notation (like 192.0.2.0/24)',
  'tierOption:Address': 'an IPv4 address',
  'tierOption:Ipv6Prefix': 'an IPv6 prefix (like fd00:1:1::/64)',
  'serviceDecl:Identifier': 'a service name',
  'ruleDecl:Arrow': "',' or '->'",
  'serviceSpec:Number': 'a port or port range',
  'serviceSpec:Number:Dash': 'the last port of the range',
  'binding:Number:Colon': 'the host port',
  'binding:Number:Slash': 'the container port',
};

/** Statement kinds, for "expected ';' after the tier declaration". */
const STATEMENT_NAME: Record<string, string> = {
  policyDecl: 'the policy declaration',
  tierDecl: 'the tier declaration',
  netDecl: 'the net declaration',
  ruleDecl: 'the rule',
  defaultDecl: 'the default statement',
  setting: 'the setting',
};

class MessageProvider implements IParserErrorMessageProvider {
  /** The token vector being parsed, to look one token further back than chevrotain tells us. */
  tokens: readonly IToken[] = [];

  buildMismatchTokenMessage(o: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
    const { expected, actual, ruleName } = o;
    const previous = this.previousOf(actual, o.previous);
    const tail = `${this.after(previous)}, found ${found(actual)}`;
    // The top-level repetition ends at EOF: anything else there is a statement that cannot start.
    if (expected === EOF) return `expected ${STATEMENT}, found ${found(actual)}`;
    if (expected === T.RBrace) return `expected a setting or '}' to close the service block, found ${found(actual)}`;
    if (expected === T.Semicolon && ruleName in STATEMENT_NAME) {
      // Before a new statement (or the end) the ';' was forgotten; elsewhere in a tier or a rule,
      // say what else could have come here.
      if (!startsStatement(actual) && ruleName === 'tierDecl') return `expected 'gateway', 'bridge', 'isolated' or ';'${tail}`;
      if (!startsStatement(actual) && ruleName === 'ruleDecl') return `expected ${ruleContinuation(previous)}${tail}`;
      return `expected ';' after ${STATEMENT_NAME[ruleName]}, found ${found(actual)}`;
    }
    const role = `${ruleName}:${expected.name}`;
    const what = ROLE[`${role}:${previous?.tokenType.name}`] ?? ROLE[role] ?? label(expected);
    return `expected ${what}${tail}`;
  }

  buildNotAllInputParsedMessage(o: { firstRedundant: IToken; ruleName: string }): string {
    return `expected ${STATEMENT}, found ${found(o.firstRedundant)}`;
  }

  buildNoViableAltMessage(o: { expectedPathsPerAlt: TokenType[][][]; actual: IToken[]; previous: IToken }): string {
    const what = oneOf(o.expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0]!)));
    const actual = o.actual[0]!;
    return `expected ${what}${this.after(this.previousOf(actual, o.previous))}, found ${found(actual)}`;
  }

  buildEarlyExitMessage(o: { expectedIterationPaths: TokenType[][]; actual: IToken[]; previous: IToken }): string {
    const what = oneOf(o.expectedIterationPaths.map((path) => path[0]!));
    const actual = o.actual[0]!;
    return `expected ${what}${this.after(this.previousOf(actual, o.previous))}, found ${found(actual)}`;
  }

  /**
   * The token written just before `actual`. Chevrotain's `previous` is the last token *read*, which
   * after in-repetition recovery is a skipped token behind `actual`, not before it.
   */
  private previousOf(actual: IToken, previous: IToken): IToken | undefined {
    if (isReal(actual)) return this.tokenBefore(actual);
    return isReal(previous) ? previous : undefined;
  }

  /** " after 'x'", with `tcp/` shown whole; empty at the start of the file. */
  private after(previous: IToken | undefined): string {
    if (previous === undefined) return '';
    let text = shown(previous);
    if (previous.tokenType === T.Slash) {
      const before = this.tokenBefore(previous);
      if (before && (before.tokenType === T.Tcp || before.tokenType === T.Udp)) text = `'${before.image}/'`;
    }
    return ` after ${text}`;
  }

  private tokenBefore(t: IToken): IToken | undefined {
    let lo = 0;
    let hi = this.tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.tokens[mid]!.startOffset;
      if (s === t.startOffset) return this.tokens[mid - 1];
      if (s < t.startOffset) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

export const messageProvider = new MessageProvider();

const STATEMENT_STARTS = new Set<TokenType>([T.Policy, T.Tier, T.Net, T.Allow, T.Deny, T.Default, T.Service, EOF]);

function startsStatement(t: IToken): boolean {
  return STATEMENT_STARTS.has(t.tokenType);
}

/** What may follow inside a rule after `previous` (the rule's end was expected). */
function ruleContinuation(previous: IToken | undefined): string {
  const type = previous?.tokenType;
  if (type === T.Log) return "';'";
  if (type === T.Identifier || type === T.Any || type === T.World || type === T.Host) return "',', a service (tcp/PORT, udp/PORT or icmp), 'log' or ';'";
  return "',', 'log' or ';'";
}

function isReal(t: IToken): boolean {
  return t.tokenType !== EOF && !Number.isNaN(t.startOffset);
}

function key(types: readonly TokenType[]): string {
  return [...new Set(types.map((t) => t.name))].sort().join('|');
}

function label(t: TokenType): string {
  return T.TOKEN_LABEL.get(t) ?? (t === EOF ? 'the end of the file' : 'something else');
}

/** "a tier name or 'any'" for known sets; otherwise the labels joined: "'tcp' or 'udp'". */
function oneOf(types: readonly TokenType[]): string {
  const named = CHOICES.get(key(types));
  if (named !== undefined) return named;
  const labels = [...new Set(types.map(label))];
  return labels.length <= 1 ? (labels[0] ?? 'something else') : `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`;
}

function found(t: IToken): string {
  return t.tokenType === EOF ? 'the end of the file' : shown(t);
}

/** A token as written, quoted, cut short when long. Strings already carry their quotes. */
function shown(t: IToken): string {
  const image = t.image.length > 40 ? `${t.image.slice(0, 37)}...` : t.image;
  return t.tokenType === T.StringLit ? image : `'${image}'`;
}
