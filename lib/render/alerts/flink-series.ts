// Label sets of Flink series as Prometheus stores them, for the generated unit tests: the same job names,
// grouping keys and target labels the planner and the Flink reporter config produce.
import type { ResolvedFlinkCluster, ResolvedFlinkProcess } from "../../config/resolved.js";
import { clusterLabelsToAttach, groupingKey, pushJobName } from "../../plan/flink-targets.js";
import type { AlertContext } from "./context.js";
import type { Labels } from "./testing.js";

export interface FlinkProcessSeries {
  readonly cluster: ResolvedFlinkCluster;
  readonly process: ResolvedFlinkProcess;
  /** Labels of the scrape target (pull) or the Pushgateway group (push): job, instance, cluster, … */
  readonly group: Labels;
  /** `group` plus the process scope variables (host, tm_id), minus excluded ones. */
  readonly labels: Labels;
}

export const TEST_JOB_ID = "5f0c1e9d3b7a4e2f8c6d1a0b9e8f7c6d";
export const TEST_JOB_NAME = "StreamingJob";
export const TEST_TASK_ID = "cbc357ccb763df2852fee8c4fc7d55f2";
export const TEST_TASK_NAME = "Source:_Kafka____Map";

/** Flink's label-value filter (on by default): characters outside [a-zA-Z0-9:_] become `_`. */
function flinkValue(ctx: AlertContext, value: string): string {
  return ctx.plan.flink.filterLabelValueCharacters ? value.replace(/[^a-zA-Z0-9:_]/g, "_") : value;
}

function withoutExcluded(ctx: AlertContext, labels: Record<string, string>): Labels {
  const excluded = new Set(ctx.plan.flink.excludeLabels);
  return Object.fromEntries(Object.entries(labels).filter(([name]) => !excluded.has(name)));
}

/** A deterministic stand-in for the 32 random hex characters Flink appends to the job name. */
function fakeSuffix(seed: string): string {
  let hash = 0x811c9dc5;
  let out = "";
  while (out.length < 32) {
    for (const char of `${seed}/${out.length}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
    out += hash.toString(16).padStart(8, "0");
  }
  return out.slice(0, 32);
}

/** The labels a Flink process' series carry in Prometheus. `generation` > 0: the same process after a restart. */
export function flinkProcessSeries(
  ctx: AlertContext,
  cluster: ResolvedFlinkCluster,
  process: ResolvedFlinkProcess,
  generation = 0,
): FlinkProcessSeries {
  const flink = ctx.plan.flink;
  let group: Record<string, string>;
  if (ctx.push) {
    // As the Flink config does it (plan.flinkTargets): one config per cluster with random suffixes, else one
    // per process, whose job name and grouping key name the process.
    const random = flink.pushgateway.randomJobNameSuffix;
    const perProcess = random ? undefined : process;
    const suffix = random ? fakeSuffix(`${cluster.name}/${process.role}/${process.host}/${generation}`) : "";
    const key = flink.features.groupingKey
      ? { cluster: cluster.name, ...clusterLabelsToAttach(flink, cluster), ...groupingKey(flink, cluster, perProcess) }
      : // Flink < 1.10: no grouping key; Prometheus' metric relabeling recovers cluster labels from the job name.
        { cluster: cluster.name, ...cluster.labels };
    group = { ...key, job: `${pushJobName(flink, cluster, perProcess)}${suffix}` };
  } else {
    const target = `${process.host}:${process.port}`;
    const job = ctx.jobs("flink").find((candidate) => candidate.targetGroups.some((g) => g.targets.includes(target)));
    const targetGroup = job?.targetGroups.find((g) => g.targets.includes(target));
    group =
      targetGroup && job
        ? { ...targetGroup.labels, job: job.name, instance: target }
        : { ...cluster.labels, cluster: cluster.name, role: process.role, job: `flink-${cluster.name}`, instance: target };
  }
  const scope: Record<string, string> = { host: flinkValue(ctx, process.host) };
  if (process.role === "taskmanager") scope.tm_id = flinkValue(ctx, `${process.host}:${process.port + 1000}-6a1b2c`);
  // A port range shared by a JobManager and a TaskManager has no role target label: metric relabeling sets it
  // from the metric name on every series but `up`.
  const role: Labels = !ctx.push && group.role === undefined ? { role: process.role } : {};
  return { cluster, process, group, labels: { ...withoutExcluded(ctx, scope), ...group, ...role } };
}

/** Labels of a job-scoped JobManager series (numRestarts, checkpoints, uptime). */
export function jobLabels(ctx: AlertContext, jm: FlinkProcessSeries): Labels {
  return { ...withoutExcluded(ctx, { job_id: TEST_JOB_ID, job_name: TEST_JOB_NAME }), ...jm.labels };
}

/** Labels of a task-scoped TaskManager series for subtask `subtask`. */
export function taskLabels(ctx: AlertContext, tm: FlinkProcessSeries, subtask: number): Labels {
  return {
    ...withoutExcluded(ctx, {
      job_id: TEST_JOB_ID,
      job_name: TEST_JOB_NAME,
      task_id: TEST_TASK_ID,
      task_name: TEST_TASK_NAME,
      subtask_index: String(subtask),
    }),
    ...tm.labels,
  };
}

export const SOURCE_OPERATOR = { id: "bc764cd8ddf7a0cff126f51c16239658", name: "Source:_Kafka" };
export const SINK_OPERATOR = { id: "ea632d67b7d595e5b851708ae9ad79d6", name: "Sink:_Print" };

/** Labels of an operator-scoped TaskManager series. */
export function operatorLabels(ctx: AlertContext, tm: FlinkProcessSeries, subtask: number, operator: { id: string; name: string }): Labels {
  return { ...withoutExcluded(ctx, { operator_id: operator.id, operator_name: operator.name }), ...taskLabels(ctx, tm, subtask) };
}

/** The cluster's first JobManager, and its first TaskManager (a stand-in when none is configured). */
export function clusterProcesses(ctx: AlertContext, cluster: ResolvedFlinkCluster, generation = 0) {
  const jmProcess = cluster.jobmanagers[0] ?? {
    role: "jobmanager" as const,
    host: "jobmanager",
    port: ctx.plan.flink.pull.firstPort,
    portPool: undefined,
  };
  const tmProcess = cluster.taskmanagers[0] ?? {
    role: "taskmanager" as const,
    host: "taskmanager",
    port: ctx.plan.flink.pull.firstPort,
    portPool: undefined,
  };
  return {
    jm: flinkProcessSeries(ctx, cluster, jmProcess, generation),
    tm: flinkProcessSeries(ctx, cluster, tmProcess, generation),
  };
}

/** A process that is not in the config, e.g. a TaskManager that went away and left its group behind. */
export function extraProcess(ctx: AlertContext, cluster: ResolvedFlinkCluster, role: "jobmanager" | "taskmanager", host: string) {
  return flinkProcessSeries(ctx, cluster, { role, host, port: ctx.plan.flink.pull.firstPort, portPool: undefined }, 7);
}

/** TaskManagers the JobManager of `cluster` should report (plan.expectedTaskManagers). */
export function expectedTaskManagers(ctx: AlertContext, cluster: ResolvedFlinkCluster): number {
  return ctx.plan.expectedTaskManagers[cluster.name]!;
}
