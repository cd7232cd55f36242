// diagnostics/render: one entry point over the four renderers. (format, diagnostics, sources, options)
// -> the whole output as a string; pure, the CLI does the writing.
import type { SourceFile } from '../../source/source-file.js';
import type { Diagnostic } from '../diagnostic.js';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderSarif, type SarifOptions } from './sarif.js';
import { renderText, type TextOptions } from './text.js';

export const DIAGNOSTIC_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type DiagnosticFormat = (typeof DIAGNOSTIC_FORMATS)[number];

/** Options of every format; each renderer reads only its own. */
export type RenderOptions = TextOptions & SarifOptions;

export function renderDiagnostics(
  format: DiagnosticFormat,
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  options: RenderOptions = {},
): string {
  switch (format) {
    case 'text':
      return renderText(diagnostics, sources, options);
    case 'json':
      return renderJson(diagnostics, sources);
    case 'sarif':
      return renderSarif(diagnostics, sources, options);
    case 'github':
      return renderGithub(diagnostics, sources);
  }
}

export { renderGithub, renderJson, renderSarif, renderText };
export type { SarifOptions, TextOptions };
