// Flink job detail: uptime, restarts, checkpoints, throughput, back-pressure, event time, Kafka lag.
// Panels whose metric does not exist in the configured Flink version are left out.
import type { DashboardPlan, StackPlan } from "../../plan/types.js";
import { datasourceRef } from "./cluster.js";
import type { Dashboard } from "./model.js";
import { dashboard, query, queryVariable, stat, timeseries, when, type PanelDraft } from "./panels.js";
import { aggregate, CLUSTER_MATCHER, fresh, INCREASE_WINDOW, JOB_NAME_MATCHER, selector } from "./promql.js";

const KAFKA_PENDING = "Kafka pending records";
const KAFKA_LAG = "Kafka consumer max lag";
/** Panels that only a job reading from Kafka fills; `verify` reports them without failing when they are empty. */
export const PANELS_NEEDING_A_CONNECTOR: Readonly<Record<string, string>> = {
  [KAFKA_PENDING]: "a Kafka source (KafkaSource, Flink 1.14+)",
  [KAFKA_LAG]: "a Kafka source",
};

export function buildJobDashboard(plan: StackPlan, d: DashboardPlan): Dashboard {
  const ds = datasourceRef(plan);
  const m = plan.metrics;
  const onJob = [CLUSTER_MATCHER, JOB_NAME_MATCHER];
  const sel = (metric: string): string => selector(metric, onJob);
  /** A JobManager job gauge, one series per job (max: standby JobManagers and stale groups aside). */
  const jobGauge = (metric: string, filter = ""): string => aggregate("max", ["job_name"], fresh(`${sel(metric)}${filter}`, plan));
  /** increase() over a counter Flink exports as a gauge. */
  const jobIncrease = (metric: string): string =>
    aggregate("max", ["job_name"], fresh(`increase(${sel(metric)}[${INCREASE_WINDOW}])`, plan));
  const perOperator = (op: "sum" | "max", metric: string): string =>
    aggregate(op, ["job_name", "operator_name"], fresh(sel(metric), plan));
  const perTask = (op: "sum" | "max", metric: string, filter = ""): string =>
    aggregate(op, ["job_name", "task_name"], fresh(`${sel(metric)}${filter}`, plan));

  const overview = [
    stat(ds, { title: "Uptime", unit: "ms", queries: [query(jobGauge(m.jobUptime), "{{job_name}}")] }),
    stat(ds, {
      title: "Restarts",
      description: `Restarts since the job was submitted (${m.jobRestarts}).`,
      unit: "short",
      decimals: 0,
      warnAt: 1,
      queries: [query(jobGauge(m.jobRestarts), "{{job_name}}")],
    }),
    stat(ds, { title: "Checkpoints completed", unit: "short", decimals: 0, queries: [query(jobGauge(m.completedCheckpoints), "{{job_name}}")] }),
    stat(ds, {
      title: "Checkpoints failed",
      unit: "short",
      decimals: 0,
      warnAt: 1,
      queries: [query(jobGauge(m.failedCheckpoints), "{{job_name}}")],
    }),
    stat(ds, { title: "Checkpoints in progress", unit: "short", decimals: 0, queries: [query(jobGauge(m.inProgressCheckpoints), "{{job_name}}")] }),
    stat(ds, {
      title: "Last checkpoint took",
      unit: "ms",
      queries: [query(jobGauge(m.lastCheckpointDuration, " >= 0"), "{{job_name}}")],
    }),
  ];

  const checkpointing = [
    timeseries(ds, {
      title: "Last checkpoint duration",
      description: "Duration of the last completed checkpoint (-1 before the first one is hidden).",
      unit: "ms",
      min: 0,
      warnAt: plan.config.alerting.rules.thresholds.checkpointDurationSeconds * 1000,
      queries: [query(jobGauge(m.lastCheckpointDuration, " >= 0"), "{{job_name}}")],
    }),
    timeseries(ds, {
      title: "Last checkpoint size",
      unit: "bytes",
      min: 0,
      queries: [query(jobGauge(m.lastCheckpointSize, " >= 0"), "{{job_name}}")],
    }),
    timeseries(ds, {
      title: `Failed checkpoints (increase over ${INCREASE_WINDOW})`,
      unit: "short",
      min: 0,
      queries: [query(jobIncrease(m.failedCheckpoints), "{{job_name}}")],
    }),
    timeseries(ds, {
      title: `Restarts (increase over ${INCREASE_WINDOW})`,
      unit: "short",
      min: 0,
      queries: [query(jobIncrease(m.jobRestarts), "{{job_name}}")],
    }),
  ];

  const throughput = [
    timeseries(ds, {
      title: "Records in per second",
      description: "Per operator, summed over its subtasks.",
      unit: "ops",
      min: 0,
      queries: [query(perOperator("sum", m.operatorRecordsInPerSecond), "{{operator_name}}")],
    }),
    timeseries(ds, {
      title: "Records out per second",
      description: "Per operator, summed over its subtasks.",
      unit: "ops",
      min: 0,
      queries: [query(perOperator("sum", m.operatorRecordsOutPerSecond), "{{operator_name}}")],
    }),
    timeseries(ds, {
      title: "Bytes in per second",
      description: "Per task (operator chain), summed over its subtasks.",
      unit: "Bps",
      min: 0,
      queries: [when(m.taskBytesInPerSecond, (metric) => query(perTask("sum", metric), "{{task_name}}"))],
    }),
    timeseries(ds, {
      title: "Bytes out per second",
      description: "Per task (operator chain), summed over its subtasks.",
      unit: "Bps",
      min: 0,
      queries: [query(perTask("sum", m.taskBytesOutPerSecond), "{{task_name}}")],
    }),
  ];

  const backPressure = [backPressurePanel(plan, perTask), busyPanel(plan, perTask), idlePanel(plan, perTask)];

  const eventTime = [
    timeseries(ds, {
      title: "Watermark lag",
      description:
        "Now minus the current output watermark, worst subtask per operator. Operators without a watermark (Long.MIN_VALUE) are hidden.",
      unit: "ms",
      queries: [
        query(
          aggregate("max", ["job_name", "operator_name"], fresh(`time() * 1000 - (${sel(m.operatorCurrentOutputWatermark)} > 0)`, plan)),
          "{{operator_name}}",
        ),
      ],
    }),
    timeseries(ds, {
      title: KAFKA_PENDING,
      description: "KafkaSource (FLIP-27): records not yet consumed, summed over the subtasks of each source.",
      unit: "short",
      min: 0,
      queries: [when(m.kafkaPendingRecords, (metric) => query(perOperator("sum", metric), "{{operator_name}}"))],
    }),
    timeseries(ds, {
      title: KAFKA_LAG,
      description: "Kafka client records-lag-max, worst subtask per source.",
      unit: "short",
      min: 0,
      queries: [query(perOperator("max", m.kafkaConsumerLagMax), "{{operator_name}}")],
    }),
  ];

  return dashboard({
    uid: d.uid,
    title: d.title,
    description: "Flink job detail: uptime, restarts, checkpoints, throughput, back-pressure, event time and Kafka lag.",
    tags: ["job"],
    variables: [
      queryVariable(ds, { name: "cluster", label: "Cluster", query: `label_values(${m.numRegisteredTaskManagers}, cluster)` }),
      queryVariable(ds, {
        name: "job_name",
        label: "Job",
        query: `label_values(${selector(m.jobUptime, [CLUSTER_MATCHER])}, job_name)`,
      }),
    ],
    sections: [
      { title: "Job", panels: overview },
      { title: "Checkpoints and restarts", panels: checkpointing },
      { title: "Throughput", panels: throughput },
      { title: "Back-pressure", panels: backPressure },
      { title: "Event time and sources", panels: eventTime },
    ],
  });
}

