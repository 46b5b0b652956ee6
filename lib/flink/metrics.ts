// Prometheus names of the Flink metrics the dashboards and alerts use, per Flink version
// (research/flink-reporter.md §3–4). One table, so a renamed metric is fixed in one place.
import { atLeast, type FlinkVersion } from "./versions.js";

export interface FlinkMetricNames {
  // JobManager process
  readonly numRegisteredTaskManagers: string;
  readonly taskSlotsAvailable: string;
  readonly taskSlotsTotal: string;
  readonly numRunningJobs: string;
  // JobManager job
  readonly jobUptime: string;
  /** numRestarts (1.10+) or fullRestarts (≤ 1.9). */
  readonly jobRestarts: string;
  readonly completedCheckpoints: string;
  readonly failedCheckpoints: string;
  readonly inProgressCheckpoints: string;
  readonly lastCheckpointDuration: string;
  readonly lastCheckpointSize: string;
  // Task / operator
  readonly taskRecordsInPerSecond: string;
  readonly taskRecordsOutPerSecond: string;
  readonly operatorRecordsInPerSecond: string;
  readonly operatorRecordsOutPerSecond: string;
  /** Task-level bytes in/out per second; numBytesIn exists from 1.9 (before: local + remote). */
  readonly taskBytesInPerSecond: string | undefined;
  readonly taskBytesOutPerSecond: string;
  /** 0–1000 ms per second; from 1.13 (busy, back-pressured) and 1.11 (idle). */
  readonly busyTimeMsPerSecond: string | undefined;
  readonly backPressuredTimeMsPerSecond: string | undefined;
  readonly idleTimeMsPerSecond: string | undefined;
  /** 0/1 gauge, 1.10+. */
  readonly isBackPressured: string | undefined;
  readonly operatorCurrentOutputWatermark: string;
  /** KafkaSource (FLIP-27) per-subtask lag, 1.14+. */
  readonly kafkaPendingRecords: string | undefined;
  readonly kafkaConsumerLagMax: string;
  // JVM, for role = "jobmanager" | "taskmanager"
  heapUsed(role: FlinkRole): string;
  heapMax(role: FlinkRole): string;
  cpuLoad(role: FlinkRole): string;
  threads(role: FlinkRole): string;
  /**
   * Cumulative GC time (ms) as a PromQL selector that works for whatever collector the JVM reports:
   * the `All` aggregate from 1.19, a regex over collector names before.
   *
   * ⚠ Before 1.19 the selector matches one series per collector (e.g. G1 young + old) whose labels differ
   * only in the metric name, so `rate(selector[…])` (which drops the name) fails with "vector cannot contain
   * metrics with the same labelset", even inside `sum(…)`. Use `gcTimeRate` / `gcCountRate` for rates.
   */
  gcTimeSelector(role: FlinkRole, labelMatchers?: string): string;
  gcCountSelector(role: FlinkRole, labelMatchers?: string): string;
  /**
   * Per-second rate of GC time (ms of GC per second), one series per collector (label `collector` before
   * 1.19, the `All` aggregate from 1.19) with the process labels kept: aggregate it with
   * `sum by (…)` to get one value per process. `range` is a PromQL duration or `$__rate_interval`.
   */
  gcTimeRate(role: FlinkRole, labelMatchers: string | undefined, range: string): string;
  /** Like gcTimeRate, for the collection count (collections per second). */
  gcCountRate(role: FlinkRole, labelMatchers: string | undefined, range: string): string;
}

export type FlinkRole = "jobmanager" | "taskmanager";

