// The values the stack derives once (lib/plan, lib/promql) say the same thing in every place that shows or uses
// them: the dashboards, the alert rules, `verify` and the README. Each test derives the value from the plan and
// finds exactly that in every output.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildStack } from "../lib/generate.js";
import type { StackPlan } from "../lib/plan/types.js";
import { fresh, promString, regexEscape } from "../lib/promql/index.js";
import { IGNORED_FSTYPES } from "../lib/promql/node.js";
import { buildAlertRules } from "../lib/render/alert-rules.js";
import type { AlertRule } from "../lib/render/alert-rules.js";
import { listPanelQueries } from "../lib/render/dashboards/index.js";
import { renderStack } from "../lib/render/index.js";
import { verifyStack } from "../lib/verify/index.js";

function config(extra: { flink?: Record<string, unknown>; network?: Record<string, unknown>; thresholds?: Record<string, unknown> } = {}) {
  return {
    name: "agreement",
    flink: {
      version: "1.20",
      reporter: { mode: "pushgateway", interval: "15s", pushgateway: { jobName: "flink" } },
      clusters: [
        { name: "prod.eu", jobmanagers: ["jm1"], taskmanagers: ["tm1", "tm2"] },
        { name: "batch", jobmanagers: ["jm2"] },
      ],
      ...extra.flink,
    },
    nodeExporter: { enabled: true, targets: ["host1:9100"] },
    grafana: { enabled: true },
    alerting: { enabled: true, rules: { thresholds: { pushStaleIntervals: 5, ...extra.thresholds } } },
    ...(extra.network ? { network: extra.network } : {}),
  };
}

const rules = (plan: StackPlan): AlertRule[] => buildAlertRules(plan).flatMap((b) => b.rules.groups.flatMap((g) => [...g.rules]));
const rule = (plan: StackPlan, name: string): AlertRule => rules(plan).find((r) => r.alert === name)!;
const readme = (plan: StackPlan): string => renderStack(plan).find((a) => a.path === "README.md")!.contents;

/** A Prometheus API that has no Flink series and whose newest Flink push is `age` seconds old. */
function fakePrometheus(plan: StackPlan, age: number, queries: string[]): (url: string, init?: RequestInit) => Promise<Response> {
  const json = (data: unknown) => new Response(JSON.stringify({ status: "success", data }), { status: 200 });
  return async (url, init) => {
    if (url.includes("/api/v1/status/buildinfo")) return json({ version: "2.53.0" });
    if (url.includes("/api/v1/label/")) return json([]);
    const expr = new URLSearchParams(init?.body as string | undefined).get("query") ?? "";
    queries.push(expr);
    if (expr === `time() - max(${plan.freshness!.pushTime})`)
      return json({ resultType: "vector", result: [{ metric: {}, value: [0, String(age)] }] });
    return json({ resultType: "vector", result: [] });
  };
}

