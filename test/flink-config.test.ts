// The Flink reporter settings per version and mode, against research/flink-reporter.md §1 and §6.
import { test } from "node:test";
import assert from "node:assert/strict";
import yaml from "js-yaml";
import { buildStack } from "../lib/generate.js";
import type { Artifact } from "../lib/render/artifact.js";

/** One file per cluster (random job-name suffixes) unless the reporter says otherwise. */
function flinkFiles(version: string, reporter: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Map<string, string> {
  const { artifacts } = buildStack({
    flink: {
      version,
      reporter: { ...reporter, pushgateway: { randomJobNameSuffix: true, ...(reporter.pushgateway as object | undefined) } },
      clusters: [{ name: "c1", jobmanagers: ["jm1"], taskmanagers: ["tm1", "tm2"], labels: { env: "prod" } }],
    },
    ...extra,
  });
  return new Map(artifacts.filter((a: Artifact) => a.path.startsWith("flink/")).map((a: Artifact) => [a.path, a.contents]));
}

/** Parses the legacy flat format the way Flink's line parser does: split on the first ": ", no unquoting. */
function parseFlinkConf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const content = line.split("#")[0]!.trim();
    if (!content) continue;
    const at = content.indexOf(": ");
    assert.ok(at > 0, `line without ": ": ${line}`);
    out[content.slice(0, at)] = content.slice(at + 2);
  }
  return out;
}

const P = "metrics.reporter.promgateway.";

