// renderStack: every generated file, in memory, in a fixed order.
import type { StackPlan } from "../plan/types.js";
import { renderAlertRules } from "./alert-rules.js";
import { renderAlertmanagerConfig } from "./alertmanager.js";
import type { Artifact } from "./artifact.js";
import { renderCompose, renderDotEnv } from "./compose.js";
import { renderDashboards } from "./dashboards/index.js";
import { renderFlinkConfig } from "./flink-config.js";
import { renderGrafanaDashboardProvider, renderGrafanaDatasource } from "./grafana-provisioning.js";
import { renderPrometheusConfig } from "./prometheus.js";
import { renderReadme } from "./readme.js";
import { renderRunbook } from "./runbook.js";

export function renderStack(plan: StackPlan): Artifact[] {
  const artifacts: Artifact[] = [
    renderCompose(plan),
    renderDotEnv(plan),
    renderPrometheusConfig(plan),
    ...renderAlertRules(plan),
    ...(plan.services.some((service) => service.name === "alertmanager") ? [renderAlertmanagerConfig(plan)] : []),
    ...(plan.config.grafana.enabled
      ? [renderGrafanaDatasource(plan), renderGrafanaDashboardProvider(plan), ...renderDashboards(plan)]
      : []),
    ...renderFlinkConfig(plan),
    renderReadme(plan),
    ...(plan.ruleFiles.length > 0 ? [renderRunbook(plan)] : []),
  ];
  return artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export type { Artifact } from "./artifact.js";
