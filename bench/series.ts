// benchSeries(): Flink series per TaskManager with the generator's metric selection (flink.metrics.select: used,
// the default) against Flink's defaults (select: all), on REAL Flink (test/flink harness: 1 JobManager + 2
// TaskManagers running StackProofJob), in pull mode (each TaskManager's reporter endpoint, i.e. what Prometheus
// scrapes) and push mode (each TaskManager's Pushgateway group). Flink itself applies the filter (1.16+), so these
// counts are what leaves the JVM; Prometheus's keep-list then drops anything else.
// It also proves the filter keeps every series the stack uses: the names of the `all` run that the Prometheus
// keep-list keeps must all be in the `used` run.
//
//   npm run bench -- --only=series [--versions=2.3.0,1.20.5]        (bench/run.ts)
//   node --import tsx bench/series.ts [--versions 1.20.5,2.3.0] [--modes pull,pushgateway]
// Needs Java 17 and the Flink harness (bash test/flink/fetch.sh); no Docker.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { StackConfig } from "../lib/generated/stack-config.js";
import { generate } from "../lib/index.js";
import { flinkMetricSelection } from "../lib/render/metric-selection.js";
import { keptNamesRegex } from "../lib/flink/metric-filter.js";
import { buildFlinkHarness, sleep, startCluster, submitJob, waitFor, waitForRunningJob } from "../test/flink/cluster.js";
import { scrape, startPushgateway, type Sample } from "../test/flink/pushgateway.js";
import { freePortRange } from "../test/flink/stack-support.js";

export type SeriesMode = "pull" | "pushgateway";
export type SeriesSelect = "used" | "all";

export interface SeriesRun {
  readonly version: string;
  readonly mode: SeriesMode;
  readonly select: SeriesSelect;
  /** flink_* series per TaskManager (sorted ascending). */
  readonly perTaskManager: readonly number[];
  /** Series of the JobManager. */
  readonly jobManager: number;
  /** Distinct flink_* names seen over all processes. */
  readonly names: readonly string[];
  /** Names the stack keeps (the Prometheus keep-list of this config); undefined for `all`. */
  readonly keptRegex: string | undefined;
}

const settle = (ms: number) => sleep(ms);

