// Alert rules, their promtool unit tests and alertmanager.yml, judged by the real tools: promtool check rules,
// promtool test rules (every generated test file) and amtool check-config. A missing tool fails, never skips.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import yaml from "js-yaml";
import { planStack, resolveConfig, validateConfig, type StackPlan } from "../lib/index.js";
import { buildAlertRules, renderAlertRules, ruleFilePath, ruleTestFilePath } from "../lib/render/alert-rules.js";
import { buildAlertmanagerConfig, renderAlertmanagerConfig, slackUrlMountPath } from "../lib/render/alertmanager.js";
import { deepMerge } from "../lib/render/merge.js";
import type { AlertRule, RuleFile, RuleTestFile } from "../lib/render/alerts/types.js";
import { describeRun, requireTool, runProcess, runTool } from "./support/tools.js";

type Raw = Record<string, unknown>;

interface Case {
  readonly name: string;
  readonly config: Raw;
}

const TWO_CLUSTERS = [
  {
    name: "prod",
    jobmanagers: ["jm1.prod.internal"],
    taskmanagers: ["tm1.prod.internal", "tm2.prod.internal", "tm3.prod.internal"],
    labels: { env: "prod" },
  },
  { name: "dev", jobmanagers: ["jm.dev.internal"] },
];

const RECEIVERS = [
  { name: "team-webhook", webhook: { url: "https://hooks.example.com/alert" } },
  {
    name: "oncall-mail",
    email: { to: "oncall@example.com", from: "flink-alerts@example.com", smarthost: "smtp.example.com:587", authUsername: "alerts" },
  },
  { name: "pager-slack", slack: { apiUrlFile: "/etc/secrets/slack-url", channel: "#flink-alerts", sendResolved: false } },
];

const CASES: readonly Case[] = [
  {
    name: "Flink 1.9, pushgateway, no Alertmanager",
    config: {
      flink: { version: "1.9", clusters: [{ name: "legacy", jobmanagers: ["jobmanager"], taskmanagers: ["taskmanager-1", "taskmanager-2"] }] },
      alerting: { alertmanager: { enabled: false } },
    },
  },
  {
    name: "Flink 1.12, pushgateway without random suffix (isBackPressured)",
    config: {
      flink: {
        version: "1.12",
        reporter: { interval: "10s", pushgateway: { jobName: "flink_metrics", randomJobNameSuffix: false, groupingKey: { dc: "eu1" } } },
        clusters: [{ name: "c1", jobmanagers: ["jobmanager"], taskmanagers: ["taskmanager"] }],
      },
      nodeExporter: { enabled: false, targets: ["10.0.0.5:9100"] },
    },
  },
  {
    name: "Flink 1.18, pull, Alertmanager with receivers",
    config: {
      flink: {
        version: "1.18",
        reporter: { mode: "pull", pull: { port: "9249-9250" } },
        clusters: [{ name: "prod", jobmanagers: ["jm1:9249"], taskmanagers: ["tm1:9249", "tm2:9250"] }],
      },
      alerting: { alertmanager: { receivers: RECEIVERS, route: { receiver: "team-webhook", criticalReceiver: "pager-slack" } } },
    },
  },
  {
    name: "Flink 1.20, pushgateway, two clusters, custom thresholds",
    config: {
      flink: { version: "1.20", clusters: TWO_CLUSTERS },
      alerting: {
        rules: {
          for: "2m",
          thresholds: {
            restartsPerWindow: 3,
            restartWindow: "10m",
            heapUsageRatio: 0.8,
            gcTimeRatio: 0.25,
            pushStaleIntervals: 3,
            diskFreeRatio: 0.15,
          },
        },
        alertmanager: { receivers: [...RECEIVERS, { name: "watchdog", webhook: { url: "https://hc-ping.example.com/uuid" } }] },
      },
    },
  },
  {
    name: "Flink 2.1, pull, two clusters, no node exporter",
    config: {
      flink: { version: "2.1", reporter: { mode: "pull" }, clusters: TWO_CLUSTERS },
      nodeExporter: { enabled: false },
      prometheus: { scrapeJobs: [{ name: "kafka", targets: ["kafka-exporter:9308"] }] },
    },
  },
  {
    name: "Flink 2.1, pushgateway, short windows",
    config: {
      flink: { version: "2.1", reporter: { interval: "5s" }, clusters: [{ name: "edge", jobmanagers: ["jm"], taskmanagers: ["tm"] }] },
      alerting: { rules: { for: "30s", thresholds: { restartWindow: "90s", restartsPerWindow: 2 } } },
    },
  },
  {
    name: "Flink 1.20, pushgateway, prune sidecar",
    config: {
      flink: { version: "1.20", clusters: [{ name: "prod", jobmanagers: ["jm"], taskmanagers: ["tm1", "tm2"] }] },
      pushgateway: { prune: { sidecar: true, olderThan: "1h", every: "1m" } },
    },
  },
  {
    // The seed's topology: one-box Flink, both processes on one host sharing the reporter's port range.
    name: "Flink 1.20, pull, a JobManager and a TaskManager on one host (9249-9250)",
    config: {
      flink: {
        version: "1.20",
        reporter: { mode: "pull", pull: { port: "9249-9250" } },
        clusters: [{ name: "local", jobmanagers: ["localhost"], taskmanagers: ["localhost"] }],
      },
    },
  },
  {
    name: "Flink 2.1, pull, no port given: a range chosen for three processes on one host",
    config: {
      flink: {
        version: "2.1",
        reporter: { mode: "pull" },
        clusters: [{ name: "box", jobmanagers: ["flink-box"], taskmanagers: ["flink-box", "flink-box", "tm2.example"] }],
      },
    },
  },
  {
    name: "Flink 1.18, pull, shared hosts with spare ports of a wide range, two clusters",
    config: {
      flink: {
        version: "1.18",
        reporter: { mode: "pull", pull: { port: "9249-9253" } },
        clusters: [
          { name: "a", jobmanagers: ["box1"], taskmanagers: ["box1", "box2:9249"], labels: { env: "prod" } },
          { name: "b", jobmanagers: ["jm.b"], taskmanagers: ["tmb", "tmb", "[fd00::7]"] },
        ],
      },
    },
  },
];

