// npm run bench: speed and memory goals, measured (never asserted in unit tests). Sections, in this order:
//   fast   1. CLI `generate` of a 3-cluster config vs a bare `node -e ""` start, once with nothing changed (the bin's
//             no-change path) and once validating and rendering (render record off)      goal: within 1.5×
//          2. in-process buildStack of 20 clusters / 1000 TaskManagers / 200 scrape jobs   goal: < 50 ms, linear in size
//   processes  CLI `generate --dry-run` of 48 clusters at 25k, 50k and 100k Flink processes: wall time and peak RSS
//          goal: linear; 100k processes < 10 s and < 1 GB
//   up     upStack vs docker-compose on the same generated stack (bench/up.ts; needs a Docker engine)
//   stale  Pushgateway series and stale groups after kill -9 + restart of real Flink TaskManagers, seed recipe vs
//          ours, Flink 1.20.5 and 2.3.0 (bench/stale.ts; ~13 min per version on 2 busy cores; Docker engine, stand-in images,
//          Java 17 and the Flink harness)   goal: (b) flat, (a) grows
//   scale  CLI generate (--dry-run and a real write) of 1,250 / 2,500 / 5,000 per-process TaskManagers, median of 3:
//          wall time and max RSS, files written and README.md's length (bench/scale.ts)   goal: linear (each doubling
//          ≤ 2.3×), README.md the same length at every size
//
//   series Flink series per TaskManager with flink.metrics.select used vs all, real Flink 1.20.5 and 2.3.0, pull and
//          push (bench/series.ts; ~2 min per pair of runs; Java 17 and the Flink harness)   goal: ≤ 0.3×, no kept name lost
//
//   npm run bench                                   fast, processes, up, stale, series, scale
//   npm run bench -- --only=scale                   the write-scale section (about a minute)
//   npm run bench -- --only=fast                    one section (or several: --only=fast,stale)
//   npm run bench -- --only=stale --versions=2.3.0 --rounds=5
// Exit code 1 when a section asked for could not run (a prerequisite missing: the command to run is printed) or the
// stale bench missed its goal; the fast goals are reported (ok/MISSED), not enforced.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildStack } from "../lib/generate.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import { scaleConfig, syntheticConfig, threeClusterConfig } from "./synthetic.js";

const ROOT = new URL("..", import.meta.url).pathname;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeBuild(config: StackConfig, runs: number): number {
  for (let i = 0; i < 3; i++) buildStack(config);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    buildStack(config);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

function row(label: string, value: string, goal: string, ok: boolean): void {
  console.log(`${label.padEnd(58)}${value.padStart(12)}   ${goal.padEnd(16)} ${ok ? "ok" : "MISSED"}`);
}

// The bin as npm installs it (package.json "bin"): the CommonJS bundle.
const CLI = path.join(ROOT, "dist/cli/main.cjs");

/** Medians of interleaved runs, so the machine's load hits each command alike. */
function timeCommands(commands: Array<{ args: string[]; env?: NodeJS.ProcessEnv }>, runs: number): number[] {
  const times = commands.map((): number[] => []);
  for (let i = 0; i < runs + 2; i++) {
    commands.forEach(({ args, env }, c) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
      if (i >= 2) times[c]!.push(ms); // two warm-up runs fill the page cache (and the bin's caches)
    });
  }
  return times.map(median);
}

