// Where an alert sends the person it pages: the dashboard panel to open first (`dashboard` annotation, with the
// alert's labels as the dashboard's variables) and its section of the generated RUNBOOK.md (`runbook_url`).
// Annotations are Go templates: `{{ $labels.x }}` is filled in by Prometheus when the alert fires.
import type { FlinkRole } from "../../flink/metrics.js";
import type { DashboardPlan, ServiceName, StackPlan } from "../../plan/types.js";
import { processLabel } from "../dashboards/cluster.js";
import { buildDashboard } from "../dashboards/index.js";
import { BACK_PRESSURED_SUBTASKS, BACK_PRESSURED_TIME } from "../dashboards/job.js";
import { dashboardUrl } from "../dashboards/panels.js";
import { INCREASE_WINDOW } from "../dashboards/promql.js";

/** The generated runbook, at the top of the output folder. */
export const RUNBOOK_FILE = "RUNBOOK.md";

/** The anchor of an alert's section in RUNBOOK.md (its heading is the alert name: GitHub's slug). */
export function runbookAnchor(alert: string): string {
  return alert.toLowerCase();
}

/** A panel of a generated dashboard; `vars` are alert labels passed as the variables of the same name. */
export interface PanelTarget {
  readonly dashboard: DashboardPlan["kind"];
  readonly panel: string;
  readonly vars: readonly string[];
}

/** A page of a stack service's own UI, for alerts about the stack itself. */
export interface ServiceTarget {
  readonly service: ServiceName;
  readonly path: string;
}

export type AlertTarget = PanelTarget | ServiceTarget;

export interface AlertLinks {
  readonly dashboard?: string;
  readonly runbook_url: string;
}

/** The panel (or UI page) each alert points to. Roles matter only for the JVM alerts. */
export function alertTarget(plan: StackPlan, alert: string, role?: FlinkRole): AlertTarget | undefined {
  const m = plan.metrics;
  const tm = processLabel(plan, "taskmanager");
  const cluster = (panel: string): PanelTarget => ({ dashboard: "cluster", panel, vars: ["cluster"] });
  const job = (panel: string): PanelTarget => ({ dashboard: "job", panel, vars: ["cluster", "job_name"] });
  const hosts = (panel: string): PanelTarget => ({ dashboard: "hosts", panel, vars: ["instance"] });
  const jvm = (clusterPanel: string, tmPanel: string): PanelTarget =>
    role === "taskmanager" && plan.dashboards.some((d) => d.kind === "taskmanager")
      ? { dashboard: "taskmanager", panel: tmPanel, vars: ["cluster", tm] }
      : cluster(clusterPanel);
  switch (alert) {
    case "FlinkJobManagerDown":
    case "FlinkMetricsEndpointDown":
    case "FlinkMetricsPushStale":
    case "FlinkMetricsPushFailing":
      return cluster("Processes reporting");
    case "FlinkNoRunningJob":
      return cluster("Running jobs over time");
    case "FlinkTaskManagerLost":
      return cluster("TaskManagers: registered vs expected");
    case "FlinkJobRestarting":
      return job(`Restarts (increase over ${INCREASE_WINDOW})`);
    case "FlinkCheckpointFailures":
      return job(`Failed checkpoints (increase over ${INCREASE_WINDOW})`);
    case "FlinkCheckpointDurationHigh":
      return job("Last checkpoint duration");
    case "FlinkBackPressure":
      return job(m.backPressuredTimeMsPerSecond !== undefined ? BACK_PRESSURED_TIME : BACK_PRESSURED_SUBTASKS);
    case "FlinkNoRecordsProcessed":
      return job("Records in per second");
    case "FlinkHeapUsageHigh":
      return jvm("JVM heap used / max", "Heap used / max");
    case "FlinkGCTimeHigh":
      return jvm("GC time per second", "GC time per second");
    case "NodeExporterDown":
    case "NodeHighCpu":
      return hosts("CPU usage");
    case "NodeFilesystemAlmostFull":
      return hosts("Disk free ratio");
    case "NodeMemoryLow":
      return hosts("Memory available ratio");
    case "PushgatewayDown":
    case "PushgatewayPruneFailing":
      return { service: "pushgateway", path: "/" };
    case "PrometheusTargetDown":
      return { service: "prometheus", path: "/targets" };
    case "PrometheusRuleEvaluationFailures":
      return { service: "prometheus", path: "/rules" };
    case "PrometheusConfigReloadFailed":
    case "PrometheusTsdbReloadsFailing":
    case "PrometheusNotConnectedToAlertmanagers":
      return { service: "prometheus", path: "/status" };
    case "Watchdog":
    case "AlertmanagerDown":
    case "AlertmanagerConfigReloadFailed":
    case "AlertmanagerNotificationsFailing":
      return { service: "alertmanager", path: "/#/status" };
    default:
      return undefined;
  }
}

const built = new WeakMap<StackPlan, Map<DashboardPlan["kind"], ReturnType<typeof buildDashboard>>>();

function dashboardOf(plan: StackPlan, d: DashboardPlan): ReturnType<typeof buildDashboard> {
  let cache = built.get(plan);
  if (cache === undefined) {
    cache = new Map();
    built.set(plan, cache);
  }
  const found = cache.get(d.kind) ?? buildDashboard(plan, d);
  cache.set(d.kind, found);
  return found;
}

/**
 * The `dashboard` URL of a target, or undefined when the stack does not run what it points to (Grafana or
 * that dashboard off, the service not deployed). A planned dashboard without the panel is a bug: it throws.
 */
export function targetUrl(plan: StackPlan, target: AlertTarget): string | undefined {
  if ("service" in target) {
    const base = plan.urls[target.service];
    return base === undefined ? undefined : `${base}${target.path}`;
  }
  const base = plan.urls.grafana;
  const d = plan.dashboards.find((entry) => entry.kind === target.dashboard);
  if (base === undefined || d === undefined) return undefined;
  const panel = dashboardOf(plan, d).panels.find((p) => p.type !== "row" && p.title === target.panel);
  if (panel === undefined) throw new Error(`alert link: no panel "${target.panel}" on dashboard ${d.title}`);
  const vars = target.vars.map((name) => `var-${name}={{ $labels.${name} }}`);
  return `${base}${dashboardUrl(d)}?${[...vars, `viewPanel=${panel.id}`].join("&")}`;
}

/** The `dashboard` and `runbook_url` annotations of an alert. */
export function alertLinks(plan: StackPlan, alert: string, role?: FlinkRole): AlertLinks {
  const target = alertTarget(plan, alert, role);
  if (target === undefined) throw new Error(`alert link: no target for ${alert}`);
  const dashboard = targetUrl(plan, target);
  return { ...(dashboard === undefined ? {} : { dashboard }), runbook_url: `${RUNBOOK_FILE}#${runbookAnchor(alert)}` };
}