const PRUNE_CASE = CASES.find((c) => c.name.includes("prune sidecar"))!;

function planOf(raw: Raw): StackPlan {
  return planStack(resolveConfig(validateConfig(raw)));
}

function writeOut(plan: StackPlan): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fps-alerts-"));
  const artifacts = [...renderAlertRules(plan), ...(plan.alerting.alertmanager.enabled ? [renderAlertmanagerConfig(plan)] : [])];
  for (const artifact of artifacts) {
    const file = path.join(dir, artifact.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, artifact.contents);
  }
  return dir;
}

function toolOutput(result: { stdout: string; stderr: string }): string {
  return `${result.stdout}\n${result.stderr}`;
}

function rulesOf(plan: StackPlan): AlertRule[] {
  return buildAlertRules(plan).flatMap(({ rules }) => rules.groups.flatMap((group) => group.rules));
}

/** Alert names that a generated test file expects to fire at least once. */
function firingTested(tests: RuleTestFile): Set<string> {
  return new Set(tests.tests.flatMap((group) => group.alert_rule_test.filter((c) => c.exp_alerts.length > 0).map((c) => c.alertname)));
}

function quietTested(tests: RuleTestFile): Set<string> {
  return new Set(tests.tests.flatMap((group) => group.alert_rule_test.filter((c) => c.exp_alerts.length === 0).map((c) => c.alertname)));
}

