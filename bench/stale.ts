// benchStale(): what a Pushgateway collects when the TaskManagers of a REAL Flink cluster die hard and come back,
// with the seed recipe's reporter settings versus ours.
//
//   (a) seed recipe: randomJobNameSuffix: true, deleteOnShutdown: false — one config file for the cluster; every
//       process start pushes to a new group flink<32 hex>; a kill -9 leaves the old group behind for good.
//   (b) ours:        randomJobNameSuffix: false (deleteOnShutdown: true, the default) — the generator writes one
//       config file per process, flink/<cluster>/<role>-<host>/config.yaml, whose grouping key carries
//       instance=<host>. A TaskManager restarted on its host reads the same file and so PUTs into its own old
//       group, replacing the dead process's series.
//
// The TaskManagers run as separate JVMs on this machine (test/flink harness), each on its own loopback address
// (127.0.0.11, 127.0.0.12 as taskmanager.host and bind-host): they are the "hosts" of the config, so each has its
// own file and the Flink `host` label matches the `instance` of its group. The monitoring stack runs on Docker
// through upStack (stand-in images; Grafana off: no Grafana image exists here, its panels are evaluated by
// verifyStack instead). Five rounds of: kill -9 both TaskManagers, start them again (same files), wait until the job
// runs on them and one stale threshold has passed; then count.
//
//   node --import tsx bench/stale.ts [--versions 2.3.0,1.20.5] [--rounds 5]
// Needs the Docker engine, the stand-in images, Java 17 and the Flink harness (bash test/flink/fetch.sh).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { downStack, upStack } from "../lib/docker/index.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import { buildStack, generate } from "../lib/index.js";
import type { StackPlan } from "../lib/plan/types.js";
import { listPanelQueries } from "../lib/render/dashboards/index.js";
import { verifyStack } from "../lib/verify/index.js";
import { STANDIN_IMAGES, ensureStandinImages, freePorts, purgeProject, requireEngine } from "../test/docker/helpers.js";
import {
  buildFlinkHarness,
  sleep,
  startCluster,
  submitJob,
  waitFor,
  waitForRunningJob,
  waitForTaskManagers,
  type FlinkCluster,
  type TaskManagerStartOptions,
} from "../test/flink/cluster.js";
import { parseExposition } from "../test/flink/pushgateway.js";
import { freePortRange } from "../test/flink/stack-support.js";

const CLUSTER = "bench";
const TM_HOSTS = ["127.0.0.11", "127.0.0.12"] as const;
const INTERVAL_SECONDS = 2;
const STALE_INTERVALS = 4; // our default pushStaleIntervals: a group is stale after 4 intervals without a push

export interface StaleVariant {
  readonly name: string;
  readonly randomJobNameSuffix: boolean;
  readonly deleteOnShutdown: boolean;
}

export const STALE_VARIANTS: readonly StaleVariant[] = [
  { name: "(a) seed: random suffix, no delete", randomJobNameSuffix: true, deleteOnShutdown: false },
  { name: "(b) ours: per-process group", randomJobNameSuffix: false, deleteOnShutdown: true },
];

export interface StaleRound {
  readonly round: number;
  /** flink_* samples the Pushgateway exposes (what Prometheus ingests from it on every scrape). */
  readonly pushgatewaySeries: number;
  readonly groups: number;
  /** Groups whose push_time_seconds is older than STALE_INTERVALS × interval. */
  readonly staleGroups: number;
  /** Panels (cluster + job dashboards) whose every query has data, of all, Kafka panels left out. */
  readonly panelsWithData: number;
  readonly panels: number;
  /** What the cluster dashboard's "Processes reporting" shows: JobManagers, TaskManagers. */
  readonly shownJobManagers: number;
  readonly shownTaskManagers: number;
  /** tm_id values that the dashboards' fresh() filter lets through but whose process is dead. */
  readonly deadShownAsLive: readonly string[];
  /** ms from the kill to the new TaskManagers' job running and counted. */
  readonly roundMs: number;
}