describe("model agreement", () => {
  const plan = buildStack(config()).plan;
  const stale = plan.pushgateway.staleWindow;

  it("the Pushgateway stale window: one number in dashboards, alerts, verify and the README", async () => {
    assert.deepEqual(stale, { seconds: 75, duration: "1m15s" }, "5 intervals of 15s");
    const clause = fresh("x", plan.freshness).slice("(x)".length);
    assert.equal(clause, ` unless on(job, instance, cluster) (time() - push_time_seconds{job=~"flink.*"} > 75)`);
    // Dashboards: every Flink panel hides stale groups with exactly that clause.
    const flinkPanels = listPanelQueries(plan).filter((q) => q.expr.includes("flink_"));
    assert.ok(flinkPanels.length > 20);
    for (const q of flinkPanels) assert.ok(q.expr.includes(clause), `${q.dashboard} / ${q.panel}: ${q.expr}`);
    // Alerts: FlinkMetricsPushStale fires past the same window; the Flink rules hide stale groups the same way.
    const pushStale = rule(plan, "FlinkMetricsPushStale");
    assert.equal(pushStale.expr, `time() - ${plan.freshness!.pushTime} > ${stale.seconds}`);
    assert.match(pushStale.annotations.description, new RegExp(`stale after ${stale.duration}\\.`));
    const flinkRules = buildAlertRules(plan).find((b) => b.bundle === "flink")!.rules.groups[0]!.rules;
    const filtered = flinkRules.filter((r) => r.expr.includes("push_time_seconds"));
    assert.ok(filtered.length > 5);
    for (const r of filtered) {
      // Either the freshness clause, or (FlinkJobManagerDown) the age of the JobManager's own push against the window.
      const ageOfPush = r.expr.includes(`(time() - ${plan.freshness!.pushTime})`) && r.expr.endsWith(`> ${stale.seconds}`);
      assert.ok(r.expr.includes(clause) || ageOfPush, `${r.alert}: ${r.expr}`);
    }
    // README: the same window.
    assert.match(readme(plan), new RegExp(`pushed within the last ${stale.seconds}s`));
    // verify: a push exactly as old as the window is not stale yet; one second older is, as for the alert.
    for (const [age, stalled] of [
      [stale.seconds, false],
      [stale.seconds + 1, true],
    ] as const) {
      const queries: string[] = [];
      const result = await verifyStack(plan, { prometheusUrl: "http://prometheus.test", fetch: fakePrometheus(plan, age, queries), concurrency: 2 });
      assert.ok(queries.includes(`time() - max(${plan.freshness!.pushTime})`), "verify asks for the plan's push times");
      const said = result.panels.some((p) => p.cause?.includes("reporter not pushing"));
      assert.equal(said, stalled, `age ${age}s`);
    }
  });

  it("the freshness selector is absent in pull mode, everywhere", () => {
    const pull = buildStack(config({ flink: { reporter: { mode: "pull" } } })).plan;
    assert.equal(pull.freshness, undefined);
    for (const q of listPanelQueries(pull)) assert.doesNotMatch(q.expr, /push_time_seconds/, q.panel);
    for (const r of rules(pull)) assert.doesNotMatch(r.expr, /push_time_seconds/, r.alert);
  });

  it("node_exporter file systems: the Hosts dashboard and NodeFilesystemSpaceLow ignore the same types", () => {
    const filter = `fstype!~${promString(IGNORED_FSTYPES)}`;
    assert.match(IGNORED_FSTYPES, /\bproc\b/);
    assert.match(IGNORED_FSTYPES, /\bsysfs\b/);
    const fsPanels = listPanelQueries(plan).filter((q) => q.expr.includes("node_filesystem_"));
    assert.ok(fsPanels.length > 0);
    for (const q of fsPanels) assert.ok(q.expr.includes(filter), `${q.panel}: ${q.expr}`);
    const fsRules = rules(plan).filter((r) => r.expr.includes("node_filesystem_"));
    assert.ok(fsRules.length > 0);
    for (const r of fsRules) assert.ok(r.expr.includes(filter), `${r.alert}: ${r.expr}`);
  });

  it("expected TaskManagers: at least one per cluster, in the dashboard and in FlinkTaskManagerLost", () => {
    assert.deepEqual(plan.expectedTaskManagers, { "prod.eu": 2, batch: 1 });
    const expected = listPanelQueries(plan).find((q) => q.panel === "TaskManagers expected")!;
    assert.match(expected.expr, /label_replace\(vector\(2\), "cluster", "prod.eu"/);
    assert.match(expected.expr, /label_replace\(vector\(1\), "cluster", "batch"/, "a cluster listing no TaskManager still expects one");
    const lost = rules(plan)
      .filter((r) => r.alert === "FlinkTaskManagerLost")
      .map((r) => r.expr);
    assert.ok(
      lost.some((e) => e.includes(`cluster="batch"`) && e.endsWith("< 1")),
      lost.join("\n"),
    );
    assert.ok(
      lost.some((e) => e.includes(`cluster="prod.eu"`) && e.endsWith("< 2")),
      lost.join("\n"),
    );
  });

  it("the display host: the URLs a person opens, the README and the default push URL agree", () => {
    for (const [bindAddress, host] of [
      ["0.0.0.0", "localhost"],
      ["::", "localhost"],
      ["::1", "[::1]"],
      ["127.0.0.1", "127.0.0.1"],
    ] as const) {
      const p = buildStack(config({ network: { bindAddress } })).plan;
      assert.equal(p.network.displayHost, host, bindAddress);
      for (const url of Object.values(p.urls)) assert.ok(url.startsWith(`http://${host}:`), `${bindAddress}: ${url}`);
      assert.ok(readme(p).includes(p.urls.grafana!), `${bindAddress}: README shows ${p.urls.grafana}`);
      assert.equal(new URL(p.flink.pushgateway.url).host, `${host}:${p.services.find((s) => s.name === "pushgateway")!.ports[0]!.hostPort}`);
    }
  });

  it("escaping: a cluster name with regex metacharacters is matched literally by the relabel rules and the alerts", () => {
    const old = buildStack(config({ flink: { version: "1.9", reporter: { mode: "pushgateway", pushgateway: { jobName: "flink" } } } })).plan;
    const relabel = old.scrapeJobs.find((j) => j.kind === "pushgateway")!.metricRelabelings.find((r) => r.replacement === "prod.eu")!;
    assert.equal(relabel.regex, `${regexEscape("flink-prod.eu")}[0-9a-f]{32}`);
    assert.equal(regexEscape("prod.eu"), "prod\\.eu");
    const lost = rules(plan)
      .filter((r) => r.alert === "FlinkTaskManagerLost" || r.alert === "FlinkJobManagerDown")
      .map((r) => r.expr);
    assert.ok(
      lost.some((e) => e.includes(`cluster="prod.eu"`) || e.includes(promString(regexEscape("prod.eu")))),
      lost.join("\n"),
    );
  });
});
