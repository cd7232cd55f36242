// lsp: textDocument/definition. Input: PolicyDocument + offset. Output: the declaration of the
// tier or net named under the cursor (in a rule, a service's `tiers`/`address`, or the declaration itself).
import type { Location, LocationLink } from 'vscode-languageserver';
import { toRange, type PolicyDocument } from './documents.js';
import { locate, netDeclaration, tierDeclaration } from './locate.js';

/** With `linkSupport` the whole statement is the target and its name the part to select. */
export function definition(pd: PolicyDocument, offset: number, linkSupport: boolean): Location[] | LocationLink[] | null {
  const target = locate(pd.analysis.ast, offset);
  if (target?.kind !== 'tier-name' && target?.kind !== 'net-name') return null;
  const { ast } = pd.analysis;
  const decl = target.kind === 'tier-name' ? tierDeclaration(ast, target.word.text) : netDeclaration(ast, target.word.text);
  if (!decl) return null;
  const { doc } = pd;
  if (linkSupport) {
    return [{
      originSelectionRange: toRange(doc, target.word.span),
      targetUri: doc.uri,
      targetRange: toRange(doc, decl.span),
      targetSelectionRange: toRange(doc, decl.name.span),
    }];
  }
  return [{ uri: doc.uri, range: toRange(doc, decl.name.span) }];
}
