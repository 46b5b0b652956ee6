// Alert → panel → runbook: every generated alert rule carries a `dashboard` link to a panel that exists (with
// the alert's labels as that dashboard's variables) and a `runbook_url` into the generated RUNBOOK.md, whose
// section for the alert says what it means, what to look at first and what usually fixes it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildStack } from "../lib/generate.js";
import type { StackPlan } from "../lib/plan/types.js";
import { buildAlertRules, type AlertRule } from "../lib/render/alert-rules.js";
import { buildDashboard } from "../lib/render/dashboards/index.js";

type Mode = "pushgateway" | "pull";

function stackFor(version: string, mode: Mode, extra: Record<string, unknown> = {}) {
  return buildStack({
    name: "runbook-test",
    flink: {
      version,
      reporter: { mode },
      clusters: [{ name: "prod", jobmanagers: ["jm"], taskmanagers: ["tm1", "tm2"] }],
    },
    nodeExporter: { enabled: true },
    pushgateway: mode === "pushgateway" ? { prune: { sidecar: true } } : {},
    ...extra,
  });
}

function rulesOf(plan: StackPlan): AlertRule[] {
  return buildAlertRules(plan).flatMap((b) => b.rules.groups.flatMap((g) => g.rules));
}

const CASES = (["1.9", "1.12", "1.20", "2.1"] as const).flatMap((version) =>
  (["pushgateway", "pull"] as const).map((mode) => ({ version, mode, stack: stackFor(version, mode) })),
);

describe("alert links: dashboard panel and runbook section", () => {
  for (const { version, mode, stack } of CASES) {
    it(`Flink ${version} ${mode}: every rule links to an existing panel or UI page and to its RUNBOOK.md section`, () => {
      const plan = stack.plan;
      const runbook = stack.artifacts.find((a) => a.path === "RUNBOOK.md");
      assert.ok(runbook, "RUNBOOK.md is generated");
      const grafana = plan.urls.grafana;
      assert.ok(grafana);
      const rules = rulesOf(plan);
      assert.ok(rules.length > 20);
      for (const rule of rules) {
        const { dashboard, runbook_url: runbookUrl } = rule.annotations;
        assert.equal(runbookUrl, `RUNBOOK.md#${rule.alert.toLowerCase()}`, rule.alert);
        assert.match(
          runbook.contents,
          new RegExp(
            `^## ${rule.alert}\\n\\n\\*\\*What it means\\.\\*\\* .+\\n\\n\\*\\*Look first\\.\\*\\* .+\\n\\n\\*\\*What usually fixes it\\.\\*\\* .+$`,
            "m",
          ),
          rule.alert,
        );
        assert.ok(dashboard, `${rule.alert}: no dashboard link`);
        const url = new URL(dashboard.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, "LABEL_$1"));
        const d = plan.dashboards.find((entry) => url.pathname === `/d/${entry.uid}/${entry.title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`);
        if (d === undefined) {
          // Alerts about the stack itself open the UI of the service concerned.
          assert.ok(
            Object.values(plan.urls).some((base) => dashboard.startsWith(`${base}/`)),
            `${rule.alert}: ${dashboard}`,
          );
          assert.match(rule.alert, /^(Watchdog|Prometheus|Alertmanager|Pushgateway)/, `${rule.alert} should open a dashboard panel`);
          continue;
        }
        assert.ok(dashboard.startsWith(`${grafana}/d/`), dashboard);
        const built = buildDashboard(plan, d);
        const panel = built.panels.find((p) => String(p.id) === url.searchParams.get("viewPanel"));
        assert.ok(panel && panel.type !== "row", `${rule.alert}: viewPanel ${url.searchParams.get("viewPanel")} is no query panel of ${d.title}`);
        // Every variable passed is a variable of that dashboard, filled from the alert label of the same name.
        const variables = new Set(built.templating.list.map((v) => v.name));
        for (const [key, value] of url.searchParams) {
          if (key === "viewPanel") continue;
          const name = key.replace(/^var-/, "");
          assert.ok(variables.has(name), `${rule.alert}: var ${name} not on ${d.title}`);
          assert.equal(value, `LABEL_${name}`, `${rule.alert}: ${key}`);
        }
      }
    });
  }

  it("the JVM alerts of TaskManagers open the TaskManager dashboard with the TaskManager selected; JobManagers the cluster overview", () => {
    const plan = stackFor("1.20", "pull").plan;
    const heap = rulesOf(plan).filter((r) => r.alert === "FlinkHeapUsageHigh");
    const byRole = Object.fromEntries(heap.map((r): [string, string] => [r.labels.role ?? "", r.annotations.dashboard ?? ""]));
    const tm = plan.dashboards.find((d) => d.kind === "taskmanager")!;
    const cluster = plan.dashboards.find((d) => d.kind === "cluster")!;
    assert.match(
      byRole.taskmanager ?? "",
      new RegExp(
        `/d/${tm.uid}/flink-taskmanager\\?var-cluster=\\{\\{ \\$labels\\.cluster \\}\\}&var-tm_id=\\{\\{ \\$labels\\.tm_id \\}\\}&viewPanel=\\d+$`,
      ),
    );
    assert.match(
      byRole.jobmanager ?? "",
      new RegExp(`/d/${cluster.uid}/flink-cluster-overview\\?var-cluster=\\{\\{ \\$labels\\.cluster \\}\\}&viewPanel=\\d+$`),
    );
    const restarting = rulesOf(plan).find((r) => r.alert === "FlinkJobRestarting");
    assert.match(
      restarting?.annotations.dashboard ?? "",
      /var-cluster=\{\{ \$labels\.cluster \}\}&var-job_name=\{\{ \$labels\.job_name \}\}&viewPanel=\d+$/,
    );
  });

  it("without Grafana: no dashboard links to panels (the service UIs stay), the runbook still; without rules: no runbook", () => {
    const noGrafana = stackFor("1.20", "pull", { grafana: { enabled: false } });
    for (const rule of rulesOf(noGrafana.plan)) {
      assert.ok(rule.annotations.runbook_url, rule.alert);
      if (rule.annotations.dashboard !== undefined) assert.doesNotMatch(rule.annotations.dashboard, /\/d\//, rule.alert);
    }
    assert.ok(noGrafana.artifacts.some((a) => a.path === "RUNBOOK.md"));
    const noRules = stackFor("1.20", "pull", { alerting: { enabled: false } });
    assert.ok(!noRules.artifacts.some((a) => a.path === "RUNBOOK.md"));
    assert.doesNotMatch(noRules.artifacts.find((a) => a.path === "README.md")!.contents, /RUNBOOK/);
  });
});
