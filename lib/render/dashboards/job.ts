// Flink job detail: status, restarts, checkpoints, throughput and skew, back-pressure, event time, latency
// markers and Kafka lag. Panels whose metric does not exist in the configured Flink version are left out;
// latency panels need flink.latencyTracking, Kafka panels flink.kafkaSource.
import type { FlinkMetricNames } from "../../flink/metrics.js";
import type { DashboardPlan, StackPlan } from "../../plan/types.js";
import { datasourceRef, processLabel } from "./cluster.js";
import type { AnnotationQuery, Dashboard } from "./model.js";
import { dashboardLinks, taskManagerDataLinks } from "./navigation.js";
import { dashboard, query, queryVariable, stat, timeseries, when, type PanelDraft, type Query } from "./panels.js";
import { aggregate, CLUSTER_MATCHER, fresh, INCREASE_WINDOW, JOB_NAME_MATCHER, RATE_INTERVAL, selector } from "./promql.js";

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
  const jobIncrease = (metric: string): string => aggregate("max", ["job_name"], fresh(`increase(${sel(metric)}[${INCREASE_WINDOW}])`, plan));
  const perOperator = (op: "sum" | "max", metric: string): string => aggregate(op, ["job_name", "operator_name"], fresh(sel(metric), plan));
  const perTask = (op: "sum" | "max", metric: string, filter = ""): string =>
    aggregate(op, ["job_name", "task_name"], fresh(`${sel(metric)}${filter}`, plan));

  const overview = [
    stat(ds, {
      title: "Job status",
      description: "The state each job is in and for how long (Flink's <state>Time gauges: only the current state's is non-zero).",
      unit: "ms",
      textMode: "value_and_name",
      // Now only: a state the job left earlier in the time range must not show beside the current one.
      instant: true,
      queries: [query(jobStatus(plan, sel), "{{job_name}} {{state}}")],
    }),
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
      warnAt: plan.alerting.rules.thresholds.checkpointDurationSeconds * 1000,
      queries: [query(jobGauge(m.lastCheckpointDuration, " >= 0"), "{{job_name}}")],
    }),
    timeseries(ds, {
      title: "Last checkpoint size",
      description: "Checkpointed size (what the last checkpoint wrote: the increment with incremental checkpoints) and full state size.",
      unit: "bytes",
      min: 0,
      queries: [
        query(jobGauge(m.lastCheckpointSize, " >= 0"), "{{job_name}} checkpointed"),
        when(m.lastCheckpointFullSize, (metric) => query(jobGauge(metric, " >= 0"), "{{job_name}} full")),
      ],
    }),
    timeseries(ds, {
      title: "Checkpoint alignment time",
      description:
        "Last barrier alignment per task, slowest subtask (between its first and last barrier). Long alignments come with back-pressure; unaligned checkpoints avoid them. Flink exports no sync/async duration as a metric (only its REST API has them).",
      unit: "ns",
      min: 0,
      queries: [query(perTask("max", m.taskCheckpointAlignmentTimeNanos), "{{task_name}}")],
    }),
    timeseries(ds, {
      title: "Checkpoint start delay",
      description: "Time from the checkpoint's creation until the task started it (its first barrier arrived), slowest subtask per task.",
      unit: "ns",
      min: 0,
      queries: [when(m.taskCheckpointStartDelayNanos, (metric) => query(perTask("max", metric), "{{task_name}}"))],
    }),
    timeseries(ds, {
      title: "Time spent restarting",
      description: "How long the current outage has lasted (restartingTime; 0 while the job runs).",
      unit: "ms",
      min: 0,
      queries: [query(jobGauge(m.jobRestartingTime), "{{job_name}}")],
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
    timeseries(ds, {
      title: "Records in per subtask",
      description: "Every subtask of every task: one subtask far above its siblings is a hot key (skew). Click a series to open its TaskManager.",
      unit: "ops",
      min: 0,
      links: taskManagerDataLinks(plan),
      queries: [
        query(
          aggregate(
            "sum",
            ["cluster", "job_name", "task_name", "subtask_index", processLabel(plan, "taskmanager")],
            fresh(sel(m.taskRecordsInPerSecond), plan),
          ),
          "{{task_name}} #{{subtask_index}}",
        ),
      ],
    }),
    timeseries(ds, {
      title: "Subtask skew",
      description:
        "Busiest subtask's records in per second over the mean of the task's subtasks: 1 is even; N means one subtask gets N times its share.",
      unit: "none",
      min: 0,
      decimals: 2,
      queries: [query(skew(plan, sel(m.taskRecordsInPerSecond)), "{{task_name}}")],
    }),
  ];

  const backPressure = [backPressureTimePanel(plan, perTask), backPressuredSubtasksPanel(plan, perTask), busyPanel(plan, perTask), idlePanel(plan)];

  const eventTime = [
    timeseries(ds, {
      title: "Watermark lag",
      description: "Now minus the current output watermark, worst subtask per operator. Operators without a watermark (Long.MIN_VALUE) are hidden.",
      unit: "ms",
      queries: [
        query(
          aggregate("max", ["job_name", "operator_name"], fresh(`time() * 1000 - (${sel(m.operatorCurrentOutputWatermark)} > 0)`, plan)),
          "{{operator_name}}",
        ),
      ],
    }),
    timeseries(ds, {
      title: "Source watermark lag per subtask",
      description:
        "FLIP-27 sources (Flink 1.14+): now minus the watermark each source subtask emitted. One lagging subtask holds back every window downstream (an idle or slow partition).",
      unit: "ms",
      min: 0,
      queries: [
        when(m.sourceWatermarkLag, (metric) =>
          query(
            aggregate("max", ["job_name", "operator_name", "subtask_index"], fresh(`${sel(metric)} >= 0`, plan)),
            "{{operator_name}} #{{subtask_index}}",
          ),
        ),
      ],
    }),
  ];

  const kafka = !plan.flink.kafkaSource
    ? []
    : [
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
    description: "Flink job detail: status, restarts, checkpoints, throughput and skew, back-pressure, event time, latency and Kafka lag.",
    tags: ["job"],
    variables: [
      queryVariable(ds, { name: "cluster", label: "Cluster", query: `label_values(${m.numRegisteredTaskManagers}, cluster)` }),
      queryVariable(ds, {
        name: "job_name",
        label: "Job",
        query: `label_values(${selector(m.jobUptime, [CLUSTER_MATCHER])}, job_name)`,
      }),
    ],
    links: dashboardLinks(plan, "job"),
    annotations: [restartAnnotation(plan, sel)],
    sections: [
      { title: "Job", panels: overview },
      { title: "Checkpoints and restarts", panels: checkpointing },
      { title: "Throughput and skew", panels: throughput },
      { title: "Back-pressure", panels: backPressure },
      { title: "Event time and sources", panels: eventTime },
      { title: "Latency markers", panels: latencyPanels(plan) },
      { title: "Kafka", panels: kafka },
    ],
  });
}