/** One cluster run: generate the config, start Flink with it, run the job, count what each process exports. */
async function measureSeries(version: string, mode: SeriesMode, select: SeriesSelect): Promise<SeriesRun> {
  const work = mkdtempSync(path.join(tmpdir(), `series-${version}-${mode}-${select}-`));
  const pullBase = await freePortRange(3);
  const restBase = await freePortRange(3, "127.0.0.1", new Set([pullBase, pullBase + 1, pullBase + 2]));
  const pgPort =
    mode === "pushgateway"
      ? await freePortRange(1, "127.0.0.1", new Set([pullBase, pullBase + 1, pullBase + 2, restBase, restBase + 1, restBase + 2]))
      : undefined;
  const pg = pgPort !== undefined ? await startPushgateway(pgPort) : undefined;
  const config: StackConfig = {
    name: "series-bench",
    flink: {
      version,
      reporter: {
        mode,
        interval: "2s",
        ...(mode === "pull" ? { pull: { port: `${pullBase}-${pullBase + 2}` } } : { pushgateway: { url: `http://127.0.0.1:${pgPort}` } }),
      },
      metrics: { select },
      clusters: [{ name: "bench", jobmanagers: ["localhost"], taskmanagers: ["localhost", "localhost"] }],
    },
    grafana: { enabled: true },
  };
  const outDir = path.join(work, "out");
  const { plan } = await generate({ config, outDir });
  const selection = flinkMetricSelection(plan);
  const keptRegex = selection ? keptNamesRegex(selection.names, selection.patterns, selection.keep) : undefined;
  const cluster = await startCluster({
    version,
    confDir: path.join(outDir, "flink", "bench"),
    build: buildFlinkHarness(version),
    taskManagers: 2,
    portBase: restBase,
    sequentialStart: true,
    workDir: path.join(work, "flink"),
  });
  try {
    const jobId = await submitJob(cluster);
    await waitForRunningJob(cluster, jobId, 120_000);
    const processSamples = async (): Promise<Map<string, Sample[]>> => {
      const byProcess = new Map<string, Sample[]>();
      if (pg) {
        for (const s of await scrape(`${pg.url}/metrics`)) {
          if (!s.name.startsWith("flink_")) continue;
          const list = byProcess.get(s.labels.job ?? "") ?? [];
          list.push(s);
          byProcess.set(s.labels.job ?? "", list);
        }
      } else {
        for (const port of cluster.processes().flatMap((p) => p.prometheusPorts())) {
          byProcess.set(
            String(port),
            (await scrape(`http://127.0.0.1:${port}/metrics`)).filter((s) => s.name.startsWith("flink_")),
          );
        }
      }
      return byProcess;
    };
    // Wait until the operators report on both TaskManagers, then two more intervals so every metric is registered.
    await waitFor(
      "operator metrics on both TaskManagers",
      async () => {
        const groups = [...(await processSamples()).values()];
        const tms = groups.filter((g) => g.some((s) => s.name.startsWith("flink_taskmanager_job_task_operator_")));
        return tms.length >= 2 ? true : undefined;
      },
      120_000,
      1000,
    );
    await settle(6_000);
    const groups = [...(await processSamples()).values()];
    const isTm = (g: Sample[]) => g.some((s) => s.name.startsWith("flink_taskmanager_"));
    const series = (g: Sample[]) =>
      new Set(
        g.map(
          (s) =>
            `${s.name}${JSON.stringify(
              Object.entries(s.labels)
                .filter(([k]) => k !== "job" && k !== "instance")
                .sort(),
            )}`,
        ),
      ).size;
    return {
      version,
      mode,
      select,
      perTaskManager: groups
        .filter(isTm)
        .map(series)
        .sort((a, b) => a - b),
      jobManager: groups
        .filter((g) => !isTm(g))
        .map(series)
        .reduce((a, b) => a + b, 0),
      names: [...new Set(groups.flat().map((s) => s.name))].sort(),
      keptRegex,
    };
  } finally {
    await cluster.stop();
    await pg?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export interface SeriesComparison {
  readonly version: string;
  readonly mode: SeriesMode;
  readonly all: SeriesRun;
  readonly used: SeriesRun;
  /** max TaskManager series with `used` / min with `all`. */
  readonly ratio: number;
  /** Names `all` exports that the stack keeps but `used` did not export: each a panel or rule without data. */
  readonly lost: readonly string[];
}

export async function benchSeries(versions: readonly string[], modes: readonly SeriesMode[]): Promise<SeriesComparison[]> {
  const out: SeriesComparison[] = [];
  for (const version of versions) {
    for (const mode of modes) {
      const all = await measureSeries(version, mode, "all");
      const used = await measureSeries(version, mode, "used");
      const kept = new RegExp(`^(?:${used.keptRegex})$`);
      const lost = all.names.filter((name) => kept.test(name) && !used.names.includes(name));
      out.push({ version, mode, all, used, ratio: Math.max(...used.perTaskManager) / Math.min(...all.perTaskManager), lost });
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { versions: { type: "string" }, modes: { type: "string" } } });
  const versions = (values.versions ?? "2.3.0,1.20.5").split(",");
  const modes = (values.modes ?? "pull,pushgateway").split(",") as SeriesMode[];
  for (const c of await benchSeries(versions, modes)) {
    console.log(
      `Flink ${c.version} ${c.mode}: series per TaskManager all=${c.all.perTaskManager.join("/")} used=${c.used.perTaskManager.join("/")} ratio=${c.ratio.toFixed(3)}; JobManager all=${c.all.jobManager} used=${c.used.jobManager}; names all=${c.all.names.length} used=${c.used.names.length}; kept names lost: ${c.lost.length === 0 ? "none" : c.lost.join(", ")}`,
    );
  }
}
