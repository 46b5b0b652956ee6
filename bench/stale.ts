// benchStale(): what a Pushgateway collects when the TaskManagers of a REAL Flink cluster die hard and come back,
// with the seed recipe's reporter settings versus ours.
//
//   (a) seed recipe: randomJobNameSuffix: true, deleteOnShutdown: false — one config file for the cluster; every
//       process start pushes to a new group flink<32 hex>; a kill -9 leaves the old group behind for good.
//   (b) ours:        the generator's defaults (no reporter settings given). One Flink process per host here, so the
//       default is randomJobNameSuffix: false with deleteOnShutdown: true: the generator writes one
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
//   npm run bench -- --only=stale [--versions=2.3.0] [--rounds=5]      (bench/run.ts; a plain `npm run bench` runs it too)
//   node --import tsx bench/stale.ts [--versions 1.20.5,2.3.0] [--rounds 5]
// Needs the Docker engine (bash scripts/ci/docker-engine.sh start), the stand-in images
// (bash scripts/ci/standin-images.sh), Java 17 and the Flink harness (bash test/flink/fetch.sh). A missing one is
// reported with the command that provides it (checkStalePrerequisites), before anything starts.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { downStack, upStack } from "../lib/docker/index.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import { buildStack, generate } from "../lib/index.js";
import type { StackPlan } from "../lib/plan/types.js";
import { listPanelQueries } from "../lib/render/dashboards/index.js";
import { verifyStack } from "../lib/verify/index.js";
import { ROOT, STANDIN_IMAGES, freePorts, purgeProject } from "../test/docker/helpers.js";
import {
  HARNESS_DIR,
  POM,
  VERIFIED_FLINK_VERSIONS,
  buildFlinkHarness,
  sleep,
  startCluster,
  submitJob,
  waitFor,
  restGet,
  waitForRunningJob,
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
  /** undefined: the generator's default (checked to be false: stable per-process groups). */
  readonly randomJobNameSuffix: boolean | undefined;
  readonly deleteOnShutdown: boolean | undefined;
}

