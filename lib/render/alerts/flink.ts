// The `flink` bundle: JobManager and TaskManager availability, jobs, checkpoints, back-pressure and JVM health.
// Metric names come from plan.metrics only, so every expression matches what the configured Flink version
// exports; a rule whose metric the version lacks is left out.
import type { ResolvedFlinkCluster } from "../../config/resolved.js";
import type { FlinkRole } from "../../flink/metrics.js";
import type { AlertContext } from "./context.js";
import { PORT_POOL_LABEL } from "../../plan/types.js";
import {
  clusterProcesses,
  expectedTaskManagers,
  extraProcess,
  flinkProcessSeries,
  jobLabels,
  operatorLabels,
  SINK_OPERATOR,
  SOURCE_OPERATOR,
  taskLabels,
  type FlinkProcessSeries,
} from "./flink-series.js";
import { formatDuration, matcher, metricNameOf, namesOneMetric, num, oneOf, percent, sel } from "./promql.js";
import {
  expectAlert,
  firing,
  humanizeDuration,
  humanizePercentage,
  pastThreshold,
  pick,
  quiet,
  ramp,
  SeriesSet,
  Timeline,
  valuesText,
} from "./testing.js";
import type { AlertRule, AlertTestCase, BundleOutput, TestGroup } from "./types.js";

const ROLES: readonly FlinkRole[] = ["jobmanager", "taskmanager"];
const TASK_KEYS = ["cluster", "job_id", "job_name", "task_id", "task_name"] as const;
const JOB_KEYS = ["cluster", "job_id", "job_name"] as const;
/** Heap size of every test process, bytes. */
const HEAP_MAX = 1_000_000_000;
/** A large starting value for GC counters, so rate() extrapolation never meets zero. */
const GC_START = 1_000_000;

interface FlinkRules {
  readonly jobManagerDown: AlertRule;
  readonly noRunningJob: AlertRule;
  readonly taskManagerLost: ReadonlyMap<string, AlertRule>;
  readonly jobRestarting: AlertRule;
  readonly checkpointFailures: AlertRule;
  readonly checkpointDurationHigh: AlertRule;
  readonly backPressure: AlertRule | undefined;
  readonly heapUsageHigh: ReadonlyMap<FlinkRole, AlertRule>;
  readonly gcTimeHigh: ReadonlyMap<FlinkRole, AlertRule>;
  readonly noRecordsProcessed: AlertRule;
  readonly metricsEndpointDown: AlertRule | undefined;
  /** Per number of processes sharing a host's port pool: fewer of the pool's ports answer than processes share it. */
  readonly poolEndpointsDown: ReadonlyMap<number, AlertRule>;
}

export function flinkBundle(ctx: AlertContext): BundleOutput {
  const rules = flinkRules(ctx);
  const ordered: AlertRule[] = [
    rules.jobManagerDown,
    rules.noRunningJob,
    ...new Set(rules.taskManagerLost.values()),
    rules.jobRestarting,
    rules.checkpointFailures,
    rules.checkpointDurationHigh,
    ...(rules.backPressure ? [rules.backPressure] : []),
    ...rules.heapUsageHigh.values(),
    ...rules.gcTimeHigh.values(),
    rules.noRecordsProcessed,
    ...(rules.metricsEndpointDown ? [rules.metricsEndpointDown] : []),
    ...rules.poolEndpointsDown.values(),
  ];
  return { group: { name: "flink", rules: ordered }, tests: flinkTests(ctx, rules, ordered), testStep: ctx.eventTestStep };
}

