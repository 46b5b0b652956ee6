// Scale bench: the real CLI (`node dist/cli/main.js generate`) on per-process configs of 1,250 / 2,500 / 5,000
// TaskManagers (two files per process), a --dry-run into an empty folder and a real write into a fresh one;
// median of `runs` runs each, wall time and max RSS of the child (GNU time -v when present, else
// process.resourceUsage of a wrapper child). "linear" when doubling the size costs at most ~2.3× the time/memory.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildStack, parseConfigText } from "../lib/index.js";
import { perProcessConfigYaml } from "./per-process.js";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = path.join(ROOT, "dist/cli/main.js");
const GNU_TIME = "/usr/bin/time";
/** Runs argv, prints its max RSS (KiB) as JSON on stdout: used when GNU time is missing. */
const WRAPPER = `const { spawnSync } = require("node:child_process");
const [cmd, ...args] = JSON.parse(process.argv[1]);
const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
process.stdout.write(JSON.stringify({ status: r.status, maxRssKiB: process.resourceUsage().maxRSS }));`;

export interface ScaleSample {
  readonly taskManagers: number;
  readonly mode: "dry-run" | "write";
  readonly files: number;
  readonly ms: number;
  /** User + system CPU time of the child (NaN without GNU time): less sensitive to a busy machine than wall time. */
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  /** What a write left (write mode only): files in the folder, and README.md's lines. */
  readonly output?: { readonly files: number; readonly readmeLines: number };
  /** Write mode: the anchor, bare node creating as many files the same way in as many folders (median). */
  readonly bareWriteMs?: number;
}

/**
 * The anchor of a write: what this machine's file system costs for the files alone. Two ~2 KB files per
 * TaskManager in a folder of its own, each written to a temp file and renamed, as the write step does.
 */