test("Flink 1.7: class key (jar copied from opt/), host/port, '<n> SECONDS', no groupingKey", () => {
  const files = flinkFiles("1.7", { interval: "60s" });
  const conf = parseFlinkConf(files.get("flink/c1/flink-conf.yaml")!);
  assert.equal(conf[`${P}class`], "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporter");
  assert.equal(conf[`${P}host`], "127.0.0.1");
  assert.equal(conf[`${P}port`], "9091");
  assert.equal(conf[`${P}interval`], "60 SECONDS");
  assert.equal(conf[`${P}jobName`], "flink-c1", "the cluster travels in the job name before 1.10");
  assert.equal(conf[`${P}groupingKey`], undefined);
  assert.equal(conf[`${P}scope.variables.excludes`], undefined);
  assert.match(files.get("flink/c1/flink-conf.yaml")!, /copy opt\/flink-metrics-prometheus\*\.jar to lib\//);
});

test("Flink 1.11–1.14: factory.class with host/port; interval syntax switches at 1.12", () => {
  const c11 = parseFlinkConf(flinkFiles("1.11").get("flink/c1/flink-conf.yaml")!);
  assert.equal(c11[`${P}factory.class`], "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory");
  assert.equal(c11[`${P}class`], undefined);
  assert.equal(c11[`${P}interval`], "15 SECONDS");
  assert.equal(c11[`${P}groupingKey`], "cluster=c1", "cluster labels are attached by Prometheus, not pushed");
  const c14 = parseFlinkConf(flinkFiles("1.14").get("flink/c1/flink-conf.yaml")!);
  assert.equal(c14[`${P}interval`], "15s");
  assert.equal(c14[`${P}host`], "127.0.0.1");
  assert.equal(c14[`${P}hostUrl`], undefined);
});

test("Flink 1.15–1.18: hostUrl replaces host/port in flink-conf.yaml; values never quoted", () => {
  const text = flinkFiles("1.18").get("flink/c1/flink-conf.yaml")!;
  const conf = parseFlinkConf(text);
  assert.equal(conf[`${P}hostUrl`], "http://127.0.0.1:9091");
  assert.equal(conf[`${P}host`], undefined);
  assert.equal(conf[`${P}randomJobNameSuffix`], "true");
  assert.equal(conf[`${P}scope.variables.excludes`], "task_attempt_id;task_attempt_num");
  assert.doesNotMatch(
    text
      .split("\n")
      .filter((line) => !line.startsWith("#"))
      .join("\n"),
    /"/,
  );
});

test("Flink 1.19+ and 2.x: config.yaml, standard YAML with every value a quoted string", () => {
  for (const version of ["1.19", "1.20", "2.0", "2.1", "2.3"]) {
    const files = flinkFiles(version, { pushgateway: { randomJobNameSuffix: true, deleteOnShutdown: false } });
    const text = files.get("flink/c1/config.yaml");
    assert.ok(text, `${version} writes config.yaml`);
    assert.equal(files.has("flink/c1/flink-conf.yaml"), false);
    const parsed = yaml.load(text, { schema: yaml.CORE_SCHEMA }) as Record<string, unknown>;
    for (const [key, value] of Object.entries(parsed)) assert.equal(typeof value, "string", `${version} ${key} is a string`);
    assert.equal(parsed[`${P}deleteOnShutdown`], "false");
    assert.equal(parsed[`${P}hostUrl`], "http://127.0.0.1:9091");
    assert.match(text, new RegExp(`${P.replaceAll(".", "\\.")}deleteOnShutdown: "false"`));
  }
});

test("pull mode: PrometheusReporter(Factory) with the port range, no push settings", () => {
  const files = flinkFiles("2.1", { mode: "pull", pull: { port: "9249-9250" } });
  const parsed = yaml.load(files.get("flink/c1/config.yaml")!) as Record<string, string>;
  assert.equal(parsed["metrics.reporter.prom.factory.class"], "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
  assert.equal(parsed["metrics.reporter.prom.port"], "9249-9250");
  assert.equal(
    Object.keys(parsed).some((key) => key.includes("promgateway")),
    false,
  );
  const old = parseFlinkConf(flinkFiles("1.9", { mode: "pull" }).get("flink/c1/flink-conf.yaml")!);
  assert.equal(old["metrics.reporter.prom.class"], "org.apache.flink.metrics.prometheus.PrometheusReporter");
});

test("FLINK_PROPERTIES: flat lines without comments or spaces inside values (1.19+ images strip whitespace)", () => {
  for (const version of ["1.18", "1.20", "2.1"]) {
    const properties = flinkFiles(version).get("flink/c1/FLINK_PROPERTIES")!;
    for (const line of properties.trim().split("\n")) {
      assert.doesNotMatch(line, /^#/);
      assert.match(line, /^[\w.]+: \S+$/, `${version}: ${line}`);
    }
  }
});

test("without random suffixes each process gets its own file and grouping key", () => {
  const files = flinkFiles("1.20", { pushgateway: { randomJobNameSuffix: false } });
  const paths = [...files.keys()].filter((p) => p.endsWith("config.yaml")).sort();
  assert.deepEqual(paths, ["flink/c1/jobmanager-jm1/config.yaml", "flink/c1/taskmanager-tm1/config.yaml", "flink/c1/taskmanager-tm2/config.yaml"]);
  const tm1 = yaml.load(files.get("flink/c1/taskmanager-tm1/config.yaml")!) as Record<string, string>;
  assert.equal(tm1[`${P}groupingKey`], "cluster=c1;instance=tm1");
  assert.equal(tm1[`${P}jobName`], "flink-taskmanager");
  assert.equal(tm1[`${P}randomJobNameSuffix`], "false");
});

test("default: a stable group per process when each host runs one Flink process, else random suffixes", () => {
  const suffix = (version: string, clusters: unknown[]) => {
    const plan = buildStack({ flink: { version, clusters } }).plan;
    return plan.flink.pushgateway.randomJobNameSuffix;
  };
  assert.equal(suffix("1.20", [{ name: "a", jobmanagers: ["jm1"], taskmanagers: ["tm1", "tm2"] }]), false, "one process per host");
  assert.equal(suffix("1.20", [{ name: "a", jobmanagers: ["h1"], taskmanagers: ["h1", "h2"] }]), true, "JobManager and TaskManager share h1");
  assert.equal(suffix("1.20", [{ name: "a", jobmanagers: ["jm1"], taskmanagers: ["tm1:9250", "tm1:9251"] }]), true, "two TaskManagers on tm1");
  assert.equal(suffix("1.20", [{ name: "a", jobmanagers: ["jm1"] }]), true, "TaskManagers not listed");
  assert.equal(suffix("1.9", [{ name: "a", jobmanagers: ["jm1"], taskmanagers: ["tm1"] }]), true, "no grouping key before 1.10");
  assert.equal(
    suffix("1.20", [
      { name: "a", jobmanagers: ["jm1"], taskmanagers: ["tm1"] },
      { name: "b", jobmanagers: ["jm1"], taskmanagers: ["tm1"] },
    ]),
    false,
    "clusters are told apart by the cluster label",
  );
});

test("Flink < 1.10 pushgateway mode: Prometheus restores the cluster label from the job name", () => {
  const { artifacts } = buildStack({
    flink: { version: "1.9", clusters: [{ name: "c.1", jobmanagers: ["jm1"], labels: { env: "prod" } }] },
  });
  const prometheus = yaml.load(artifacts.find((a) => a.path === "prometheus/prometheus.yml")!.contents) as {
    scrape_configs: Array<{
      job_name: string;
      metric_relabel_configs?: Array<{ source_labels: string[]; regex: string; target_label: string; replacement: string }>;
    }>;
  };
  const job = prometheus.scrape_configs.find((j) => j.job_name === "pushgateway")!;
  // The rules that label the series (after flink.metrics' keep-list, test/metric-selection.test.ts).
  assert.deepEqual(
    job.metric_relabel_configs?.filter((rule) => rule.source_labels[0] === "job"),
    [
      { source_labels: ["job"], regex: "flink-c\\.1[0-9a-f]{32}", target_label: "cluster", replacement: "c.1" },
      { source_labels: ["job"], regex: "flink-c\\.1[0-9a-f]{32}", target_label: "env", replacement: "prod" },
    ],
  );
});

test("flink.latencyTracking: metrics.latency.interval in ms and the operator granularity (1.7+); 0s or unset: nothing", () => {
  const latency = (version: string, latencyTracking?: string) => {
    const { artifacts } = buildStack({
      flink: { version, ...(latencyTracking ? { latencyTracking } : {}), clusters: [{ name: "c1", jobmanagers: ["jm1"] }] },
    });
    const file = artifacts.find((a: Artifact) => /^flink\/c1\/(flink-conf|config)\.yaml$/.test(a.path))!;
    const parsed = file.path.endsWith("config.yaml") ? (yaml.load(file.contents) as Record<string, string>) : parseFlinkConf(file.contents);
    return [parsed["metrics.latency.interval"], parsed["metrics.latency.granularity"]];
  };
  assert.deepEqual(latency("1.20", "30s"), ["30000", "operator"]);
  assert.deepEqual(latency("1.18", "1m30s"), ["90000", "operator"]);
  assert.deepEqual(latency("1.6", "30s"), ["30000", undefined], "1.6 has no granularity option (per source subtask)");
  assert.deepEqual(latency("1.20", "0s"), [undefined, undefined]);
  assert.deepEqual(latency("1.20"), [undefined, undefined]);
});
