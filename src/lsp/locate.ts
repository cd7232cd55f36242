// lsp: what the cursor is on, from the AST. Input: PolicyFile + offset. Output: a tier or net name
// (declared or referenced), `world` or `host` in a rule, a rule, a service, or nothing. Hover and
// definition share it.
import type { NetDecl, PolicyFile, RuleDecl, ServiceDecl, Statement, TierDecl, Word } from '../syntax/ast.js';
import type { Span } from '../source/source-file.js';

export type Target =
  | { readonly kind: 'tier-name'; readonly word: Word; readonly declaration: boolean }
  | { readonly kind: 'net-name'; readonly word: Word; readonly declaration: boolean }
  | { readonly kind: 'world' | 'host'; readonly span: Span }
  | { readonly kind: 'rule'; readonly rule: RuleDecl }
  | { readonly kind: 'service'; readonly service: ServiceDecl };

/** The cursor sits between characters: a word is hit from its first character up to just after its last. */
const touches = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

export function locate(ast: PolicyFile, offset: number): Target | undefined {
  const statement = ast.statements.find((s) => touches(s.span, offset));
  return statement && locateIn(ast, statement, offset);
}

function locateIn(ast: PolicyFile, s: Statement, offset: number): Target | undefined {
  switch (s.kind) {
    case 'tier':
      return touches(s.name.span, offset) ? { kind: 'tier-name', word: s.name, declaration: true } : undefined;
    case 'net':
      return touches(s.name.span, offset) ? { kind: 'net-name', word: s.name, declaration: true } : undefined;
    case 'rule': {
      for (const e of [...s.sources, ...s.destinations]) {
        if (e.kind === 'tier' && touches(e.name.span, offset)) {
          // Rules name tiers and nets alike; a name declared as both is an error (duplicate-net)
          // and lowering keeps the tier, so the tier wins here too.
          const net = !tierDeclaration(ast, e.name.text) && netDeclaration(ast, e.name.text);
          return { kind: net ? 'net-name' : 'tier-name', word: e.name, declaration: false };
        }
        if ((e.kind === 'world' || e.kind === 'host') && touches(e.span, offset)) return { kind: e.kind, span: e.span };
      }
      return { kind: 'rule', rule: s };
    }
    case 'service': {
      if (touches(s.name.span, offset)) return { kind: 'service', service: s };
      const word = tierWordsOf(s).find((w) => touches(w.span, offset));
      return word && { kind: 'tier-name', word, declaration: false };
    }
    default:
      return undefined;
  }
}

/** The words of a service that name tiers: every `tiers` value and the first `address` value. */
export function tierWordsOf(s: ServiceDecl): Word[] {
  const out: Word[] = [];
  for (const setting of s.settings) {
    const values = setting.name.text === 'tiers' ? setting.values : setting.name.text === 'address' ? setting.values.slice(0, 1) : [];
    for (const v of values) if (v.kind === 'word') out.push({ text: v.text, span: v.span });
  }
  return out;
}

/** The first declaration of a tier (the one lowering keeps when a name is declared twice). */
export function tierDeclaration(ast: PolicyFile, name: string): TierDecl | undefined {
  return ast.statements.find((s): s is TierDecl => s.kind === 'tier' && s.name.text === name);
}

/** The first declaration of a net (the one lowering keeps when a name is declared twice). */
export function netDeclaration(ast: PolicyFile, name: string): NetDecl | undefined {
  return ast.statements.find((s): s is NetDecl => s.kind === 'net' && s.name.text === name);
}
