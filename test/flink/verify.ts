/**
 * Proves the harness and records facts on real Flink (not a test-runner file: run it by hand).
 *
 *   node --import tsx test/flink/verify.ts [--versions 1.20.5,2.3.0] [--only push,pull,typed,legacy]
 *
 * For each version: (a) Pushgateway mode, (b) pull mode, (c) typed-YAML / interval / file-format
 * checks (JobManager-only runs), (d) kill -9 of a TaskManager and the fail switch, (e) timings and RSS.
 * Writes test/flink/fixtures/metric-names-<version>.txt and metric-labels-<version>.json, and a JSON
 * report to test/flink/target/verify-<version>.json.
 * Uses 127.0.0.1 ports 18081-18083 (Flink), 19091 (Pushgateway), 19090 (Prometheus), 9249-9252, 9260.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  HARNESS_DIR,
  buildFlinkHarness,
  jobMetric,
  restGet,
  sleep,
  startCluster,
  submitJob,
  waitFor,
  waitForRunningJob,
  writeConfDir,
  type FlinkCluster,
  type FlinkHarnessBuild,
} from "./cluster.js";
import {
  metricNames,
  promQuery,
  pushgatewayFlinkSamples,
  pushgatewayGroups,
  scrape,
  startPrometheus,
  startPushgateway,
  type Sample,
} from "./pushgateway.js";

const PG_PORT = 19091;
const PROM_PORT = 19090;
const PORT_BASE = 18081;
const PG_URL = `http://127.0.0.1:${PG_PORT}`;

const argv = process.argv.slice(2);
const argOf = (k: string): string | undefined => {
  const i = argv.indexOf(k);
  return i >= 0 ? argv[i + 1] : undefined;
};
const VERSIONS = (argOf("--versions") ?? "1.20.5,2.3.0").split(",");
const ONLY = new Set((argOf("--only") ?? "push,pull,typed,legacy").split(","));

type Report = Record<string, unknown>;
const log = (...a: unknown[]): void => console.log(new Date().toISOString().slice(11, 19), ...a);

function pushConfig(format: "config.yaml" | "flink-conf.yaml", opts: { jobName?: string; suffix?: string; interval?: string } = {}): string {
  const kv: Array<[string, string]> = [
    ["metrics.reporter.promgateway.factory.class", "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory"],
    ["metrics.reporter.promgateway.hostUrl", PG_URL],
    ["metrics.reporter.promgateway.jobName", opts.jobName ?? "flink"],
    ["metrics.reporter.promgateway.randomJobNameSuffix", opts.suffix ?? "true"],
    ["metrics.reporter.promgateway.deleteOnShutdown", "true"],
    ["metrics.reporter.promgateway.groupingKey", "cluster=test"],
    ["metrics.reporter.promgateway.interval", opts.interval ?? "5 SECONDS"],
    ["metrics.reporter.promgateway.scope.variables.excludes", "task_attempt_id;task_attempt_num"],
  ];
  // config.yaml: every value a quoted YAML string (the 1.19-2.0 typed-YAML bug); flink-conf.yaml: never quoted
  return kv.map(([k, v]) => (format === "config.yaml" ? `${k}: "${v}"` : `${k}: ${v}`)).join("\n") + "\n";
}

const createdDirs: string[] = [];
function freshDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  createdDirs.push(d);
  return d;
}

const REQUIRED_PUSH = [
  "flink_jobmanager_numRegisteredTaskManagers",
  "flink_jobmanager_job_numRestarts",
  "flink_jobmanager_job_numberOfCompletedCheckpoints",
  "flink_taskmanager_job_task_busyTimeMsPerSecond",
  "flink_taskmanager_job_task_operator_numRecordsInPerSecond",
  "flink_taskmanager_job_task_operator_currentOutputWatermark",
];

function labelKeys(samples: Sample[], name: string): string[] {
  const keys = new Set<string>();
  for (const s of samples.filter((x) => x.name === name)) for (const k of Object.keys(s.labels)) keys.add(k);
  return [...keys].sort();
}

function value(samples: Sample[], name: string, match: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))?.value;
}

async function waitForSamples(pred: (s: Sample[]) => boolean, what: string, timeoutMs: number): Promise<Sample[]> {
  return waitFor(
    what,
    async () => {
      const s = await pushgatewayFlinkSamples(PG_URL);
      return pred(s) ? s : undefined;
    },
    timeoutMs,
    1000,
  );
}

/**
 * Watches the Pushgateway from before the cluster starts and records, per group, the first
 * push_time_seconds seen (the group's first push) and whose group it is (JM or tm_id).
 */
