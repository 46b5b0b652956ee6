// npm run bench: speed and memory goals, measured (never asserted in unit tests).
//   1. CLI `generate` of an example vs a bare `node -e ""` start      goal: within 1.5×
//   2. in-process buildStack of 20 clusters / 1000 TaskManagers / 200 scrape jobs   goal: < 50 ms, linear in size
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildStack } from "../lib/generate.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import { syntheticConfig } from "./synthetic.js";

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
