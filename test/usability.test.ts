// Ordinary configs a user coming from hand-written Prometheus and Flink setups writes (issue 11), run through the
// real CLI and judged by promtool and, for pushed labels, a real Pushgateway + Prometheus.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import yaml from "js-yaml";
import { REPO_ROOT, runCli, stackTraceLines, tempDir } from "./support/cli.js";
import { describeRun, runTool } from "./support/tools.js";
import { instantQuery, pushGroup, startPrometheus, startPushgateway, waitFor, type LocalService } from "./support/local-prometheus.js";

const CLUSTER = '    - { name: prod, jobmanagers: ["jm1.prod.internal"], taskmanagers: ["tm1.prod.internal"] }';

function config(options: { version?: string; flinkExtra?: string; extra?: string; cluster?: string } = {}): string {
  return [
    "flink:",
    `  version: "${options.version ?? "1.20"}"`,
    ...(options.flinkExtra ? [options.flinkExtra] : []),
    "  clusters:",
    options.cluster ?? CLUSTER,
    ...(options.extra ? [options.extra] : []),
    "",
  ].join("\n");
}

interface Generated {
  readonly dir: string;
  readonly stderr: string;
  read(file: string): string;
}

let scratch: { dir: string; cleanup: () => void };
let counter = 0;
before(() => {
  scratch = tempDir("fps-usability-");
});
after(() => scratch.cleanup());

/** Writes `text` as flink-stack.yaml in a fresh folder and runs `generate` there; asserts success. */
async function generateFrom(text: string): Promise<Generated> {
  const dir = path.join(scratch.dir, `case-${++counter}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, "flink-stack.yaml"), text);
  const run = await runCli(["generate", "-o", "out"], { cwd: dir });
  assert.equal(run.code, 0, `generate failed:\n${run.stderr}`);
  assert.deepEqual(stackTraceLines(run.stderr), []);
  return { dir, stderr: run.stderr, read: (file) => readFileSync(path.join(dir, "out", file), "utf8") };
}

async function validate(text: string): Promise<{ code: number | null; stderr: string }> {
  const dir = path.join(scratch.dir, `case-${++counter}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, "flink-stack.yaml"), text);
  const run = await runCli(["validate"], { cwd: dir });
  assert.deepEqual(stackTraceLines(run.stderr), []);
  return { code: run.code, stderr: run.stderr };
}

function promtoolSyntax(generated: Generated): void {
  const result = runTool("promtool", ["check", "config", "--syntax-only", path.join(generated.dir, "out/prometheus/prometheus.yml")]);
  assert.equal(result.status, 0, describeRun("promtool check config", result));
}

interface PrometheusYml {
  global: Record<string, string>;
  scrape_configs: Array<{ job_name: string; scrape_timeout?: string; metric_relabel_configs?: unknown[] }>;
}
const prometheusYml = (generated: Generated) => yaml.load(generated.read("prometheus/prometheus.yml")) as PrometheusYml;

/** The groupingKey setting of every Flink config file written for cluster `name`. */
function groupingKeys(generated: Generated, files: readonly string[]): string[] {
  return files.map((file) => (yaml.load(generated.read(file)) as Record<string, string>)["metrics.reporter.promgateway.groupingKey"]!);
}

describe("scrape timeout defaults like Prometheus: min(10s, interval)", () => {
  it("only prometheus.scrapeInterval: 5s is accepted, and the timeout follows it", async () => {
    const generated = await generateFrom(config({ extra: "prometheus:\n  scrapeInterval: 5s" }));
    assert.equal(prometheusYml(generated).global.scrape_interval, "5s");
    assert.equal(prometheusYml(generated).global.scrape_timeout, "5s");
    promtoolSyntax(generated);
  });

  it("a scrape job with a 2s interval and no timeout gets Prometheus's own per-job default", async () => {
    const generated = await generateFrom(
      config({ extra: "prometheus:\n  scrapeJobs:\n    - { name: fast, targets: ['kafka1:9308'], interval: 2s }" }),
    );
    const job = prometheusYml(generated).scrape_configs.find((candidate) => candidate.job_name === "fast")!;
    assert.equal(job.scrape_timeout, undefined, "left to Prometheus, which uses min(global timeout, job interval)");
    promtoolSyntax(generated);
  });

  it("an explicit timeout longer than the interval is still refused", async () => {
    const run = await validate(config({ extra: "prometheus:\n  scrapeInterval: 5s\n  scrapeTimeout: 10s" }));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /prometheus\.scrapeTimeout +must not exceed prometheus\.scrapeInterval \(5s\)/);
  });
});

