// backends: the handlebars options of every template, whether compiled at run time or at build time.
// noEscape + strict: templates place values verbatim and a missing value is a bug, not "".
// Plain data on purpose: scripts/precompile-templates.mjs reads it too (see there).
export const TEMPLATE_OPTIONS = { noEscape: true, strict: true } as const;