const STALE_VARIANTS: readonly StaleVariant[] = [
  { name: "(a) seed: random suffix, no delete", randomJobNameSuffix: true, deleteOnShutdown: false },
  { name: "(b) ours: defaults (per-process group)", randomJobNameSuffix: undefined, deleteOnShutdown: undefined },
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
  /** Why the run stopped early (the rounds measured until then are kept). */
  readonly error?: string;
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
        pushgateway: {
          jobName: "flink",
          ...(variant.randomJobNameSuffix === undefined ? {} : { randomJobNameSuffix: variant.randomJobNameSuffix }),
          ...(variant.deleteOnShutdown === undefined ? {} : { deleteOnShutdown: variant.deleteOnShutdown }),
        },
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

async function promQuery(promUrl: string, expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(5000) });
  const j = (await r.json()) as {
    status: string;
    error?: string;
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
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

function brief(row: StaleRound): string {
  return `${row.pushgatewaySeries} samples, ${row.groups} groups, ${row.staleGroups} stale; panels with data ${row.panelsWithData}/${row.panels}, dead TMs shown live ${row.deadShownAsLive.length} (${(row.roundMs / 1000).toFixed(1)} s)`;
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
  const random = plan.flink.pushgateway.randomJobNameSuffix;
  if (variant.randomJobNameSuffix === undefined && random) throw new Error("the generator's default should be stable per-process groups here");
  const confOf = (role: "jobmanager" | "taskmanager", host: string) => (random ? flinkDir : path.join(flinkDir, `${role}-${host}`));
  const tmOptions = (i: number): TaskManagerStartOptions => {
    const host = TM_HOSTS[i]!;
    return { confDir: confOf("taskmanager", host), dynamicProperties: { "taskmanager.host": host, "taskmanager.bind-host": host } };
  };
  let cluster: FlinkCluster | undefined;
  const rows: StaleRound[] = [];
  let emptyPanels: string[] = [];
  let error: string | undefined;
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
      // both live TaskManagers pushing (in Prometheus) and the job's task metrics of a live one. After a restart
      // of both, the job may run on the TaskManager that registered first only (2 slots hold it all).
      let seen = "";
      await waitFor(
        "both TaskManagers' metrics and the job's task metrics in Prometheus",
        async () => {
          const live = c.taskManagers.filter((t) => t.alive()).map((t) => t.tmIdLabel());
          const jvm = new Set((await promQuery(urls.prom, `flink_taskmanager_Status_JVM_CPU_Load{cluster="${CLUSTER}"}`)).map((x) => x.metric.tm_id));
          const tasks = new Set(
            (await promQuery(urls.prom, `flink_taskmanager_job_task_busyTimeMsPerSecond{cluster="${CLUSTER}"}`)).map((x) => x.metric.tm_id),
          );
          // and event time flowing again (a restarted source reports Long.MIN_VALUE until its first watermark)
          const watermarks = new Set(
            (await promQuery(urls.prom, `flink_taskmanager_job_task_operator_currentOutputWatermark{cluster="${CLUSTER}"} > 0`)).map(
              (x) => x.metric.tm_id,
            ),
          );
          seen = `live ${JSON.stringify(live)}, JVM metrics of ${JSON.stringify([...jvm])}, task metrics of ${JSON.stringify([...tasks])}, watermarks of ${JSON.stringify([...watermarks])}`;
          return live.every((id) => id && jvm.has(id)) && live.some((id) => id && tasks.has(id) && watermarks.has(id)) ? true : undefined;
        },
        90_000,
        1000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}: ${seen}`);
      });
    };
    await waitCounted();
    await sleep((STALE_INTERVALS + 1) * INTERVAL_SECONDS * 1000);
    let m = await measure(0, 0, urls, dashPlan, c);
    rows.push(m.row);
    log(`${version} ${variant.name} restart 0: ${brief(m.row)}`);
    for (let round = 1; round <= rounds; round++) {
      const t0 = Date.now();
      const victims = c.taskManagers.filter((t) => t.alive());
      await Promise.all(victims.map((v) => c.killTaskManager(c.taskManagers.indexOf(v), "SIGKILL")));
      // the same two "hosts" come back: each TaskManager reads its own file again
      const fresh = TM_HOSTS.map((_, i) => c.startTaskManager(tmOptions(i)));
      // registered: exactly the new processes (the JobManager has declared the killed ones lost)
      await waitFor(
        "the JobManager to list exactly the restarted TaskManagers",
        async () => {
          const ids = fresh.map((t) => t.resourceId());
          if (ids.some((id) => id === undefined)) return undefined;
          const registered = (await restGet<{ taskmanagers: Array<{ id: string }> }>(c, "/taskmanagers")).taskmanagers.map((t) => t.id).sort();
          return JSON.stringify(registered) === JSON.stringify([...ids].sort()) ? true : undefined;
        },
        120_000,
        500,
      );
      await waitForRunningJob(c, jobId, 120_000);
      await waitCounted();
      // let the dead processes' groups cross the stale threshold, so they count as stale (a) or are gone (b)
      const sinceKill = Date.now() - t0;
      await sleep(Math.max(0, (STALE_INTERVALS + 1) * INTERVAL_SECONDS * 1000 - sinceKill));
      m = await measure(round, Date.now() - t0, urls, dashPlan, c);
      rows.push(m.row);
      emptyPanels = [...new Set([...emptyPanels, ...m.empty])];
      log(`${version} ${variant.name} restart ${round}: ${brief(m.row)}`);
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    log(`${version} ${variant.name} failed after ${Math.max(0, rows.length - 1)} restart(s): ${error}`);
  } finally {
    if (cluster) await cluster.stop(5000).catch(() => undefined);
    await downStack(plan, { volumes: true }).catch(() => undefined);
    await purgeProject(project);
    rmSync(outDir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  }
  return { version, variant, rounds: rows, emptyPanels, ...(error === undefined ? {} : { error }) };
}

export interface BenchStaleOptions {
  /** Flink releases to run (the harness's). Default: both verified ones, 1.20.5 and 2.3.0. */
  readonly versions?: readonly string[];
  /** kill -9 + restart rounds per variant. Default 5. */
  readonly rounds?: number;
  readonly log?: (message: string) => void;
}

/** A prerequisite of the stale bench is missing; the message names the command that provides it. */
export class StalePrerequisiteError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the stale-series bench cannot run:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "StalePrerequisiteError";
  }
}

const exec = promisify(execFile);
const relative = (p: string): string => path.relative(ROOT, p) || ".";

function newestMtimeMs(paths: readonly string[]): number {
  let newest = 0;
  const walk = (p: string): void => {
    const s = statSync(p);
    if (s.isDirectory()) for (const entry of readdirSync(p)) walk(path.join(p, entry));
    else newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of paths) if (existsSync(p)) walk(p);
  return newest;
}

/** Why the harness of `version` cannot be reused as is (the rule of buildFlinkHarness and fetch.sh), or undefined. */
function harnessProblem(version: string): string | undefined {
  const dir = path.join(HARNESS_DIR, "target", version);
  const classpath = path.join(dir, "classpath.txt");
  const jar = path.join(dir, "stack-proof-job.jar");
  if (!existsSync(classpath) || !existsSync(jar)) return `no ${relative(classpath)} / stack-proof-job.jar`;
  const inputs = newestMtimeMs([POM, path.join(HARNESS_DIR, "src")]);
  if (statSync(classpath).mtimeMs <= inputs || statSync(jar).mtimeMs <= inputs) return "older than test/flink/pom.xml or src/";
  const missing = readFileSync(classpath, "utf8")
    .trim()
    .split(":")
    .filter((j) => j !== "" && !existsSync(j));
  if (missing.length > 0) return `${missing.length} jar(s) of its classpath are gone from the Maven repository, e.g. ${missing[0]}`;
  return undefined;
}

/**
 * Everything the stale bench needs, checked before anything starts; each problem says which command fixes it.
 * Throws StalePrerequisiteError.
 */
async function checkStalePrerequisites(versions: readonly string[]): Promise<void> {
  const problems: string[] = [];
  const engine = await exec("docker", ["version", "--format", "{{.Server.Version}}"], { timeout: 20_000 }).then(
    () => true,
    () => false,
  );
  if (!engine) problems.push("no Docker engine answers: run `bash scripts/ci/docker-engine.sh start`");
  else {
    const missing: string[] = [];
    for (const image of Object.values(STANDIN_IMAGES)) {
      if (
        !(await exec("docker", ["image", "inspect", image]).then(
          () => true,
          () => false,
        ))
      )
        missing.push(image);
    }
    if (missing.length > 0) problems.push(`stand-in image(s) ${missing.join(", ")} missing: run \`bash scripts/ci/standin-images.sh\``);
  }
  const java = await exec("java", ["-version"]).then(
    () => true,
    () => false,
  );
  if (!java)
    problems.push(
      "no `java` on the PATH: install a JDK 17 (`apt-get install -y openjdk-17-jdk-headless maven`), then run `bash test/flink/fetch.sh`",
    );
  const stale = versions.map((v) => [v, harnessProblem(v)] as const).filter(([, why]) => why !== undefined);
  if (stale.length > 0) {
    const list = stale.map(([v]) => v).join(" ");
    problems.push(
      `Flink harness not built for ${stale.map(([v, why]) => `${v} (${why})`).join(", ")}: run \`${list === "1.20.5 2.3.0" ? "" : `FLINK_VERSIONS="${list}" `}bash test/flink/fetch.sh\``,
    );
  }
  if (problems.length > 0) throw new StalePrerequisiteError(problems);
}

