// Flink cluster overview: TaskManagers (registered vs configured), slots, running jobs, and the JVM of
// every JobManager and TaskManager process.
import type { FlinkRole } from "../../flink/metrics.js";
import type { DashboardPlan, StackPlan } from "../../plan/types.js";
import type { Dashboard, DatasourceRef } from "./model.js";
import { dashboardLinks } from "./navigation.js";
import { dashboard, query, queryVariable, stat, timeseries, type Query } from "./panels.js";
import { aggregate, CLUSTER_MATCHER, expectedTaskManagers, fresh, matcherList, RATE_INTERVAL, selector } from "./promql.js";

export function datasourceRef(plan: StackPlan): DatasourceRef {
  return { type: "prometheus", uid: plan.datasource.uid };
}

/** The per-process identity of a role: JobManagers by host, TaskManagers by tm_id (host if tm_id is excluded). */
export function processLabel(plan: StackPlan, role: FlinkRole): "host" | "tm_id" {
  if (role === "jobmanager") return "host";
  return plan.taskManagerLabel;
}

const ROLE_PREFIX: Readonly<Record<FlinkRole, string>> = { jobmanager: "JM", taskmanager: "TM" };
const ROLES: readonly FlinkRole[] = ["jobmanager", "taskmanager"];

export function buildClusterDashboard(plan: StackPlan, d: DashboardPlan): Dashboard {
  const ds = datasourceRef(plan);
  const m = plan.metrics;
  const onCluster = [CLUSTER_MATCHER];
  /** A JobManager-level cluster gauge, one value per cluster (max: standby JobManagers in HA). */
  const clusterGauge = (metric: string): string => aggregate("max", ["cluster"], fresh(selector(metric, onCluster), plan));
  /** One query per role, raw per-process series of a JVM gauge. */
  const perProcess = (build: (role: FlinkRole) => string): Query[] =>
    ROLES.map((role) => query(build(role), `${ROLE_PREFIX[role]} {{${processLabel(plan, role)}}}`));
  const expected = expectedTaskManagers(plan);
  const thresholds = plan.alerting.rules.thresholds;

  const overview = [
    stat(ds, {
      title: "TaskManagers registered",
      description: "TaskManagers registered with the ResourceManager of the leading JobManager.",
      unit: "short",
      criticalBelowOrAt: 0,
      queries: [query(clusterGauge(m.numRegisteredTaskManagers), "{{cluster}}")],
    }),
    stat(ds, {
      title: "TaskManagers expected",
      description: "TaskManagers configured for the cluster in flink-stack.yaml.",
      unit: "short",
      queries: [expected === undefined ? undefined : query(expected, "{{cluster}}")],
    }),
    stat(ds, {
      title: "Running jobs",
      unit: "short",
      queries: [query(clusterGauge(m.numRunningJobs), "{{cluster}}")],
    }),
    stat(ds, {
      title: "Task slots available",
      unit: "short",
      queries: [query(clusterGauge(m.taskSlotsAvailable), "{{cluster}}")],
    }),
    stat(ds, {
      title: "Task slots total",
      unit: "short",
      queries: [query(clusterGauge(m.taskSlotsTotal), "{{cluster}}")],
    }),
    stat(ds, {
      title: "Processes reporting",
      description: "JobManager and TaskManager processes whose metrics are current.",
      unit: "short",
      queries: perProcessCount(plan, onCluster),
    }),
  ];

  const cluster = [
    timeseries(ds, {
      title: "TaskManagers: registered vs expected",
      unit: "short",
      min: 0,
      decimals: 0,
      queries: [
        query(clusterGauge(m.numRegisteredTaskManagers), "{{cluster}} registered"),
        expected === undefined ? undefined : query(expected, "{{cluster}} expected"),
      ],
    }),
    timeseries(ds, {
      title: "Task slots",
      unit: "short",
      min: 0,
      decimals: 0,
      queries: [query(clusterGauge(m.taskSlotsTotal), "{{cluster}} total"), query(clusterGauge(m.taskSlotsAvailable), "{{cluster}} available")],
    }),
    timeseries(ds, {
      title: "Running jobs over time",
      unit: "short",
      min: 0,
      decimals: 0,
      queries: [query(clusterGauge(m.numRunningJobs), "{{cluster}}")],
    }),
  ];

  const jvm = [
    timeseries(ds, {
      title: "JVM heap used",
      unit: "bytes",
      min: 0,
      queries: perProcess((role) => fresh(selector(m.heapUsed(role), onCluster), plan)),
    }),
    timeseries(ds, {
      title: "JVM heap used / max",
      unit: "percentunit",
      min: 0,
      max: 1,
      warnAt: thresholds.heapUsageRatio,
      queries: perProcess((role) => fresh(`${selector(m.heapUsed(role), onCluster)} / ${selector(m.heapMax(role), onCluster)}`, plan)),
    }),
    timeseries(ds, {
      title: "GC time per second",
      description: "Milliseconds per second spent in garbage collection, all collectors of the process summed.",
      unit: "ms",
      min: 0,
      queries: perProcess((role) =>
        aggregate("sum", ["cluster", processLabel(plan, role)], fresh(m.gcTimeRate(role, matcherList(onCluster), RATE_INTERVAL), plan)),
      ),
    }),
    timeseries(ds, {
      title: "CPU load",
      description: "Recent CPU usage of the JVM process (0–1 of the whole machine).",
      unit: "percentunit",
      min: 0,
      queries: perProcess((role) => fresh(selector(m.cpuLoad(role), onCluster), plan)),
    }),
    timeseries(ds, {
      title: "JVM threads",
      unit: "short",
      min: 0,
      decimals: 0,
      queries: perProcess((role) => fresh(selector(m.threads(role), onCluster), plan)),
    }),
  ];

  return dashboard({
    uid: d.uid,
    title: d.title,
    description: "Flink cluster overview: TaskManagers, slots, jobs and the JVMs of every process.",
    tags: ["cluster"],
    variables: [
      queryVariable(ds, {
        name: "cluster",
        label: "Cluster",
        query: `label_values(${m.numRegisteredTaskManagers}, cluster)`,
      }),
    ],
    links: dashboardLinks(plan, "cluster"),
    sections: [
      { title: "Overview", panels: overview },
      { title: "Cluster", panels: cluster },
      { title: "JVM", panels: jvm },
    ],
  });
}

/** Processes with current metrics, per role (the CPU load gauge exists in every process of every version). */
function perProcessCount(plan: StackPlan, matchers: readonly string[]): Query[] {
  return ROLES.map((role) =>
    query(aggregate("count", ["cluster"], fresh(selector(plan.metrics.cpuLoad(role), matchers), plan)), `{{cluster}} ${ROLE_PREFIX[role]}`),
  );
}
