// The `pushgateway` bundle (pushgateway mode): the Pushgateway itself, and the freshness of Flink's groups.
// The Pushgateway never forgets a group, so "no data" never happens: staleness is the signal
// (prometheus/pushgateway README, "Alerting on failed pushes").
import type { AlertContext } from "./context.js";
import { clusterProcesses, extraProcess } from "./flink-series.js";
import { formatDuration, oneOf, regexEscape, sel } from "./promql.js";
import {
  DEFAULT_TEST_STEP, expectAlert, firing, hold, humanizeDuration, quiet, ramp, SeriesSet, Timeline, valuesText,
} from "./testing.js";
import type { AlertRule, AlertTestCase, BundleOutput, TestGroup } from "./types.js";

export function pushgatewayBundle(ctx: AlertContext): BundleOutput {
  const pushgatewayJob = ctx.jobs("pushgateway")[0];
  const stale = formatDuration(ctx.staleSeconds);
  const down: AlertRule | undefined = pushgatewayJob
    ? {
        alert: "PushgatewayDown",
        expr: `up{${oneOf("job", [pushgatewayJob.name])}} == 0`,
        for: ctx.for,
        labels: { severity: "critical" },
        annotations: {
          summary: "The Pushgateway is down.",
          description: `Prometheus has failed to scrape the Pushgateway {{ $labels.instance }} for ${ctx.for}. Every Flink metric flows through it: Flink alerts and dashboards are blind until it is back.`,
        },
      }
    : undefined;
  const pushStale: AlertRule = {
    alert: "FlinkMetricsPushStale",
    expr: `time() - ${ctx.pushTime} > ${ctx.staleSeconds}`,
    for: ctx.for,
    labels: { severity: "warning" },
    annotations: {
      summary: "A Flink process has stopped pushing metrics.",
      description: `Pushgateway group {{ $labels.job }} (cluster {{ $labels.cluster }}) was last pushed {{ $value | humanizeDuration }} ago; Flink pushes every ${ctx.config.flink.interval}, so it is stale after ${stale}. The process is down or cannot reach the Pushgateway. A group left behind by a process that is gone for good stays until deleted: use the Pushgateway UI's "Delete Group" button or send an HTTP DELETE to its /metrics/job/… URL.`,
    },
  };
  const pushFailing: AlertRule = {
    alert: "FlinkMetricsPushFailing",
    expr: `${sel("push_failure_time_seconds", ctx.pushJobMatcher)} > ${ctx.pushTime}`,
    for: ctx.for,
    labels: { severity: "warning" },
    annotations: {
      summary: "Flink metric pushes to the Pushgateway are failing.",
      description: "The last push to Pushgateway group {{ $labels.job }} (cluster {{ $labels.cluster }}) failed, after the last successful one: the Pushgateway rejects what the Flink process sends (see the Pushgateway log).",
    },
  };
  const rules = [...(down ? [down] : []), pushStale, pushFailing];
  return {
    group: { name: "pushgateway", rules },
    tests: pushgatewayTests(ctx, rules, down, pushStale, pushFailing),
    testStep: DEFAULT_TEST_STEP,
  };
}

function pushgatewayTests(
  ctx: AlertContext,
  rules: readonly AlertRule[],
  down: AlertRule | undefined,
  pushStale: AlertRule,
  pushFailing: AlertRule,
): TestGroup[] {
  const cluster = ctx.config.flink.clusters[0]!;
  const { jm, tm } = clusterProcesses(ctx, cluster);
  const pushgatewayJob = ctx.jobs("pushgateway")[0];
  const pushgateway = pushgatewayJob
    ? { job: pushgatewayJob.name, instance: pushgatewayJob.targetGroups[0]?.targets[0] ?? "pushgateway:9091" }
    : undefined;
  const groups: TestGroup[] = [];
  const scenario = (name: string, build: (tl: Timeline, s: SeriesSet) => AlertTestCase[]) => {
    const tl = new Timeline([ctx.staleSeconds], ctx.forSeconds, DEFAULT_TEST_STEP);
    const s = new SeriesSet();
    const cases = build(tl, s);
    groups.push({ name: `pushgateway: ${name}`, interval: `${tl.step}s`, input_series: s.series, alert_rule_test: cases });
  };

  scenario("fresh pushes stay quiet", (tl, s) => {
    if (pushgateway) s.add("up", pushgateway, tl.steady(1));
    for (const process of [jm, tm]) {
      s.add("push_time_seconds", process.group, tl.clock());
      s.add("push_failure_time_seconds", process.group, tl.steady(0));
    }
    return [...new Set(rules.map((rule) => rule.alert))].map((name) => quiet(name, tl.firing));
  });

  if (down && pushgateway) {
    scenario("Pushgateway down", (tl, s) => {
      s.add("up", pushgateway, tl.change(1, 0));
      return [quiet(down.alert, tl.beforeProblem), firing(down.alert, tl.firing, [expectAlert(down, pushgateway)])];
    });
  }

  scenario("a process stops pushing", (tl, s) => {
    s.add("push_time_seconds", jm.group, tl.clock());
    s.add("push_time_seconds", tm.group, tl.clockStoppingAtProblem());
    // A group of another program on the same Pushgateway is not Flink's business.
    const other = { job: "nightly-batch-export" };
    if (!new RegExp(`^(?:${regexEscape(ctx.config.flink.pushgateway.jobName)}.*)$`).test(other.job)) {
      s.add("push_time_seconds", other, tl.steady(0));
    }
    return [
      quiet(pushStale.alert, tl.beforeProblem),
      firing(pushStale.alert, tl.firing, [expectAlert(pushStale, tm.group, humanizeDuration(tl.problemAge))]),
    ];
  });

  scenario("pushes failing", (tl, s) => {
    const process = extraProcess(ctx, cluster, "taskmanager", "taskmanager-failing");
    s.add("push_time_seconds", process.group, tl.clockStoppingAtProblem());
    s.add("push_failure_time_seconds", process.group, valuesText([hold(0, tl.problem), ramp(tl.problem * tl.step, tl.step, tl.samples - tl.problem)]));
    s.add("push_time_seconds", jm.group, tl.clock());
    s.add("push_failure_time_seconds", jm.group, tl.steady(0));
    return [
      quiet(pushFailing.alert, tl.beforeProblem),
      firing(pushFailing.alert, tl.firing, [expectAlert(pushFailing, process.group)]),
    ];
  });

  return groups;
}