type PerTask = (op: "sum" | "max", metric: string, filter?: string) => string;

/** Back-pressured ms per second (1.13+); before: the number of back-pressured subtasks (1.10+); else none. */
function backPressurePanel(plan: StackPlan, perTask: PerTask): PanelDraft | undefined {
  const ds = datasourceRef(plan);
  const m = plan.metrics;
  if (m.backPressuredTimeMsPerSecond !== undefined) {
    return timeseries(ds, {
      title: "Back-pressured time per second",
      description: "Milliseconds per second the task was back-pressured, worst subtask per task (0–1000).",
      unit: "ms",
      min: 0,
      max: 1000,
      warnAt: plan.config.alerting.rules.thresholds.backPressureRatio * 1000,
      queries: [query(perTask("max", m.backPressuredTimeMsPerSecond), "{{task_name}}")],
    });
  }
  return timeseries(ds, {
    title: "Back-pressured subtasks",
    description: "Subtasks of each task that are back-pressured (isBackPressured = 1).",
    unit: "short",
    min: 0,
    decimals: 0,
    queries: [when(m.isBackPressured, (metric) => query(perTask("sum", metric), "{{task_name}}"))],
  });
}

function busyPanel(plan: StackPlan, perTask: PerTask): PanelDraft | undefined {
  return timeseries(datasourceRef(plan), {
    title: "Busy time per second",
    description: "Milliseconds per second the task was busy, busiest subtask per task (0–1000; NaN while idle is hidden).",
    unit: "ms",
    min: 0,
    max: 1000,
    queries: [when(plan.metrics.busyTimeMsPerSecond, (metric) => query(perTask("max", metric, " >= 0"), "{{task_name}}"))],
  });
}

function idlePanel(plan: StackPlan, perTask: PerTask): PanelDraft | undefined {
  return timeseries(datasourceRef(plan), {
    title: "Idle time per second",
    description: "Milliseconds per second the task was idle, least idle subtask per task (0–1000).",
    unit: "ms",
    min: 0,
    max: 1000,
    queries: [
      when(plan.metrics.idleTimeMsPerSecond, (metric) =>
        query(aggregate("min", ["job_name", "task_name"], fresh(selector(metric, [CLUSTER_MATCHER, JOB_NAME_MATCHER]), plan)), "{{task_name}}"),
      ),
    ],
  });
}
