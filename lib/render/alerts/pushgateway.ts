// The `pushgateway` bundle (pushgateway mode): the Pushgateway itself, the freshness of Flink's groups, and the
// prune sidecar's rounds when there is one.
// The Pushgateway never forgets a group, so "no data" never happens: staleness is the signal
// (prometheus/pushgateway README, "Alerting on failed pushes").
import type { AlertContext } from "./context.js";
import { clusterProcesses, extraProcess } from "./flink-series.js";
import { durationSeconds, formatDuration, oneOf, regexEscape, sel } from "./promql.js";
import {
  DEFAULT_TEST_STEP,
  expectAlert,
  firing,
  hold,
  humanizeDuration,
  quiet,
  ramp,
  SeriesSet,
  Timeline,
  valuesText,
  type Labels,
} from "./testing.js";
import type { AlertRule, AlertTestCase, BundleOutput, TestGroup } from "./types.js";

/** The prune sidecar's gauge: when its last round without any failure ended (0 until the first). */
const LAST_SUCCESS = "pushgateway_prune_last_success_timestamp_seconds";

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
          ...ctx.links("PushgatewayDown"),
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
      description: `Pushgateway group {{ $labels.job }} (cluster {{ $labels.cluster }}) was last pushed {{ $value | humanizeDuration }} ago; Flink pushes every ${ctx.plan.flink.interval}, so it is stale after ${stale}. The process is down or cannot reach the Pushgateway. A group left behind by a process that is gone for good (always after a kill, sometimes after a normal stop) stays until deleted: run \`flink-prometheus-stack prune-pushgateway -c <stack config> --apply\`, use the Pushgateway UI's "Delete Group" button or send an HTTP DELETE to its /metrics/job/… URL.`,
      ...ctx.links("FlinkMetricsPushStale"),
    },
  };
  const pushFailing: AlertRule = {
    alert: "FlinkMetricsPushFailing",
    expr: `${sel("push_failure_time_seconds", ctx.pushJobMatcher)} > ${ctx.pushTime}`,
    for: ctx.for,
    labels: { severity: "warning" },
    annotations: {
      summary: "Flink metric pushes to the Pushgateway are failing.",
      description:
        "The last push to Pushgateway group {{ $labels.job }} (cluster {{ $labels.cluster }}) failed, after the last successful one: the Pushgateway rejects what the Flink process sends (see the Pushgateway log).",
      ...ctx.links("FlinkMetricsPushFailing"),
    },
  };
  const prune = pruneFailingRule(ctx);
  const rules = [...(down ? [down] : []), pushStale, pushFailing, ...(prune ? [prune.rule] : [])];
  return {
    group: { name: "pushgateway", rules },
    tests: pushgatewayTests(ctx, rules, down, pushStale, pushFailing, prune),
    testStep: DEFAULT_TEST_STEP,
  };
}

interface PruneFailing {
  readonly rule: AlertRule;
  /** The sample labels of the sidecar's series (its scrape job and target). */
  readonly target: Labels;
  /** Seconds since the last successful round after which the rule's condition holds. */
  readonly lagSeconds: number;
}

/**
 * With the prune sidecar: its rounds keep failing (it cannot list the Pushgateway, or a DELETE fails). A dead
 * sidecar is PrometheusTargetDown's business (the stack bundle leaves the pushgateway-prune job to it): its
 * series then go stale and this rule stays quiet.
 */
function pruneFailingRule(ctx: AlertContext): PruneFailing | undefined {
  const job = ctx.jobs("pushgateway-prune")[0];
  if (!job) return undefined;
  const every = ctx.plan.pushgateway.prune.every;
  // Three rounds; never less than three scrapes, because Prometheus sees the timestamp up to a scrape late.
  const scrapeSeconds = durationSeconds(job.interval ?? ctx.plan.prometheus.scrapeInterval);
  const lagSeconds = Math.max(3 * durationSeconds(every), 3 * scrapeSeconds);
  const container = `${ctx.plan.project}_pushgateway-prune_1`;
  const rule: AlertRule = {
    alert: "PushgatewayPruneFailing",
    expr: `time() - ${sel(LAST_SUCCESS, oneOf("job", [job.name]))} > ${lagSeconds}`,
    for: ctx.for,
    labels: { severity: "warning" },
    annotations: {
      summary: "The Pushgateway prune sidecar keeps failing.",
      description: `The prune sidecar {{ $labels.instance }} last finished a round without failures {{ $value | humanizeDuration }} ago (decades when none has succeeded since it started); it looks every ${every}. A round fails when the sidecar cannot list the Pushgateway's groups or the Pushgateway refuses or does not answer a DELETE: see \`docker logs ${container}\` and whether the Pushgateway is up and reachable from it. Until it succeeds again, the groups of Flink processes that are gone pile up on the Pushgateway again (their last values served forever, more series on every scrape).`,
      ...ctx.links("PushgatewayPruneFailing"),
    },
  };
  return { rule, target: { job: job.name, instance: job.targetGroups[0]?.targets[0] ?? "pushgateway-prune:9097" }, lagSeconds };
}