function watchGroups(): { stop(): Promise<void>; firstPush: Map<string, { pushMs: number; isJm: boolean; tmId?: string }> } {
  const firstPush = new Map<string, { pushMs: number; isJm: boolean; tmId?: string }>();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const samples = await scrape(`${PG_URL}/metrics`);
        for (const g of samples.filter((x) => x.name === "push_time_seconds")) {
          const job = g.labels.job ?? "";
          const mine = samples.filter((x) => x.labels.job === job && x.name.startsWith("flink_"));
          const prev = firstPush.get(job);
          const isJm = mine.some((x) => x.name.startsWith("flink_jobmanager_"));
          const tmId = mine.find((x) => x.labels.tm_id)?.labels.tm_id;
          if (!prev) firstPush.set(job, { pushMs: g.value * 1000, isJm, ...(tmId ? { tmId } : {}) });
          else if (!prev.tmId && tmId) prev.tmId = tmId;
        }
      } catch {
        /* not up yet */
      }
      await sleep(250);
    }
  })();
  return {
    firstPush,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** ms from JVM spawn to the first push of that process's group. */
function firstPushTimes(cluster: FlinkCluster, w: ReturnType<typeof watchGroups>): Record<string, number | undefined> {
  const res: Record<string, number | undefined> = {};
  const groups = [...w.firstPush.values()];
  for (const p of cluster.processes()) {
    const g = p.role === "jobmanager" ? groups.find((x) => x.isJm) : groups.find((x) => x.tmId === p.tmIdLabel());
    res[p.role === "jobmanager" ? "jobmanager" : `taskmanager-${p.index}`] = g ? Math.round(g.pushMs - p.startedAt) : undefined;
  }
  return res;
}

function rss(cluster: FlinkCluster): Record<string, number | undefined> {
  const r: Record<string, number | undefined> = {};
  for (const p of cluster.processes()) {
    const b = p.rssBytes();
    r[p.role === "jobmanager" ? "jobmanager" : `taskmanager-${p.index}`] = b === undefined ? undefined : Math.round(b / 1048576);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// (a) + (d) + (e): Pushgateway mode, full scenario
// ---------------------------------------------------------------------------------------------
async function pushScenario(
  build: FlinkHarnessBuild,
  format: "config.yaml" | "flink-conf.yaml",
  full: boolean,
): Promise<{ report: Report; names: string[]; samples: Sample[] }> {
  const v = build.version;
  const report: Report = { format };
  const pg = await startPushgateway(PG_PORT, freshDir("pgw-"));
  const prom = full
    ? await startPrometheus(
        PROM_PORT,
        `global: {scrape_interval: 5s, evaluation_interval: 5s}
scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    static_configs: [{targets: ['127.0.0.1:${PG_PORT}']}]
  - job_name: pushgateway-no-honor
    honor_labels: false
    static_configs: [{targets: ['127.0.0.1:${PG_PORT}']}]
`,
        freshDir("prom-"),
      )
    : undefined;
  const confDir = writeConfDir(freshDir(`conf-${v}-`), format, pushConfig(format));
  const failOnce = join(freshDir("switch-"), "fail-once");
  let cluster: FlinkCluster | undefined;
  try {
    const t0 = Date.now();
    const watcher = watchGroups();
    cluster = await startCluster({ version: v, confDir, build, portBase: PORT_BASE, taskManagers: 2, workDir: freshDir(`flink-${v}-push-`) });
    report.clusterReadyMs = Date.now() - t0;
    await waitFor("3 groups", async () => ([...watcher.firstPush.values()].filter((g) => g.isJm || g.tmId).length >= 3 ? true : undefined), 60000);
    await watcher.stop();
    report.firstPushMsAfterSpawn = firstPushTimes(cluster, watcher);
    report.loadAverageAtStart = (await import("node:os")).loadavg().map((x) => Math.round(x * 10) / 10);
    const jobId = await submitJob(cluster, { failOnceFile: failOnce });
    const ts = Date.now();
    await waitForRunningJob(cluster, jobId, 60000);
    report.jobRunningMsAfterSubmit = Date.now() - ts;
    // wait until task/operator metrics and a checkpoint are pushed
    await waitForSamples(
      (s) =>
        REQUIRED_PUSH.every((n) => s.some((x) => x.name === n)) &&
        (value(s, "flink_jobmanager_job_numberOfCompletedCheckpoints") ?? 0) >= 2 &&
        s.some((x) => x.name === "flink_taskmanager_job_task_operator_currentOutputWatermark" && x.value > 0),
      "job metrics in the Pushgateway",
      60000,
    );
    report.jobMetricsInPushgatewayMsAfterSubmit = Date.now() - ts;
    await sleep(6000); // one more push so every group carries everything
    const s2 = await pushgatewayFlinkSamples(PG_URL);
    const groups = await pushgatewayGroups(PG_URL);
    report.groups = groups.map((g) => g.labels);
    report.groupsWithClusterTest = groups.filter((g) => g.labels.cluster === "test").length;
    report.jobLabelsMatchSuffix = groups.every((g) => /^flink[0-9a-f]{32}$/.test(g.job));
    report.requiredPresent = Object.fromEntries(REQUIRED_PUSH.map((n) => [n, s2.some((x) => x.name === n)]));
    report.gcMetricNames = metricNames(s2).filter((n) => n.includes("GarbageCollector"));
    report.labelsOf = Object.fromEntries(
      [
        "flink_jobmanager_numRegisteredTaskManagers",
        "flink_jobmanager_job_numRestarts",
        "flink_taskmanager_Status_JVM_CPU_Load",
        "flink_taskmanager_job_task_busyTimeMsPerSecond",
        "flink_taskmanager_job_task_operator_numRecordsInPerSecond",
      ].map((n) => [n, labelKeys(s2, n)]),
    );
    report.excludedLabelsAbsent = !s2.some((x) => "task_attempt_id" in x.labels || "task_attempt_num" in x.labels);
    report.exampleTaskSample = s2.find(
      (x) => x.name === "flink_taskmanager_job_task_operator_numRecordsInPerSecond" && x.labels.operator_name === "Count_Per_Key",
    );
    report.operatorNames = [...new Set(s2.map((x) => x.labels.operator_name).filter(Boolean))].sort();
    report.taskNames = [...new Set(s2.map((x) => x.labels.task_name).filter(Boolean))].sort();
    report.rssMbWhileRunning = rss(cluster);
    // interval actually observed
    const pt1 = (await pushgatewayGroups(PG_URL)).find(
      (g) => g.labels.job && s2.some((x) => x.name === "flink_jobmanager_numRegisteredTaskManagers" && x.labels.job === g.job),
    );
    await sleep(11000);
    const pt2 = (await pushgatewayGroups(PG_URL)).find((g) => g.job === pt1?.job);
    report.jmPushTimeAdvanceOver11s = pt1 && pt2 ? Math.round((pt2.pushTimeSeconds - pt1.pushTimeSeconds) * 10) / 10 : undefined;

    if (prom) {
      await sleep(6000);
      const honored = await promQuery(prom, 'flink_jobmanager_numRegisteredTaskManagers{cluster="test"}');
      const notHonored = await promQuery(prom, 'flink_jobmanager_numRegisteredTaskManagers{exported_job=~"flink.+"}');
      report.prometheus = {
        honorLabelsTrue: honored.filter((r) => r.metric.job?.startsWith("flink")).map((r) => r.metric),
        honorLabelsFalse: notHonored.map((r) => r.metric),
      };
    }

    let allSamples = s2;
    if (full) {
      // (d) fail switch: exactly one restart
      const before = await jobMetric(cluster, jobId, "numRestarts");
      writeFileSync(failOnce, "");
      const tf = Date.now();
      const [restMs, pgMs, sR] = await Promise.all([
        waitFor(
          "numRestarts to increase (REST)",
          async () => (((await jobMetric(cluster!, jobId, "numRestarts")) ?? 0) > (before ?? 0) ? Date.now() - tf : undefined),
          30000,
          250,
        ),
        waitForSamples((s) => (value(s, "flink_jobmanager_job_numRestarts") ?? 0) >= 1, "numRestarts >= 1 in the Pushgateway", 30000).then(
          () => Date.now() - tf,
        ),
        waitFor("fail-once file consumed", async () => (existsSync(failOnce) ? undefined : Date.now() - tf), 30000, 100),
      ]);
      await waitForRunningJob(cluster, jobId, 60000);
      const sAfterFail = await pushgatewayFlinkSamples(PG_URL);
      report.failSwitch = {
        numRestartsBefore: before,
        fileConsumedMs: sR,
        restMsToIncrease: restMs,
        pushgatewayMsToShow: pgMs,
        runningAgainMs: Date.now() - tf,
        numRestartsAfter: value(sAfterFail, "flink_jobmanager_job_numRestarts"),
      };
      await sleep(6000);
      allSamples = [...allSamples, ...(await pushgatewayFlinkSamples(PG_URL))];

      // (d) kill -9 one TaskManager
      const victim = cluster.taskManagers[1]!;
      const victimTmId = victim.tmIdLabel();
      const sBefore = await pushgatewayFlinkSamples(PG_URL);
      const victimJob = sBefore.find((x) => x.labels.tm_id === victimTmId)?.labels.job;
      const restartsBeforeKill = value(sBefore, "flink_jobmanager_job_numRestarts");
      const tk = Date.now();
      await cluster.killTaskManager(1, "SIGKILL");
      const kill: Report = { victimTmId, victimGroup: victimJob, restartsBeforeKill };
      const restTmDrop = await waitFor(
        "REST taskmanagers == 1",
        async () => ((await restGet<{ taskmanagers: number }>(cluster!, "/overview")).taskmanagers === 1 ? Date.now() - tk : undefined),
        60000,
        250,
      );
      kill.restNumTaskManagersDropMs = restTmDrop;
      await waitForSamples((s) => value(s, "flink_jobmanager_numRegisteredTaskManagers") === 1, "pushed numRegisteredTaskManagers == 1", 30000);
      kill.pushgatewayNumRegisteredDropMs = Date.now() - tk;
      await waitForRunningJob(cluster, jobId, 90000);
      kill.jobRunningAgainMs = Date.now() - tk;
      await sleep(12000);
      const sAfter = await pushgatewayFlinkSamples(PG_URL);
      const groupsAfter = await pushgatewayGroups(PG_URL);
      const victimGroup = groupsAfter.find((g) => g.job === victimJob);
      kill.victimGroupStillInPushgateway = victimGroup !== undefined;
      kill.victimGroupAgeSeconds = victimGroup ? Math.round(Date.now() / 1000 - victimGroup.pushTimeSeconds) : undefined;
      kill.victimSeriesStillExposed = sAfter.filter((x) => x.labels.job === victimJob).length;
      kill.restartsAfterKill = value(sAfter, "flink_jobmanager_job_numRestarts");
      kill.numRegisteredTaskManagersAfter = value(sAfter, "flink_jobmanager_numRegisteredTaskManagers");
      kill.taskSlotsTotalAfter = value(sAfter, "flink_jobmanager_taskSlotsTotal");
      report.killTaskManager = kill;
      allSamples = [...allSamples, ...sAfter];

      // graceful stop: deleteOnShutdown removes the JM and live TM groups, the killed TM's stays
      await cluster.stop();
      await sleep(1000);
      const left = await pushgatewayGroups(PG_URL);
      report.afterGracefulStop = { groupsLeft: left.map((g) => g.job), onlyVictimLeft: left.length === 1 && left[0]?.job === victimJob };
      cluster = undefined;
    }
    return { report, names: metricNames(allSamples), samples: allSamples };
  } finally {
    if (cluster) await cluster.stop();
    await prom?.stop();
    await pg.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// (b) pull mode
// ---------------------------------------------------------------------------------------------
async function pullScenario(build: FlinkHarnessBuild): Promise<{ report: Report; names: string[]; samples: Sample[] }> {
  const v = build.version;
  const report: Report = {};
  const confDir = writeConfDir(
    freshDir(`conf-${v}-pull-`),
    "config.yaml",
    'metrics.reporter.prom.factory.class: "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"\nmetrics.reporter.prom.port: "9250-9252"\n',
  );
  const prom = await startPrometheus(
    PROM_PORT,
    `global: {scrape_interval: 5s}
scrape_configs:
  - job_name: flink
    static_configs: [{targets: ['127.0.0.1:9250', '127.0.0.1:9251', '127.0.0.1:9252']}]
`,
    freshDir("prom-"),
  );
  let cluster: FlinkCluster | undefined;
  try {
    cluster = await startCluster({
      version: v,
      confDir,
      build,
      portBase: PORT_BASE,
      taskManagers: 2,
      sequentialStart: true,
      workDir: freshDir(`flink-${v}-pull-`),
    });
    report.boundPorts = Object.fromEntries(
      cluster.processes().map((p) => [p.role === "jobmanager" ? "jobmanager" : `taskmanager-${p.index}`, p.prometheusPorts()]),
    );
    const jobId = await submitJob(cluster);
    await waitForRunningJob(cluster, jobId, 60000);
    await sleep(15000);
    const all: Sample[] = [];
    const perPort: Record<string, number> = {};
    for (const port of [9250, 9251, 9252]) {
      const s = await scrape(`http://127.0.0.1:${port}/metrics`);
      perPort[port] = s.length;
      all.push(...s);
    }
    // "/" serves the same
    report.rootPathServesMetrics = (await scrape("http://127.0.0.1:9250/")).length > 0;
    report.samplesPerPort = perPort;
    report.requiredPresent = Object.fromEntries(REQUIRED_PUSH.map((n) => [n, all.some((x) => x.name === n)]));
    report.labelsOf = Object.fromEntries(
      ["flink_jobmanager_numRegisteredTaskManagers", "flink_taskmanager_job_task_operator_numRecordsInPerSecond"].map((n) => [n, labelKeys(all, n)]),
    );
    const up = await waitFor(
      "3 up targets",
      async () => {
        const r = await promQuery(prom, 'up{job="flink"}');
        return r.length === 3 && r.every((x) => x.value[1] === "1") ? r : undefined;
      },
      30000,
      1000,
    );
    report.prometheusUp = up.map((r) => `${r.metric.instance}=${r.value[1]}`);
    report.rssMbWhileRunning = rss(cluster);
    return { report, names: metricNames(all), samples: all };
  } finally {
    if (cluster) await cluster.stop();
    await prom.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// (c) typed YAML / interval / file format: JobManager-only runs
// ---------------------------------------------------------------------------------------------
async function jmOnly(
  build: FlinkHarnessBuild,
  files: Partial<Record<"config.yaml" | "flink-conf.yaml", string>>,
  wait: "push" | "pull" | "none",
): Promise<Report> {
  const v = build.version;
  const confDir = freshDir(`conf-${v}-jm-`);
  for (const [f, c] of Object.entries(files)) writeFileSync(join(confDir, f), c);
  let cluster: FlinkCluster | undefined;
  const r: Report = {};
  try {
    cluster = await startCluster({
      version: v,
      confDir,
      build,
      portBase: PORT_BASE,
      taskManagers: 0,
      workDir: freshDir(`flink-${v}-jm-`),
      readyTimeoutMs: 40000,
    });
    if (wait === "push") {
      const groups = await waitFor(
        "a pushed group",
        async () => {
          const g = await pushgatewayGroups(PG_URL);
          return g.length > 0 ? g : undefined;
        },
        30000,
      );
      r.groupJobs = groups.map((g) => g.job);
    } else if (wait === "pull") {
      await waitFor("PrometheusReporter port", async () => (cluster!.jobManager.prometheusPorts().length > 0 ? true : undefined), 20000);
      r.pullPorts = cluster.jobManager.prometheusPorts();
    }
    const logText = readFileSync(cluster.jobManager.logFile, "utf8");
    r.parser = /Using (standard YAML|legacy YAML) parser/.exec(logText)?.[1] ?? "unknown";
    r.intervalLog = /Periodically reporting metrics in intervals of ([^f]+) for reporter/.exec(logText)?.[1]?.trim();
    r.reporterConfigLog = /Configured PrometheusPushGatewayReporter with (\{.*\})/.exec(logText)?.[1];
  } catch (e) {
    r.error = String(e).slice(0, 1500);
  } finally {
    if (cluster) await cluster.stop();
  }
  return r;
}

async function typedScenario(build: FlinkHarnessBuild): Promise<Report> {
  const report: Report = {};
  const pg = await startPushgateway(PG_PORT, freshDir("pgw-"));
  const base = (extra: string): string =>
    `metrics.reporter.promgateway.factory.class: "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory"
metrics.reporter.promgateway.hostUrl: "${PG_URL}"
metrics.reporter.promgateway.jobName: "flinkjm"
${extra}`;
  try {
    report.unquotedFalse = await jmOnly(
      build,
      { "config.yaml": base('metrics.reporter.promgateway.randomJobNameSuffix: false\nmetrics.reporter.promgateway.interval: "2 SECONDS"\n') },
      "push",
    );
    report.quotedFalse = await jmOnly(
      build,
      { "config.yaml": base('metrics.reporter.promgateway.randomJobNameSuffix: "false"\nmetrics.reporter.promgateway.interval: "2 SECONDS"\n') },
      "push",
    );
    report.nestedQuotedFalse = await jmOnly(
      build,
      {
        "config.yaml": `metrics:
  reporter:
    promgateway:
      factory.class: "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory"
      hostUrl: "${PG_URL}"
      jobName: "flinkjm"
      randomJobNameSuffix: "false"
      interval: "2 SECONDS"
`,
      },
      "push",
    );
    for (const [k, iv] of [
      ["intervalQuoted5SECONDS", '"5 SECONDS"'],
      ["intervalUnquoted5SECONDS", "5 SECONDS"],
      ["intervalQuoted5s", '"5s"'],
      ["intervalUnquoted5s", "5s"],
      ["intervalUnquotedInt5", "5"],
    ] as const) {
      report[k] = await jmOnly(
        build,
        { "config.yaml": base(`metrics.reporter.promgateway.randomJobNameSuffix: "false"\nmetrics.reporter.promgateway.interval: ${iv}\n`) },
        "push",
      );
    }
    // pull reporter port typed as YAML int vs string
    report.pullPortUnquoted = await jmOnly(
      build,
      {
        "config.yaml":
          'metrics.reporter.prom.factory.class: "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"\nmetrics.reporter.prom.port: 9260\n',
      },
      "pull",
    );
    report.pullPortQuoted = await jmOnly(
      build,
      {
        "config.yaml":
          'metrics.reporter.prom.factory.class: "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"\nmetrics.reporter.prom.port: "9260"\n',
      },
      "pull",
    );
  } finally {
    await pg.stop();
  }
  return report;
}

async function legacyScenario(build: FlinkHarnessBuild): Promise<Report> {
  const report: Report = {};
  const pg = await startPushgateway(PG_PORT, freshDir("pgw-"));
  const flat = (jobName: string, suffix: string): string =>
    `metrics.reporter.promgateway.factory.class: org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory
metrics.reporter.promgateway.hostUrl: ${PG_URL}
metrics.reporter.promgateway.jobName: ${jobName}
metrics.reporter.promgateway.randomJobNameSuffix: ${suffix}
metrics.reporter.promgateway.interval: 5 SECONDS
`;
  try {
    report.flinkConfUnquotedFalse = await jmOnly(build, { "flink-conf.yaml": flat("legacyjm", "false") }, "push");
    // quotes are NOT stripped by the legacy parser
    report.flinkConfQuotedJobName = await jmOnly(build, { "flink-conf.yaml": flat('"legacyq"', "false") }, "push");
    report.bothFilesPresent = await jmOnly(
      build,
      { "flink-conf.yaml": flat("fromflinkconf", "false"), "config.yaml": pushConfig("config.yaml", { jobName: "fromconfigyaml", suffix: "false" }) },
      "push",
    );
  } finally {
    await pg.stop();
  }
  return report;
}

async function main(): Promise<void> {
  mkdirSync(join(HARNESS_DIR, "fixtures"), { recursive: true });
  for (const v of VERSIONS) {
    const report: Report = { version: v };
    const tb = Date.now();
    const build = buildFlinkHarness(v);
    report.build = { ...build.timings, reused: build.reused, wallMs: Date.now() - tb, prometheusReporterJar: build.prometheusReporterJar };
    log(v, "build", report.build);
    const allNames = new Set<string>();
    const labelMap: Record<string, Set<string>> = {};
    const addSamples = (ss: Sample[], ignore: string[]): void => {
      for (const s of ss) {
        allNames.add(s.name);
        const set = (labelMap[s.name] ??= new Set());
        for (const k of Object.keys(s.labels)) if (!ignore.includes(k)) set.add(k);
      }
    };
    if (ONLY.has("push")) {
      const r = await pushScenario(build, "config.yaml", true);
      report.pushConfigYaml = r.report;
      r.names.forEach((n) => allNames.add(n));
      addSamples(r.samples, ["job", "instance", "cluster"]);
      log(v, "push config.yaml", JSON.stringify(r.report).slice(0, 400));
      if (v.startsWith("1.")) {
        const r2 = await pushScenario(build, "flink-conf.yaml", false);
        report.pushFlinkConfYaml = r2.report;
        addSamples(r2.samples, ["job", "instance", "cluster"]);
        log(v, "push flink-conf.yaml", JSON.stringify(r2.report).slice(0, 300));
      }
    }
    if (ONLY.has("pull")) {
      const r = await pullScenario(build);
      report.pull = r.report;
      addSamples(r.samples, []);
      report.pullNamesNotInPush = r.names.filter((n) => !allNames.has(n) || false);
      log(v, "pull", JSON.stringify(r.report).slice(0, 300));
    }
    if (ONLY.has("typed")) {
      report.typed = await typedScenario(build);
      log(v, "typed", JSON.stringify(report.typed).slice(0, 300));
    }
    if (ONLY.has("legacy")) {
      if (v.startsWith("1.")) report.legacy = await legacyScenario(build);
      else report.legacy = { onlyFlinkConf: await jmOnlyNoPg(build) };
      log(v, "legacy", JSON.stringify(report.legacy).slice(0, 300));
    }
    if (ONLY.has("push") && ONLY.has("pull")) {
      const names = [...allNames].filter((n) => n.startsWith("flink_")).sort();
      writeFileSync(join(HARNESS_DIR, "fixtures", `metric-names-${v}.txt`), names.join("\n") + "\n");
      const labels = Object.fromEntries(
        Object.entries(labelMap)
          .filter(([n]) => n.startsWith("flink_"))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([n, s]) => [n, [...s].sort()]),
      );
      writeFileSync(join(HARNESS_DIR, "fixtures", `metric-labels-${v}.json`), JSON.stringify(labels, null, 1) + "\n");
      report.metricNameCount = names.length;
    }
    mkdirSync(join(HARNESS_DIR, "target"), { recursive: true });
    const reportFile = join(HARNESS_DIR, "target", `verify-${v}.json`);
    const previous = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, "utf8")) as Report) : {};
    writeFileSync(reportFile, JSON.stringify({ ...previous, ...report }, null, 2));
    log(v, "done; report in", join(HARNESS_DIR, "target", `verify-${v}.json`));
  }
}

/** 2.x with only a flink-conf.yaml in the conf dir. */
async function jmOnlyNoPg(build: FlinkHarnessBuild): Promise<Report> {
  const pg = await startPushgateway(PG_PORT, freshDir("pgw-"));
  try {
    return await jmOnly(
      build,
      {
        "flink-conf.yaml": `metrics.reporter.promgateway.factory.class: org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory\nmetrics.reporter.promgateway.hostUrl: ${PG_URL}\nmetrics.reporter.promgateway.interval: 2 SECONDS\n`,
      },
      "push",
    );
  } finally {
    await pg.stop();
  }
}

main().then(
  () => {
    // logs of a successful run are not kept (pass --keep to keep them)
    if (!argv.includes("--keep")) for (const d of createdDirs) rmSync(d, { recursive: true, force: true });
    process.exit(0);
  },
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
