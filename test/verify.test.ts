// verify: every generated panel query and alert rule expression run on a REAL Prometheus (Debian 2.42)
// that scrapes a REAL Pushgateway (Debian 1.5) holding Flink-like groups pushed the way Flink's reporter
// pushes them. All panels have data; a version mismatch, a label mismatch and stale pushes are explained.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { buildStack } from "../lib/generate.js";
import type { StackPlan } from "../lib/plan/types.js";
import { buildAlertRules } from "../lib/render/alert-rules.js";
import { listPanelQueries } from "../lib/render/dashboards/index.js";
import {
  dashboardPlan,
  formatVariableValues,
  metricRefs,
  parseLabelValuesQuery,
  selectorsOf,
  substituteVariables,
  verifyStack,
  type VerifyResult,
} from "../lib/verify/index.js";
import { runCli, tempDir } from "./support/cli.js";
import { deleteGroup, instantQuery, pushGroup, startLocalStack, waitFor, type LocalStack } from "./support/local-prometheus.js";

// ---------------------------------------------------------------------------------------------------
// Pure helpers.

describe("verify: PromQL helpers", () => {
  it("substitutes Grafana variables, leaving regex replacements and unknown names alone", () => {
    const values = new Map([
      ["cluster", "(a|b)"],
      ["__rate_interval", "1m"],
    ]);
    const out = substituteVariables(
      'rate(x{cluster=~"$cluster"}[$__rate_interval]) + label_replace(y, "c", "$1", "n", "(.*)") + z{a="${cluster}",b="$nope"}',
      values,
    );
    assert.equal(out.expr, 'rate(x{cluster=~"(a|b)"}[1m]) + label_replace(y, "c", "$1", "n", "(.*)") + z{a="(a|b)",b="$nope"}');
    assert.deepEqual(out.unresolved, ["nope"]);
  });

  it("formats variable values as Grafana does for a multi-value, include-All Prometheus variable", () => {
    assert.equal(formatVariableValues([]), ".*");
    assert.equal(formatVariableValues(["demo"]), "demo");
    assert.equal(formatVariableValues(["a.b", "c"]), "(a\\\\.b|c)");
  });

  it("parses label_values queries", () => {
    assert.deepEqual(parseLabelValuesQuery("label_values(flink_jobmanager_numRegisteredTaskManagers, cluster)"), {
      label: "cluster",
      match: "flink_jobmanager_numRegisteredTaskManagers",
    });
    assert.deepEqual(parseLabelValuesQuery('label_values(m{cluster=~"(a|b)"}, job_name)'), { label: "job_name", match: 'm{cluster=~"(a|b)"}' });
    assert.deepEqual(parseLabelValuesQuery("label_values(instance)"), { label: "instance", match: undefined });
    assert.equal(parseLabelValuesQuery("query_result(up)"), undefined);
  });

  it("finds the metrics an expression reads, and its selectors", () => {
    const expr =
      'sum by (cluster, host) ((rate(label_replace({__name__=~"flink_jobmanager_Status_JVM_GarbageCollector_[A-Za-z0-9_]+_Time",cluster=~"demo"}, "collector", "$1", "__name__", "x_(.+)")[1m:])) and on(job, instance, cluster) (time() - push_time_seconds < 60)) / ignoring(a) group_left (b) up{job="x"} offset 5m > 1e3';
    assert.deepEqual(metricRefs(expr), {
      names: ["push_time_seconds", "up"],
      patterns: ["flink_jobmanager_Status_JVM_GarbageCollector_[A-Za-z0-9_]+_Time"],
    });
    const selectors = selectorsOf(expr);
    assert.deepEqual(
      selectors.map((s) => [s.display, s.matchers.map((m) => m.text)]),
      [
        ["flink_jobmanager_Status_JVM_GarbageCollector_[A-Za-z0-9_]+_Time", ['cluster=~"demo"']],
        ["up", ['job="x"']],
      ],
    );
    // Every generated expression parses into names we recognise (no label names or keywords).
    for (const version of ["1.9", "1.18", "1.20"]) {
      const plan = planFor(version);
      for (const q of listPanelQueries(plan)) {
        for (const name of metricRefs(q.expr).names) assert.match(name, /^(flink_|node_|push_time_seconds$|up$)/, `${q.panel}: ${name} in ${q.expr}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Flink-like groups, as Flink's PrometheusPushGatewayReporter pushes them (research/flink-reporter.md §2–3):
// PUT text format 0.0.4, trailing commas, Java number formatting, one group per process with a random
// 32-hex job suffix and cluster=<name> in the grouping key. The metric set covers what the 1.20 dashboards
// read; fullRestarts is left out, as in Flink 2.x where it is gone (FLINK-36355).

const CLUSTER = "demo";
const JOB_ID = "5f0c1e9d3b7a4e2f8c6d1a0b9e8f7c6d";
const JOB_NAME = "StreamingJob";
const TASK = { task_id: "cbc357ccb763df2852fee8c4fc7d55f2", task_name: "Source:_Kafka____Map" };
const OPERATORS = [
  { operator_id: "bc764cd8ddf7a0cff126f51c16239658", operator_name: "Source:_Kafka" },
  { operator_id: "ea632d67b7d595e5b851708ae9ad79d6", operator_name: "Map" },
];

type Labels = Record<string, string>;
type Sample = [Labels, number];

function hex32(seed: number): string {
  return Array.from({ length: 32 }, (_, i) => ((seed * 7 + i * 13) % 16).toString(16)).join("");
}

/** Java's Double.toString, roughly: 7.0, 1.5338E8. */
function javaDouble(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e7) return `${value}.0`;
  if (Math.abs(value) >= 1e7) {
    const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
    return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  return String(value);
}

class Payload {
  private readonly families = new Map<string, { scope: string; samples: Sample[] }>();
  readonly names = new Set<string>();

  add(name: string, scope: string, labels: Labels, value: number): this {
    const family = this.families.get(name) ?? { scope, samples: [] };
    family.samples.push([labels, value]);
    this.families.set(name, family);
    this.names.add(name);
    return this;
  }

  text(): string {
    const lines: string[] = [];
    for (const [name, { scope, samples }] of this.families) {
      const short = name.split("_").at(-1);
      lines.push(`# HELP ${name} ${short} (scope: ${scope})`, `# TYPE ${name} gauge`);
      for (const [labels, value] of samples) {
        const body = Object.entries(labels)
          .map(([k, v]) => `${k}="${v}",`)
          .join("");
        lines.push(`${name}{${body}} ${javaDouble(value)}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }
}

/** JVM gauges of a process; GC per collector (all versions) plus the 1.19+ `All` aggregates. */
function jvm(p: Payload, role: "jobmanager" | "taskmanager", labels: Labels): void {
  const prefix = `flink_${role}_Status_JVM`;
  p.add(`${prefix}_Memory_Heap_Used`, `${role}_Status_JVM_Memory_Heap`, labels, 153_380_000);
  p.add(`${prefix}_Memory_Heap_Max`, `${role}_Status_JVM_Memory_Heap`, labels, 1_073_741_824);
  p.add(`${prefix}_CPU_Load`, `${role}_Status_JVM_CPU`, labels, 0.083);
  p.add(`${prefix}_Threads_Count`, `${role}_Status_JVM_Threads`, labels, 57);
  for (const [collector, count, time] of [
    ["G1_Young_Generation", 12, 345],
    ["G1_Old_Generation", 0, 0],
    ["All", 12, 345],
  ] as const) {
    p.add(`${prefix}_GarbageCollector_${collector}_Count`, `${role}_Status_JVM_GarbageCollector_${collector}`, labels, count);
    p.add(`${prefix}_GarbageCollector_${collector}_Time`, `${role}_Status_JVM_GarbageCollector_${collector}`, labels, time);
    p.add(`${prefix}_GarbageCollector_${collector}_TimeMsPerSecond`, `${role}_Status_JVM_GarbageCollector_${collector}`, labels, 0);
  }
}

function jobManagerPayload(): Payload {
  const p = new Payload();
  const process = { host: "jobmanager" };
  p.add("flink_jobmanager_numRegisteredTaskManagers", "jobmanager", process, 1);
  p.add("flink_jobmanager_taskSlotsAvailable", "jobmanager", process, 0);
  p.add("flink_jobmanager_taskSlotsTotal", "jobmanager", process, 2);
  p.add("flink_jobmanager_numRunningJobs", "jobmanager", process, 1);
  jvm(p, "jobmanager", process);
  const job = { job_id: JOB_ID, host: "jobmanager", job_name: JOB_NAME };
  const scope = "jobmanager_job";
  p.add("flink_jobmanager_job_uptime", scope, job, 1_234_567);
  p.add("flink_jobmanager_job_numRestarts", scope, job, 0);
  p.add("flink_jobmanager_job_numberOfCompletedCheckpoints", scope, job, 41);
  p.add("flink_jobmanager_job_numberOfFailedCheckpoints", scope, job, 0);
  p.add("flink_jobmanager_job_numberOfInProgressCheckpoints", scope, job, 0);
  p.add("flink_jobmanager_job_lastCheckpointDuration", scope, job, 412);
  p.add("flink_jobmanager_job_lastCheckpointSize", scope, job, 18_234);
  p.add("flink_jobmanager_job_lastCheckpointFullSize", scope, job, 91_234);
  // JobStatusMetrics (1.15+): only the current state's time is non-zero.
  for (const [state, ms] of [
    ["running", 1_234_567],
    ["restarting", 0],
    ["failing", 0],
    ["cancelling", 0],
    ["initializing", 0],
    ["created", 0],
  ] as const) {
    p.add(`flink_jobmanager_job_${state}Time`, scope, job, ms);
  }
  return p;
}

function taskManagerPayload(): Payload {
  const p = new Payload();
  const process = { host: "tm1", tm_id: "tm1:6122_6a1b2c" };
  jvm(p, "taskmanager", process);
  for (const [metric, value] of [
    ["JVM_Memory_Heap_Committed", 268_435_456],
    ["JVM_Memory_NonHeap_Used", 61_234_567],
    ["JVM_Memory_NonHeap_Committed", 67_108_864],
    ["JVM_Memory_Metaspace_Used", 45_123_456],
    ["JVM_Memory_Metaspace_Max", 268_435_456],
    ["JVM_Memory_Direct_MemoryUsed", 134_217_728],
    ["JVM_Memory_Direct_TotalCapacity", 134_217_728],
    ["JVM_Memory_Mapped_MemoryUsed", 0],
    ["JVM_Memory_Mapped_TotalCapacity", 0],
    ["Flink_Memory_Managed_Used", 0],
    ["Flink_Memory_Managed_Total", 536_870_912],
    ["Shuffle_Netty_AvailableMemorySegments", 4000],
    ["Shuffle_Netty_TotalMemorySegments", 4096],
  ] as const)
    p.add(`flink_taskmanager_Status_${metric}`, `taskmanager_Status_${metric.replace(/_[^_]+$/, "")}`, process, value);
  for (const subtask of [0, 1]) {
    const task = { job_id: JOB_ID, ...TASK, host: "tm1", job_name: JOB_NAME, tm_id: process.tm_id, subtask_index: String(subtask) };
    const scope = "taskmanager_job_task";
    for (const [metric, value] of [
      ["numRecordsInPerSecond", 1234.5],
      ["numRecordsOutPerSecond", 1234.5],
      ["numBytesInPerSecond", 81_234.0],
      ["numBytesOutPerSecond", 80_111.0],
      ["busyTimeMsPerSecond", 250],
      ["backPressuredTimeMsPerSecond", 0],
      ["idleTimeMsPerSecond", 750],
      ["isBackPressured", 0],
      ["checkpointAlignmentTime", 1_200_000],
      ["checkpointStartDelayNanos", 3_400_000],
      ["Shuffle_Netty_Output_Buffers_outPoolUsage", 0.1],
      ["Shuffle_Netty_Input_Buffers_inPoolUsage", 0.05],
    ] as const)
      p.add(`flink_taskmanager_job_task_${metric}`, scope, task, value);
    for (const operator of OPERATORS) {
      const labels = { ...task, ...operator };
      const opScope = "taskmanager_job_task_operator";
      p.add("flink_taskmanager_job_task_operator_numRecordsInPerSecond", opScope, labels, 617.25);
      p.add("flink_taskmanager_job_task_operator_numRecordsOutPerSecond", opScope, labels, 617.25);
      p.add("flink_taskmanager_job_task_operator_currentOutputWatermark", opScope, labels, Date.now() - 3000);
      if (operator.operator_name === "Source:_Kafka") {
        p.add("flink_taskmanager_job_task_operator_watermarkLag", opScope, labels, 3000);
        p.add("flink_taskmanager_job_task_operator_pendingRecords", opScope, labels, 17);
        p.add("flink_taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records_lag_max", opScope, labels, 17);
      }
    }
  }
  return p;
}

/** node_exporter series, pushed as job "node" so no real node_exporter is needed. */
function nodePayload(): string {
  return `# TYPE node_uname_info gauge
node_uname_info{machine="x86_64",nodename="tm1",release="6.1.0",sysname="Linux"} 1
# TYPE node_cpu_seconds_total counter
node_cpu_seconds_total{cpu="0",mode="idle"} 91234.5
node_cpu_seconds_total{cpu="0",mode="user"} 1234.5
# TYPE node_load1 gauge
node_load1 0.42
# TYPE node_load5 gauge
node_load5 0.35
# TYPE node_load15 gauge
node_load15 0.3
# TYPE node_memory_MemAvailable_bytes gauge
node_memory_MemAvailable_bytes 6.2e+09
# TYPE node_memory_MemTotal_bytes gauge
node_memory_MemTotal_bytes 1.6e+10
# TYPE node_filesystem_avail_bytes gauge
node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 5.1e+10
node_filesystem_avail_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 1e+08
# TYPE node_filesystem_size_bytes gauge
node_filesystem_size_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 1e+11
node_filesystem_size_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 2e+08
# TYPE node_network_receive_bytes_total counter
node_network_receive_bytes_total{device="eth0"} 1.2e+09
node_network_receive_bytes_total{device="lo"} 1e+06
# TYPE node_network_transmit_bytes_total counter
node_network_transmit_bytes_total{device="eth0"} 9e+08
node_network_transmit_bytes_total{device="lo"} 1e+06
`;
}

const NODE_METRICS = [
  "node_uname_info",
  "node_cpu_seconds_total",
  "node_load1",
  "node_load5",
  "node_load15",
  "node_memory_MemAvailable_bytes",
  "node_memory_MemTotal_bytes",
  "node_filesystem_avail_bytes",
  "node_filesystem_size_bytes",
  "node_network_receive_bytes_total",
  "node_network_transmit_bytes_total",
];

const JM_GROUP = `/metrics/job/flink${hex32(1)}/cluster/${CLUSTER}`;
const TM_GROUP = `/metrics/job/flink${hex32(2)}/cluster/${CLUSTER}`;
const NODE_GROUP = "/metrics/job/node/instance/tm1:9100";

function configFor(version: string): Record<string, unknown> {
  return {
    name: "verify-test",
    flink: {
      version,
      kafkaSource: true,
      reporter: { mode: "pushgateway", interval: "15s", pushgateway: { jobName: "flink" } },
      clusters: [{ name: CLUSTER, jobmanagers: ["jobmanager"], taskmanagers: ["tm1"] }],
    },
    nodeExporter: { enabled: true },
    grafana: { enabled: true },
    alerting: { enabled: true },
  };
}

function planFor(version: string): StackPlan {
  return buildStack(configFor(version)).plan;
}

function noData(result: VerifyResult): string {
  return result.panels
    .filter((p) => p.status !== "data")
    .map((p) => `${p.dashboard} / ${p.panel} (${p.refId}) [${p.status}]: ${p.cause}\n    ${p.expr}`)
    .join("\n");
}

describe("verify against a real Prometheus and Pushgateway", { timeout: 90_000 }, () => {
  let stack: LocalStack;
  const pushed = new Set<string>();
  const { dir, cleanup } = tempDir("fps-verify-");
  const started = Date.now();

  before(async () => {
    stack = await startLocalStack();
    const jm = jobManagerPayload();
    const tm = taskManagerPayload();
    await pushGroup(stack.pushgateway.url, JM_GROUP, jm.text());
    await pushGroup(stack.pushgateway.url, TM_GROUP, tm.text());
    await pushGroup(stack.pushgateway.url, NODE_GROUP, nodePayload());
    for (const name of [...jm.names, ...tm.names, ...NODE_METRICS]) pushed.add(name);
    // Three groups scraped, with enough samples for rate() and increase() (two in the window).
    await waitFor("three scrapes of the three pushed groups", async () => {
      const samples = await instantQuery(stack.prometheus.url, "count_over_time(push_time_seconds[1m])");
      return samples.length === 3 && samples.every((s) => s.value >= 3);
    });
  });

  /**
   * PUTs groups again (the same series, a new push_time_seconds) and waits until Prometheus scraped them. The
   * dashboards hide groups not pushed for 60s (4 × 15s), and on a busy machine this suite takes longer than that:
   * the tests after the first minute that expect data re-push what they read first.
   */
  const repush = async (groups: ReadonlyArray<readonly [string, string]>): Promise<void> => {
    const since = Math.floor(Date.now() / 1000) - 1;
    for (const [group, body] of groups) await pushGroup(stack.pushgateway.url, group, body);
    await waitFor("Prometheus to scrape the re-pushed groups", async () => {
      const fresh = await instantQuery(stack.prometheus.url, `push_time_seconds >= ${since}`);
      return fresh.length >= groups.length;
    });
  };
  const allGroups = (): Array<[string, string]> => [
    [JM_GROUP, jobManagerPayload().text()],
    [TM_GROUP, taskManagerPayload().text()],
    [NODE_GROUP, nodePayload()],
  ];

  after(async () => {
    await stack?.stop();
    cleanup();
    console.log(`# verify tests against real binaries took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it("the fixture holds every metric the 1.20 dashboards query", () => {
    const plan = planFor("1.20");
    const missing: string[] = [];
    for (const q of listPanelQueries(plan)) {
      const refs = metricRefs(q.expr);
      for (const name of refs.names) if (name !== "push_time_seconds" && !pushed.has(name)) missing.push(`${q.panel}: ${name}`);
      for (const pattern of refs.patterns) {
        if (![...pushed].some((name) => new RegExp(`^(?:${pattern})$`).test(name))) missing.push(`${q.panel}: ${pattern}`);
      }
    }
    assert.deepEqual(missing, [], "add these metrics to the fixture");
  });

  it("every panel of a Flink 1.20 pushgateway stack has data", async () => {
    const plan = planFor("1.20");
    const events: string[] = [];
    const result = await verifyStack(plan, { prometheusUrl: stack.prometheus.url, onProgress: (e) => events.push(e.step) });
    assert.equal(result.ok, true, `panels without data:\n${noData(result)}`);
    assert.equal(result.summary.queries, listPanelQueries(plan).length);
    assert.equal(result.summary.panelsWithData, result.summary.panels);
    assert.ok(result.prometheusVersion?.startsWith("2."), String(result.prometheusVersion));
    assert.ok(events.includes("panels") && events.includes("rules"));
    // Variables resolved from the variable queries, as Grafana would.
    const byName = new Map(result.variables.map((v) => [`${v.dashboard}/${v.name}`, v]));
    assert.deepEqual(byName.get("Flink cluster overview/cluster")?.values, [CLUSTER]);
    assert.deepEqual(byName.get("Flink job/job_name")?.values, [JOB_NAME]);
    assert.deepEqual(byName.get("Hosts/instance")?.values, ["tm1:9100"]);
    for (const p of result.panels) assert.doesNotMatch(p.expr, /\$(cluster|job_name|instance|__rate_interval)\b/, p.expr);
    const gc = result.panels.find((p) => p.panel === "GC time per second" && p.refId === "B");
    assert.match(gc?.expr ?? "", /\[1m\]/, "$__rate_interval is 4 × the 15s scrape interval");

    // Alert rules: evaluated; only rules on Alertmanager's metrics (not scraped here) and on rule-evaluation
    // metrics (Prometheus creates those per loaded rule group; none is loaded here) lack metrics.
    assert.equal(result.rules.length, buildAlertRules(plan).flatMap((b) => b.rules.groups.flatMap((g) => g.rules)).length);
    assert.deepEqual(
      result.rules.filter((r) => r.status === "error"),
      [],
    );
    const absent = result.rules.filter((r) => r.status === "metric-absent");
    assert.ok(absent.length > 0);
    for (const rule of absent) {
      const expected = (m: string) => m.startsWith("alertmanager_") || m === "prometheus_rule_evaluation_failures_total";
      assert.ok(rule.absentMetrics.every(expected), `${rule.alert}: ${rule.absentMetrics.join(", ")}`);
    }
    assert.ok(result.rules.find((r) => r.alert === "Watchdog")!.firing > 0);
    for (const quiet of ["FlinkJobManagerDown", "FlinkMetricsPushStale", "FlinkTaskManagerLost", "FlinkJobRestarting"]) {
      const rule = result.rules.find((r) => r.alert === quiet);
      assert.ok(rule, quiet);
      assert.deepEqual([rule.status, rule.firing], ["ok", 0], `${quiet}: ${rule.expr}`);
    }
  });

  it("a config for another Flink version: the panels of a metric that version expects but the cluster lacks", async () => {
    const result = await verifyStack(planFor("1.9"), { prometheusUrl: stack.prometheus.url });
    assert.equal(result.ok, false);
    const empty = result.panels.filter((p) => p.status !== "data");
    assert.deepEqual(empty.map((p) => p.panel).sort(), ["Restarts", "Restarts (increase over 5m)"], noData(result));
    for (const p of empty) {
      assert.equal(p.status, "no-data");
      assert.match(p.cause ?? "", /^metric flink_jobmanager_job_fullRestarts absent: not reported by this Flink version or job/);
    }
    // The pre-1.19 GC selectors (a regex over collector names, rate over a subquery) have data.
    assert.equal(
      result.panels.filter((p) => p.panel === "GC time per second").every((p) => p.status === "data"),
      true,
    );
    const restarting = result.rules.find((r) => r.alert === "FlinkJobRestarting");
    assert.deepEqual([restarting?.status, restarting?.absentMetrics], ["metric-absent", ["flink_jobmanager_job_fullRestarts"]]);
  });

  it("the CLI exits 0 when every panel has data and 1 when one has none", async () => {
    const ok = path.join(dir, "ok.yaml");
    const old = path.join(dir, "old.yaml");
    writeFileSync(ok, JSON.stringify(configFor("1.20")));
    writeFileSync(old, JSON.stringify(configFor("1.9")));
    const [good, bad, json] = await Promise.all([
      runCli(["verify", "-c", ok, "--prometheus-url", stack.prometheus.url]),
      runCli(["verify", "-c", old, "--prometheus-url", stack.prometheus.url]),
      runCli(["verify", "-c", old, "--prometheus-url", stack.prometheus.url, "--json"]),
    ]);
    assert.equal(good.code, 0, good.stderr + good.stdout);
    assert.match(good.stderr, /Every panel has data\./);
    assert.equal(bad.code, 1, bad.stderr + bad.stdout);
    assert.match(bad.stdout, /Restarts .*metric flink_jobmanager_job_fullRestarts absent/);
    assert.match(bad.stdout, /query: max by \(job_name\)/);
    assert.match(bad.stderr, /Some panels have no data\./);
    assert.equal(json.code, 1, json.stderr);
    const parsed = JSON.parse(json.stdout) as VerifyResult;
    assert.equal(parsed.ok, false);
    assert.equal(parsed.summary.noData, 2);
    const down = await runCli(["verify", "-c", ok, "--prometheus-url", "http://127.0.0.1:9"]);
    assert.equal(down.code, 1, down.stderr);
    assert.match(down.stderr, /^error: cannot reach Prometheus at http:\/\/127\.0\.0\.1:9/m);
  });

  it("grafana.enabled false: the dashboards the config would generate are checked, not none", async () => {
    await repush(allGroups());
    const withoutGrafana = (version: string) => ({ ...configFor(version), grafana: { enabled: false } });
    const plan = buildStack(withoutGrafana("1.20")).plan;
    assert.deepEqual(plan.dashboards, [], "planStack plans no dashboard without Grafana (the reason for dashboardPlan)");
    assert.deepEqual(dashboardPlan(plan).dashboards, planFor("1.20").dashboards);
    const result = await verifyStack(plan, { prometheusUrl: stack.prometheus.url });
    assert.equal(result.ok, true, `panels without data:\n${noData(result)}`);
    assert.equal(result.summary.queries, listPanelQueries(planFor("1.20")).length);
    assert.ok(result.summary.panels > 20, String(result.summary.panels));
    assert.deepEqual(result.problems, []);
    assert.match(
      result.notes.join("\n"),
      /^grafana\.enabled is false: checked the 4 dashboard\(s\) the config generates with Grafana enabled \(Flink cluster overview, Flink job, Flink TaskManager, Hosts\)$/,
    );
    // The alert rules are the stack's own, as before.
    assert.equal(result.rules.length, buildAlertRules(plan).flatMap((b) => b.rules.groups.flatMap((g) => g.rules)).length);
    // A version mismatch is found without Grafana too (before the fix: 0 panels checked, ok).
    const old = await verifyStack(buildStack(withoutGrafana("1.9")).plan, { prometheusUrl: stack.prometheus.url });
    assert.equal(old.ok, false);
    assert.deepEqual(
      old.panels
        .filter((p) => p.status !== "data")
        .map((p) => p.panel)
        .sort(),
      ["Restarts", "Restarts (increase over 5m)"],
    );

    // The CLI: exit 0 with the note; exit 1 for the old version.
    const okFile = path.join(dir, "no-grafana.yaml");
    const oldFile = path.join(dir, "no-grafana-old.yaml");
    writeFileSync(okFile, JSON.stringify(withoutGrafana("1.20")));
    writeFileSync(oldFile, JSON.stringify(withoutGrafana("1.9")));
    const [good, bad] = await Promise.all([
      runCli(["verify", "-c", okFile, "--prometheus-url", stack.prometheus.url]),
      runCli(["verify", "-c", oldFile, "--prometheus-url", stack.prometheus.url]),
    ]);
    assert.equal(good.code, 0, good.stderr + good.stdout);
    assert.match(good.stderr, /^note: grafana\.enabled is false: checked the 4 dashboard\(s\)/m);
    assert.match(good.stderr, /: \d+ of \d+ panels have data/);
    assert.doesNotMatch(good.stderr, /: 0 of 0 panels/);
    assert.match(good.stderr, /Every panel has data\./);
    assert.equal(bad.code, 1, bad.stderr + bad.stdout);
    assert.match(bad.stdout, /Restarts .*metric flink_jobmanager_job_fullRestarts absent/);
  });

  it("no dashboard at all: 0 panels checked is not ok, and says why", async () => {
    const config = {
      ...configFor("1.20"),
      grafana: { enabled: false, dashboards: { cluster: false, job: false, taskmanager: false, hosts: false } },
    };
    const result = await verifyStack(buildStack(config).plan, { prometheusUrl: stack.prometheus.url });
    assert.equal(result.summary.panels, 0);
    assert.equal(result.summary.queries, 0);
    assert.equal(result.ok, false);
    assert.deepEqual(result.problems, [
      "no dashboard panel was checked: the config generates no dashboard (grafana.dashboards.cluster, .job, .taskmanager, .hosts off); turn one on to verify it",
    ]);
    assert.ok(result.rules.length > 0, "the alert rules are still evaluated");
    const file = path.join(dir, "no-dashboards.yaml");
    writeFileSync(file, JSON.stringify(config));
    const [human, json] = await Promise.all([
      runCli(["verify", "-c", file, "--prometheus-url", stack.prometheus.url]),
      runCli(["verify", "-c", file, "--prometheus-url", stack.prometheus.url, "--json"]),
    ]);
    assert.equal(human.code, 1, human.stderr + human.stdout);
    assert.match(human.stderr, /^! no dashboard panel was checked: the config generates no dashboard/m);
    assert.match(human.stderr, /No panel was checked\.$/m);
    assert.equal(json.code, 1, json.stderr);
    const parsed = JSON.parse(json.stdout) as VerifyResult;
    assert.equal(parsed.ok, false);
    assert.equal(parsed.problems.length, 1);
  });

  it("groups that stopped pushing: 'reporter not pushing'", async () => {
    // Two minutes on: the samples are still within Prometheus' 5m lookback, the pushes are stale (> 60s).
    const result = await verifyStack(planFor("1.20"), { prometheusUrl: stack.prometheus.url, time: Date.now() / 1000 + 120 });
    // Panels only a Kafka-reading job fills say that instead, and do not fail the check on their own.
    for (const p of result.panels.filter((p) => p.needs)) {
      assert.equal(p.status, "no-data", p.panel);
      assert.match(p.cause ?? "", /^needs a Kafka source/, p.panel);
    }
    assert.equal(result.summary.noDataOptional, result.panels.filter((p) => p.needs).length);
    const flink = result.panels.filter((p) => p.template.includes("push_time_seconds") && !p.needs);
    assert.ok(flink.length > 20);
    for (const p of flink) {
      assert.equal(p.status, "no-data", p.panel);
      assert.match(p.cause ?? "", /^reporter not pushing: the Pushgateway groups holding flink_\w+ were last pushed \d{3}s ago/, p.panel);
    }
    // Host gauges are still within the lookback; rate() over the last minute has no samples there.
    for (const p of result.panels.filter((p) => p.dashboard === "Hosts")) {
      if (!p.expr.includes("rate(")) assert.equal(p.status, "data", p.panel);
      else assert.match(p.cause ?? "", /^too few samples: node_\w+ has 0 sample\(s\) in the last 1m/, p.panel);
    }
  });

  it("TaskManagers pushing without the cluster grouping key: 'label mismatch'", async () => {
    await repush([[JM_GROUP, jobManagerPayload().text()]]);
    await deleteGroup(stack.pushgateway.url, TM_GROUP);
    await pushGroup(stack.pushgateway.url, `/metrics/job/flink${hex32(3)}`, taskManagerPayload().text());
    await waitFor("the TaskManager series without a cluster label", async () => {
      const [withCluster, without] = await Promise.all([
        instantQuery(stack.prometheus.url, `flink_taskmanager_Status_JVM_CPU_Load{cluster="${CLUSTER}"}`),
        instantQuery(stack.prometheus.url, 'flink_taskmanager_Status_JVM_CPU_Load{cluster=""}'),
      ]);
      return withCluster.length === 0 && without.length === 1;
    });
    const result = await verifyStack(planFor("1.20"), { prometheusUrl: stack.prometheus.url });
    assert.equal(result.ok, false);
    const heap = result.panels.find((p) => p.panel === "JVM heap used" && p.refId === "B");
    assert.equal(heap?.status, "no-data");
    assert.equal(
      heap?.cause,
      `label mismatch: flink_taskmanager_Status_JVM_Memory_Heap_Used exists, but not with cluster=~"${CLUSTER}" (cluster values: "")`,
    );
    const records = result.panels.find((p) => p.panel === "Records in per second");
    assert.match(
      records?.cause ?? "",
      /^label mismatch: flink_taskmanager_job_task_operator_numRecordsInPerSecond exists, but not with cluster=~"demo"/,
    );
    // The JobManager's panels are unaffected.
    assert.equal(result.panels.find((p) => p.panel === "JVM heap used" && p.refId === "A")?.status, "data");
    assert.equal(result.panels.find((p) => p.panel === "Uptime")?.status, "data");
  });

  it("the Pushgateway down: 'target down' first", async () => {
    await stack.pushgateway.stop();
    await waitFor("Prometheus to see the Pushgateway down", async () => {
      const up = await instantQuery(stack.prometheus.url, 'up{job="pushgateway"}');
      const flink = await instantQuery(stack.prometheus.url, "count(flink_jobmanager_numRunningJobs)");
      return up[0]?.value === 0 && flink.length === 0;
    });
    const result = await verifyStack(planFor("1.20"), { prometheusUrl: stack.prometheus.url });
    const running = result.panels.find((p) => p.panel === "Running jobs");
    assert.equal(running?.status, "no-data");
    assert.equal(
      running?.cause,
      `target down: pushgateway 127.0.0.1:${stack.pushgateway.port}; reporter not pushing: the Pushgateway has no group with job=~"flink.*" (no push_time_seconds); metric flink_jobmanager_numRunningJobs absent`,
    );
  });
});