function benchFast(): void {
  const out = mkdtempSync(path.join(tmpdir(), "fps-bench-"));
  const config = path.join(out, "three-clusters.json");
  writeFileSync(config, JSON.stringify(threeClusterConfig()));
  const generate = [CLI, "generate", "-c", config, "-o", path.join(out, "stack")];
  // Both generate rows write into a folder generated before: the no-change path answers the first; the second
  // validates and renders as a changed config would (the render record off), then finds the same files.
  const [bare, unchanged, rendered] = timeCommands(
    [{ args: ["-e", ""] }, { args: generate }, { args: generate, env: { FLINK_PROMETHEUS_STACK_NO_RENDER_CACHE: "1" } }],
    15,
  );
  row('bare node -e "" start (median of 15)', `${bare!.toFixed(1)} ms`, "", true);
  row("CLI generate, 3 clusters, nothing changed (interleaved)", `${unchanged!.toFixed(1)} ms`, "≤ 1.5× bare", unchanged! <= 1.5 * bare!);
  row("  ratio", `${(unchanged! / bare!).toFixed(2)}×`, "", true);
  row("CLI generate, 3 clusters, validate + render (no record)", `${rendered!.toFixed(1)} ms`, "≤ 1.5× bare", rendered! <= 1.5 * bare!);
  row("  ratio", `${(rendered! / bare!).toFixed(2)}×`, "", true);

  const sizes = [1, 2, 4];
  const times = sizes.map((scale) => timeBuild(syntheticConfig(scale), 15));
  const peakBefore = process.memoryUsage().rss;
  const { artifacts } = buildStack(syntheticConfig(1));
  const bytes = artifacts.reduce((sum, artifact) => sum + artifact.contents.length, 0);
  row("in-process buildStack: 20 clusters, 1000 TMs, 200 jobs", `${times[0]!.toFixed(1)} ms`, "< 50 ms", times[0]! < 50);
  row(`  output: ${artifacts.length} files`, `${(bytes / 1024).toFixed(0)} KiB`, "", true);
  for (let i = 1; i < sizes.length; i++) {
    const ratio = times[i]! / times[0]!;
    row(`  ${sizes[i]}× the size`, `${times[i]!.toFixed(1)} ms`, `~${sizes[i]}× (linear)`, ratio < sizes[i]! * 1.5);
  }
  row("peak RSS of this process", `${(Math.max(peakBefore, process.memoryUsage().rss) / 2 ** 20).toFixed(0)} MiB`, "", true);
}