export interface StaleVerdict {
  /** (a) grows: every restart adds groups and stale groups, and the samples grow. */
  readonly seedGrows: boolean;
  /** (b) flat: the same groups, none stale, samples within ±FLAT_TOLERANCE of restart 0. */
  readonly oursFlat: boolean;
  readonly ok: boolean;
  readonly why: string;
}

/** How far (b)'s sample count may move from restart 0 and still count as flat (task placement can shift). */
const FLAT_TOLERANCE = 0.1;

function staleVerdict(seed: StaleResult | undefined, ours: StaleResult | undefined, rounds: number): StaleVerdict {
  const complete = (r: StaleResult | undefined): boolean => r !== undefined && r.error === undefined && r.rounds.length === rounds + 1;
  const seedRows = seed?.rounds ?? [];
  const oursRows = ours?.rounds ?? [];
  const seedGrows =
    complete(seed) &&
    seedRows.slice(1).every((r, i) => r.groups > seedRows[i]!.groups && r.staleGroups > seedRows[i]!.staleGroups) &&
    seedRows.at(-1)!.pushgatewaySeries > seedRows[0]!.pushgatewaySeries;
  const base = oursRows[0];
  const oursFlat =
    complete(ours) &&
    oursRows.every(
      (r) =>
        r.groups === base!.groups &&
        r.staleGroups === 0 &&
        Math.abs(r.pushgatewaySeries - base!.pushgatewaySeries) <= FLAT_TOLERANCE * base!.pushgatewaySeries,
    );
  const why: string[] = [];
  if (!complete(seed)) why.push(`(a) incomplete${seed?.error ? `: ${seed.error}` : ""}`);
  else if (!seedGrows) why.push("(a) did not grow with every restart");
  if (!complete(ours)) why.push(`(b) incomplete${ours?.error ? `: ${ours.error}` : ""}`);
  else if (!oursFlat) why.push(`(b) not flat (groups, stale groups or samples beyond ±${FLAT_TOLERANCE * 100}% moved)`);
  return { seedGrows, oursFlat, ok: seedGrows && oursFlat, why: why.join("; ") };
}

