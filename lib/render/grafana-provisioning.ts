// Grafana provisioning: the Prometheus datasource with a fixed uid, and the file provider for our dashboards.
import { GRAFANA_DASHBOARDS_DIR } from "../plan/plan.js";
import type { StackPlan } from "../plan/types.js";
import type { Artifact } from "./artifact.js";
import { grafanaProvisioningLiteral } from "./escape.js";
import { deepMerge } from "./merge.js";
import { yamlArtifact } from "./yaml.js";

export function renderGrafanaDatasource(plan: StackPlan): Artifact {
  const datasource: Record<string, unknown> = {
    name: plan.datasource.name,
    uid: plan.datasource.uid,
    type: "prometheus",
    access: "proxy",
    url: plan.datasource.url,
    isDefault: true,
    editable: false,
    jsonData: {
      httpMethod: "POST",
      timeInterval: plan.prometheus.scrapeInterval,
      prometheusType: "Prometheus",
    },
  };
  const merged = plan.overrides.grafanaDatasource ? deepMerge(datasource, plan.overrides.grafanaDatasource) : datasource;
  return yamlArtifact("grafana/provisioning/datasources/prometheus.yml", { apiVersion: 1, datasources: [merged] });
}

export function renderGrafanaDashboardProvider(plan: StackPlan): Artifact {
  return yamlArtifact("grafana/provisioning/dashboards/provider.yml", {
    apiVersion: 1,
    providers: [
      {
        name: grafanaProvisioningLiteral(plan.project),
        orgId: 1,
        folder: "Flink",
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: GRAFANA_DASHBOARDS_DIR },
      },
    ],
  });
}
