// syntax: the grammar as a pure chevrotain CstParser (no embedded actions). Input: tokens.
// Output: a CST plus recognition errors; recovery is on so one run finds every syntax error.
import { CstParser, type CstNode, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import * as T from './tokens.js';
import { messageProvider } from './error-messages.js';

// Performance: every rule invocation allocates a CST node, so the hot path (a rule line) is kept to
// ruleDecl + one serviceSpec per service. Lists of tokens are inlined with LABELs, in source order.
export class TierwallParser extends CstParser {
  constructor(options: { validate?: boolean } = {}) {
    super(T.ALL_TOKENS as TokenType[], {
      recoveryEnabled: true,
      // LL(1) everywhere except setting values, where `ADDR:PORT -> ...` and a bare ADDR share a first token.
      maxLookahead: 2,
      errorMessageProvider: messageProvider,
      // Grammar validations cost start-up time; test/syntax/grammar.test.ts runs them once.
      skipValidations: !options.validate,
    });
    this.performSelfAnalysis();
  }

  // No single-token insertion: with `;`-terminated statements, deletion and resync recover as well
  // and insertion tends to cascade (`allow a b -> c;` would become "missing '->'" and then "missing ';'").
  // It also keeps position-less tokens out of the CST.
  protected override canTokenTypeBeInsertedInRecovery(): boolean {
    return false;
  }

  // Statements are children by kind; to-ast restores source order from their first token's offset.
  readonly policyFile = this.RULE('policyFile', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.ruleDecl) },
        { ALT: () => this.SUBRULE(this.tierDecl) },
        { ALT: () => this.SUBRULE(this.netDecl) },
        { ALT: () => this.SUBRULE(this.serviceDecl) },
        { ALT: () => this.SUBRULE(this.policyDecl) },
        { ALT: () => this.SUBRULE(this.defaultDecl) },
      ]);
    });
  });

  readonly policyDecl = this.RULE('policyDecl', () => {
    this.CONSUME(T.Policy);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Semicolon);
  });

  readonly tierDecl = this.RULE('tierDecl', () => {
    this.CONSUME(T.Tier);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Cidr, { LABEL: 'subnet' });
    // Options in any order; "at most once each" is checked on the CST (a grammar for it would be a permutation).
    this.MANY(() => this.SUBRULE(this.tierOption));
    this.CONSUME(T.Semicolon);
  });

  readonly tierOption = this.RULE('tierOption', () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.Gateway); this.CONSUME(T.Address, { LABEL: 'gateway' }); } },
      {
        ALT: () => {
          this.CONSUME(T.Bridge);
          // A name (`br0`, `br_web.1`) or all digits; lowering checks it is a valid interface name.
          this.OR2([
            { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'bridge' }) },
            { ALT: () => this.CONSUME(T.NumberLit, { LABEL: 'bridge' }) },
          ]);
        },
      },
      { ALT: () => this.CONSUME(T.Isolated) },
      { ALT: () => { this.CONSUME(T.Ipv6); this.CONSUME(T.Ipv6Prefix, { LABEL: 'ipv6' }); } },
    ]);
  });

  /** `net NAME CIDR[, CIDR];`: addresses outside the host's tiers, named for rules. */
  readonly netDecl = this.RULE('netDecl', () => {
    this.CONSUME(T.Net);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Cidr, { LABEL: 'cidr' }) });
    this.CONSUME(T.Semicolon);
  });

  readonly ruleDecl = this.RULE('ruleDecl', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Allow, { LABEL: 'action' }) },
      { ALT: () => this.CONSUME(T.Deny, { LABEL: 'action' }) },
    ]);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => this.OR2([
        { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'source' }) },
        { ALT: () => this.CONSUME(T.Any, { LABEL: 'source' }) },
        { ALT: () => this.CONSUME(T.World, { LABEL: 'source' }) },
        { ALT: () => this.CONSUME(T.Host, { LABEL: 'source' }) },
      ]),
    });
    this.CONSUME(T.Arrow);
    this.AT_LEAST_ONE_SEP2({
      SEP: T.Comma,
      DEF: () => this.OR3([
        { ALT: () => this.CONSUME2(T.Identifier, { LABEL: 'destination' }) },
        { ALT: () => this.CONSUME2(T.Any, { LABEL: 'destination' }) },
        { ALT: () => this.CONSUME2(T.World, { LABEL: 'destination' }) },
        { ALT: () => this.CONSUME2(T.Host, { LABEL: 'destination' }) },
      ]),
    });
    this.OPTION(() => this.AT_LEAST_ONE_SEP3({ SEP: T.Comma, DEF: () => this.SUBRULE(this.serviceSpec) }));
    this.OPTION2(() => this.CONSUME(T.Log));
    this.CONSUME(T.Semicolon);
  });

  /** `tcp/80`, `udp/9000-9010`, `icmp`. */
  readonly serviceSpec = this.RULE('serviceSpec', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Tcp, { LABEL: 'proto' }) },
            { ALT: () => this.CONSUME(T.Udp, { LABEL: 'proto' }) },
          ]);
          this.CONSUME(T.Slash);
          this.CONSUME(T.NumberLit, { LABEL: 'lo' });
          this.OPTION(() => {
            this.CONSUME(T.Dash);
            this.CONSUME2(T.NumberLit, { LABEL: 'hi' });
          });
        },
      },
      { ALT: () => this.CONSUME(T.Icmp, { LABEL: 'proto' }) },
    ]);
  });

  readonly defaultDecl = this.RULE('defaultDecl', () => {
    this.CONSUME(T.Default);
    this.OR([
      { ALT: () => this.CONSUME(T.Allow, { LABEL: 'action' }) },
      { ALT: () => this.CONSUME(T.Deny, { LABEL: 'action' }) },
    ]);
    this.CONSUME(T.Semicolon);
  });

  readonly serviceDecl = this.RULE('serviceDecl', () => {
    this.CONSUME(T.Service);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.setting));
    this.CONSUME(T.RBrace);
  });

  // Setting names and arities are not grammar: lowering checks them and can name the setting.
  // Values are written next to each other (`address frontend 10.0.1.5`) or comma-separated.
  readonly setting = this.RULE('setting', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.AT_LEAST_ONE(() => this.SUBRULE(this.settingValue));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.AT_LEAST_ONE2(() => this.SUBRULE2(this.settingValue));
      });
    });
    this.CONSUME(T.Semicolon);
  });

  readonly settingValue = this.RULE('settingValue', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.NumberLit) },
      { ALT: () => this.CONSUME(T.Cidr) },
      { ALT: () => this.SUBRULE(this.binding) },
      { ALT: () => this.CONSUME(T.Address) },
    ]);
  });

  /** `HOST:PORT -> tcp/PORT` (publish). */
  readonly binding = this.RULE('binding', () => {
    this.CONSUME(T.Address, { LABEL: 'hostAddress' });
    this.CONSUME(T.Colon);
    this.CONSUME(T.NumberLit, { LABEL: 'hostPort' });
    this.CONSUME(T.Arrow);
    this.OR([
      { ALT: () => this.CONSUME(T.Tcp, { LABEL: 'proto' }) },
      { ALT: () => this.CONSUME(T.Udp, { LABEL: 'proto' }) },
    ]);
    this.CONSUME(T.Slash);
    this.CONSUME2(T.NumberLit, { LABEL: 'containerPort' });
  });
}

let shared: TierwallParser | undefined;

/** Parses tokens into a CST with the one parser instance of this process (built on first use). */
export function parseTokens(tokens: IToken[]): { cst: CstNode; errors: IRecognitionException[] } {
  shared ??= new TierwallParser();
  messageProvider.tokens = tokens;
  shared.input = tokens;
  const cst = shared.policyFile();
  const errors = shared.errors;
  // Let go of the token vector: a long-lived process (watch mode, tests) should not retain the last file.
  shared.input = [];
  messageProvider.tokens = [];
  return { cst, errors };
}
