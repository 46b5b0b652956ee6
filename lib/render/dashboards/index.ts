// Grafana dashboards: one JSON file per entry of plan.dashboards, built as objects (never templates).
// listPanelQueries walks the very same objects, so `verify` checks exactly what Grafana will run.
import type { DashboardPlan, StackPlan } from "../../plan/types.js";
import { jsonArtifact, type Artifact } from "../artifact.js";
import { buildClusterDashboard } from "./cluster.js";
import { buildHostsDashboard } from "./hosts.js";
import { buildJobDashboard, PANELS_NEEDING_A_CONNECTOR } from "./job.js";
import { isQueryPanel, type Dashboard } from "./model.js";
import { buildTaskManagerDashboard } from "./taskmanager.js";

export type {
  AnnotationQuery,
  Dashboard,
  DashboardLink,
  DataLink,
  Panel,
  QueryPanel,
  RowPanel,
  Target,
  QueryVariable,
  DatasourceRef,
  GridPos,
} from "./model.js";
export { fresh, expectedTaskManagers } from "./promql.js";
export { NODE_METRICS } from "./hosts.js";

export interface PanelQuery {
  /** Dashboard title. */
  readonly dashboard: string;
  /** Panel title. */
  readonly panel: string;
  /** PromQL with Grafana variables ($cluster, $job_name, $instance, $__rate_interval) not substituted. */
  readonly expr: string;
  readonly refId: string;
  /** What the job must use for this panel to have data (a connector), when not every Flink job does. */
  readonly needs?: string;
}

/** The dashboard object of one DashboardPlan. */
// The metric selection, the dashboard files and `verify` read the dashboards of one plan: built once per plan.
const builtDashboards = new WeakMap<StackPlan, Map<DashboardPlan, Dashboard>>();

/** The dashboard object for `d`; shared, never mutate it. */
export function buildDashboard(plan: StackPlan, d: DashboardPlan): Dashboard {
  let byPlan = builtDashboards.get(plan);
  if (!byPlan) builtDashboards.set(plan, (byPlan = new Map<DashboardPlan, Dashboard>()));
  let dashboard = byPlan.get(d);
  if (!dashboard) byPlan.set(d, (dashboard = buildFresh(plan, d)));
  return dashboard;
}

function buildFresh(plan: StackPlan, d: DashboardPlan): Dashboard {
  switch (d.kind) {
    case "cluster":
      return buildClusterDashboard(plan, d);
    case "job":
      return buildJobDashboard(plan, d);
    case "taskmanager":
      return buildTaskManagerDashboard(plan, d);
    case "hosts":
      return buildHostsDashboard(plan, d);
  }
}

export function dashboardPath(d: DashboardPlan): string {
  return `grafana/dashboards/${d.file}`;
}

/** One JSON artifact per plan.dashboards entry, at grafana/dashboards/<file>. Deterministic. */
export function renderDashboards(plan: StackPlan): Artifact[] {
  return plan.dashboards.map((d) => jsonArtifact(dashboardPath(d), buildDashboard(plan, d)));
}

/** Every target of every panel of every planned dashboard, in panel order. */
export function listPanelQueries(plan: StackPlan): PanelQuery[] {
  const queries: PanelQuery[] = [];
  for (const d of plan.dashboards) {
    const built = buildDashboard(plan, d);
    for (const panel of built.panels) {
      if (!isQueryPanel(panel)) continue;
      for (const target of panel.targets) {
        const needs = d.kind === "job" ? PANELS_NEEDING_A_CONNECTOR[panel.title] : undefined;
        queries.push({ dashboard: built.title, panel: panel.title, expr: target.expr, refId: target.refId, ...(needs ? { needs } : {}) });
      }
    }
  }
  return queries;
}