function flinkRules(ctx: AlertContext): FlinkRules {
  const m = ctx.metrics;
  const t = ctx.thresholds;
  const clusters = ctx.plan.flink.clusters;
  const forClause = { for: ctx.for };
  const tmCount = m.numRegisteredTaskManagers;

  // JobManager down: no JobManager series for the cluster (pull: the target is gone; push: the group was
  // deleted) or, in push mode, no JobManager group of the cluster pushed recently.
  const absentPerCluster = clusters.map((c) => `absent(${sel(tmCount, matcher("cluster", "=", c.name))})`);
  const staleJobManager = ctx.push
    ? [
        `min by (cluster) ((time() - ${ctx.pushTime}) * on (job, instance) group_left (cluster) group by (job, instance, cluster) (${tmCount})) > ${ctx.staleSeconds}`,
      ]
    : [];
  const jobManagerDown: AlertRule = {
    alert: "FlinkJobManagerDown",
    expr: [...absentPerCluster, ...staleJobManager].join(" or "),
    ...forClause,
    labels: { severity: "critical" },
    annotations: {
      summary: "Flink JobManager of cluster {{ $labels.cluster }} is down or not reporting.",
      description: ctx.push
        ? `No fresh JobManager metrics from Flink cluster {{ $labels.cluster }} for ${ctx.for}: the JobManager is down, cannot reach the Pushgateway, or its Pushgateway group has not been updated for more than ${formatDuration(ctx.staleSeconds)}.`
        : `No JobManager metrics from Flink cluster {{ $labels.cluster }} for ${ctx.for}: the JobManager is down or Prometheus cannot scrape its metrics reporter.`,
      ...ctx.links("FlinkJobManagerDown"),
    },
  };

  const noRunningJob: AlertRule = {
    alert: "FlinkNoRunningJob",
    expr: `max by (cluster) (${ctx.live(m.numRunningJobs)}) == 0`,
    ...forClause,
    labels: { severity: "critical" },
    annotations: {
      summary: "No Flink job is running on cluster {{ $labels.cluster }}.",
      description: `The JobManager of Flink cluster {{ $labels.cluster }} has reported no running job for ${ctx.for}.`,
      ...ctx.links("FlinkNoRunningJob"),
    },
  };

  // One rule per expected count (clusters expecting as many TaskManagers share it); the count is a label, so
  // the rules differ (promtool's duplicate-rule lint) and notifications say what was expected.
  const taskManagerLost = new Map<string, AlertRule>();
  const byExpected = new Map<number, ResolvedFlinkCluster[]>();
  for (const cluster of clusters) {
    const expected = expectedTaskManagers(ctx, cluster);
    byExpected.set(expected, [...(byExpected.get(expected) ?? []), cluster]);
  }
  for (const [expected, members] of byExpected) {
    const rule: AlertRule = {
      alert: "FlinkTaskManagerLost",
      expr: `max by (cluster) (${ctx.live(
        sel(
          tmCount,
          oneOf(
            "cluster",
            members.map((c) => c.name),
          ),
        ),
      )}) < ${expected}`,
      ...forClause,
      labels: { severity: "critical", expected_taskmanagers: String(expected) },
      annotations: {
        summary: "Flink cluster {{ $labels.cluster }} has lost TaskManagers.",
        description: `Only {{ $value }} TaskManager(s) are registered with the JobManager of Flink cluster {{ $labels.cluster }}; expected: ${expected}.`,
        ...ctx.links("FlinkTaskManagerLost"),
      },
    };
    for (const cluster of members) taskManagerLost.set(cluster.name, rule);
  }

  const jobRestarting: AlertRule = {
    alert: "FlinkJobRestarting",
    expr: `increase(${m.jobRestarts}[${ctx.eventWindow}]) >= ${num(t.restartsPerWindow)}`,
    ...forClause,
    labels: { severity: "warning" },
    annotations: {
      summary: "Flink job {{ $labels.job_name }} is restarting.",
      description: `Job {{ $labels.job_name }} ({{ $labels.job_id }}) on Flink cluster {{ $labels.cluster }} restarted {{ printf "%.0f" $value }} time(s) in the last ${ctx.eventWindow} (threshold ${num(t.restartsPerWindow)}).`,
      ...ctx.links("FlinkJobRestarting"),
    },
  };

  const checkpointFailures: AlertRule = {
    alert: "FlinkCheckpointFailures",
    // Checkpoints that fail while none completes. A job's first checkpoints often fail while its tasks still
    // deploy ("Not all required tasks are currently running", seen on real Flink 1.20 and 2.3); those are
    // followed by completed ones and must not page anyone.
    expr: `(increase(${m.failedCheckpoints}[${ctx.eventWindow}]) > 0) and (increase(${m.completedCheckpoints}[${ctx.eventWindow}]) == 0)`,
    ...forClause,
    labels: { severity: "warning" },
    annotations: {
      summary: "Checkpoints of Flink job {{ $labels.job_name }} are failing and none completes.",
      description: `{{ printf "%.0f" $value }} checkpoint(s) of job {{ $labels.job_name }} ({{ $labels.job_id }}) on Flink cluster {{ $labels.cluster }} failed in the last ${ctx.eventWindow}, and none completed.`,
      ...ctx.links("FlinkCheckpointFailures"),
    },
  };

  const checkpointDurationHigh: AlertRule = {
    alert: "FlinkCheckpointDurationHigh",
    expr: ctx.live(`${m.lastCheckpointDuration} / 1000 > ${num(t.checkpointDurationSeconds)}`),
    ...forClause,
    labels: { severity: "warning" },
    annotations: {
      summary: "Checkpoints of Flink job {{ $labels.job_name }} are slow.",
      description: `The last checkpoint of job {{ $labels.job_name }} ({{ $labels.job_id }}) on Flink cluster {{ $labels.cluster }} took {{ $value | humanizeDuration }} (threshold ${num(t.checkpointDurationSeconds)}s).`,
      ...ctx.links("FlinkCheckpointDurationHigh"),
    },
  };

  const taskBy = `max by (${TASK_KEYS.join(", ")})`;
  let backPressure: AlertRule | undefined;
  const bpSummary = "Task {{ $labels.task_name }} of Flink job {{ $labels.job_name }} is back-pressured.";
  if (m.backPressuredTimeMsPerSecond) {
    backPressure = {
      alert: "FlinkBackPressure",
      expr: `${taskBy} (${ctx.live(m.backPressuredTimeMsPerSecond)}) / 1000 > ${num(t.backPressureRatio)}`,
      ...forClause,
      labels: { severity: "warning" },
      annotations: {
        summary: bpSummary,
        description: `A subtask of task {{ $labels.task_name }} of job {{ $labels.job_name }} on Flink cluster {{ $labels.cluster }} is back-pressured {{ $value | humanizePercentage }} of the time (threshold ${percent(t.backPressureRatio)}).`,
        ...ctx.links("FlinkBackPressure"),
      },
    };
  } else if (m.isBackPressured) {
    // Before Flink 1.13 only the 0/1 flag exists: the share of samples in which it was set.
    backPressure = {
      alert: "FlinkBackPressure",
      expr: `${taskBy} (${ctx.live(`avg_over_time(${m.isBackPressured}[${ctx.rateWindow}])`)}) > ${num(t.backPressureRatio)}`,
      ...forClause,
      labels: { severity: "warning" },
      annotations: {
        summary: bpSummary,
        description: `A subtask of task {{ $labels.task_name }} of job {{ $labels.job_name }} on Flink cluster {{ $labels.cluster }} was back-pressured in {{ $value | humanizePercentage }} of the samples of the last ${ctx.rateWindow} (threshold ${percent(t.backPressureRatio)}).`,
        ...ctx.links("FlinkBackPressure"),
      },
    };
  }

  const heapUsageHigh = new Map<FlinkRole, AlertRule>();
  const gcTimeHigh = new Map<FlinkRole, AlertRule>();
  for (const role of ROLES) {
    const used = m.heapUsed(role);
    const max = m.heapMax(role);
    heapUsageHigh.set(role, {
      alert: "FlinkHeapUsageHigh",
      expr: ctx.live(`(${used} / ${max} > ${num(t.heapUsageRatio)}) and ${max} > 0`),
      ...forClause,
      labels: { severity: "warning", role },
      annotations: {
        summary: `JVM heap of a Flink ${role} is almost full.`,
        description: `The JVM heap of the ${role} {{ $labels.host }} of Flink cluster {{ $labels.cluster }} is {{ $value | humanizePercentage }} full (threshold ${percent(t.heapUsageRatio)}).`,
        ...ctx.links("FlinkHeapUsageHigh", role),
      },
    });
    gcTimeHigh.set(role, {
      alert: "FlinkGCTimeHigh",
      expr: `${gcTimeRate(ctx, role)} / 1000 > ${num(t.gcTimeRatio)}`,
      ...forClause,
      labels: { severity: "warning", role },
      annotations: {
        summary: `A Flink ${role} spends too much time in garbage collection.`,
        description: `The ${role} {{ $labels.host }} of Flink cluster {{ $labels.cluster }} spent {{ $value | humanizePercentage }} of the last ${ctx.rateWindow} in garbage collection (threshold ${percent(t.gcTimeRatio)}).`,
        ...ctx.links("FlinkGCTimeHigh", role),
      },
    });
  }

  const noRecordsProcessed: AlertRule = {
    alert: "FlinkNoRecordsProcessed",
    // Operator level: a job chained into one task emits nothing at task level (its sink is the chain's end),
    // while its source operator's output still shows the data flowing.
    expr: `sum by (${JOB_KEYS.join(", ")}) (${ctx.live(m.operatorRecordsOutPerSecond)}) == 0 and on (cluster, job_id) ${ctx.live(m.jobUptime)} > 0`,
    ...forClause,
    labels: { severity: "warning" },
    annotations: {
      summary: "Flink job {{ $labels.job_name }} processes no records.",
      description: `Job {{ $labels.job_name }} ({{ $labels.job_id }}) on Flink cluster {{ $labels.cluster }} is running, but its tasks have emitted no records for ${ctx.for}.`,
      ...ctx.links("FlinkNoRecordsProcessed"),
    },
  };

  const flinkJobs = ctx.jobNames("flink");
  // Ports of a pool that no process bound are down by design: they are counted per host below instead.
  const poolSizes = [
    ...new Set(
      ctx.jobs("flink").flatMap((job) =>
        job.targetGroups.flatMap((group) => {
          const size = group.labels[PORT_POOL_LABEL];
          return size === undefined ? [] : [Number(size)];
        }),
      ),
    ),
  ];
  const notPooled = poolSizes.length > 0 ? [matcher(PORT_POOL_LABEL, "=", "")] : [];
  const metricsEndpointDown: AlertRule | undefined =
    !ctx.push && flinkJobs.length > 0
      ? {
          alert: "FlinkMetricsEndpointDown",
          expr: `${sel("up", oneOf("job", flinkJobs), ...notPooled)} == 0`,
          ...forClause,
          labels: { severity: "warning" },
          annotations: {
            summary: "Prometheus cannot scrape a Flink metrics endpoint.",
            description: `Prometheus has failed to scrape the Flink metrics reporter at {{ $labels.instance }} (job {{ $labels.job }}) for ${ctx.for}: the process is down, or its PrometheusReporter is not listening on that port.`,
            ...ctx.links("FlinkMetricsEndpointDown"),
          },
        }
      : undefined;

  const poolEndpointsDown = new Map<number, AlertRule>();
  for (const size of poolSizes) {
    const up = sel("up", oneOf("job", flinkJobs), matcher(PORT_POOL_LABEL, "=", String(size)));
    poolEndpointsDown.set(size, {
      alert: "FlinkMetricsEndpointDown",
      expr: `sum by (job, cluster, host) (label_replace(${up}, "host", "$1", "instance", "(.+):[0-9]+")) < ${size}`,
      ...forClause,
      labels: { severity: "warning", expected_processes: String(size) },
      annotations: {
        summary: "Prometheus cannot scrape every Flink process on a host.",
        description: `Only {{ $value }} of the ${size} Flink processes listed on {{ $labels.host }} (job {{ $labels.job }}) answer on a port of the reporter's range ${ctx.plan.flink.pull.port} for ${ctx.for}: a process is down, or its PrometheusReporter bound no port of that range.`,
      },
    });
  }

  return {
    jobManagerDown,
    noRunningJob,
    taskManagerLost,
    jobRestarting,
    checkpointFailures,
    checkpointDurationHigh,
    backPressure,
    heapUsageHigh,
    gcTimeHigh,
    noRecordsProcessed,
    metricsEndpointDown,
    poolEndpointsDown,
  };
}