for (const testCase of CASES) {
  describe(`alert rules: ${testCase.name}`, () => {
    const plan = planOf(testCase.config);
    const dir = writeOut(plan);
    const rulesDir = path.join(dir, "prometheus/rules");

    test("the planner's rule files are exactly the rendered ones", () => {
      const rendered = renderAlertRules(plan)
        .map((a) => a.path)
        .filter((p) => p.endsWith(".rules.yml"));
      assert.deepEqual(rendered, [...plan.ruleFiles]);
      assert.deepEqual(plan.ruleFiles, plan.ruleBundles.map(ruleFilePath));
      for (const bundle of plan.ruleBundles) {
        const tests = yaml.load(readFileSync(path.join(dir, ruleTestFilePath(bundle)), "utf8")) as RuleTestFile;
        assert.deepEqual(tests.rule_files, [`../${bundle}.rules.yml`]);
      }
    });

    test("promtool check rules accepts every rule file, without lint findings", () => {
      const files = plan.ruleFiles.map((file) => path.join(dir, file));
      const result = runTool("promtool", ["check", "rules", ...files]);
      assert.equal(result.status, 0, describeRun("promtool check rules", result));
      assert.doesNotMatch(toolOutput(result), /lint|duplicate/i, toolOutput(result));
    });

    test("promtool test rules passes every generated unit-test file (run from elsewhere: paths are file-relative)", async () => {
      const testFiles = readdirSync(path.join(rulesDir, "tests")).map((file) => path.join(rulesDir, "tests", file));
      assert.equal(testFiles.length, plan.ruleFiles.length, "one test file per rule file");
      const promtool = requireTool("promtool");
      const results = await Promise.all(
        testFiles.map((file) => runProcess(promtool, ["test", "rules", file], { cwd: tmpdir(), timeoutMs: 300_000 })),
      );
      results.forEach((result, index) => {
        assert.equal(result.status, 0, describeRun(`promtool test rules ${path.basename(testFiles[index]!)}`, result));
      });
    });

    test("every alert is tested quiet on healthy series, the important ones also firing", () => {
      for (const { bundle, rules, tests } of buildAlertRules(plan)) {
        const names = new Set(rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert)));
        const fired = firingTested(tests);
        const quieted = quietTested(tests);
        for (const name of names) {
          if (name !== "Watchdog") assert.ok(quieted.has(name), `${bundle}: ${name} has no quiet test`);
          assert.ok(fired.has(name), `${bundle}: ${name} has no firing test`);
        }
      }
    });

    if (plan.alerting.alertmanager.enabled) {
      test("amtool check-config accepts alertmanager.yml", () => {
        const result = runTool("amtool", ["check-config", path.join(dir, "alertmanager/alertmanager.yml")]);
        assert.equal(result.status, 0, describeRun("amtool check-config", result));
      });
    }
  });
}

