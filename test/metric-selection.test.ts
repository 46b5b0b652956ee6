// flink.metrics: the metrics the stack keeps, derived from what its dashboards and rules query, enforced by Flink's
// reporter filter (1.16+; pattern semantics emulated below exactly as flink-runtime's DefaultMetricFilter /
// DefaultReporterFilters compile them) and by Prometheus's metric_relabel_configs (judged by promtool).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import yaml from "js-yaml";
import { buildStack, generate } from "../lib/index.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import { checkStack } from "../lib/judges/check-stack.js";
import { flinkFilterIncludes, globToRegex, regexToGlob } from "../lib/flink/metric-filter.js";
import { flinkMetricSelection, stackExpressions } from "../lib/render/metric-selection.js";
import { metricRefs } from "../lib/verify/promql.js";
import type { Artifact } from "../lib/render/artifact.js";
import { syntheticConfig } from "../bench/synthetic.js";

function config(
  version: string,
  extra: { mode?: "pull" | "pushgateway"; metrics?: object; kafkaSource?: boolean; latencyTracking?: string } = {},
): StackConfig {
  return {
    flink: {
      version,
      reporter: { mode: extra.mode ?? "pushgateway", pushgateway: { randomJobNameSuffix: true } },
      ...(extra.metrics ? { metrics: extra.metrics } : {}),
      ...(extra.kafkaSource ? { kafkaSource: true } : {}),
      ...(extra.latencyTracking ? { latencyTracking: extra.latencyTracking } : {}),
      clusters: [{ name: "c1", jobmanagers: ["jm1"], taskmanagers: ["tm1", "tm2"] }],
    },
  };
}

function file(artifacts: readonly Artifact[], p: string): string {
  const found = artifacts.find((a) => a.path === p);
  assert.ok(found, `${p} generated`);
  return found.contents;
}