/**
 * GC milliseconds per second of a process, over every collector: the metric table's rate is one series per
 * collector before Flink 1.19 (label `collector`), the `All` aggregate from 1.19; summing over `collector`
 * gives one value per process either way.
 */
function gcTimeRate(ctx: AlertContext, role: FlinkRole): string {
  const rate = ctx.metrics.gcTimeRate(role, undefined, ctx.rateWindow).replace("{}[", "[");
  return namesOneMetric(ctx.metrics.gcTimeSelector(role)) ? rate : `sum without (collector) (${rate})`;
}

// ---------------------------------------------------------------------------------------------------------
// Unit tests

interface FlinkScenarioKit {
  readonly ctx: AlertContext;
  readonly tl: Timeline;
  readonly s: SeriesSet;
}

function flinkTests(ctx: AlertContext, rules: FlinkRules, ordered: readonly AlertRule[]): TestGroup[] {
  const m = ctx.metrics;
  const t = ctx.thresholds;
  const clusters = ctx.plan.flink.clusters;
  const first = clusters[0]!;
  const windows = [ctx.eventWindowSeconds, ctx.rateWindowSeconds, ctx.push ? ctx.staleSeconds : 0];
  const alertNames = [...new Set(ordered.map((rule) => rule.alert))];
  const groups: TestGroup[] = [];

  const scenario = (name: string, build: (kit: FlinkScenarioKit) => AlertTestCase[]) => {
    const tl = new Timeline(windows, ctx.forSeconds, ctx.eventTestStep);
    const s = new SeriesSet();
    const cases = build({ ctx, tl, s });
    groups.push({ name: `flink: ${name}`, interval: `${tl.step}s`, input_series: s.series, alert_rule_test: cases });
  };

  // Everything healthy, in every cluster: no alert.
  scenario("healthy clusters stay quiet", ({ tl, s }) => {
    for (const cluster of clusters) healthyCluster(ctx, tl, s, cluster);
    return alertNames.map((name) => quiet(name, tl.firing));
  });

  scenario("JobManager stops reporting", ({ tl, s }) => {
    for (const cluster of clusters) {
      const { jm } = clusterProcesses(ctx, cluster);
      const down = cluster === first;
      if (ctx.push) {
        // The Pushgateway keeps serving the dead JobManager's last push; only the push time stops.
        s.add(m.numRegisteredTaskManagers, jm.labels, tl.steady(expectedTaskManagers(ctx, cluster)));
        s.add("push_time_seconds", jm.group, down ? tl.clockStoppingAtProblem() : tl.clock());
      } else {
        s.add(
          m.numRegisteredTaskManagers,
          jm.labels,
          down ? tl.endsAtProblem(expectedTaskManagers(ctx, cluster)) : tl.steady(expectedTaskManagers(ctx, cluster)),
        );
      }
    }
    return [
      quiet(rules.jobManagerDown.alert, tl.beforeProblem),
      firing(rules.jobManagerDown.alert, tl.firing, [expectAlert(rules.jobManagerDown, { cluster: first.name })]),
    ];
  });

  if (ctx.push) {
    scenario("JobManager group deleted from the Pushgateway", ({ tl, s }) => {
      for (const cluster of clusters) {
        const { jm } = clusterProcesses(ctx, cluster);
        const down = cluster === first;
        s.add(
          m.numRegisteredTaskManagers,
          jm.labels,
          down ? tl.endsAtProblem(expectedTaskManagers(ctx, cluster)) : tl.steady(expectedTaskManagers(ctx, cluster)),
        );
        s.add("push_time_seconds", jm.group, down ? tl.clockEndingAtProblem() : tl.clock());
      }
      return [
        quiet(rules.jobManagerDown.alert, tl.beforeProblem),
        firing(rules.jobManagerDown.alert, tl.firing, [expectAlert(rules.jobManagerDown, { cluster: first.name })]),
      ];
    });
  }

  scenario("no running job", ({ tl, s }) => {
    const { jm } = clusterProcesses(ctx, first);
    s.add(m.numRunningJobs, jm.labels, tl.change(1, 0));
    pushClock(kitOf(ctx, tl, s), jm);
    return [
      quiet(rules.noRunningJob.alert, tl.beforeProblem),
      firing(rules.noRunningJob.alert, tl.firing, [expectAlert(rules.noRunningJob, { cluster: first.name })]),
    ];
  });

  scenario("TaskManager lost", ({ tl, s }) => {
    const kit = kitOf(ctx, tl, s);
    for (const cluster of clusters) {
      const expected = expectedTaskManagers(ctx, cluster);
      const { jm } = clusterProcesses(ctx, cluster);
      if (cluster !== first) {
        s.add(m.numRegisteredTaskManagers, jm.labels, tl.steady(expected));
        pushClock(kit, jm);
      } else if (lingeringGroups(ctx)) {
        // The JobManager restarted and lost a TaskManager: its old group still says `expected` but is stale.
        const old = extraProcess(ctx, cluster, "jobmanager", "jobmanager-old");
        s.add(m.numRegisteredTaskManagers, old.labels, tl.steady(expected));
        s.add("push_time_seconds", old.group, tl.clockStoppingAtProblem());
        s.add(m.numRegisteredTaskManagers, jm.labels, tl.startsAtProblem(expected - 1));
        s.add("push_time_seconds", jm.group, tl.clockStartingAtProblem());
      } else {
        s.add(m.numRegisteredTaskManagers, jm.labels, tl.change(expected, expected - 1));
      }
    }
    const rule = rules.taskManagerLost.get(first.name)!;
    return [
      quiet(rule.alert, tl.beforeProblem),
      firing(rule.alert, tl.firing, [expectAlert(rule, { cluster: first.name }, String(expectedTaskManagers(ctx, first) - 1))]),
    ];
  });

  scenario("job restarting", ({ tl, s }) => {
    const { jm } = clusterProcesses(ctx, first);
    const { perSample, total } = eventRamp(ctx.eventWindowSeconds, tl.step, t.restartsPerWindow);
    const labels = jobLabels(ctx, jm);
    s.add(m.jobRestarts, labels, tl.counterFromProblem(0, perSample));
    pushClock(kitOf(ctx, tl, s), jm);
    return [
      quiet(rules.jobRestarting.alert, tl.beforeProblem),
      firing(rules.jobRestarting.alert, tl.firing, [expectAlert(rules.jobRestarting, labels, String(total))]),
    ];
  });

  scenario("restart counter reset by a JobManager restart stays quiet", ({ tl, s }) => {
    const { jm } = clusterProcesses(ctx, first);
    s.add(m.jobRestarts, jobLabels(ctx, jm), tl.change(5, 0));
    pushClock(kitOf(ctx, tl, s), jm);
    return [quiet(rules.jobRestarting.alert, tl.at(tl.problem + 1)), quiet(rules.jobRestarting.alert, tl.firing)];
  });

  scenario("checkpoints failing", ({ tl, s }) => {
    const { jm } = clusterProcesses(ctx, first);
    const labels = jobLabels(ctx, jm);
    const { perSample, total } = eventRamp(ctx.eventWindowSeconds, tl.step, 1);
    s.add(m.failedCheckpoints, labels, tl.counterFromProblem(3, perSample));
    s.add(m.completedCheckpoints, labels, tl.steady(5));
    pushClock(kitOf(ctx, tl, s), jm);
    return [
      quiet(rules.checkpointFailures.alert, tl.beforeProblem),
      firing(rules.checkpointFailures.alert, tl.firing, [expectAlert(rules.checkpointFailures, labels, String(total))]),
    ];
  });

  scenario("a checkpoint aborted at start-up, then checkpoints complete: quiet", ({ tl, s }) => {
    const { jm } = clusterProcesses(ctx, first);
    const labels = jobLabels(ctx, jm);
    s.add(m.failedCheckpoints, labels, tl.change(0, 1));
    s.add(m.completedCheckpoints, labels, tl.counter(1, 1));
    pushClock(kitOf(ctx, tl, s), jm);
    return [quiet(rules.checkpointFailures.alert, tl.firing)];
  });

  scenario("slow checkpoints", ({ tl, s }) => {
    const { jm } = clusterProcesses(ctx, first);
    const labels = jobLabels(ctx, jm);
    const slowSeconds = Math.ceil(Math.max(2 * t.checkpointDurationSeconds, t.checkpointDurationSeconds + 1));
    const fastMs = Math.floor((t.checkpointDurationSeconds * 1000) / 2);
    s.add(m.lastCheckpointDuration, labels, tl.change(fastMs, slowSeconds * 1000));
    pushClock(kitOf(ctx, tl, s), jm);
    return [
      quiet(rules.checkpointDurationHigh.alert, tl.beforeProblem),
      firing(rules.checkpointDurationHigh.alert, tl.firing, [expectAlert(rules.checkpointDurationHigh, labels, humanizeDuration(slowSeconds))]),
    ];
  });

  const backPressure = rules.backPressure;
  if (backPressure && t.backPressureRatio < 1) {
    scenario("back-pressure", ({ tl, s }) => {
      const { tm } = clusterProcesses(ctx, first);
      const busy = taskLabels(ctx, tm, 0);
      const calm = taskLabels(ctx, tm, 1);
      let value: number;
      if (m.backPressuredTimeMsPerSecond) {
        const ms = Math.round(pastThreshold(t.backPressureRatio, "above") * 1000);
        value = ms / 1000;
        s.add(m.backPressuredTimeMsPerSecond, busy, tl.change(0, ms));
        s.add(m.backPressuredTimeMsPerSecond, calm, tl.steady(0));
      } else {
        value = 1;
        s.add(m.isBackPressured!, busy, tl.change(0, 1));
        s.add(m.isBackPressured!, calm, tl.steady(0));
      }
      pushClock(kitOf(ctx, tl, s), tm);
      return [
        quiet(backPressure.alert, tl.beforeProblem),
        firing(backPressure.alert, tl.firing, [expectAlert(backPressure, pick(busy, TASK_KEYS), humanizePercentage(value))]),
      ];
    });
  }

  if (t.heapUsageRatio < 1) {
    scenario("TaskManager heap almost full", ({ tl, s }) => {
      const kit = kitOf(ctx, tl, s);
      const { jm, tm } = clusterProcesses(ctx, first);
      const ratio = pastThreshold(t.heapUsageRatio, "above");
      const healthy = Math.floor((t.heapUsageRatio * HEAP_MAX) / 2);
      for (const [process, role] of [
        [jm, "jobmanager"],
        [tm, "taskmanager"],
      ] as const) {
        s.add(m.heapMax(role), process.labels, tl.steady(HEAP_MAX));
        s.add(m.heapUsed(role), process.labels, role === "taskmanager" ? tl.change(healthy, Math.round(ratio * HEAP_MAX)) : tl.steady(healthy));
        pushClock(kit, process);
      }
      if (lingeringGroups(ctx)) {
        // A TaskManager that died with a full heap: its group stays in the Pushgateway, but is stale.
        const gone = extraProcess(ctx, first, "taskmanager", "taskmanager-gone");
        s.add(m.heapMax("taskmanager"), gone.labels, tl.steady(HEAP_MAX));
        s.add(m.heapUsed("taskmanager"), gone.labels, tl.steady(HEAP_MAX));
        s.add("push_time_seconds", gone.group, tl.steady(0));
      }
      const tmRule = rules.heapUsageHigh.get("taskmanager")!;
      return [quiet(tmRule.alert, tl.beforeProblem), firing(tmRule.alert, tl.firing, [expectAlert(tmRule, tm.labels, humanizePercentage(ratio))])];
    });
  }

  if (t.gcTimeRatio < 1) {
    scenario("TaskManager garbage collection time high", ({ tl, s }) => {
      const kit = kitOf(ctx, tl, s);
      const { jm, tm } = clusterProcesses(ctx, first);
      const ratio = pastThreshold(t.gcTimeRatio, "above");
      const healthyMsPerStep = Math.floor((t.gcTimeRatio * 1000 * tl.step) / 4);
      const highMsPerStep = Math.round(ratio * 1000 * tl.step);
      gcSeries(kit, "jobmanager", jm, healthyMsPerStep, healthyMsPerStep);
      gcSeries(kit, "taskmanager", tm, healthyMsPerStep, highMsPerStep);
      const tmRule = rules.gcTimeHigh.get("taskmanager")!;
      return [
        quiet(tmRule.alert, tl.beforeProblem),
        firing(tmRule.alert, tl.firing, [expectAlert(tmRule, tm.labels, humanizePercentage(highMsPerStep / (1000 * tl.step)))]),
      ];
    });
  }

  scenario("job processes no records", ({ tl, s }) => {
    const kit = kitOf(ctx, tl, s);
    const { jm, tm } = clusterProcesses(ctx, first);
    s.add(m.jobUptime, jobLabels(ctx, jm), tl.counter(60_000, tl.step * 1000));
    for (const subtask of [0, 1]) {
      s.add(m.operatorRecordsOutPerSecond, operatorLabels(ctx, tm, subtask, SOURCE_OPERATOR), tl.change(100 + subtask * 20, 0));
      s.add(m.operatorRecordsOutPerSecond, operatorLabels(ctx, tm, subtask, SINK_OPERATOR), tl.steady(0));
    }
    pushClock(kit, jm);
    pushClock(kit, tm);
    return [
      quiet(rules.noRecordsProcessed.alert, tl.beforeProblem),
      firing(rules.noRecordsProcessed.alert, tl.firing, [expectAlert(rules.noRecordsProcessed, pick(taskLabels(ctx, tm, 0), JOB_KEYS))]),
    ];
  });

  const endpointDown = rules.metricsEndpointDown;
  const { jm: firstJm, tm: firstTm } = clusterProcesses(ctx, first);
  if (endpointDown && !firstJm.process.portPool && !firstTm.process.portPool) {
    scenario("Flink metrics endpoint down", ({ tl, s }) => {
      s.add("up", firstJm.group, tl.steady(1));
      s.add("up", firstTm.group, tl.change(1, 0));
      return [quiet(endpointDown.alert, tl.beforeProblem), firing(endpointDown.alert, tl.firing, [expectAlert(endpointDown, firstTm.group)])];
    });
  } else if (endpointDown) {
    const fixed = clusters.flatMap((cluster) =>
      [...cluster.jobmanagers, ...cluster.taskmanagers]
        .filter((process) => !process.portPool)
        .map((process) => flinkProcessSeries(ctx, cluster, process)),
    )[0];
    if (fixed) {
      scenario("Flink metrics endpoint down", ({ tl, s }) => {
        pullTargets(ctx, tl, s, fixed.cluster, new Set([fixed.process.host]), fixed);
        return [quiet(endpointDown.alert, tl.beforeProblem), firing(endpointDown.alert, tl.firing, [expectAlert(endpointDown, fixed.group)])];
      });
    }
  }

  // A process on a shared port range stops answering: the host has fewer answering ports than processes. The
  // range's other ports (bound by the host's other processes, or by nobody) keep their state.
  const pooled = clusters.flatMap((cluster) =>
    [...cluster.taskmanagers, ...cluster.jobmanagers]
      .filter((process) => process.portPool)
      .map((process) => flinkProcessSeries(ctx, cluster, process)),
  )[0];
  const poolRule = pooled ? rules.poolEndpointsDown.get(poolSize(ctx, pooled)) : undefined;
  if (pooled && poolRule) {
    scenario("a Flink process sharing its host's port range stops answering", ({ tl, s }) => {
      pullTargets(ctx, tl, s, pooled.cluster, new Set([pooled.process.host]), pooled);
      const size = poolSize(ctx, pooled);
      return [
        quiet(poolRule.alert, tl.beforeProblem),
        firing(poolRule.alert, tl.firing, [
          expectAlert(poolRule, { job: pooled.group.job!, cluster: pooled.cluster.name, host: pooled.process.host }, String(size - 1)),
        ]),
      ];
    });
  }

  return groups;
}

