// backends: renders templates/<backend>/*.hbs with a model; each template is loaded once per process
// (template-loader.ts: compiled from templates/, or precompiled in the CLI bundle).
import type Handlebars from 'handlebars';
import { loadTemplate, registerPartial } from './template-loader.js';

const cache = new Map<string, Handlebars.TemplateDelegate>();

function template(name: string): Handlebars.TemplateDelegate {
  let tpl = cache.get(name);
  if (!tpl) {
    tpl = loadTemplate(name);
    cache.set(name, tpl);
  }
  return tpl;
}

/** Renders templates/<name> (e.g. 'installer/install.sh.hbs') with the given model. */
export function render(name: string, model: object): string {
  return template(name)(model);
}

/** Registers templates/<file> as the partial `{{> name}}`. */
export function registerPartialFile(name: string, file: string): void {
  registerPartial(name, template(file));
}