function printVersion(version: string, seed: StaleResult | undefined, ours: StaleResult | undefined, rounds: number): StaleVerdict {
  const verdict = staleVerdict(seed, ours, rounds);
  const [a, b] = STALE_VARIANTS;
  const cell = (r: StaleRound | undefined): string =>
    r
      ? `${String(r.pushgatewaySeries).padStart(8)}${String(r.groups).padStart(8)}${String(r.staleGroups).padStart(7)}`
      : `${"-".padStart(8)}${"-".padStart(8)}${"-".padStart(7)}`;
  const gap = "     ";
  const rule = (label: string) => `${"-".repeat(9)} ${label} ${"-".repeat(9)}`;
  console.log(`Flink ${version}: ${a!.name}; ${b!.name}`);
  console.log(`${"".padEnd(10)}${rule("(a)")}${gap}${rule("(b)")}`);
  console.log(
    `${"restarts".padEnd(10)}${"samples".padStart(8)}${"groups".padStart(8)}${"stale".padStart(7)}${gap}${"samples".padStart(8)}${"groups".padStart(8)}${"stale".padStart(7)}`,
  );
  for (let round = 0; round <= rounds; round++) {
    const sa = seed?.rounds.find((r) => r.round === round);
    const sb = ours?.rounds.find((r) => r.round === round);
    console.log(`${String(round).padEnd(10)}${cell(sa)}${gap}${cell(sb)}`);
  }
  const mark = (ok: boolean) => (ok ? "ok" : "MISSED");
  console.log(`${"goal".padEnd(10)}${`grows: ${mark(verdict.seedGrows)}`.padStart(23)}${gap}${`flat: ${mark(verdict.oursFlat)}`.padStart(23)}`);
  for (const r of [seed, ours]) {
    if (!r) continue;
    const measured = r.rounds.slice(1);
    if (measured.length > 0) {
      const panels = measured.map((x) => `${x.panelsWithData}/${x.panels}`);
      const dead = Math.max(...measured.map((x) => x.deadShownAsLive.length));
      const shown = [...new Set(measured.map((x) => `${x.shownJobManagers}/${x.shownTaskManagers}`))].join(", ");
      const secs = measured.map((x) => x.roundMs / 1000);
      console.log(
        `  ${r.variant.name.slice(0, 3)} dashboards after restarts: panels with data ${[...new Set(panels)].join(", ")}; processes shown JM/TM ${shown}; ` +
          `dead TMs shown live ≤ ${dead}; restart → counted ${Math.min(...secs).toFixed(0)}–${Math.max(...secs).toFixed(0)} s`,
      );
    }
    if (r.emptyPanels.length > 0) console.log(`  ${r.variant.name.slice(0, 3)} empty panels: ${r.emptyPanels.join("; ")}`);
    if (r.error) console.log(`  ${r.variant.name.slice(0, 3)} FAILED: ${r.error.split("\n")[0]}`);
  }
  if (!verdict.ok) console.log(`  ${verdict.why.split("\n")[0]}`);
  return verdict;
}

/**
 * Checks the prerequisites (StalePrerequisiteError), runs both variants per version and prints a table per
 * version: restarts × (samples, groups, stale groups) for (a) and (b), with the goal "(b) flat, (a) grows".
 */
export async function benchStale(options: BenchStaleOptions = {}): Promise<{ results: StaleResult[]; verdicts: Map<string, StaleVerdict> }> {
  const versions = options.versions ?? [...VERIFIED_FLINK_VERSIONS];
  const rounds = options.rounds ?? 5;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number ≥ 1 (got ${rounds})`);
  const log = options.log ?? ((m: string) => process.stderr.write(`  [stale] ${m}\n`));
  await checkStalePrerequisites(versions);
  const results: StaleResult[] = [];
  for (const version of versions) for (const variant of STALE_VARIANTS) results.push(await runVariant(version, variant, rounds, log));

  console.log(
    `stale series: kill -9 + restart of both TaskManagers of a real Flink cluster (1 JM + 2 TMs), ${rounds}×; ` +
      `Pushgateway flink_* samples, groups, stale groups (no push for ${STALE_INTERVALS * INTERVAL_SECONDS}s = ${STALE_INTERVALS} × the ${INTERVAL_SECONDS}s interval)`,
  );
  console.log("goal: (b) flat, (a) grows\n");
  const verdicts = new Map<string, StaleVerdict>();
  for (const version of versions) {
    const of = (v: StaleVariant) => results.find((r) => r.version === version && r.variant === v);
    verdicts.set(version, printVersion(version, of(STALE_VARIANTS[0]!), of(STALE_VARIANTS[1]!), rounds));
    console.log("");
  }
  return { results, verdicts };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argOf = (k: string): string | undefined => {
    const i = process.argv.indexOf(k);
    return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`${k}=`))?.slice(k.length + 1);
  };
  await benchStale({
    ...(argOf("--versions") ? { versions: argOf("--versions")!.split(",") } : {}),
    ...(argOf("--rounds") ? { rounds: Number(argOf("--rounds")) } : {}),
  }).then(
    ({ verdicts }) => process.exit([...verdicts.values()].every((v) => v.ok) ? 0 : 1),
    (e: unknown) => {
      console.error(e instanceof StalePrerequisiteError ? e.message : `stale-series bench failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