/** The reporter's filter.includes as Flink reads it: a `;` list, from either file format. */
function includesOf(version: string, extra: Parameters<typeof config>[1] = {}): string[] | undefined {
  const { artifacts, plan } = buildStack(config(version, extra));
  const name = plan.flink.mode === "pull" ? "prom" : "promgateway";
  const key = `metrics.reporter.${name}.filter.includes`;
  const configFile = plan.flink.features.configFile;
  const text = file(artifacts, `flink/c1/${configFile}`);
  let value: string | undefined;
  if (configFile === "config.yaml") {
    const parsed = yaml.load(text) as Record<string, unknown>;
    if (parsed[key] !== undefined) {
      assert.equal(typeof parsed[key], "string", "a string, like every reporter value in config.yaml");
      assert.match(text, new RegExp(`^${key.replace(/\./g, "\\.")}: "`, "m"), "quoted in the file");
      value = parsed[key] as string;
    }
  } else {
    const line = text.split("\n").find((l) => l.startsWith(`${key}: `));
    if (line) {
      assert.doesNotMatch(line, /"/, "flink-conf.yaml keeps quotes as part of the value: none written");
      value = line.slice(key.length + 2);
    }
  }
  const props = file(artifacts, "flink/c1/FLINK_PROPERTIES");
  // The official image's entry point hands FLINK_PROPERTIES lines to a shell unquoted: the filter's `*` globs stay out.
  assert.equal(props.includes(key), false, "FLINK_PROPERTIES leaves the filter out");
  return value?.split(";");
}

/** Flink's filter matching (DefaultMetricFilter, 1.16–2.3): `*` → `.*`, `,` alternatives, full match of scope and name. */
function flinkPasses(includes: readonly string[], scope: string, name: string): boolean {
  const pattern = (component: string) =>
    new RegExp(
      `^(${component
        .split(",")
        .map((s) => s.replace(/\*/g, ".*"))
        .join("|")})$`,
    );
  return includes.some((spec) => {
    const [s, n = "*"] = spec.split(":");
    return pattern(s!).test(scope) && pattern(n).test(name);
  });
}

/** The generated relabel rules of a job applied to a metric name, as Prometheus applies them: kept or dropped. */
function prometheusKeeps(rules: ReadonlyArray<Record<string, unknown>>, metricName: string): boolean {
  const labels: Record<string, string> = { __name__: metricName };
  for (const rule of rules) {
    const source = (rule.source_labels as string[]).map((l) => labels[l] ?? "").join(";");
    const matches = new RegExp(`^(?:${rule.regex as string})$`).test(source);
    if (rule.action === "drop") {
      if (matches) return false;
    } else if (matches) {
      const target = rule.target_label as string;
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- what Prometheus does to a label set
      if (rule.replacement === "") delete labels[target];
      else labels[target] = rule.replacement as string;
    }
  }
  return true;
}

function relabelRules(version: string, jobName: string, extra: Parameters<typeof config>[1] = {}): ReadonlyArray<Record<string, unknown>> {
  const { artifacts } = buildStack(config(version, extra));
  const prom = yaml.load(file(artifacts, "prometheus/prometheus.yml")) as { scrape_configs: Array<Record<string, unknown>> };
  const job = prom.scrape_configs.find((j) => j.job_name === jobName);
  assert.ok(job, `scrape job ${jobName}`);
  return (job.metric_relabel_configs as Array<Record<string, unknown>> | undefined) ?? [];
}

describe("reporter filter per Flink version band", () => {
  test("before 1.16 (no filter option): no filter.includes; Prometheus's keep-list does the selecting", () => {
    for (const version of ["1.7", "1.10", "1.15"]) {
      assert.equal(includesOf(version), undefined, `Flink ${version}`);
      assert.ok(
        relabelRules(version, "pushgateway").some((r) => r.action === "drop"),
        `Flink ${version}: relabel drop rule`,
      );
    }
  });

  test("1.16–1.18: flink-conf.yaml, `;` list unquoted; 1.19+: config.yaml, one quoted string", () => {
    for (const version of ["1.16", "1.18", "1.19", "1.20", "2.0", "2.3"]) {
      const includes = includesOf(version);
      assert.ok(includes && includes.length > 5, `Flink ${version} writes filter.includes`);
      for (const spec of includes)
        assert.match(spec, /^[A-Za-z0-9.*]+:[A-Za-z0-9*,]+$/, `${version}: ${spec} uses only <scope>:<name>[,<name>] with * wildcards`);
    }
  });

  test("select: all writes no filter and no relabel rules; pull mode filters too", () => {
    for (const version of ["1.18", "2.3"]) {
      assert.equal(includesOf(version, { metrics: { select: "all" } }), undefined);
      assert.deepEqual(
        relabelRules(version, "pushgateway", { metrics: { select: "all" } }).filter((r) => r.action === "drop"),
        [],
      );
      assert.ok(includesOf(version, { mode: "pull" }), `pull mode, Flink ${version}`);
      assert.ok(
        relabelRules(version, "flink-c1", { mode: "pull" }).some((r) => r.action === "drop"),
        "the flink-c1 job drops unused series",
      );
    }
  });
});

describe("one derivation: what the dashboards and rules query is kept, nothing else", () => {
  test("every flink_* metric of every panel, variable, annotation and rule passes both the Flink filter and Prometheus", () => {
    for (const version of ["1.15", "1.18", "2.3"]) {
      const extra = { kafkaSource: true, latencyTracking: "30s" };
      const { plan } = buildStack(config(version, extra));
      const includes = includesOf(version, extra);
      const rules = relabelRules(version, "pushgateway", extra);
      const selection = flinkMetricSelection(plan)!;
      for (const expr of stackExpressions(plan)) {
        for (const name of metricRefs(expr).names.filter((n) => n.startsWith("flink_"))) {
          assert.ok(selection.names.includes(name), `${version}: ${name} of ${expr} selected`);
          assert.ok(prometheusKeeps(rules, name), `${version}: Prometheus keeps ${name}`);
        }
      }
      if (includes) {
        // The real (logical scope, name) pairs of the metrics the dashboards read, as Flink registers them.
        const pairs: Array<[string, string]> = [
          ["jobmanager", "numRegisteredTaskManagers"],
          ["jobmanager.job", "numberOfCompletedCheckpoints"],
          ["taskmanager.job.task", "busyTimeMsPerSecond"],
          ["taskmanager.job.task.operator", "numRecordsInPerSecond"],
          ["taskmanager.job.task.operator", "currentOutputWatermark"],
          ["taskmanager.Status.JVM.Memory.Heap", "Used"],
          ["taskmanager.Status.Shuffle.Netty", "AvailableMemorySegments"],
          ["taskmanager.job.task.Shuffle.Netty.Output.Buffers", "outPoolUsage"],
          ["taskmanager.job.task.operator.KafkaSourceReader.KafkaConsumer", "records-lag-max"],
          ["taskmanager.job.latency.source_id.operator_id.operator_subtask_index", "latency"],
          [
            version === "1.18" ? "taskmanager.Status.JVM.GarbageCollector.G1 Young Generation" : "taskmanager.Status.JVM.GarbageCollector.All",
            "Time",
          ],
        ];
        for (const [scope, name] of pairs) assert.ok(flinkPasses(includes, scope, name), `${version}: Flink sends ${scope}:${name}`);
      }
    }
  });

  test("derived from a one-cluster plan, the names equal those of the full stack's expressions", () => {
    for (const cfg of [syntheticConfig(1), config("1.18", { mode: "pull", kafkaSource: true, latencyTracking: "5s" })]) {
      const { plan } = buildStack(cfg);
      const full = new Set(stackExpressions(plan).flatMap((expr) => metricRefs(expr).names.filter((n) => n.startsWith("flink_"))));
      assert.deepEqual(flinkMetricSelection(plan)!.names, [...full].sort());
    }
  });

  test("a panel added keeps its metric; a metric used nowhere is dropped by both", () => {
    const kafkaLag = "flink_taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records_lag_max";
    const without = flinkMetricSelection(buildStack(config("2.3")).plan)!;
    const withKafka = flinkMetricSelection(buildStack(config("2.3", { kafkaSource: true })).plan)!;
    assert.ok(!without.names.includes(kafkaLag), "no Kafka panels: the lag metric is not kept");
    assert.ok(withKafka.names.includes(kafkaLag), "the Kafka panels added: their lag metric is kept");
    assert.ok(!prometheusKeeps(relabelRules("2.3", "pushgateway"), kafkaLag));
    assert.ok(prometheusKeeps(relabelRules("2.3", "pushgateway", { kafkaSource: true }), kafkaLag));

    const includes = includesOf("2.3")!;
    const rules = relabelRules("2.3", "pushgateway");
    // Used nowhere: the operator's record counter (the dashboards read the per-second meter), class loading, a
    // task's buffer metrics, a checkpoint size histogram.
    for (const [scope, name] of [
      ["taskmanager.job.task.operator", "numRecordsIn"],
      ["taskmanager.Status.JVM.ClassLoader", "ClassesLoaded"],
      ["taskmanager.job.task.Shuffle.Netty.Input", "totalQueueLen"],
      ["jobmanager.job", "checkpointedSize"],
    ] as const) {
      assert.ok(!flinkPasses(includes, scope, name), `Flink does not send ${scope}:${name}`);
      const prometheusName = `flink_${scope.replace(/\./g, "_")}_${name}`.replace(/[^A-Za-z0-9_:]/g, "_");
      assert.ok(!prometheusKeeps(rules, prometheusName), `Prometheus drops ${prometheusName}`);
    }
    // Not Flink's: the Pushgateway's own and other series are never touched.
    for (const other of ["push_time_seconds", "push_failure_time_seconds", "pushgateway_build_info", "go_goroutines", "up"]) {
      assert.ok(prometheusKeeps(rules, other), `${other} kept`);
    }
  });

  test("flink.metrics.keep adds to both, with * wildcards", () => {
    const keep = ["flink_taskmanager_job_task_operator_numRecordsIn", "flink_taskmanager_Status_JVM_ClassLoader_*"];
    const includes = includesOf("2.3", { metrics: { keep } })!;
    const rules = relabelRules("2.3", "pushgateway", { metrics: { keep } });
    assert.ok(flinkPasses(includes, "taskmanager.job.task.operator", "numRecordsIn"));
    assert.ok(flinkPasses(includes, "taskmanager.Status.JVM.ClassLoader", "ClassesLoaded"));
    assert.ok(flinkPasses(includes, "taskmanager.Status.JVM.ClassLoader", "ClassesUnloaded"));
    assert.ok(prometheusKeeps(rules, "flink_taskmanager_job_task_operator_numRecordsIn"));
    assert.ok(prometheusKeeps(rules, "flink_taskmanager_Status_JVM_ClassLoader_ClassesLoaded"));
    assert.ok(!prometheusKeeps(rules, "flink_taskmanager_job_task_operator_numRecordsOut"), "exact names stay exact");
  });
});

describe("pattern conversions", () => {
  test("globs and query regexes", () => {
    assert.equal(globToRegex("flink_a.b_*"), "flink_a\\.b_.*");
    assert.equal(
      regexToGlob("flink_taskmanager_Status_JVM_GarbageCollector_[A-Za-z0-9_]+_Time"),
      "flink_taskmanager_Status_JVM_GarbageCollector_*_Time",
    );
    assert.equal(regexToGlob("flink_(a|b)_x"), "flink_*");
    // A glob whose wildcard may hide the scope/name split keeps every reading.
    const includes = flinkFilterIncludes([], ["flink_taskmanager_job_task_operator_*"]);
    assert.ok(flinkPasses(includes, "taskmanager.job.task.operator", "anything"));
    assert.ok(flinkPasses(includes, "taskmanager.job.task.operator.KafkaSourceReader.KafkaConsumer", "records-lag-max"));
    assert.ok(!flinkPasses(includes, "taskmanager.job.task", "numRecordsIn"));
    assert.deepEqual(flinkFilterIncludes(["flink_jobmanager_job_uptime", "flink_jobmanager_job_numRestarts"], []), [
      "jobmanager.job:numRestarts,uptime",
    ]);
  });
});

describe("judged by promtool", () => {
  for (const mode of ["pushgateway", "pull"] as const) {
    test(`promtool check config accepts prometheus.yml with the keep-list (${mode})`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "fps-series-"));
      try {
        await generate({
          config: { ...config("2.3", { mode, metrics: { keep: ["flink_taskmanager_Status_JVM_*"] } }), name: "series" },
          outDir: dir,
        });
        const result = await checkStack(dir);
        const check = result.checks.find((c) => c.name === "promtool check config");
        assert.equal(check?.status, "ok", check?.output);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
