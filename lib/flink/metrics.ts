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
  /** Full (not incremental) size of the last checkpoint, 1.15+. */
  readonly lastCheckpointFullSize: string | undefined;
  /** ms in the current outage (0 while running); every version. */
  readonly jobRestartingTime: string;
  /** ms spent in the current state (0 in any other state), `<state>Time` of JobStatusMetrics, 1.15+. */
  readonly jobRunningTime: string | undefined;
  readonly jobFailingTime: string | undefined;
  readonly jobCancellingTime: string | undefined;
  readonly jobInitializingTime: string | undefined;
  readonly jobCreatedTime: string | undefined;
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
  /** Task: ns the last barrier alignment took (every version); ns from checkpoint creation to its start here (1.11+). */
  readonly taskCheckpointAlignmentTimeNanos: string;
  readonly taskCheckpointStartDelayNanos: string | undefined;
  /** FLIP-27 source operators: now minus the current watermark, ms (1.14+). */
  readonly sourceWatermarkLag: string | undefined;
  /**
   * Latency markers (only with metrics.latency.interval > 0), a summary with `quantile`: per source operator,
   * operator and operator subtask (granularity "operator", 1.7+); per source subtask too before 1.7.
   */
  readonly latencyHistogram: string;
  // TaskManager process (Status.*), beyond the JVM metrics shared with the JobManager
  readonly tmHeapCommitted: string;
  readonly tmNonHeapUsed: string;
  readonly tmNonHeapCommitted: string;
  /** 1.12+ (FLINK-19617). */
  readonly tmMetaspaceUsed: string | undefined;
  readonly tmMetaspaceMax: string | undefined;
  readonly tmDirectUsed: string;
  readonly tmDirectCapacity: string;
  readonly tmMappedUsed: string;
  readonly tmMappedCapacity: string;
  /** Flink managed memory (RocksDB, batch operators), 1.12+. */
  readonly tmManagedUsed: string | undefined;
  readonly tmManagedTotal: string | undefined;
  /** Network buffer pool segments: Shuffle.Netty.* from 1.9, Network.* before (removed in 2.0). */
  readonly tmNetworkAvailableSegments: string;
  readonly tmNetworkTotalSegments: string;
  /** Task output / input buffer pool usage (0–1): Shuffle.Netty.* from 1.9, buffers.* before. */
  readonly taskOutPoolUsage: string;
  readonly taskInPoolUsage: string;
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
  const shuffle = atLeast(version, "1.9");
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
    lastCheckpointFullSize: since("1.15", "flink_jobmanager_job_lastCheckpointFullSize"),
    jobRestartingTime: "flink_jobmanager_job_restartingTime",
    jobRunningTime: since("1.15", "flink_jobmanager_job_runningTime"),
    jobFailingTime: since("1.15", "flink_jobmanager_job_failingTime"),
    jobCancellingTime: since("1.15", "flink_jobmanager_job_cancellingTime"),
    jobInitializingTime: since("1.15", "flink_jobmanager_job_initializingTime"),
    jobCreatedTime: since("1.15", "flink_jobmanager_job_createdTime"),
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
    taskCheckpointAlignmentTimeNanos: "flink_taskmanager_job_task_checkpointAlignmentTime",
    taskCheckpointStartDelayNanos: since("1.11", "flink_taskmanager_job_task_checkpointStartDelayNanos"),
    sourceWatermarkLag: since("1.14", "flink_taskmanager_job_task_operator_watermarkLag"),
    latencyHistogram: atLeast(version, "1.7")
      ? "flink_taskmanager_job_latency_source_id_operator_id_operator_subtask_index_latency"
      : "flink_taskmanager_job_latency_source_id_source_subtask_index_operator_id_operator_subtask_index_latency",
    tmHeapCommitted: "flink_taskmanager_Status_JVM_Memory_Heap_Committed",
    tmNonHeapUsed: "flink_taskmanager_Status_JVM_Memory_NonHeap_Used",
    tmNonHeapCommitted: "flink_taskmanager_Status_JVM_Memory_NonHeap_Committed",
    tmMetaspaceUsed: since("1.12", "flink_taskmanager_Status_JVM_Memory_Metaspace_Used"),
    tmMetaspaceMax: since("1.12", "flink_taskmanager_Status_JVM_Memory_Metaspace_Max"),
    tmDirectUsed: "flink_taskmanager_Status_JVM_Memory_Direct_MemoryUsed",
    tmDirectCapacity: "flink_taskmanager_Status_JVM_Memory_Direct_TotalCapacity",
    tmMappedUsed: "flink_taskmanager_Status_JVM_Memory_Mapped_MemoryUsed",
    tmMappedCapacity: "flink_taskmanager_Status_JVM_Memory_Mapped_TotalCapacity",
    tmManagedUsed: since("1.12", "flink_taskmanager_Status_Flink_Memory_Managed_Used"),
    tmManagedTotal: since("1.12", "flink_taskmanager_Status_Flink_Memory_Managed_Total"),
    tmNetworkAvailableSegments: shuffle
      ? "flink_taskmanager_Status_Shuffle_Netty_AvailableMemorySegments"
      : "flink_taskmanager_Status_Network_AvailableMemorySegments",
    tmNetworkTotalSegments: shuffle
      ? "flink_taskmanager_Status_Shuffle_Netty_TotalMemorySegments"
      : "flink_taskmanager_Status_Network_TotalMemorySegments",
    taskOutPoolUsage: shuffle
      ? "flink_taskmanager_job_task_Shuffle_Netty_Output_Buffers_outPoolUsage"
      : "flink_taskmanager_job_task_buffers_outPoolUsage",
    taskInPoolUsage: shuffle
      ? "flink_taskmanager_job_task_Shuffle_Netty_Input_Buffers_inPoolUsage"
      : "flink_taskmanager_job_task_buffers_inPoolUsage",
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