/** Metric names the dashboards and alerts may use for a Flink version; absent ones are undefined. */
export function flinkMetricNames(version: FlinkVersion): FlinkMetricNames {
  const since = (minor: string, name: string): string | undefined => (atLeast(version, minor) ? name : undefined);
  const gcAll = atLeast(version, "1.19");
  const gcSelector = (role: FlinkRole, kind: "Time" | "Count", labelMatchers = ""): string => {
    const extra = labelMatchers ? `,${labelMatchers}` : "";
    if (gcAll) return `flink_${role}_Status_JVM_GarbageCollector_All_${kind}{${labelMatchers}}`;
    // Collector names come from the JVM (G1_Young_Generation, PS_Scavenge, …); match them all, but never
    // the 1.19+ TimeMsPerSecond variants.
    return `{__name__=~"flink_${role}_Status_JVM_GarbageCollector_[A-Za-z0-9_]+_${kind}"${extra}}`;
  };
  const gcRate = (role: FlinkRole, kind: "Time" | "Count", labelMatchers: string | undefined, range: string): string => {
    const selector = gcSelector(role, kind, labelMatchers);
    if (gcAll) return `rate(${selector}[${range}])`;
    // Keep the collector apart in a label before the name is dropped, then rate over a subquery.
    const nameRegex = `flink_${role}_Status_JVM_GarbageCollector_(.+)_${kind}`;
    return `rate(label_replace(${selector}, "collector", "$1", "__name__", "${nameRegex}")[${range}:])`;
  };
  return {
    numRegisteredTaskManagers: "flink_jobmanager_numRegisteredTaskManagers",
    taskSlotsAvailable: "flink_jobmanager_taskSlotsAvailable",
    taskSlotsTotal: "flink_jobmanager_taskSlotsTotal",
    numRunningJobs: "flink_jobmanager_numRunningJobs",
    jobUptime: "flink_jobmanager_job_uptime",
    jobRestarts: atLeast(version, "1.10") ? "flink_jobmanager_job_numRestarts" : "flink_jobmanager_job_fullRestarts",
    completedCheckpoints: "flink_jobmanager_job_numberOfCompletedCheckpoints",
    failedCheckpoints: "flink_jobmanager_job_numberOfFailedCheckpoints",
    inProgressCheckpoints: "flink_jobmanager_job_numberOfInProgressCheckpoints",
    lastCheckpointDuration: "flink_jobmanager_job_lastCheckpointDuration",
    lastCheckpointSize: "flink_jobmanager_job_lastCheckpointSize",
    taskRecordsInPerSecond: "flink_taskmanager_job_task_numRecordsInPerSecond",
    taskRecordsOutPerSecond: "flink_taskmanager_job_task_numRecordsOutPerSecond",
    operatorRecordsInPerSecond: "flink_taskmanager_job_task_operator_numRecordsInPerSecond",
    operatorRecordsOutPerSecond: "flink_taskmanager_job_task_operator_numRecordsOutPerSecond",
    taskBytesInPerSecond: since("1.9", "flink_taskmanager_job_task_numBytesInPerSecond"),
    taskBytesOutPerSecond: "flink_taskmanager_job_task_numBytesOutPerSecond",
    busyTimeMsPerSecond: since("1.13", "flink_taskmanager_job_task_busyTimeMsPerSecond"),
    backPressuredTimeMsPerSecond: since("1.13", "flink_taskmanager_job_task_backPressuredTimeMsPerSecond"),
    idleTimeMsPerSecond: since("1.11", "flink_taskmanager_job_task_idleTimeMsPerSecond"),
    isBackPressured: since("1.10", "flink_taskmanager_job_task_isBackPressured"),
    operatorCurrentOutputWatermark: "flink_taskmanager_job_task_operator_currentOutputWatermark",
    kafkaPendingRecords: since("1.14", "flink_taskmanager_job_task_operator_pendingRecords"),
    kafkaConsumerLagMax: "flink_taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records_lag_max",
    heapUsed: (role) => `flink_${role}_Status_JVM_Memory_Heap_Used`,
    heapMax: (role) => `flink_${role}_Status_JVM_Memory_Heap_Max`,
    cpuLoad: (role) => `flink_${role}_Status_JVM_CPU_Load`,
    threads: (role) => `flink_${role}_Status_JVM_Threads_Count`,
    gcTimeSelector: (role, labelMatchers) => gcSelector(role, "Time", labelMatchers),
    gcCountSelector: (role, labelMatchers) => gcSelector(role, "Count", labelMatchers),
    gcTimeRate: (role, labelMatchers, range) => gcRate(role, "Time", labelMatchers, range),
    gcCountRate: (role, labelMatchers, range) => gcRate(role, "Count", labelMatchers, range),
  };
}