export interface StaleResult {
  readonly version: string;
  readonly variant: StaleVariant;
  readonly rounds: readonly StaleRound[];
  readonly emptyPanels: readonly string[];
}

interface Ports {
  prometheus: number;
  pushgateway: number;
  flink: number;
}

function stackConfig(project: string, flinkVersion: string, variant: StaleVariant, ports: Ports): StackConfig {
  return {
    name: project,
    flink: {
      version: flinkVersion.split(".").slice(0, 2).join("."),
      reporter: {
        mode: "pushgateway",
        interval: `${INTERVAL_SECONDS}s`,
        pushgateway: { jobName: "flink", randomJobNameSuffix: variant.randomJobNameSuffix, deleteOnShutdown: variant.deleteOnShutdown },
      },
      clusters: [{ name: CLUSTER, jobmanagers: ["localhost"], taskmanagers: [...TM_HOSTS] }],
    },
    prometheus: { image: STANDIN_IMAGES.prometheus, scrapeInterval: "2s", scrapeTimeout: "2s", evaluationInterval: "2s" },
    pushgateway: { image: STANDIN_IMAGES.pushgateway },
    nodeExporter: { enabled: false },
    alerting: { enabled: true, rules: { for: "10s", thresholds: { pushStaleIntervals: STALE_INTERVALS } }, alertmanager: { enabled: false } },
    grafana: { enabled: false },
    network: { bindAddress: "127.0.0.1", ports: { prometheus: ports.prometheus, pushgateway: ports.pushgateway } },
  };
}

async function promQuery(promUrl: string, expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(5000) });
  const j = (await r.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (j.status !== "success") throw new Error(`query ${expr}: ${j.error}`);
  return j.data.result;
}

