// backends/report: the report backend. Input: Policy. Output: REPORT.md (tiers, reachability matrix,
// logged denies, published ports, Mermaid diagram). Decisions live in model.ts, layout in the template.
import type { Backend, BackendResult } from '../types.js';
import type { Policy } from '../../ir/types.js';
import { render } from '../shared/render.js';
import { reportModel, type ReportModel } from './model.js';

export { reportModel, reachabilityMatrix, reachabilityListing, listingOrder, loggedDenies, loggedDeniesGrouped, matrixCell, MATRIX_MAX_TIERS, type ReportModel } from './model.js';

/** Fills templates/report/REPORT.md.hbs; nothing here decides anything. */
export function emitReport(model: ReportModel): string {
  return render('report/REPORT.md.hbs', model);
}

export const backend: Backend = {
  name: 'report',
  generate(policy: Policy): BackendResult {
    return { artifacts: [{ path: 'REPORT.md', content: emitReport(reportModel(policy)), mode: 0o644 }], diagnostics: [] };
  },
};