function pushgatewayTests(
  ctx: AlertContext,
  rules: readonly AlertRule[],
  down: AlertRule | undefined,
  pushStale: AlertRule,
  pushFailing: AlertRule,
  prune: PruneFailing | undefined,
): TestGroup[] {
  const cluster = ctx.plan.flink.clusters[0]!;
  const { jm, tm } = clusterProcesses(ctx, cluster);
  const pushgatewayJob = ctx.jobs("pushgateway")[0];
  const pushgateway = pushgatewayJob
    ? { job: pushgatewayJob.name, instance: pushgatewayJob.targetGroups[0]?.targets[0] ?? "pushgateway:9091" }
    : undefined;
  const groups: TestGroup[] = [];
  const scenario = (name: string, build: (tl: Timeline, s: SeriesSet) => AlertTestCase[], windows: readonly number[] = [ctx.staleSeconds]) => {
    const tl = new Timeline(windows, ctx.forSeconds, DEFAULT_TEST_STEP);
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
    if (prune) s.add(LAST_SUCCESS, prune.target, tl.clock());
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
    if (!new RegExp(`^(?:${regexEscape(ctx.plan.flink.pushgateway.jobName)}.*)$`).test(other.job)) {
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
    s.add(
      "push_failure_time_seconds",
      process.group,
      valuesText([hold(0, tl.problem), ramp(tl.problem * tl.step, tl.step, tl.samples - tl.problem)]),
    );
    s.add("push_time_seconds", jm.group, tl.clock());
    s.add("push_failure_time_seconds", jm.group, tl.steady(0));
    return [quiet(pushFailing.alert, tl.beforeProblem), firing(pushFailing.alert, tl.firing, [expectAlert(pushFailing, process.group)])];
  });

  if (prune) {
    const { rule, target, lagSeconds } = prune;
    const windows = [lagSeconds];
    scenario(
      "prune successes lagging just under the limit stay quiet",
      (tl, s) => {
        // Failed rounds in between: the last success is always `behind` steps old, just under the limit. A rule
        // with a tighter limit fires here; a sawtooth would not tell, since each success resets the `for`.
        const behind = Math.max(0, Math.ceil(lagSeconds / tl.step) - 1);
        s.add(LAST_SUCCESS, target, valuesText([hold(0, behind), ramp(0, tl.step, tl.samples - behind)]));
        return [quiet(rule.alert, tl.beforeProblem), quiet(rule.alert, tl.firing)];
      },
      windows,
    );

    scenario(
      "prune rounds stop succeeding",
      (tl, s) => {
        s.add(LAST_SUCCESS, target, tl.clockStoppingAtProblem());
        s.add(
          "pushgateway_prune_runs_total",
          { ...target, result: "success" },
          valuesText([ramp(0, 1, tl.problem + 1), hold(tl.problem, tl.samples - tl.problem - 1)]),
        );
        s.add(
          "pushgateway_prune_runs_total",
          { ...target, result: "failure" },
          valuesText([hold(0, tl.problem + 1), ramp(1, 1, tl.samples - tl.problem - 1)]),
        );
        return [quiet(rule.alert, tl.beforeProblem), firing(rule.alert, tl.firing, [expectAlert(rule, target, humanizeDuration(tl.problemAge))])];
      },
      windows,
    );

    scenario(
      "a restarted prune sidecar that never succeeds",
      (tl, s) => {
        // The timestamp is 0 until the first successful round.
        s.add(LAST_SUCCESS, target, valuesText([ramp(0, tl.step, tl.problem), hold(0, tl.samples - tl.problem)]));
        return [quiet(rule.alert, tl.beforeProblem), firing(rule.alert, tl.firing, [expectAlert(rule, target, humanizeDuration(tl.fire * tl.step))])];
      },
      windows,
    );
  }

  return groups;
}
