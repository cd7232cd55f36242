// backends/monitoring: the optional monitoring stack (`--target monitoring`). Input: Policy + options.
// Output: compose.yml (Prometheus + node-exporter on the monitoring tier), prometheus.yml, alerts.yml.
// Decisions live in model.ts; the templates in templates/monitoring/ only place them.
import type { Backend, BackendOptions, BackendResult } from '../types.js';
import type { Policy } from '../../ir/types.js';
import { render } from '../shared/render.js';
import { ARTIFACT_ALERTS, ARTIFACT_COMPOSE, ARTIFACT_PROMETHEUS, buildMonitoringStack, type MonitoringStackModel } from './model.js';

export function emitMonitoringStack(model: MonitoringStackModel): { path: string; content: string }[] {
  return [
    { path: ARTIFACT_COMPOSE, content: render('monitoring/compose.yml.hbs', model) },
    { path: ARTIFACT_PROMETHEUS, content: render('monitoring/prometheus.yml.hbs', model) },
    { path: ARTIFACT_ALERTS, content: render('monitoring/alerts.yml.hbs', model) },
  ];
}

export const backend: Backend = {
  name: 'monitoring',
  generate(policy: Policy, options: BackendOptions = {}): BackendResult {
    const { model, diagnostics } = buildMonitoringStack(policy, options);
    if (!model) return { artifacts: [], diagnostics };
    return { artifacts: emitMonitoringStack(model).map((a) => ({ ...a, mode: 0o644 })), diagnostics };
  },
};
