// backends: turns a template file name (e.g. 'installer/install.sh.hbs') into a handlebars template.
// This version reads templates/ and compiles at first use (tests and tools that run from src/).
// The CLI bundle replaces this module with one holding the templates precompiled at build time on
// handlebars' small runtime (scripts/build.mjs, scripts/precompile-templates.mjs): no compiler to
// load and nothing to compile at each start. Both export the same two functions.
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMPLATE_OPTIONS } from './template-options.js';

/** templates/ at the package root, found relative to this module (src/ or dist/ layouts). */
export function templatesDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['..', '../..', '../../..']) {
    const candidate = join(here, up, 'templates');
    try {
      readFileSync(join(candidate, 'README.md'));
      return candidate;
    } catch {
      /* try the next layout */
    }
  }
  throw new Error(`templates/ not found from ${here}`);
}

/** The compiled template templates/<name>. */
export function loadTemplate(name: string): Handlebars.TemplateDelegate {
  return Handlebars.compile(readFileSync(join(templatesDir(), name), 'utf8'), { ...TEMPLATE_OPTIONS });
}

/** Makes a template available as `{{> name}}` to every template. */
export function registerPartial(name: string, template: Handlebars.TemplateDelegate): void {
  Handlebars.registerPartial(name, template);
}
