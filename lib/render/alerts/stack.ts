// The `stack` bundle: the monitoring stack watching itself (Watchdog, scrape targets, Prometheus, Alertmanager).
import type { ScrapeJobKind } from "../../plan/types.js";
import type { AlertContext } from "./context.js";
import { noneOf, oneOf, sel } from "./promql.js";
import { DEFAULT_TEST_STEP, expectAlert, firing, hold, quiet, ramp, SeriesSet, Timeline, valuesText, type Labels } from "./testing.js";
import type { AlertRule, AlertTestCase, BundleOutput, TestGroup } from "./types.js";

const TSDB_RELOAD_WINDOW = "3h";
const TSDB_RELOAD_WINDOW_SECONDS = 3 * 3600;

export function stackBundle(ctx: AlertContext): BundleOutput {
  const prometheusJob = ctx.jobs("prometheus")[0];
  const prometheus = prometheusJob ? oneOf("job", [prometheusJob.name]) : undefined;
  const alertmanagerEnabled = ctx.plan.alerting.alertmanager.enabled;
  const alertmanagerJob = alertmanagerEnabled ? ctx.jobs("alertmanager")[0] : undefined;
  const alertmanager = alertmanagerJob ? oneOf("job", [alertmanagerJob.name]) : undefined;

  const watchdog: AlertRule = {
    alert: "Watchdog",
    expr: "vector(1)",
    labels: { severity: "info" },
    annotations: {
      summary: "An alert that is always firing, to prove the alerting pipeline works.",
      description:
        "This alert is always firing, on purpose. If it stops arriving, Prometheus, its rule evaluation or Alertmanager is broken. Route it to a dead man's switch (an outside service that raises an alarm when it stops receiving it); by default Alertmanager sends it nowhere.",
      ...ctx.links("Watchdog"),
    },
  };

  // Targets that other bundles already watch under a more specific name are left out.
  const covered = new Set<ScrapeJobKind>();
  if (ctx.bundles.includes("flink") && !ctx.push) covered.add("flink");
  if (ctx.bundles.includes("pushgateway")) covered.add("pushgateway");
  if (ctx.bundles.includes("node")) covered.add("node");
  if (alertmanagerJob) covered.add("alertmanager");
  const excludedJobs = ctx.plan.scrapeJobs.filter((job) => covered.has(job.kind)).map((job) => job.name);
  const targetDown: AlertRule = {
    alert: "PrometheusTargetDown",
    expr: excludedJobs.length > 0 ? `up{${noneOf("job", excludedJobs)}} == 0` : "up == 0",
    for: ctx.for,
    labels: { severity: "warning" },
    annotations: {
      summary: "A scrape target is down.",
      description: `Prometheus has failed to scrape {{ $labels.instance }} (job {{ $labels.job }}) for ${ctx.for}.`,
      ...ctx.links("PrometheusTargetDown"),
    },
  };

  const rules: AlertRule[] = [watchdog, targetDown];
  let ruleFailures: AlertRule | undefined;
  let configReload: AlertRule | undefined;
  let tsdbReloads: AlertRule | undefined;
  let notConnected: AlertRule | undefined;
  if (prometheus) {
    ruleFailures = {
      alert: "PrometheusRuleEvaluationFailures",
      expr: `increase(${sel("prometheus_rule_evaluation_failures_total", prometheus)}[5m]) > 0`,
      for: ctx.for,
      labels: { severity: "critical" },
      annotations: {
        summary: "Prometheus fails to evaluate rules.",
        description: `Prometheus {{ $labels.instance }} failed to evaluate {{ printf "%.0f" $value }} rule(s) of group {{ $labels.rule_group }} in the last 5m: alerts of that group may not fire. See the Prometheus log.`,
        ...ctx.links("PrometheusRuleEvaluationFailures"),
      },
    };
    configReload = {
      alert: "PrometheusConfigReloadFailed",
      expr: `max_over_time(${sel("prometheus_config_last_reload_successful", prometheus)}[5m]) == 0`,
      for: ctx.for,
      labels: { severity: "warning" },
      annotations: {
        summary: "Prometheus could not reload its configuration.",
        description:
          "The last configuration reload of Prometheus {{ $labels.instance }} failed: it still runs the previous configuration. Check prometheus.yml and the rule files with promtool and see the Prometheus log.",
        ...ctx.links("PrometheusConfigReloadFailed"),
      },
    };
    tsdbReloads = {
      alert: "PrometheusTsdbReloadsFailing",
      expr: `increase(${sel("prometheus_tsdb_reloads_failures_total", prometheus)}[${TSDB_RELOAD_WINDOW}]) > 0`,
      for: ctx.for,
      labels: { severity: "warning" },
      annotations: {
        summary: "Prometheus fails to reload its storage blocks.",
        description: `Prometheus {{ $labels.instance }} failed {{ printf "%.0f" $value }} time(s) in the last ${TSDB_RELOAD_WINDOW} to reload data blocks from disk: the storage may be corrupt or the disk full.`,
        ...ctx.links("PrometheusTsdbReloadsFailing"),
      },
    };
    rules.push(ruleFailures, configReload, tsdbReloads);
    if (alertmanagerEnabled) {
      notConnected = {
        alert: "PrometheusNotConnectedToAlertmanagers",
        expr: `max_over_time(${sel("prometheus_notifications_alertmanagers_discovered", prometheus)}[5m]) < 1`,
        for: ctx.for,
        labels: { severity: "warning" },
        annotations: {
          summary: "Prometheus is not connected to any Alertmanager.",
          description: "Prometheus {{ $labels.instance }} has no Alertmanager to send alerts to: no alert reaches anyone.",
          ...ctx.links("PrometheusNotConnectedToAlertmanagers"),
        },
      };
      rules.push(notConnected);
    }
  }

  let alertmanagerDown: AlertRule | undefined;
  let alertmanagerConfigReload: AlertRule | undefined;
  let notificationsFailing: AlertRule | undefined;
  if (alertmanager) {
    alertmanagerDown = {
      alert: "AlertmanagerDown",
      expr: `up{${alertmanager}} == 0`,
      for: ctx.for,
      labels: { severity: "critical" },
      annotations: {
        summary: "Alertmanager is down.",
        description: `Prometheus has failed to scrape Alertmanager {{ $labels.instance }} for ${ctx.for}: alerts are not being delivered.`,
        ...ctx.links("AlertmanagerDown"),
      },
    };
    alertmanagerConfigReload = {
      alert: "AlertmanagerConfigReloadFailed",
      expr: `max_over_time(${sel("alertmanager_config_last_reload_successful", alertmanager)}[5m]) == 0`,
      for: ctx.for,
      labels: { severity: "warning" },
      annotations: {
        summary: "Alertmanager could not reload its configuration.",
        description:
          "The last configuration reload of Alertmanager {{ $labels.instance }} failed: it still runs the previous configuration. Check alertmanager.yml with amtool check-config.",
        ...ctx.links("AlertmanagerConfigReloadFailed"),
      },
    };
    notificationsFailing = {
      alert: "AlertmanagerNotificationsFailing",
      expr: `increase(${sel("alertmanager_notifications_failed_total", alertmanager)}[5m]) > 0`,
      for: ctx.for,
      labels: { severity: "warning" },
      annotations: {
        summary: "Alertmanager fails to send notifications.",
        description: `Alertmanager {{ $labels.instance }} failed to send {{ printf "%.0f" $value }} notification(s) through {{ $labels.integration }} in the last 5m. See the Alertmanager log.`,
        ...ctx.links("AlertmanagerNotificationsFailing"),
      },
    };
    rules.push(alertmanagerDown, alertmanagerConfigReload, notificationsFailing);
  }

  // ---- tests ----
  const tests: TestGroup[] = [];
  const scenario = (name: string, windows: readonly number[], build: (tl: Timeline, s: SeriesSet) => AlertTestCase[]) => {
    const tl = new Timeline(windows, ctx.forSeconds, DEFAULT_TEST_STEP);
    const s = new SeriesSet();
    const cases = build(tl, s);
    tests.push({ name: `stack: ${name}`, interval: `${tl.step}s`, input_series: s.series, alert_rule_test: cases });
  };
  const target = (kind: ScrapeJobKind): Labels | undefined => {
    const job = ctx.jobs(kind)[0];
    return job ? { job: job.name, instance: job.targetGroups[0]?.targets[0] ?? job.name } : undefined;
  };
  const prometheusTarget = target("prometheus");
  const alertmanagerTarget = alertmanager ? target("alertmanager") : undefined;
  const uncovered = ctx.plan.scrapeJobs.filter((job) => !covered.has(job.kind) && job.targetGroups.some((g) => g.targets.length > 0));
  const victimJob = uncovered.find((job) => job.kind === "grafana") ?? uncovered.find((job) => job.kind !== "prometheus") ?? uncovered[0];
  const victim = victimJob ? { job: victimJob.name, instance: victimJob.targetGroups.find((g) => g.targets.length > 0)!.targets[0]! } : undefined;
  const ramp5m = (tl: Timeline) => valuesText([hold(0, tl.problem), ramp(1, 1, tl.samples - tl.problem)]);
  /** increase() over `windowSeconds` of a counter growing by one per test step. */
  const perWindow = (tl: Timeline, windowSeconds: number) => String(Math.round(windowSeconds / tl.step));

  scenario("Watchdog always fires", [], (tl, s) => {
    s.add("up", prometheusTarget ?? { job: "prometheus", instance: "localhost:9090" }, tl.steady(1));
    return [firing(watchdog.alert, tl.at(1), [expectAlert(watchdog, {})]), firing(watchdog.alert, tl.firing, [expectAlert(watchdog, {})])];
  });

  scenario("healthy stack stays quiet", [300], (tl, s) => {
    for (const job of ctx.plan.scrapeJobs) {
      for (const group of job.targetGroups) {
        // One target per group represents it: the rules treat targets alike, and thousands would bloat the file.
        for (const instance of group.targets.slice(0, 1)) {
          const labels = { ...group.labels, job: job.name, instance };
          if (!s.has("up", labels)) s.add("up", labels, tl.steady(1));
        }
      }
    }
    if (prometheusTarget) {
      s.add(
        "prometheus_rule_evaluation_failures_total",
        { ...prometheusTarget, rule_group: "/etc/prometheus/rules/flink.rules.yml;flink" },
        tl.steady(0),
      );
      s.add("prometheus_config_last_reload_successful", prometheusTarget, tl.steady(1));
      s.add("prometheus_tsdb_reloads_failures_total", prometheusTarget, tl.steady(0));
      s.add("prometheus_notifications_alertmanagers_discovered", prometheusTarget, tl.steady(1));
    }
    if (alertmanagerTarget) {
      s.add("alertmanager_config_last_reload_successful", alertmanagerTarget, tl.steady(1));
      s.add("alertmanager_notifications_failed_total", { ...alertmanagerTarget, integration: "webhook" }, tl.steady(0));
    }
    return [...new Set(rules.filter((rule) => rule !== watchdog).map((rule) => rule.alert))].map((name) => quiet(name, tl.firing));
  });

  if (victim) {
    scenario("scrape target down", [], (tl, s) => {
      s.add("up", victim, tl.change(1, 0));
      return [quiet(targetDown.alert, tl.beforeProblem), firing(targetDown.alert, tl.firing, [expectAlert(targetDown, victim)])];
    });
  }

  if (prometheusTarget && ruleFailures && configReload && tsdbReloads) {
    const failures = ruleFailures;
    scenario("rule evaluation failures", [300], (tl, s) => {
      const labels = { ...prometheusTarget, rule_group: "/etc/prometheus/rules/flink.rules.yml;flink" };
      s.add("prometheus_rule_evaluation_failures_total", labels, ramp5m(tl));
      return [quiet(failures.alert, tl.beforeProblem), firing(failures.alert, tl.firing, [expectAlert(failures, labels, perWindow(tl, 300))])];
    });
    const reload = configReload;
    scenario("configuration reload failed", [300], (tl, s) => {
      s.add("prometheus_config_last_reload_successful", prometheusTarget, tl.change(1, 0));
      return [quiet(reload.alert, tl.beforeProblem), firing(reload.alert, tl.firing, [expectAlert(reload, prometheusTarget)])];
    });
    const tsdb = tsdbReloads;
    scenario("storage reloads failing", [TSDB_RELOAD_WINDOW_SECONDS], (tl, s) => {
      s.add("prometheus_tsdb_reloads_failures_total", prometheusTarget, ramp5m(tl));
      return [
        quiet(tsdb.alert, tl.beforeProblem),
        firing(tsdb.alert, tl.firing, [expectAlert(tsdb, prometheusTarget, perWindow(tl, TSDB_RELOAD_WINDOW_SECONDS))]),
      ];
    });
  }

  if (prometheusTarget && notConnected) {
    const rule = notConnected;
    scenario("no Alertmanager", [300], (tl, s) => {
      s.add("prometheus_notifications_alertmanagers_discovered", prometheusTarget, tl.change(1, 0));
      return [quiet(rule.alert, tl.beforeProblem), firing(rule.alert, tl.firing, [expectAlert(rule, prometheusTarget)])];
    });
  }

  if (alertmanagerTarget && alertmanagerDown && alertmanagerConfigReload && notificationsFailing) {
    const down = alertmanagerDown;
    const reload = alertmanagerConfigReload;
    const failing = notificationsFailing;
    scenario("Alertmanager down", [], (tl, s) => {
      s.add("up", alertmanagerTarget, tl.change(1, 0));
      return [quiet(down.alert, tl.beforeProblem), firing(down.alert, tl.firing, [expectAlert(down, alertmanagerTarget)])];
    });
    scenario("Alertmanager configuration reload failed", [300], (tl, s) => {
      s.add("alertmanager_config_last_reload_successful", alertmanagerTarget, tl.change(1, 0));
      return [quiet(reload.alert, tl.beforeProblem), firing(reload.alert, tl.firing, [expectAlert(reload, alertmanagerTarget)])];
    });
    scenario("Alertmanager notifications failing", [300], (tl, s) => {
      const labels = { ...alertmanagerTarget, integration: "email" };
      s.add("alertmanager_notifications_failed_total", labels, ramp5m(tl));
      return [quiet(failing.alert, tl.beforeProblem), firing(failing.alert, tl.firing, [expectAlert(failing, labels, perWindow(tl, 300))])];
    });
  }

  return { group: { name: "stack", rules }, tests, testStep: DEFAULT_TEST_STEP };
}
