// Pull mode with several Flink processes on one host (one-box Flink): Flink's PrometheusReporter takes the first
// free port of its range per process, so Prometheus scrapes every port of the range on that host, and the
// alerts count answering ports per host instead of calling an unused port down. The written stack is judged by
// promtool (config syntax, rules, rule unit tests); the alert-rules test runs the same layouts in more detail.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import yaml from "js-yaml";
import { buildStack, checkConfig, generate, verifyStack } from "../lib/index.js";
import { expectedLocalTargets, targetFindings } from "../lib/docker/prometheus.js";
import { tempDir } from "./support/cli.js";
import { describeRun, requireTool, runProcess, runTool } from "./support/tools.js";

type Raw = Record<string, unknown>;

interface ScrapeConfig {
  job_name: string;
  static_configs: Array<{ targets: string[]; labels?: Record<string, string> }>;
  metric_relabel_configs?: Array<{ source_labels: string[]; regex: string; target_label: string; replacement: string }>;
}

const ONE_BOX: Raw = {
  flink: {
    version: "1.20",
    reporter: { mode: "pull", pull: { port: "9249-9250" } },
    clusters: [{ name: "local", jobmanagers: ["localhost"], taskmanagers: ["localhost"] }],
  },
};

function scrapeConfigs(raw: Raw): ScrapeConfig[] {
  const { artifacts } = buildStack(raw);
  const prometheus = artifacts.find((artifact) => artifact.path === "prometheus/prometheus.yml")!;
  return (yaml.load(prometheus.contents) as { scrape_configs: ScrapeConfig[] }).scrape_configs;
}

function artifact(raw: Raw, file: string): string {
  return buildStack(raw).artifacts.find((candidate) => candidate.path === file)!.contents;
}

const scratch = tempDir("fps-pull-ports-");
after(() => scratch.cleanup());

