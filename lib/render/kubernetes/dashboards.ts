// Grafana dashboards as ConfigMaps the Grafana sidecar of kube-prometheus-stack loads (by its label), built by the
// compose target's dashboard builders with the datasource uid of the user's Grafana.
// Types only (erased at build): the compiler holds the literal to the Kubernetes API's fields.
import type { IConfigMap } from "kubernetes-models/v1";
import type { StackPlan } from "../../plan/types.js";
import { buildDashboard } from "../dashboards/index.js";
import { metadata, type Context, type Manifest } from "./meta.js";

/** kubectl apply (client side) keeps the whole object in an annotation, limited to 256 KiB. */
export const CONFIGMAP_LIMIT_BYTES = 262_144;

export function dashboardConfigMapName(ctx: Context, file: string): string {
  return `${ctx.project}-dashboard-${file
    .replace(/\.json$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")}`;
}

export function buildDashboardConfigMaps(plan: StackPlan, ctx: Context): Manifest[] {
  const withUserDatasource: StackPlan = { ...plan, datasource: { ...plan.datasource, uid: ctx.settings.datasourceUid } };
  return plan.dashboards.map(
    (d) =>
      ({
        apiVersion: "v1" as const,
        kind: "ConfigMap",
        metadata: {
          ...metadata(ctx, dashboardConfigMapName(ctx, d.file), "dashboards", {
            [ctx.settings.dashboardLabel.name]: ctx.settings.dashboardLabel.value,
          }),
          // The sidecar puts the dashboards in this Grafana folder.
          annotations: { grafana_folder: "Flink" },
        },
        data: { [d.file]: `${JSON.stringify(buildDashboard(withUserDatasource, d), null, 2)}\n` },
      }) satisfies IConfigMap,
  );
}