describe("alert rules: contents", () => {
  test("bundles follow the config: pushgateway only in pushgateway mode, node only with node exporters", () => {
    const push = planOf(CASES[0]!.config);
    assert.deepEqual(push.ruleBundles, ["flink", "pushgateway", "node", "stack"]);
    const pullNoNode = planOf(CASES[4]!.config);
    assert.deepEqual(pullNoNode.ruleBundles, ["flink", "stack"]);
    const off = planOf({ ...CASES[0]!.config, alerting: { enabled: false } });
    assert.deepEqual(off.ruleBundles, []);
    assert.deepEqual(renderAlertRules(off), []);
    const some = planOf({ ...CASES[0]!.config, alerting: { rules: { node: false, stack: false } } });
    assert.deepEqual(some.ruleBundles, ["flink", "pushgateway"]);
  });

  test("mixin style: CamelCase names, severity, summary and description on every alert", () => {
    for (const testCase of CASES) {
      for (const rule of rulesOf(planOf(testCase.config))) {
        assert.match(rule.alert, /^[A-Z][A-Za-z0-9]+$/);
        assert.ok(["critical", "warning", "info"].includes(rule.labels.severity), rule.alert);
        assert.ok(rule.annotations.summary.length > 0 && rule.annotations.description.length > 0, rule.alert);
      }
    }
  });

  test("Go templates stay literal in the YAML", () => {
    const plan = planOf(CASES[3]!.config);
    const flink = renderAlertRules(plan).find((a) => a.path === "prometheus/rules/flink.rules.yml")!;
    assert.match(flink.contents, /\{\{ \$labels\.cluster \}\}/);
    assert.match(flink.contents, /\{\{ \$value \| humanizePercentage \}\}/);
  });

  test("version-correct metric names: back-pressure time from 1.13, the flag on 1.10–1.12, nothing on 1.9", () => {
    const expr = (testCase: Case, alert: string) =>
      rulesOf(planOf(testCase.config))
        .filter((r) => r.alert === alert)
        .map((r) => r.expr);
    assert.deepEqual(expr(CASES[0]!, "FlinkBackPressure"), []);
    assert.match(expr(CASES[1]!, "FlinkBackPressure")[0]!, /avg_over_time\(flink_taskmanager_job_task_isBackPressured\[/);
    assert.match(expr(CASES[2]!, "FlinkBackPressure")[0]!, /flink_taskmanager_job_task_backPressuredTimeMsPerSecond/);
    assert.match(expr(CASES[0]!, "FlinkJobRestarting")[0]!, /flink_jobmanager_job_fullRestarts/);
    assert.match(expr(CASES[2]!, "FlinkJobRestarting")[0]!, /flink_jobmanager_job_numRestarts/);
  });

  test("GC time: every collector before 1.19 (tested with G1 names), the All aggregate from 1.19", () => {
    const gc = (testCase: Case) => {
      const plan = planOf(testCase.config);
      const flink = buildAlertRules(plan).find((b) => b.bundle === "flink")!;
      const exprs = flink.rules.groups[0]!.rules.filter((r) => r.alert === "FlinkGCTimeHigh").map((r) => r.expr);
      const series = flink.tests.tests.find((g) => g.name.includes("garbage collection"))!.input_series.map((s) => s.series);
      return { exprs, series };
    };
    const old = gc(CASES[2]!);
    assert.equal(old.exprs.length, 2);
    for (const expr of old.exprs) assert.match(expr, /label_replace\(\{__name__=~"flink_(job|task)manager_Status_JVM_GarbageCollector_/);
    assert.ok(old.series.some((s) => s.startsWith("flink_taskmanager_Status_JVM_GarbageCollector_G1_Young_Generation_Time{")));
    assert.ok(!old.series.some((s) => s.includes("_All_")));
    const recent = gc(CASES[3]!);
    for (const expr of recent.exprs) {
      assert.match(expr, /rate\(flink_(job|task)manager_Status_JVM_GarbageCollector_All_Time(\{\})?\[/);
      assert.doesNotMatch(expr, /__name__/);
    }
    assert.ok(recent.series.some((s) => s.startsWith("flink_taskmanager_Status_JVM_GarbageCollector_All_Time{")));
  });

  test("FlinkTaskManagerLost compares each cluster with its configured TaskManagers", () => {
    const lost = rulesOf(planOf(CASES[3]!.config)).filter((r) => r.alert === "FlinkTaskManagerLost");
    assert.deepEqual(
      lost.map((r) => r.labels.expected_taskmanagers),
      ["3", "1"],
    );
    assert.match(lost[0]!.expr, /cluster="prod".*< 3$/);
    assert.match(lost[1]!.expr, /cluster="dev".*< 1$/);
  });

  test("pushgateway mode: freshness rules use the reporter job name and interval × pushStaleIntervals", () => {
    const rules = rulesOf(planOf(CASES[3]!.config));
    const stale = rules.find((r) => r.alert === "FlinkMetricsPushStale")!;
    assert.equal(stale.expr, 'time() - push_time_seconds{job=~"flink.*"} > 45');
    const failing = rules.find((r) => r.alert === "FlinkMetricsPushFailing")!;
    assert.equal(failing.expr, 'push_failure_time_seconds{job=~"flink.*"} > push_time_seconds{job=~"flink.*"}');
    assert.equal(rules.find((r) => r.alert === "PushgatewayDown")!.expr, 'up{job="pushgateway"} == 0');
    // Stale groups are filtered out of the gauges the Flink rules read.
    assert.match(rules.find((r) => r.alert === "FlinkNoRunningJob")!.expr, /unless on\(job, instance, cluster\) \(time\(\) - push_time_seconds/);
    const custom = rulesOf(planOf(CASES[1]!.config)).find((r) => r.alert === "FlinkMetricsPushStale")!;
    assert.equal(custom.expr, 'time() - push_time_seconds{job=~"flink_metrics.*"} > 40');
  });

  test("prune sidecar: PushgatewayPruneFailing after 3 × every without a successful round; a dead sidecar is PrometheusTargetDown's", () => {
    const plan = planOf(PRUNE_CASE.config);
    const rules = rulesOf(plan);
    const prune = rules.filter((r) => r.alert === "PushgatewayPruneFailing");
    assert.equal(prune.length, 1);
    assert.equal(prune[0]!.expr, 'time() - pushgateway_prune_last_success_timestamp_seconds{job="pushgateway-prune"} > 180');
    assert.equal(prune[0]!.for, "5m");
    assert.equal(prune[0]!.labels.severity, "warning");
    assert.match(prune[0]!.annotations.description, /docker logs flink-monitoring_pushgateway-prune_1/);
    // Exactly one down alert watches the sidecar: PrometheusTargetDown (the pushgateway bundle has none for it).
    const targetDown = rules.find((r) => r.alert === "PrometheusTargetDown")!;
    assert.doesNotMatch(targetDown.expr, /pushgateway-prune/);
    assert.match(targetDown.expr, /^up\{job!~"[^"]*"\} == 0$/);
    assert.ok(!rules.some((r) => r.alert !== "PrometheusTargetDown" && /up\{[^}]*pushgateway-prune/.test(r.expr)));
    // Its promtool tests: quiet on fresh and on lagging successes, firing when successes stop or never come.
    const tests = buildAlertRules(plan).find((b) => b.bundle === "pushgateway")!.tests;
    assert.ok(firingTested(tests).has("PushgatewayPruneFailing"));
    assert.ok(quietTested(tests).has("PushgatewayPruneFailing"));
    const names = tests.tests
      .filter((g) => g.input_series.some((s) => s.series.startsWith("pushgateway_prune_last_success_timestamp_seconds{")))
      .map((g) => g.name);
    assert.deepEqual(names, [
      "pushgateway: fresh pushes stay quiet",
      "pushgateway: prune successes lagging just under the limit stay quiet",
      "pushgateway: prune rounds stop succeeding",
      "pushgateway: a restarted prune sidecar that never succeeds",
    ]);
    // Never tighter than three scrapes: a round every second is still seen up to a scrape late.
    const fast = rulesOf(planOf({ ...PRUNE_CASE.config, pushgateway: { prune: { sidecar: true, olderThan: "1h", every: "1s" } } }));
    assert.match(fast.find((r) => r.alert === "PushgatewayPruneFailing")!.expr, / > 45$/);
    // Without the sidecar, no rule.
    assert.ok(!rulesOf(planOf(CASES[0]!.config)).some((r) => r.alert === "PushgatewayPruneFailing"));
  });

  test("prune sidecar: promtool catches a broken PushgatewayPruneFailing (its tests are not vacuous)", () => {
    const dir = writeOut(planOf(PRUNE_CASE.config));
    const file = path.join(dir, "prometheus/rules/pushgateway.rules.yml");
    const rules = yaml.load(readFileSync(file, "utf8")) as RuleFile;
    for (const [from, to] of [
      [/ > 180$/, " > 100000"],
      [/ > 180$/, " > 60"],
    ] as const) {
      const broken = {
        groups: rules.groups.map((group) => ({
          ...group,
          rules: group.rules.map((rule) => (rule.alert === "PushgatewayPruneFailing" ? { ...rule, expr: rule.expr.replace(from, to) } : rule)),
        })),
      };
      writeFileSync(file, yaml.dump(broken));
      const result = runTool("promtool", ["test", "rules", path.join(dir, "prometheus/rules/tests/pushgateway.test.yml")]);
      assert.notEqual(result.status, 0, `promtool should fail with PushgatewayPruneFailing at${to}`);
      assert.match(toolOutput(result), /PushgatewayPruneFailing/);
    }
  });

  test("pull mode: no Pushgateway rules, Flink targets watched by FlinkMetricsEndpointDown", () => {
    const rules = rulesOf(planOf(CASES[4]!.config));
    assert.ok(!rules.some((r) => r.alert.startsWith("Pushgateway") || r.alert.startsWith("FlinkMetricsPush")));
    assert.equal(rules.find((r) => r.alert === "FlinkMetricsEndpointDown")!.expr, 'up{job=~"flink-prod|flink-dev"} == 0');
    assert.equal(rules.find((r) => r.alert === "PrometheusTargetDown")!.expr, 'up{job!~"flink-prod|flink-dev|alertmanager"} == 0');
    assert.ok(!rules.some((r) => r.expr.includes("push_time_seconds")));
  });

  test("stack bundle: Alertmanager rules only with Alertmanager; Watchdog always fires", () => {
    const without = rulesOf(planOf(CASES[0]!.config)).map((r) => r.alert);
    assert.ok(!without.includes("AlertmanagerDown") && !without.includes("PrometheusNotConnectedToAlertmanagers"));
    const withAm = rulesOf(planOf(CASES[2]!.config));
    for (const name of [
      "AlertmanagerDown",
      "PrometheusNotConnectedToAlertmanagers",
      "PrometheusConfigReloadFailed",
      "PrometheusRuleEvaluationFailures",
    ]) {
      assert.ok(
        withAm.some((r) => r.alert === name),
        name,
      );
    }
    const watchdog = withAm.find((r) => r.alert === "Watchdog")!;
    assert.equal(watchdog.expr, "vector(1)");
    assert.equal(watchdog.for, undefined);
    assert.match(watchdog.annotations.description, /always firing/);
  });

  test("the generated unit tests catch a broken rule (they are not vacuous)", () => {
    const plan = planOf(CASES[3]!.config);
    const dir = writeOut(plan);
    const file = path.join(dir, "prometheus/rules/flink.rules.yml");
    const rules = yaml.load(readFileSync(file, "utf8")) as RuleFile;
    const broken = {
      groups: rules.groups.map((group) => ({
        ...group,
        rules: group.rules.map((rule) => (rule.alert === "FlinkTaskManagerLost" ? { ...rule, expr: rule.expr.replace(/< 3$/, "< 2") } : rule)),
      })),
    };
    writeFileSync(file, yaml.dump(broken));
    const result = runTool("promtool", ["test", "rules", path.join(dir, "prometheus/rules/tests/flink.test.yml")]);
    assert.notEqual(result.status, 0, "promtool should fail with a broken FlinkTaskManagerLost");
    assert.match(toolOutput(result), /FlinkTaskManagerLost/);
  });

  test("rendering is deterministic", () => {
    const plan = planOf(CASES[3]!.config);
    assert.deepEqual(renderAlertRules(plan), renderAlertRules(planOf(CASES[3]!.config)));
  });
});

describe("alertmanager.yml", () => {
  interface AmConfig {
    route: { receiver: string; group_by: string[]; routes: Array<{ receiver: string; matchers: string[]; repeat_interval?: string }> };
    receivers: Array<Record<string, unknown> & { name: string }>;
    inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[]; equal: string[] }>;
  }
  const am = (raw: Raw) => yaml.load(renderAlertmanagerConfig(planOf(raw)).contents) as AmConfig;

  test("receivers map to webhook, email (no password) and slack (api_url_file) configs", () => {
    const config = am(CASES[2]!.config);
    const byName = Object.fromEntries(config.receivers.map((r) => [r.name, r]));
    assert.deepEqual(byName["team-webhook"], {
      name: "team-webhook",
      webhook_configs: [{ url: "https://hooks.example.com/alert", send_resolved: true }],
    });
    assert.deepEqual(byName["oncall-mail"], {
      name: "oncall-mail",
      email_configs: [
        {
          to: "oncall@example.com",
          from: "flink-alerts@example.com",
          smarthost: "smtp.example.com:587",
          auth_username: "alerts",
          require_tls: true,
          send_resolved: true,
        },
      ],
    });
    assert.deepEqual(byName["pager-slack"], {
      name: "pager-slack",
      slack_configs: [{ api_url_file: "/etc/alertmanager-secrets/pager-slack-slack-url", channel: "#flink-alerts", send_resolved: false }],
    });
    assert.equal(slackUrlMountPath("pager-slack"), "/etc/alertmanager-secrets/pager-slack-slack-url");
    assert.doesNotMatch(renderAlertmanagerConfig(planOf(CASES[2]!.config)).contents, /password/);
  });

  test("the planner mounts the Slack URL file where the config reads it", () => {
    const plan = planOf(CASES[2]!.config);
    const service = plan.services.find((s) => s.name === "alertmanager")!;
    assert.ok(service.mounts.some((m) => m.source === "/etc/secrets/slack-url" && m.target === slackUrlMountPath("pager-slack") && m.readOnly));
  });

  test("route: configured receiver and timings, Watchdog to the null receiver, critical to criticalReceiver", () => {
    const config = am(CASES[2]!.config);
    assert.equal(config.route.receiver, "team-webhook");
    assert.deepEqual(config.route.group_by, ["alertname", "cluster"]);
    assert.deepEqual(config.route.routes, [
      { receiver: "null", matchers: ['alertname="Watchdog"'] },
      { receiver: "pager-slack", matchers: ['severity="critical"'] },
    ]);
    assert.ok(config.receivers.some((r) => r.name === "null" && Object.keys(r).length === 1));
    assert.deepEqual(config.inhibit_rules[0], {
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
      equal: ["alertname", "cluster"],
    });
  });

  test("a receiver named watchdog becomes the dead man's switch", () => {
    const config = am(CASES[3]!.config);
    assert.equal(config.route.routes[0]!.receiver, "watchdog");
    assert.equal(config.route.routes[0]!.repeat_interval, "1m");
    assert.ok(!config.receivers.some((r) => r.name === "null"));
  });

  test("no receivers: an empty default receiver", () => {
    const config = am({ flink: { version: "1.20", clusters: [{ name: "a", jobmanagers: ["jm"] }] } });
    assert.equal(config.route.receiver, "default");
    assert.deepEqual(config.receivers.map((r) => r.name).sort(), ["default", "null"]);
    assert.ok(config.receivers.every((r) => Object.keys(r).length === 1));
    assert.ok(config.inhibit_rules.some((r) => r.source_matchers[0] === 'alertname="PushgatewayDown"'));
  });

  test("overrides.alertmanager is deep-merged", () => {
    const raw = {
      flink: { version: "1.20", clusters: [{ name: "a", jobmanagers: ["jm"] }] },
      overrides: { alertmanager: { global: { resolve_timeout: "10m" }, route: { group_wait: "1m" } } },
    };
    const config = buildAlertmanagerConfig(planOf(raw)) as unknown as AmConfig & {
      global: unknown;
      route: { group_wait: string; repeat_interval: string };
    };
    assert.deepEqual(config.global, { resolve_timeout: "10m" });
    assert.equal(config.route.group_wait, "1m");
    assert.equal(config.route.repeat_interval, "4h");
    const dir = mkdtempSync(path.join(tmpdir(), "fps-am-"));
    const file = path.join(dir, "alertmanager.yml");
    writeFileSync(file, renderAlertmanagerConfig(planOf(raw)).contents);
    const result = runTool("amtool", ["check-config", file]);
    assert.equal(result.status, 0, describeRun("amtool check-config", result));
  });
});

describe("deepMerge", () => {
  test("objects merge, arrays and scalars replace, inputs stay untouched", () => {
    const base = { a: { b: 1, c: [1, 2] }, d: "x" };
    const merged = deepMerge(base, { a: { c: [3], e: null }, f: { g: true } });
    assert.deepEqual(merged, { a: { b: 1, c: [3], e: null }, d: "x", f: { g: true } });
    assert.deepEqual(base, { a: { b: 1, c: [1, 2] }, d: "x" });
    assert.equal(deepMerge(base, undefined), base);
  });

  test("prototype keys are refused at any depth", () => {
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const nested = JSON.parse(`{"a": {"${key}": {"polluted": true}}}`) as Record<string, unknown>;
      assert.throws(() => deepMerge({ a: {} }, nested), new RegExp(key));
      const inArray = JSON.parse(`{"a": [{"${key}": {"polluted": true}}]}`) as Record<string, unknown>;
      assert.throws(() => deepMerge({}, inArray), new RegExp(key));
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
