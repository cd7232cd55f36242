// renderDiagnostics: dispatches each format to its renderer with the options it reads.
import { describe, expect, it } from 'vitest';
import {
  DIAGNOSTIC_FORMATS, renderDiagnostics, renderGithub, renderJson, renderSarif, renderText,
} from '../../src/diagnostics/render/index.js';
import { overlap, sourceMap, X } from './fixtures.js';

describe('renderDiagnostics', () => {
  const ds = [overlap()];
  const sources = sourceMap(X);
  const options = { color: true, toolVersion: '9.9.9' };

  it('dispatches every format', () => {
    expect(DIAGNOSTIC_FORMATS).toEqual(['text', 'json', 'sarif', 'github']);
    expect(renderDiagnostics('text', ds, sources, options)).toBe(renderText(ds, sources, options));
    expect(renderDiagnostics('json', ds, sources, options)).toBe(renderJson(ds, sources));
    expect(renderDiagnostics('sarif', ds, sources, options)).toBe(renderSarif(ds, sources, options));
    expect(renderDiagnostics('github', ds, sources, options)).toBe(renderGithub(ds, sources));
    expect(renderDiagnostics('sarif', ds, sources, options)).toContain('"version": "9.9.9"');
  });

  it('defaults to no colour', () => {
    expect(renderDiagnostics('text', ds, sources)).not.toContain('\x1b');
  });
});
