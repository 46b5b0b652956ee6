// renderStack: every generated file, in memory, in a fixed order, checked as the real tools read it.
import { checkRenderedStack } from "../check/index.js";
import { ConfigValidationError } from "../errors.js";
import type { StackPlan } from "../plan/types.js";
import { renderAlertRules } from "./alert-rules.js";
import { renderAlertmanagerConfig } from "./alertmanager.js";
import type { Artifact } from "./artifact.js";
import { renderCompose, renderDotEnv } from "./compose.js";
import { renderDashboards } from "./dashboards/index.js";
import { renderFlinkConfig } from "./flink-config.js";
import { renderFlinkHosts } from "./flink-hosts.js";
import { renderGrafanaDashboardProvider, renderGrafanaDatasource } from "./grafana-provisioning.js";
import { renderPrometheusConfig } from "./prometheus.js";
import { renderReadme } from "./readme.js";
import { renderRunbook } from "./runbook.js";
import { renderKubernetes } from "./kubernetes/index.js";
import { renderSwarm } from "./swarm/index.js";

/** Throws ConfigValidationError (without a file name) when a rendered document would be refused by its tool. */
export function renderStack(plan: StackPlan): Artifact[] {
  // Kubernetes manifests are built from the same plan and builders, judged by their own checks (no compose file).
  if (plan.target === "kubernetes") return byPath(renderKubernetes(plan));
  const artifacts: Artifact[] = [
    renderCompose(plan),
    renderDotEnv(plan),
    renderPrometheusConfig(plan),
    ...renderAlertRules(plan),
    ...(plan.services.some((service) => service.name === "alertmanager") ? [renderAlertmanagerConfig(plan)] : []),
    ...(plan.grafana.enabled ? [renderGrafanaDatasource(plan), renderGrafanaDashboardProvider(plan), ...renderDashboards(plan)] : []),
    ...renderFlinkConfig(plan),
    renderFlinkHosts(plan),
    renderReadme(plan),
    ...(plan.ruleFiles.length > 0 ? [renderRunbook(plan)] : []),
  ];
  const issues = checkRenderedStack(plan, artifacts);
  if (issues.length > 0) throw new ConfigValidationError(undefined, issues);
  return byPath(plan.target === "swarm" ? renderSwarm(plan, artifacts) : artifacts);
}

const byPath = (artifacts: Artifact[]): Artifact[] => artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

export type { Artifact } from "./artifact.js";
