// One TaskManager in detail: JVM and Flink memory pools, network buffers, GC, CPU, threads and what runs on
// it. The variables go cluster → TaskManager (tm_id, or host when tm_id is excluded from the labels).
// Flink exports no per-TaskManager slot gauge: slots are the JobManager's cluster totals, and the subtasks
// deployed on the TaskManager are counted from its task metrics.
import type { DashboardPlan, StackPlan } from "../../plan/types.js";
import { datasourceRef, processLabel } from "./cluster.js";
import type { Dashboard } from "./model.js";
import { dashboardLinks } from "./navigation.js";
import { dashboard, query, queryVariable, stat, timeseries, when, type Query } from "./panels.js";
import { aggregate, CLUSTER_MATCHER, fresh, matcherList, RATE_INTERVAL, selector } from "./promql.js";

export function buildTaskManagerDashboard(plan: StackPlan, d: DashboardPlan): Dashboard {
  const ds = datasourceRef(plan);
  const m = plan.metrics;
  const tm = processLabel(plan, "taskmanager");
  const onTm = [CLUSTER_MATCHER, `${tm}=~"$${tm}"`];
  const legend = `{{${tm}}}`;
  /** Raw per-TaskManager series of a process gauge, stale Pushgateway groups hidden. */
  const gauge = (metric: string, filter = ""): string => fresh(`${selector(metric, onTm)}${filter}`, plan);
  const perTm = (metric: string, what: string, filter = ""): Query => query(gauge(metric, filter), `${legend} ${what}`);
  /** A task-level gauge of the subtasks on the selected TaskManagers, worst subtask per task. */
  const perTask = (metric: string): string => aggregate("max", ["cluster", tm, "task_name"], fresh(selector(metric, onTm), plan));
  const thresholds = plan.alerting.rules.thresholds;
  const onCluster = [CLUSTER_MATCHER];
  const clusterGauge = (metric: string): string => aggregate("max", ["cluster"], fresh(selector(metric, onCluster), plan));

  const overview = [
    stat(ds, {
      title: "Subtasks deployed",
      description: "Subtasks (of every job) running on the TaskManager, counted from their task metrics.",
      unit: "short",
      decimals: 0,
      queries: [query(aggregate("count", ["cluster", tm], gauge(m.taskRecordsInPerSecond)), legend)],
    }),
    stat(ds, {
      title: "Task slots used (cluster)",
      description: "Slots in use in the whole cluster (the JobManager's total minus available): Flink exports no per-TaskManager slot gauge.",
      unit: "short",
      decimals: 0,
      queries: [query(`${clusterGauge(m.taskSlotsTotal)} - ${clusterGauge(m.taskSlotsAvailable)}`, "{{cluster}}")],
    }),
    stat(ds, {
      title: "Task slots total (cluster)",
      unit: "short",
      decimals: 0,
      queries: [query(clusterGauge(m.taskSlotsTotal), "{{cluster}}")],
    }),
    stat(ds, {
      title: "Heap used",
      unit: "percentunit",
      warnAt: thresholds.heapUsageRatio,
      queries: [query(fresh(`${selector(m.heapUsed("taskmanager"), onTm)} / ${selector(m.heapMax("taskmanager"), onTm)}`, plan), legend)],
    }),
    stat(ds, {
      title: "CPU load now",
      unit: "percentunit",
      queries: [query(gauge(m.cpuLoad("taskmanager")), legend)],
    }),
    stat(ds, {
      title: "Threads now",
      unit: "short",
      decimals: 0,
      queries: [query(gauge(m.threads("taskmanager")), legend)],
    }),
  ];

  const memory = [
    timeseries(ds, {
      title: "Heap",
      description: "JVM heap used, committed and max.",
      unit: "bytes",
      min: 0,
      queries: [perTm(m.heapUsed("taskmanager"), "used"), perTm(m.tmHeapCommitted, "committed"), perTm(m.heapMax("taskmanager"), "max")],
    }),
    timeseries(ds, {
      title: "Heap used / max",
      unit: "percentunit",
      min: 0,
      max: 1,
      warnAt: thresholds.heapUsageRatio,
      queries: [query(fresh(`${selector(m.heapUsed("taskmanager"), onTm)} / ${selector(m.heapMax("taskmanager"), onTm)}`, plan), legend)],
    }),
    timeseries(ds, {
      title: "Non-heap",
      description: "JVM non-heap memory (metaspace, code cache, …) used and committed.",
      unit: "bytes",
      min: 0,
      queries: [perTm(m.tmNonHeapUsed, "used"), perTm(m.tmNonHeapCommitted, "committed")],
    }),
    timeseries(ds, {
      title: "Metaspace",
      description: "Class metadata: a metaspace that keeps growing across job restarts is a class-loader leak.",
      unit: "bytes",
      min: 0,
      queries: [when(m.tmMetaspaceUsed, (metric) => perTm(metric, "used")), when(m.tmMetaspaceMax, (metric) => perTm(metric, "max", " > 0"))],
    }),
    timeseries(ds, {
      title: "Direct memory",
      description: "JVM direct buffer pool: network buffers and off-heap framework memory live here.",
      unit: "bytes",
      min: 0,
      queries: [perTm(m.tmDirectUsed, "used"), perTm(m.tmDirectCapacity, "capacity")],
    }),
    timeseries(ds, {
      title: "Mapped memory",
      description: "JVM mapped buffer pool (memory-mapped files).",
      unit: "bytes",
      min: 0,
      queries: [perTm(m.tmMappedUsed, "used"), perTm(m.tmMappedCapacity, "capacity")],
    }),
    timeseries(ds, {
      title: "Managed memory",
      description: "Flink managed memory (RocksDB state backend, sorting, batch operators) used and total.",
      unit: "bytes",
      min: 0,
      queries: [when(m.tmManagedUsed, (metric) => perTm(metric, "used")), when(m.tmManagedTotal, (metric) => perTm(metric, "total"))],
    }),
  ];

  const network = [
    timeseries(ds, {
      title: "Network buffer pool usage",
      description: "Share of the TaskManager's network memory segments in use (1 - available / total).",
      unit: "percentunit",
      min: 0,
      max: 1,
      queries: [query(fresh(`1 - ${selector(m.tmNetworkAvailableSegments, onTm)} / ${selector(m.tmNetworkTotalSegments, onTm)}`, plan), legend)],
    }),
    timeseries(ds, {
      title: "Network memory segments",
      unit: "short",
      min: 0,
      decimals: 0,
      queries: [perTm(m.tmNetworkAvailableSegments, "available"), perTm(m.tmNetworkTotalSegments, "total")],
    }),
    timeseries(ds, {
      title: "Output buffer pool usage per task",
      description: "Worst subtask per task on this TaskManager. Full output pools: the downstream cannot keep up (back-pressure).",
      unit: "percentunit",
      min: 0,
      max: 1,
      queries: [query(perTask(m.taskOutPoolUsage), `${legend} {{task_name}}`)],
    }),
    timeseries(ds, {
      title: "Input buffer pool usage per task",
      description: "Worst subtask per task on this TaskManager. Full input pools with empty output pools: this task is the bottleneck.",
      unit: "percentunit",
      min: 0,
      max: 1,
      queries: [query(perTask(m.taskInPoolUsage), `${legend} {{task_name}}`)],
    }),
  ];

  const matchers = matcherList(onTm);
  const jvm = [
    timeseries(ds, {
      title: "GC time per second",
      description: "Milliseconds per second in garbage collection, every collector the JVM reports summed.",
      unit: "ms",
      min: 0,
      queries: [query(aggregate("sum", ["cluster", tm], fresh(m.gcTimeRate("taskmanager", matchers, RATE_INTERVAL), plan)), legend)],
    }),
    timeseries(ds, {
      title: "GC collections per second",
      description: "Collections per second, every collector summed.",
      unit: "ops",
      min: 0,
      queries: [query(aggregate("sum", ["cluster", tm], fresh(m.gcCountRate("taskmanager", matchers, RATE_INTERVAL), plan)), legend)],
    }),
    timeseries(ds, {
      title: "CPU load",
      description: "Recent CPU usage of the JVM process (0–1 of the whole machine).",
      unit: "percentunit",
      min: 0,
      queries: [query(gauge(m.cpuLoad("taskmanager")), legend)],
    }),
    timeseries(ds, {
      title: "JVM threads",
      unit: "short",
      min: 0,
      decimals: 0,
      queries: [query(gauge(m.threads("taskmanager")), legend)],
    }),
  ];

  return dashboard({
    uid: d.uid,
    title: d.title,
    description: "One Flink TaskManager: memory pools, network buffers, GC, CPU, threads and the subtasks it runs.",
    tags: ["taskmanager"],
    variables: [
      queryVariable(ds, { name: "cluster", label: "Cluster", query: `label_values(${m.numRegisteredTaskManagers}, cluster)` }),
      queryVariable(ds, {
        name: tm,
        label: "TaskManager",
        query: `label_values(${selector(m.cpuLoad("taskmanager"), [CLUSTER_MATCHER])}, ${tm})`,
      }),
    ],
    links: dashboardLinks(plan, "taskmanager"),
    sections: [
      { title: "TaskManager", panels: overview },
      { title: "Memory", panels: memory },
      { title: "Network buffers", panels: network },
      { title: "JVM", panels: jvm },
    ],
  });
}
