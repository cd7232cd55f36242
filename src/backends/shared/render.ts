// backends: loads and compiles handlebars templates from templates/<backend>/ once per process.
// noEscape + strict: templates place values verbatim and a missing value is a bug, not "".
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const cache = new Map<string, Handlebars.TemplateDelegate>();

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

/** Renders templates/<name> (e.g. 'installer/install.sh.hbs') with the given model. */
export function render(name: string, model: object): string {
  let tpl = cache.get(name);
  if (!tpl) {
    const text = readFileSync(join(templatesDir(), name), 'utf8');
    tpl = Handlebars.compile(text, { noEscape: true, strict: true });
    cache.set(name, tpl);
  }
  return tpl(model);
}