/** One CLI process: wall time and peak RSS (reported by the preloaded bench/max-rss.cjs). */
function measureProcess(args: string[]): { ms: number; rssMiB: number } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["-r", path.join(ROOT, "bench/max-rss.cjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr.slice(0, 2000)}`);
  const kb = Number(/bench-max-rss-kb (\d+)/.exec(result.stderr)?.[1]);
  return { ms, rssMiB: kb / 1024 };
}

function benchProcesses(): void {
  const dir = mkdtempSync(path.join(tmpdir(), "fps-bench-scale-"));
  const points = [25_000, 50_000, 100_000].map((processes) => {
    const perCluster = Math.round(processes / 48) - 1; // 48 clusters, one JobManager each
    const config = path.join(dir, `scale-${processes}.json`);
    writeFileSync(config, JSON.stringify(scaleConfig(48, perCluster)));
    const runs = [0, 1, 2].map(() => measureProcess([CLI, "generate", "-c", config, "-o", path.join(dir, "out"), "--dry-run"]));
    return { processes: 48 * (perCluster + 1), ms: median(runs.map((r) => r.ms)), rssMiB: median(runs.map((r) => r.rssMiB)) };
  });
  const base = points[0]!;
  for (const point of points) {
    const last = point === points.at(-1);
    const label = `CLI generate --dry-run, 48 clusters, ${point.processes} processes (median of 3)`;
    row(label, `${(point.ms / 1000).toFixed(2)} s`, last ? "< 10 s" : "", !last || point.ms < 10_000);
    row(`  peak RSS`, `${point.rssMiB.toFixed(0)} MiB`, last ? "< 1 GiB" : "", !last || point.rssMiB < 1024);
    if (point !== base) {
      const size = point.processes / base.processes;
      const ratio = point.ms / base.ms;
      row(
        `  time vs ${base.processes} processes (${size.toFixed(1)}× the size)`,
        `${ratio.toFixed(2)}×`,
        `≤ ${(size * 1.25).toFixed(1)}× (linear)`,
        ratio <= size * 1.25,
      );
    }
  }
}

const SECTIONS = ["fast", "processes", "up", "stale", "series", "scale"] as const;
/** Sections run when --only is not given. */
const DEFAULT_SECTIONS: readonly Section[] = ["fast", "processes", "up", "stale", "series", "scale"];
type Section = (typeof SECTIONS)[number];
const USAGE = "usage: npm run bench -- [--only=fast|processes|up|stale|series|scale[,…]] [--versions=1.20.5,2.3.0] [--rounds=5]";

function parseOptions(): { sections: Section[]; versions?: string[]; rounds?: number } {
  let values: { only?: string; versions?: string; rounds?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { only: { type: "string" }, versions: { type: "string" }, rounds: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const sections: string[] =
    values.only === undefined
      ? [...DEFAULT_SECTIONS]
      : values.only
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
  const unknown = sections.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0 || sections.length === 0) {
    console.error(
      `--only: ${unknown.length > 0 ? `unknown section ${unknown.join(", ")}` : "nothing given"} (one or more of ${SECTIONS.join(", ")})\n${USAGE}`,
    );
    process.exit(2);
  }
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && (!Number.isInteger(rounds) || rounds < 1)) {
    console.error(`--rounds must be a whole number ≥ 1 (got ${values.rounds})\n${USAGE}`);
    process.exit(2);
  }
  return {
    sections: SECTIONS.filter((s) => sections.includes(s)),
    ...(values.versions
      ? {
          versions: values.versions
            .split(",")
            .map((v) => v.trim())
            .filter(Boolean),
        }
      : {}),
    ...(rounds === undefined ? {} : { rounds }),
  };
}

const options = parseOptions();
console.log(`flink-prometheus-stack bench (node ${process.version}, ${new Date().toISOString().slice(0, 10)}): ${options.sections.join(", ")}`);
let failed = false;
let first = true;
const section = (): void => {
  if (!first) console.log("");
  first = false;
};

if (options.sections.includes("fast")) {
  section();
  benchFast();
}

if (options.sections.includes("processes")) {
  section();
  benchProcesses();
}

if (options.sections.includes("up")) {
  section();
  try {
    const { benchUp } = await import("./up.js");
    await benchUp();
  } catch (error) {
    console.log(`docker up bench: not measured: ${(error as Error).message.split("\n")[0]}`);
    failed = true;
  }
}

if (options.sections.includes("stale")) {
  section();
  const { benchStale, StalePrerequisiteError } = await import("./stale.js");
  try {
    const { results, verdicts } = await benchStale({
      ...(options.versions ? { versions: options.versions } : {}),
      ...(options.rounds ? { rounds: options.rounds } : {}),
    });
    for (const [version, verdict] of verdicts) {
      const samples = (name: string): string => {
        const rounds = results.find((r) => r.version === version && r.variant.name.startsWith(name))?.rounds ?? [];
        return rounds.length === 0 ? "-" : `${rounds[0]!.pushgatewaySeries}→${rounds.at(-1)!.pushgatewaySeries}`;
      };
      const restarts = Math.max(0, ...results.filter((r) => r.version === version).map((r) => r.rounds.length - 1));
      row(`stale series, Flink ${version}, ${restarts} restarts: samples (a)`, samples("(a)"), "grows", verdict.seedGrows);
      row(`stale series, Flink ${version}, ${restarts} restarts: samples (b)`, samples("(b)"), "flat", verdict.oursFlat);
      if (!verdict.ok) failed = true;
    }
  } catch (error) {
    if (error instanceof StalePrerequisiteError) console.log(`stale-series bench: not measured: ${error.message}`);
    else console.log(`stale-series bench: failed: ${(error as Error).message}`);
    failed = true;
  }
}

if (options.sections.includes("scale")) {
  section();
  const { benchScale, reportScale } = await import("./scale.js");
  try {
    reportScale(benchScale()); // reported, not enforced (a shared machine is noisy)
  } catch (error) {
    console.log(`scale bench: failed: ${(error as Error).message}`);
    failed = true;
  }
}

if (options.sections.includes("series")) {
  section();
  try {
    const { benchSeries } = await import("./series.js");
    for (const c of await benchSeries(options.versions ?? ["1.20.5", "2.3.0"], ["pull", "pushgateway"])) {
      const ok = c.ratio <= 0.3 && c.lost.length === 0;
      row(
        `series per TaskManager, Flink ${c.version} ${c.mode}: all → used`,
        `${c.all.perTaskManager.join("/")} → ${c.used.perTaskManager.join("/")} (${c.ratio.toFixed(2)}×)`,
        "≤ 0.3×, every kept name still sent",
        ok,
      );
      if (c.lost.length > 0) console.log(`  kept names Flink no longer sends: ${c.lost.join(", ")}`);
      if (!ok) failed = true;
    }
  } catch (error) {
    console.log(`series bench: failed: ${(error as Error).message.split("\n")[0]}`);
    failed = true;
  }
}

if (failed) process.exitCode = 1;