function bareWrite(dir: string, taskManagers: number): number {
  const start = process.hrtime.bigint();
  for (let t = 0; t < taskManagers; t++) {
    const folder = path.join(dir, `c${Math.floor(t / 500)}`, `tm${t}`);
    mkdirSync(folder, { recursive: true });
    for (const name of ["config.yaml", "FLINK_PROPERTIES"]) {
      const temp = path.join(folder, `.${name}.tmp`);
      writeFileSync(temp, "x".repeat(2000), { flag: "wx", mode: 0o644 });
      renameSync(temp, path.join(folder, name));
    }
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function readmeLinesAtThreeClusters(taskManagers: number): number {
  const { artifacts } = buildStack(parseConfigText(perProcessConfigYaml(taskManagers, "a", 3)));
  return artifacts.find((artifact) => artifact.path === "README.md")!.contents.split("\n").length - 1;
}

function outputOf(dir: string): { files: number; readmeLines: number } {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  return { files, readmeLines: readFileSync(path.join(dir, "README.md"), "utf8").split("\n").length - 1 };
}

function measure(args: string[]): { ms: number; cpuMs: number; rssKiB: number } {
  const start = process.hrtime.bigint();
  if (existsSync(GNU_TIME)) {
    const result = spawnSync(GNU_TIME, ["-v", process.execPath, CLI, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`generate ${args.join(" ")} failed: ${result.stderr.slice(-2000)}`);
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
    const seconds = (name: string) => Number(new RegExp(`${name} time \\(seconds\\): ([\\d.]+)`).exec(result.stderr)?.[1] ?? NaN);
    return { ms, cpuMs: (seconds("User") + seconds("System")) * 1000, rssKiB: Number(rss?.[1] ?? NaN) };
  }
  // resourceUsage().maxRSS of the wrapper covers its waited-for children (RUSAGE_CHILDREN is not separate in node).
  const result = spawnSync(process.execPath, ["-e", WRAPPER, JSON.stringify([process.execPath, CLI, ...args])], { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const parsed = JSON.parse(result.stdout || "{}") as { status?: number; maxRssKiB?: number };
  if (parsed.status !== 0) throw new Error(`generate ${args.join(" ")} failed: ${result.stderr.slice(-2000)}`);
  return { ms, cpuMs: NaN, rssKiB: parsed.maxRssKiB ?? NaN };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function benchScale(options: { sizes?: number[]; runs?: number } = {}): ScaleSample[] {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const sizes = options.sizes ?? [1250, 2500, 5000];
  const runs = options.runs ?? 3;
  const work = mkdtempSync(path.join(tmpdir(), "fps-scale-"));
  const samples: ScaleSample[] = [];
  try {
    for (const taskManagers of sizes) {
      const config = path.join(work, `tm${taskManagers}.yaml`);
      writeFileSync(config, perProcessConfigYaml(taskManagers));
      for (const mode of ["dry-run", "write"] as const) {
        const times: number[] = [];
        const cpu: number[] = [];
        const rss: number[] = [];
        let output: ScaleSample["output"];
        const bare: number[] = [];
        for (let run = 0; run < runs; run++) {
          const out = path.join(work, `out-${taskManagers}-${mode}-${run}`);
          const { ms, cpuMs, rssKiB } = measure(["generate", "-c", config, "-o", out, ...(mode === "dry-run" ? ["--dry-run"] : [])]);
          times.push(ms);
          cpu.push(cpuMs);
          rss.push(rssKiB / 1024);
          if (mode === "write") output = outputOf(out);
          rmSync(out, { recursive: true, force: true });
          if (mode === "write") {
            bare.push(bareWrite(out, taskManagers));
            rmSync(out, { recursive: true, force: true });
          }
        }
        samples.push({
          taskManagers,
          mode,
          files: 2 * taskManagers,
          ms: median(times),
          cpuMs: median(cpu),
          maxRssMiB: median(rss),
          ...(output ? { output } : {}),
          ...(bare.length > 0 ? { bareWriteMs: median(bare) } : {}),
        });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return samples;
}

/** Prints the table and the ratios; returns whether every doubling stayed within 2.3× in wall time and memory. */
export function reportScale(samples: readonly ScaleSample[], runs = 3): boolean {
  let linear = true as boolean; // set inside the callbacks below, where TypeScript does not see it change
  const line = (label: string, wall: string, cpu: string, rss: string, verdict = "") =>
    console.log(`${label.padEnd(52)}${wall.padStart(10)}${cpu.padStart(10)}${rss.padStart(10)}   ${verdict}`);
  line(`scale: CLI generate, per-process files (median of ${runs})`, "wall", "cpu", "max RSS");
  for (const mode of ["dry-run", "write"] as const) {
    const series = samples.filter((sample) => sample.mode === mode);
    series.forEach((sample, index) => {
      line(
        `  ${mode === "dry-run" ? "--dry-run" : "write"}, ${sample.taskManagers} TMs (~${sample.files} files)`,
        `${sample.ms.toFixed(0)} ms`,
        `${sample.cpuMs.toFixed(0)} ms`,
        `${sample.maxRssMiB.toFixed(0)} MiB`,
      );
      if (sample.bareWriteMs !== undefined) {
        line(
          `    anchor: bare node writing the same files`,
          `${sample.bareWriteMs.toFixed(0)} ms`,
          "",
          "",
          `CLI ${(sample.ms / sample.bareWriteMs).toFixed(2)}× of it`,
        );
      }
      if (index === 0) return;
      const previous = series[index - 1]!;
      const time = sample.ms / previous.ms;
      const memory = sample.maxRssMiB / previous.maxRssMiB;
      const ok = time <= 2.3 && memory <= 2.3;
      if (!ok) linear = false;
      line(
        `    ×${(sample.taskManagers / previous.taskManagers).toFixed(0)} the size costs`,
        `${time.toFixed(2)}×`,
        `${(sample.cpuMs / previous.cpuMs).toFixed(2)}×`,
        `${memory.toFixed(2)}×`,
        ok ? "ok (≤ 2.3×: linear)" : "MISSED (> 2.3×)",
      );
    });
  }
  for (const sample of samples.filter((sample) => sample.output)) {
    line(`  write, ${sample.taskManagers} TMs: files written / README.md lines`, `${sample.output!.files}`, `${sample.output!.readmeLines}`, "");
  }
  // The README may say something per cluster (500 TaskManagers each above), never per host: at a fixed number
  // of clusters its length must not change with the host count.
  const readme = [1250, 2500, 5000].map((taskManagers) => ({ taskManagers, lines: readmeLinesAtThreeClusters(taskManagers) }));
  for (const { taskManagers, lines } of readme) line(`  README.md lines, ${taskManagers} TMs in 3 clusters`, `${lines}`, "", "");
  const same = new Set(readme.map((r) => r.lines)).size === 1;
  console.log(
    `scale: README.md ${same ? "has the same length at every host count: ok" : "grows with the host count: MISSED"} (goal: independent of it)`,
  );
  console.log(
    linear
      ? "scale: linear (every doubling ≤ 2.3× in wall time and memory)"
      : "scale: NOT linear (a doubling cost more than 2.3× in wall time or memory)",
  );
  return linear;
}