describe("groupingKey.cluster copied from the classic recipes", () => {
  it("agreeing with the one cluster's name: accepted with a warning that it is redundant, pushed once", async () => {
    const generated = await generateFrom(config({ flinkExtra: "  reporter:\n    pushgateway:\n      groupingKey: { cluster: prod, dc: eu-1 }" }));
    assert.match(generated.stderr, /warning[^]*flink\.reporter\.pushgateway\.groupingKey\.cluster +redundant: the stack already pushes cluster=prod/);
    const keys = groupingKeys(generated, [
      "flink/prod/jobmanager-jm1.prod.internal/config.yaml",
      "flink/prod/taskmanager-tm1.prod.internal/config.yaml",
    ]);
    assert.deepEqual(keys, ["cluster=prod;dc=eu-1;instance=jm1.prod.internal", "cluster=prod;dc=eu-1;instance=tm1.prod.internal"]);
  });

  it("a different value is refused, saying which value wins", async () => {
    const run = await validate(config({ flinkExtra: "  reporter:\n    pushgateway:\n      groupingKey: { cluster: production }" }));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cluster=production conflicts with the cluster's name "prod", which the stack pushes as cluster/);
  });
});

describe("cluster labels with any text work in pushgateway mode", () => {
  const labels = { owner: "data platform", team: "core#1", note: 'say "hi"; k=v', cost: "$HOME ${USER} $$", tpl: "{{ $labels.job }}" };
  const labelsYaml = `labels: ${JSON.stringify(labels)}`;
  let generated: Generated;
  before(async () => {
    generated = await generateFrom(
      config({ cluster: `    - { name: prod, jobmanagers: ["jm1.prod.internal"], taskmanagers: ["tm1.prod.internal"], ${labelsYaml} }` }),
    );
  });

  it("only the cluster identity travels in Flink's grouping key", () => {
    const keys = groupingKeys(generated, ["flink/prod/jobmanager-jm1.prod.internal/config.yaml"]);
    assert.deepEqual(keys, ["cluster=prod;instance=jm1.prod.internal"]);
    assert.doesNotMatch(generated.read("flink/prod/jobmanager-jm1.prod.internal/FLINK_PROPERTIES"), /owner|data platform/);
  });

  it("prometheus.yml and the alert rules' unit tests pass promtool, and docker-compose accepts the compose file", () => {
    promtoolSyntax(generated);
    const testsDir = path.join(generated.dir, "out/prometheus/rules/tests");
    const files = readdirSync(testsDir).map((file) => path.join(testsDir, file));
    assert.ok(files.length > 0);
    const unit = runTool("promtool", ["test", "rules", ...files], { timeoutMs: 300_000 });
    assert.equal(unit.status, 0, describeRun("promtool test rules", unit));
    const compose = runTool("docker-compose", ["-f", path.join(generated.dir, "out/docker-compose.yml"), "config", "-q"]);
    assert.equal(compose.status, 0, describeRun("docker-compose config", compose));
  });

  it("a real Prometheus attaches the labels to a series pushed with cluster=prod, and only to that cluster", async () => {
    const rules = prometheusYml(generated).scrape_configs.find((job) => job.job_name === "pushgateway")!.metric_relabel_configs;
    const labelRules = (rules as Array<{ source_labels?: string[] }> | undefined)?.filter((rule) => rule.source_labels?.[0] === "cluster");
    assert.ok(labelRules?.length === Object.keys(labels).length, "one relabel rule per cluster label");
    let pushgateway: LocalService | undefined;
    let prometheus: LocalService | undefined;
    try {
      pushgateway = await startPushgateway();
      prometheus = await startPrometheus({ pushgatewayPort: pushgateway.port, pushgatewayMetricRelabelConfigs: rules });
      // flink_jobmanager_Status_JVM_ClassLoader_ClassesLoaded: a Flink metric no dashboard or rule reads (flink.metrics).
      await pushGroup(
        pushgateway.url,
        "/metrics/job/flink-jobmanager/cluster/prod/instance/jm1",
        "flink_jobmanager_numRunningJobs 1\nflink_jobmanager_Status_JVM_ClassLoader_ClassesLoaded 7\n",
      );
      await pushGroup(pushgateway.url, "/metrics/job/flink-jobmanager/cluster/other/instance/jm9", "flink_jobmanager_numRunningJobs 2\n");
      const series = await waitFor("both pushed series in Prometheus", async () => {
        const result = await instantQuery(prometheus!.url, "flink_jobmanager_numRunningJobs");
        return result.length === 2 ? result : undefined;
      });
      const prod = series.find((s) => s.metric.cluster === "prod")!;
      const other = series.find((s) => s.metric.cluster === "other")!;
      for (const [name, value] of Object.entries(labels)) assert.equal(prod.metric[name], value, name);
      for (const name of Object.keys(labels)) assert.equal(other.metric[name], undefined, `${name} on another cluster`);
      // The keep-list of flink.metrics: the unused Flink metric is dropped, the Pushgateway's own series stay.
      assert.deepEqual(
        await instantQuery(prometheus.url, "flink_jobmanager_Status_JVM_ClassLoader_ClassesLoaded"),
        [],
        "an unused Flink metric is not stored",
      );
      assert.equal((await instantQuery(prometheus.url, "push_time_seconds")).length, 2, "push_time_seconds of both groups kept");
      assert.ok((await instantQuery(prometheus.url, "pushgateway_build_info")).length > 0, "the Pushgateway's own metrics kept");
    } finally {
      await prometheus?.stop();
      await pushgateway?.stop();
    }
  });
});