/**
 * A counter ramp for an increase() over `windowSeconds`: `perSample` per test step, so that the increase
 * over the window, `total`, is a whole number of at least `atLeast` (an exact value in every Prometheus version).
 */
function eventRamp(windowSeconds: number, step: number, atLeast: number): { perSample: number; total: number } {
  const samplesPerWindow = windowSeconds / step;
  const granularity = step / gcd(Math.round(windowSeconds), step);
  const perSample = granularity * Math.max(1, Math.ceil(atLeast / (granularity * samplesPerWindow)));
  return { perSample, total: Math.round(perSample * samplesPerWindow) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Whether a process that went away can leave its Pushgateway group behind next to its successor's: push
 * mode, with a random job-name suffix or a grouping key naming the host (else the successor overwrites it).
 */
function lingeringGroups(ctx: AlertContext): boolean {
  const flink = ctx.plan.flink;
  return ctx.push && (flink.pushgateway.randomJobNameSuffix || flink.features.groupingKey);
}

/** Number of processes sharing the port pool of `series`' host (its target label). */
function poolSize(ctx: AlertContext, series: FlinkProcessSeries): number {
  return Number(series.group[PORT_POOL_LABEL] ?? 0);
}

/**
 * `up` of every scrape target of `cluster`'s pull job on `hosts` not in `s` yet: 1 where a listed process answers
 * (on a shared port range, at the port it takes in start order), 0 for ports of a range nobody bound; `down`
 * stops answering when the problem starts. Only the hosts a scenario is about: a host without any `up` series
 * raises no alert, and the test files stay small for large clusters.
 */
function pullTargets(
  ctx: AlertContext,
  tl: Timeline,
  s: SeriesSet,
  cluster: ResolvedFlinkCluster,
  hosts: ReadonlySet<string>,
  down?: FlinkProcessSeries,
): void {
  const job = ctx.jobs("flink").find((candidate) => candidate.name === `flink-${cluster.name}`);
  const bound = new Set([...cluster.jobmanagers, ...cluster.taskmanagers].map((process) => `${process.host}:${process.port}`));
  for (const group of job?.targetGroups ?? []) {
    for (const target of group.targets) {
      if (!hosts.has(target.slice(0, target.lastIndexOf(":")))) continue;
      const labels = { ...group.labels, job: job!.name, instance: target };
      if (s.has("up", labels)) continue;
      const isDown = down?.group.instance === target;
      s.add("up", labels, isDown ? tl.change(1, 0) : tl.steady(bound.has(target) ? 1 : 0));
    }
  }
}

function kitOf(ctx: AlertContext, tl: Timeline, s: SeriesSet): FlinkScenarioKit {
  return { ctx, tl, s };
}

/** In push mode, the group of `process` pushes on time for the whole scenario. */
function pushClock(kit: FlinkScenarioKit, process: FlinkProcessSeries): void {
  if (kit.ctx.push && !kit.s.has("push_time_seconds", process.group)) kit.s.add("push_time_seconds", process.group, kit.tl.clock());
}

/**
 * GC time counters of a process: before 1.19 one per collector (G1 young + old, summing to the given
 * milliseconds per step), from 1.19 also the `All` aggregate.
 */
function gcSeries(kit: FlinkScenarioKit, role: FlinkRole, process: FlinkProcessSeries, healthyMs: number, problemMs: number): void {
  const { ctx, tl, s } = kit;
  const collectorSeries = (collector: string) => `flink_${role}_Status_JVM_GarbageCollector_${collector}_Time`;
  const split = (ms: number) => {
    const young = Math.round(ms * 0.75);
    return [young, ms - young] as const;
  };
  const [healthyYoung, healthyOld] = split(healthyMs);
  const [problemYoung, problemOld] = split(problemMs);
  const counter = (healthy: number, problem: number) => {
    const atProblem = GC_START + healthy * (tl.problem - 1) + problem;
    return valuesText([ramp(GC_START, healthy, tl.problem), ramp(atProblem, problem, tl.samples - tl.problem)]);
  };
  s.add(collectorSeries("G1_Young_Generation"), process.labels, counter(healthyYoung, problemYoung));
  s.add(collectorSeries("G1_Old_Generation"), process.labels, counter(healthyOld, problemOld));
  const selector = ctx.metrics.gcTimeSelector(role);
  if (namesOneMetric(selector)) {
    const name = metricNameOf(selector)!;
    if (!s.has(name, process.labels)) s.add(name, process.labels, counter(healthyMs, problemMs));
  }
  pushClock(kit, process);
}

/** Every series a healthy cluster exports, with values no rule objects to. */
function healthyCluster(ctx: AlertContext, tl: Timeline, s: SeriesSet, cluster: ResolvedFlinkCluster): void {
  const m = ctx.metrics;
  const t = ctx.thresholds;
  const kit = kitOf(ctx, tl, s);
  const { jm, tm } = clusterProcesses(ctx, cluster);
  const job = jobLabels(ctx, jm);
  s.add(m.numRegisteredTaskManagers, jm.labels, tl.steady(expectedTaskManagers(ctx, cluster)));
  s.add(m.numRunningJobs, jm.labels, tl.steady(1));
  s.add(m.jobUptime, job, tl.counter(60_000, tl.step * 1000));
  s.add(m.jobRestarts, job, tl.steady(2));
  s.add(m.failedCheckpoints, job, tl.steady(1));
  s.add(m.lastCheckpointDuration, job, tl.steady(Math.floor((t.checkpointDurationSeconds * 1000) / 2)));
  for (const [process, role] of [
    [jm, "jobmanager"],
    [tm, "taskmanager"],
  ] as const) {
    s.add(m.heapMax(role), process.labels, tl.steady(HEAP_MAX));
    s.add(m.heapUsed(role), process.labels, tl.steady(Math.floor((t.heapUsageRatio * HEAP_MAX) / 2)));
    const gcMs = Math.floor((t.gcTimeRatio * 1000 * tl.step) / 4);
    gcSeries(kit, role, process, gcMs, gcMs);
  }
  for (const subtask of [0, 1]) {
    const task = taskLabels(ctx, tm, subtask);
    s.add(m.taskRecordsOutPerSecond, task, tl.steady(0));
    s.add(m.operatorRecordsOutPerSecond, operatorLabels(ctx, tm, subtask, SOURCE_OPERATOR), tl.steady(100));
    s.add(m.operatorRecordsOutPerSecond, operatorLabels(ctx, tm, subtask, SINK_OPERATOR), tl.steady(0));
    if (m.backPressuredTimeMsPerSecond) s.add(m.backPressuredTimeMsPerSecond, task, tl.steady(Math.floor((t.backPressureRatio * 1000) / 2)));
    if (m.isBackPressured) s.add(m.isBackPressured, task, tl.steady(0));
  }
  if (!ctx.push) {
    s.add("up", jm.group, tl.steady(1));
    s.add("up", tm.group, tl.steady(1));
    // The other targets too: on a shared port range, ports nobody bound are down, and no alert may fire for them.
    if (jm.process.portPool || tm.process.portPool) pullTargets(ctx, tl, s, cluster, new Set([jm.process.host, tm.process.host]));
  }
  pushClock(kit, jm);
  pushClock(kit, tm);
}
