// npm run bench: speed and memory goals, measured (never asserted in unit tests).
//   1. CLI `generate` of an example vs a bare `node -e ""` start      goal: within 1.5×
//   2. in-process buildStack of 20 clusters / 1000 TaskManagers / 200 scrape jobs   goal: < 50 ms, linear in size
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildStack } from "../lib/generate.js";
import type { StackConfig } from "../lib/generated/stack-config.js";

const ROOT = new URL("..", import.meta.url).pathname;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeCommand(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
    if (i >= 2) times.push(ms); // two warm-up runs fill the page cache
  }
  return median(times);
}

export function syntheticConfig(scale: number): StackConfig {
  const clusters = 20 * scale;
  const taskManagersPerCluster = 50;
  return {
    name: "bench",
    flink: {
      version: "1.20",
      reporter: { mode: "pull", pull: { port: "9249-9300" } },
      clusters: Array.from({ length: clusters }, (_, c) => ({
        name: `cluster${c}`,
        jobmanagers: [`jm.c${c}.internal`],
        taskmanagers: Array.from({ length: taskManagersPerCluster }, (_, t) => `tm${t}.c${c}.internal:${9249 + (t % 50)}`),
        labels: { env: c % 2 ? "prod" : "staging" },
      })),
    },
    prometheus: {
      scrapeJobs: Array.from({ length: 200 * scale }, (_, j) => ({
        name: `job${j}`,
        targets: [`svc${j}.internal:9${String(j % 1000).padStart(3, "0")}`],
        labels: { team: `t${j % 7}` },
      })),
    },
  };
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
  console.log(`${label.padEnd(58)}${value.padStart(12)}   ${goal.padEnd(16)}${ok ? "ok" : "MISSED"}`);
}

const out = mkdtempSync(path.join(tmpdir(), "fps-bench-"));
const cli = path.join(ROOT, "dist/cli/main.js");
const bare = timeCommand(["-e", ""], 15);
const generate = timeCommand([cli, "generate", "-c", "examples/pushgateway/flink-stack.yaml", "-o", out], 15);
console.log(`flink-prometheus-stack bench (node ${process.version}, ${new Date().toISOString().slice(0, 10)})\n`);
row("bare node -e \"\" start (median of 15)", `${bare.toFixed(1)} ms`, "", true);
row("CLI generate examples/pushgateway (median of 15)", `${generate.toFixed(1)} ms`, "≤ 1.5× bare", generate <= 1.5 * bare);
row("  ratio", `${(generate / bare).toFixed(2)}×`, "", true);

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

const docker = await import("./up.js").catch(() => undefined);
if (docker && typeof docker.benchUp === "function") {
  console.log("");
  await docker.benchUp();
}