describe("pull mode: processes sharing a host", () => {
  it("one-box Flink (the seed's layout) scrapes both ports of the range, with the number of processes sharing them", () => {
    const job = scrapeConfigs(ONE_BOX).find((config) => config.job_name === "flink-local")!;
    assert.deepEqual(job.static_configs, [
      { targets: ["localhost:9249", "localhost:9250"], labels: { cluster: "local", port_range_processes: "2" } },
    ]);
    // Which port is the JobManager's is known only from the metric names: role comes from them.
    // (Beside the keep-list of used metrics, lib/render/metric-selection.ts, which writes to a __tmp_ label.)
    assert.deepEqual(
      job.metric_relabel_configs?.filter((rule) => rule.target_label === "role"),
      [{ source_labels: ["role", "__name__"], regex: ";flink_(jobmanager|taskmanager)_.+", target_label: "role", replacement: "$1" }],
    );
  });

  it("a wider range: every port of it on the shared host, given ports excluded; a host alone keeps one target", () => {
    const raw: Raw = {
      flink: {
        version: "1.18",
        reporter: { mode: "pull", pull: { port: "9249-9252" } },
        clusters: [{ name: "a", jobmanagers: ["box:9249"], taskmanagers: ["box", "box", "tm.alone"] }],
      },
    };
    const job = scrapeConfigs(raw).find((config) => config.job_name === "flink-a")!;
    assert.deepEqual(job.static_configs, [
      { targets: ["box:9249"], labels: { cluster: "a", role: "jobmanager" } },
      { targets: ["tm.alone:9249"], labels: { cluster: "a", role: "taskmanager" } },
      { targets: ["box:9250", "box:9251", "box:9252"], labels: { cluster: "a", role: "taskmanager", port_range_processes: "2" } },
    ]);
    assert.deepEqual(
      job.metric_relabel_configs?.filter((rule) => rule.target_label === "role"),
      [],
      "one role per pool: role is a target label",
    );
  });

  it("the alerts: unused ports are not 'down'; a host with fewer answering ports than processes is", () => {
    const rules = yaml.load(artifact(ONE_BOX, "prometheus/rules/flink.rules.yml")) as {
      groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
    };
    const endpoint = rules.groups[0]!.rules.filter((rule) => rule.alert === "FlinkMetricsEndpointDown").map((rule) => rule.expr);
    assert.deepEqual(endpoint, [
      'up{job="flink-local", port_range_processes=""} == 0',
      'sum by (job, cluster, host) (label_replace(up{job="flink-local", port_range_processes="2"}, "host", "$1", "instance", "(.+):[0-9]+")) < 2',
    ]);
  });

  it("no port given: a range as wide as the busiest host is chosen, and the README says so (issue 11)", () => {
    const raw: Raw = {
      flink: {
        version: "2.1",
        reporter: { mode: "pull" },
        clusters: [{ name: "box", jobmanagers: ["flink-box"], taskmanagers: ["flink-box", "flink-box"] }],
      },
    };
    assert.deepEqual(checkConfig(raw).issues, []);
    assert.match(artifact(raw, "flink/box/config.yaml"), /^metrics\.reporter\.prom\.port: "?9249-9251"?$/m);
    const readme = artifact(raw, "README.md");
    assert.match(readme, /The config sets no `flink\.reporter\.pull\.port`, so the stack chose \*\*9249-9251\*\*/);
    assert.match(readme, /on flink-box Prometheus scrapes every port of the range/);
    // One process per host: nothing changes (9249, and no mention of a chosen range).
    const single: Raw = {
      flink: { version: "2.1", reporter: { mode: "pull" }, clusters: [{ name: "c", jobmanagers: ["jm"], taskmanagers: ["tm"] }] },
    };
    assert.match(artifact(single, "flink/c/config.yaml"), /^metrics\.reporter\.prom\.port: "?9249"?$/m);
    assert.doesNotMatch(artifact(single, "README.md"), /the stack chose/);
  });

  it("an explicit port that cannot fit the processes on a host is still refused", () => {
    const raw: Raw = { flink: { ...(ONE_BOX.flink as Raw), reporter: { mode: "pull", pull: { port: 9249 } } } };
    assert.deepEqual(
      checkConfig(raw).issues.map((issue) => issue.message),
      ["2 Flink processes on localhost but the reporter port range has only 1 port"],
    );
  });

  it("`up` waits for the stack's own targets only, never for a Flink port", () => {
    const { plan } = buildStack(ONE_BOX);
    const expected = expectedLocalTargets(plan).map((target) => target.job);
    assert.ok(expected.includes("prometheus"));
    assert.ok(!expected.some((job) => job.startsWith("flink-")), JSON.stringify(expected));
  });

  it("`status`: an unused port of a shared range is no warning; fewer answering ports than processes is", () => {
    const target = (instance: string, health: "up" | "down", sharedBy?: number) => ({
      job: "flink-local",
      instance,
      health,
      lastError: health === "down" ? "connection refused" : "",
      local: false,
      ...(sharedBy ? { sharedBy } : {}),
    });
    const healthy = targetFindings([target("localhost:9249", "up", 2), target("localhost:9250", "up", 2), target("localhost:9251", "down", 2)]);
    assert.deepEqual(healthy, { problems: [], warnings: [] });
    const lost = targetFindings([
      target("localhost:9249", "up", 2),
      target("localhost:9250", "down", 2),
      target("localhost:9251", "down", 2),
      target("tm9:9249", "down"),
    ]);
    assert.deepEqual(lost, {
      problems: [],
      warnings: [
        "Prometheus target flink-local/tm9:9249 is down: connection refused",
        "Prometheus targets flink-local/localhost: 1 of the 2 Flink processes sharing its port range answer",
      ],
    });
  });

  it("`verify`: an unused port of a shared range is not named as a cause; a missing process is", async () => {
    const raw: Raw = { flink: { ...(ONE_BOX.flink as Raw), reporter: { mode: "pull", pull: { port: "9249-9251" } } } };
    const { plan } = buildStack(raw);
    const causes = async (health: Record<string, number>) => {
      // A Prometheus answering `up` for the three ports, and nothing else (no Flink metrics).
      const fetch = async (input: string, init?: RequestInit): Promise<Response> => {
        const body = input.includes("/status/buildinfo")
          ? { status: "success", data: { version: "2.53.0" } }
          : input.includes("/api/v1/query")
            ? {
                status: "success",
                data: {
                  resultType: "vector",
                  result:
                    new URLSearchParams(typeof init?.body === "string" ? init.body : "").get("query") === "up"
                      ? Object.entries(health).map(([port, value]) => ({
                          metric: { __name__: "up", job: "flink-local", instance: `localhost:${port}`, cluster: "local", port_range_processes: "2" },
                          value: [0, String(value)],
                        }))
                      : [],
                },
              }
            : { status: "success", data: [] };
        return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
      };
      const result = await verifyStack(plan, { prometheusUrl: "http://prometheus.test:9090", fetch });
      return [...result.panels, ...result.rules].map((check) => check.cause ?? "").join("\n");
    };
    const healthy = await causes({ 9249: 1, 9250: 1, 9251: 0 });
    assert.doesNotMatch(healthy, /target down/);
    const lost = await causes({ 9249: 1, 9250: 0, 9251: 0 });
    assert.match(lost, /target down: flink-local localhost: 1 of 2 processes answer on ports 9249, 9250, 9251/);
  });

  it("generate writes a stack promtool accepts: config syntax, rules, and the rule unit tests", async () => {
    const out = path.join(scratch.dir, "one-box");
    await generate({ config: ONE_BOX as never, outDir: out });
    const config = runTool("promtool", ["check", "config", "--syntax-only", path.join(out, "prometheus/prometheus.yml")]);
    assert.equal(config.status, 0, describeRun("promtool check config", config));
    const rulesDir = path.join(out, "prometheus/rules");
    const ruleFiles = readdirSync(rulesDir)
      .filter((file) => file.endsWith(".rules.yml"))
      .map((file) => path.join(rulesDir, file));
    const rules = runTool("promtool", ["check", "rules", ...ruleFiles]);
    assert.equal(rules.status, 0, describeRun("promtool check rules", rules));
    const promtool = requireTool("promtool");
    const testFile = path.join(rulesDir, "tests/flink.test.yml");
    assert.match(readFileSync(testFile, "utf8"), /a Flink process sharing its host's port range stops answering/);
    const tests = await runProcess(promtool, ["test", "rules", testFile], { cwd: out, timeoutMs: 120_000 });
    assert.equal(tests.status, 0, describeRun("promtool test rules", tests));
  });
});

describe("pull mode: layouts Prometheus could not tell apart are refused", () => {
  const issues = (clusters: unknown[], port?: string) =>
    checkConfig({ flink: { version: "1.20", reporter: { mode: "pull", ...(port ? { pull: { port } } : {}) }, clusters } }).issues;

  it("one host:port listed twice", () => {
    const found = issues([{ name: "a", jobmanagers: ["h:9249"], taskmanagers: ["h:9249"] }], "9249-9250");
    assert.deepEqual(
      found.map((issue) => [issue.path, issue.message]),
      [["flink.clusters[0].taskmanagers[0]", "h:9249 is also listed at flink.clusters[0].jobmanagers[0]: two processes cannot bind one port"]],
    );
  });

  it("processes of two clusters on one host without ports", () => {
    const found = issues([
      { name: "a", jobmanagers: ["h"] },
      { name: "b", jobmanagers: ["h"] },
    ]);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0]!.path, "flink.clusters[0].jobmanagers[0]");
    assert.match(found[0]!.message, /h runs Flink processes of clusters a, b/);
    // With a port each, Prometheus can tell them apart.
    assert.deepEqual(
      issues(
        [
          { name: "a", jobmanagers: ["h:9249"] },
          { name: "b", jobmanagers: ["h:9250"] },
        ],
        "9249-9250",
      ),
      [],
    );
  });

  it("a range too wide to scrape on a shared host", () => {
    const found = issues([{ name: "a", jobmanagers: ["h"], taskmanagers: ["h"] }], "9000-9999");
    assert.deepEqual(
      found.map((issue) => issue.path),
      ["flink.reporter.pull.port"],
    );
    assert.match(found[0]!.hint ?? "", /"9000-9001"/);
  });
});