/** Grafana's annotation of every restart: the restart counter went up within the step. */
function restartAnnotation(plan: StackPlan, sel: (metric: string) => string): AnnotationQuery {
  return {
    name: "Restarts",
    datasource: datasourceRef(plan),
    enable: true,
    hide: false,
    iconColor: "red",
    target: {
      expr: aggregate("max", ["job_name"], fresh(`changes(${sel(plan.metrics.jobRestarts)}[${RATE_INTERVAL}]) > 0`, plan)),
      refId: "Restarts",
    },
  };
}

/** The job-state gauges of this version: `<state>Time` (1.15+), before that uptime and restartingTime. */
function stateGauges(m: FlinkMetricNames): Array<[state: string, metric: string | undefined]> {
  if (m.jobRunningTime === undefined)
    return [
      ["RUNNING", m.jobUptime],
      ["RESTARTING", m.jobRestartingTime],
    ];
  return [
    ["INITIALIZING", m.jobInitializingTime],
    ["CREATED", m.jobCreatedTime],
    ["RUNNING", m.jobRunningTime],
    ["FAILING", m.jobFailingTime],
    ["CANCELLING", m.jobCancellingTime],
    ["RESTARTING", m.jobRestartingTime],
  ];
}

/** One series per job: labelled with the state whose time gauge is non-zero, valued with the time in it. */
function jobStatus(plan: StackPlan, sel: (metric: string) => string): string {
  const parts = stateGauges(plan.metrics)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([state, metric]) => `label_replace(${fresh(`${sel(metric)} > 0`, plan)}, "state", "${state}", "", "")`);
  return aggregate("max", ["job_name", "state"], parts.join(" or "));
}

/** max / avg of a per-subtask rate per task (hidden while the task is idle: 0 / 0). */
function skew(plan: StackPlan, selector: string): string {
  const by = ["job_name", "task_name"];
  const live = fresh(selector, plan);
  return `${aggregate("max", by, live)} / ${aggregate("avg", by, live)}`;
}

/** Latency markers' p50 and p99 per operator, worst operator subtask, when latency tracking is on. */
function latencyPanels(plan: StackPlan): Array<PanelDraft | undefined> {
  if (plan.flink.latencyTrackingMs === undefined) return [];
  const ds = datasourceRef(plan);
  const metric = plan.metrics.latencyHistogram;
  const quantile = (q: string): Query =>
    query(
      aggregate(
        "max",
        ["job_name", "source_id", "operator_id"],
        fresh(selector(metric, [CLUSTER_MATCHER, JOB_NAME_MATCHER, `quantile="${q}"`]), plan),
      ),
      `{{source_id}} → {{operator_id}}`,
    );
  const description = (q: string) =>
    `Latency markers from each source operator (source_id) to each operator (operator_id), ${q} of the last markers, worst operator subtask. Markers skip the user code: back-pressure and network delays show, slow operators do not.`;
  return [
    timeseries(ds, { title: "Latency p99", description: description("p99"), unit: "ms", min: 0, queries: [quantile("0.99")] }),
    timeseries(ds, { title: "Latency median", description: description("median"), unit: "ms", min: 0, queries: [quantile("0.5")] }),
  ];
}

type PerTask = (op: "sum" | "max", metric: string, filter?: string) => string;

/** Back-pressured ms per second (1.13+). */
export const BACK_PRESSURED_TIME = "Back-pressured time per second";
/** The number of back-pressured subtasks (isBackPressured, 1.10+). */
export const BACK_PRESSURED_SUBTASKS = "Back-pressured subtasks";

function backPressureTimePanel(plan: StackPlan, perTask: PerTask): PanelDraft | undefined {
  const m = plan.metrics;
  return timeseries(datasourceRef(plan), {
    title: BACK_PRESSURED_TIME,
    description: "Milliseconds per second the task was back-pressured, worst subtask per task (0–1000).",
    unit: "ms",
    min: 0,
    max: 1000,
    warnAt: plan.alerting.rules.thresholds.backPressureRatio * 1000,
    queries: [when(m.backPressuredTimeMsPerSecond, (metric) => query(perTask("max", metric), "{{task_name}}"))],
  });
}

function backPressuredSubtasksPanel(plan: StackPlan, perTask: PerTask): PanelDraft | undefined {
  const ds = datasourceRef(plan);
  const m = plan.metrics;
  return timeseries(ds, {
    title: BACK_PRESSURED_SUBTASKS,
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

function idlePanel(plan: StackPlan): PanelDraft | undefined {
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