async function pushgatewayState(pgUrl: string): Promise<{ series: number; groups: number; stale: number; tmIds: Map<string, string> }> {
  const text = await (await fetch(`${pgUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const samples = parseExposition(text);
  const now = Date.now() / 1000;
  const groups = samples.filter((s) => s.name === "push_time_seconds" && (s.labels.job ?? "").startsWith("flink"));
  const tmIds = new Map<string, string>();
  for (const s of samples) if (s.labels.tm_id && s.labels.job) tmIds.set(s.labels.tm_id, s.labels.job);
  return {
    series: samples.filter((s) => s.name.startsWith("flink_")).length,
    groups: groups.length,
    stale: groups.filter((g) => now - g.value > STALE_INTERVALS * INTERVAL_SECONDS).length,
    tmIds,
  };
}

/** The cluster dashboard's "Processes reporting" queries, $cluster substituted. */
function processesReportingQueries(dashPlan: StackPlan): { jm: string; tm: string } {
  const qs = listPanelQueries(dashPlan).filter((q) => q.panel === "Processes reporting");
  const jm = qs.find((q) => q.expr.includes("flink_jobmanager_"));
  const tm = qs.find((q) => q.expr.includes("flink_taskmanager_"));
  if (!jm || !tm) throw new Error('no "Processes reporting" panel queries');
  const sub = (e: string) => e.replace(/\$cluster/g, CLUSTER);
  return { jm: sub(jm.expr), tm: sub(tm.expr) };
}

async function measure(
  round: number,
  roundMs: number,
  urls: { prom: string; pg: string },
  dashPlan: StackPlan,
  cluster: FlinkCluster,
): Promise<{ row: StaleRound; empty: string[] }> {
  const pg = await pushgatewayState(urls.pg);
  const verify = await verifyStack(dashPlan, { prometheusUrl: urls.prom });
  const panels = new Map<string, boolean>();
  for (const p of verify.panels) {
    if (p.panel.startsWith("Kafka")) continue; // needs a KafkaSource; StackProofJob has none
    const key = `${p.dashboard} / ${p.panel}`;
    panels.set(key, (panels.get(key) ?? true) && p.status === "data");
  }
  const { jm, tm } = processesReportingQueries(dashPlan);
  const shown = async (expr: string) => Number((await promQuery(urls.prom, expr))[0]?.value[1] ?? 0);
  // tm_ids the dashboards show (the fresh() filter of the JVM panels), against the live TaskManagers.
  const freshCpu = listPanelQueries(dashPlan).find((q) => q.panel === "CPU load" && q.expr.includes("flink_taskmanager_"));
  const liveTmIds = new Set(cluster.taskManagers.filter((t) => t.alive()).map((t) => t.tmIdLabel()));
  const shownTmIds = freshCpu ? (await promQuery(urls.prom, freshCpu.expr.replace(/\$cluster/g, CLUSTER))).map((r) => r.metric.tm_id ?? "") : [];
  return {
    row: {
      round,
      pushgatewaySeries: pg.series,
      groups: pg.groups,
      staleGroups: pg.stale,
      panelsWithData: [...panels.values()].filter(Boolean).length,
      panels: panels.size,
      shownJobManagers: await shown(jm),
      shownTaskManagers: await shown(tm),
      deadShownAsLive: shownTmIds.filter((id) => !liveTmIds.has(id)),
      roundMs,
    },
    empty: verify.panels.filter((p) => p.status !== "data" && !p.panel.startsWith("Kafka")).map((p) => `${p.dashboard} / ${p.panel}: ${p.cause}`),
  };
}

async function runVariant(version: string, variant: StaleVariant, rounds: number, log: (m: string) => void): Promise<StaleResult> {
  const project = `fpsstale${Math.random().toString(36).slice(2, 7)}`;
  const outDir = mkdtempSync(path.join(tmpdir(), "fps-stale-out-"));
  const workDir = mkdtempSync(path.join(tmpdir(), "fps-stale-run-"));
  const [prometheus, pushgateway] = (await freePorts(2)) as [number, number];
  const ports: Ports = { prometheus, pushgateway, flink: await freePortRange(3) };
  const urls = { prom: `http://127.0.0.1:${prometheus}`, pg: `http://127.0.0.1:${pushgateway}` };
  const config = stackConfig(project, version, variant, ports);
  const { plan } = await generate({ config, outDir });
  const dashPlan = buildStack({ ...config, grafana: { enabled: true } }).plan;
  const flinkDir = path.join(outDir, "flink", CLUSTER);
  // (a): one file for the cluster; (b): one per process, as the generator wrote them.
  const confOf = (role: "jobmanager" | "taskmanager", host: string) => (variant.randomJobNameSuffix ? flinkDir : path.join(flinkDir, `${role}-${host}`));
  const tmOptions = (i: number): TaskManagerStartOptions => {
    const host = TM_HOSTS[i]!;
    return { confDir: confOf("taskmanager", host), dynamicProperties: { "taskmanager.host": host, "taskmanager.bind-host": host } };
  };
  let cluster: FlinkCluster | undefined;
  const rows: StaleRound[] = [];
  let emptyPanels: string[] = [];
  try {
    const [up, started] = await Promise.allSettled([
      upStack(plan, { outDir, timeoutMs: 180_000 }),
      startCluster({
        version,
        confDir: confOf("jobmanager", "localhost"),
        build: buildFlinkHarness(version),
        taskManagers: 2,
        portBase: ports.flink,
        workDir: path.join(workDir, "flink"),
        taskManagerOptions: tmOptions,
        readyTimeoutMs: 120_000,
      }),
    ]);
    if (started.status === "fulfilled") cluster = started.value;
    if (up.status === "rejected") throw up.reason;
    if (started.status === "rejected") throw started.reason;
    const c = cluster!;
    const jobId = await submitJob(c);
    await waitForRunningJob(c, jobId, 90_000);
    const waitCounted = async (): Promise<void> => {
      // both live TaskManagers' task metrics pushed and in Prometheus, and one stale threshold passed since the kill
      const live = c.taskManagers.filter((t) => t.alive()).map((t) => t.tmIdLabel());
      await waitFor("both TaskManagers' task metrics in Prometheus", async () => {
        const r = await promQuery(urls.prom, `count by (tm_id) (flink_taskmanager_job_task_busyTimeMsPerSecond{cluster="${CLUSTER}"})`);
        const ids = new Set(r.map((x) => x.metric.tm_id));
        return live.every((id) => id && ids.has(id)) ? true : undefined;
      }, 90_000, 1000);
    };
    await waitCounted();
    await sleep((STALE_INTERVALS + 1) * INTERVAL_SECONDS * 1000);
    let m = await measure(0, 0, urls, dashPlan, c);
    rows.push(m.row);
    log(`${version} ${variant.name} round 0: ${JSON.stringify(m.row)}`);
    for (let round = 1; round <= rounds; round++) {
      const t0 = Date.now();
      const victims = c.taskManagers.filter((t) => t.alive());
      await Promise.all(victims.map((v) => c.killTaskManager(c.taskManagers.indexOf(v), "SIGKILL")));
      // the same two "hosts" come back: each TaskManager reads its own file again
      for (let i = 0; i < TM_HOSTS.length; i++) c.startTaskManager(tmOptions(i));
      await waitForTaskManagers(c, 2, 120_000);
      await waitForRunningJob(c, jobId, 120_000);
      await waitCounted();
      // let the dead processes' groups cross the stale threshold, so they count as stale (a) or are gone (b)
      const sinceKill = Date.now() - t0;
      await sleep(Math.max(0, (STALE_INTERVALS + 1) * INTERVAL_SECONDS * 1000 - sinceKill));
      m = await measure(round, Date.now() - t0, urls, dashPlan, c);
      rows.push(m.row);
      emptyPanels = [...new Set([...emptyPanels, ...m.empty])];
      log(`${version} ${variant.name} round ${round}: ${JSON.stringify(m.row)}`);
    }
  } finally {
    if (cluster) await cluster.stop(5000).catch(() => undefined);
    await downStack(plan, { volumes: true }).catch(() => undefined);
    await purgeProject(project);
    rmSync(outDir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  }
  return { version, variant, rounds: rows, emptyPanels };
}

export interface BenchStaleOptions {
  /** Flink releases to run (the harness's). Default ["2.3.0"]. */
  readonly versions?: readonly string[];
  readonly rounds?: number;
  readonly log?: (message: string) => void;
}

/** Runs both variants and prints a table; returns the measurements. */
export async function benchStale(options: BenchStaleOptions = {}): Promise<StaleResult[]> {
  const versions = options.versions ?? ["2.3.0"];
  const rounds = options.rounds ?? 5;
  const log = options.log ?? ((m: string) => process.stderr.write(`  [stale] ${m}\n`));
  await requireEngine();
  await ensureStandinImages();
  const results: StaleResult[] = [];
  for (const version of versions) for (const variant of STALE_VARIANTS) results.push(await runVariant(version, variant, rounds, log));

  console.log(`Pushgateway after kill -9 + restart of both TaskManagers (real Flink, 1 JM + 2 TMs, interval ${INTERVAL_SECONDS}s, stale after ${STALE_INTERVALS * INTERVAL_SECONDS}s)`);
  const header = ["flink", "variant", "round", "PG series", "groups", "stale", "panels w/ data", "shown JM/TM", "dead shown live", "round s"];
  const widths = [7, 36, 5, 9, 6, 5, 14, 11, 15, 7];
  const line = (cells: string[]) => console.log(cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  line(header);
  for (const r of results) {
    for (const row of r.rounds) {
      line([
        r.version,
        r.variant.name,
        String(row.round),
        String(row.pushgatewaySeries),
        String(row.groups),
        String(row.staleGroups),
        `${row.panelsWithData}/${row.panels}`,
        `${row.shownJobManagers}/${row.shownTaskManagers}`,
        String(row.deadShownAsLive.length),
        (row.roundMs / 1000).toFixed(1),
      ]);
    }
    if (r.emptyPanels.length > 0) console.log(`  empty panels: ${r.emptyPanels.join("; ")}`);
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argOf = (k: string): string | undefined => {
    const i = process.argv.indexOf(k);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  await benchStale({
    ...(argOf("--versions") ? { versions: argOf("--versions")!.split(",") } : {}),
    ...(argOf("--rounds") ? { rounds: Number(argOf("--rounds")) } : {}),
  }).then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