describe("scrape targets without a port", () => {
  it("warn, naming the target and the port Prometheus will use (80 for http, 443 for https)", async () => {
    const run = await validate(
      config({
        extra: [
          "prometheus:",
          "  scrapeJobs:",
          "    - { name: kafka, targets: [kafka1, 'kafka2:9308'] }",
          "    - { name: secure, targets: [api1], scheme: https }",
          "nodeExporter:",
          "  targets: [host1]",
        ].join("\n"),
      }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /prometheus\.scrapeJobs\[0\]\.targets\[0\] +target "kafka1" has no port: Prometheus will scrape it on port 80/);
    assert.doesNotMatch(run.stderr, /kafka2/);
    assert.match(run.stderr, /prometheus\.scrapeJobs\[1\]\.targets\[0\] +target "api1" has no port: Prometheus will scrape it on port 443/);
    assert.match(run.stderr, /nodeExporter\.targets\[0\] +target "host1" has no port: Prometheus will scrape it on port 80/);
  });
});

describe("docs", () => {
  it("README's output layout names every shape of flink/ path the examples generate", () => {
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const layout = readme.slice(readme.indexOf("## The output"), readme.indexOf("## Applying the Flink side"));
    const shapes = new Set<string>();
    for (const example of readdirSync(path.join(REPO_ROOT, "examples"))) {
      const flinkDir = path.join(REPO_ROOT, "examples", example, "out/flink");
      if (!existsSync(flinkDir)) continue; // the Kubernetes target writes FlinkDeployment patches instead
      for (const cluster of readdirSync(flinkDir, { withFileTypes: true })) {
        if (!cluster.isDirectory()) {
          shapes.add(`flink/${cluster.name}`); // flink/hosts.json
          continue;
        }
        for (const entry of readdirSync(path.join(flinkDir, cluster.name), { withFileTypes: true })) {
          if (entry.isDirectory()) {
            assert.match(entry.name, /^(jobmanager|taskmanager)-/, `${example}: flink/${cluster.name}/${entry.name}`);
            shapes.add("flink/<cluster>/<role>-<host>/");
          } else shapes.add(`flink/<cluster>/${/^(flink-conf|config)\.yaml$/.test(entry.name) ? "<config file>" : entry.name}`);
        }
      }
    }
    assert.ok(shapes.has("flink/<cluster>/<role>-<host>/"), "an example writes one folder per process");
    assert.ok(shapes.has("flink/hosts.json"), "the examples list their Flink processes");
    for (const shape of shapes) assert.ok(layout.includes(shape), `README's output layout documents ${shape}`);
  });
});
