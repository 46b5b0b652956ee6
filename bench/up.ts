// `npm run bench -- --only=up` (bench/run.ts calls benchUp), side by side in the same run, medians of
// BENCH_DOCKER_RUNS runs (default 3), all as CLI processes (what users meet):
//   - `flink-prometheus-stack up` from nothing to ready (healthy, readiness endpoints, Prometheus targets up,
//     rules loaded) vs `docker-compose up -d` on the same generated file followed by the same checks
//     (waitForStack), and vs `docker-compose up -d` followed by Docker's own healthchecks all healthy;
//   - a no-change `up` vs compose's no-change `up -d` (on the stack compose started).
// The CLI is the package.json bin, dist/cli/main.cjs (the CommonJS bundle with V8's code cache), as users run it.
// BENCH_UP_BASELINE_CLI=/path/to/other/dist/cli/main.cjs measures another build's CLI in the same runs (before →
// after). Stand-in images as in the e2e test; Grafana off (no Grafana image here). In-process figures in addition:
// upStack from nothing (total and by step), upStack with nothing to change, and the no-change `generate` CLI
// that every `up` runs first.
import { execFile } from "node:child_process";
import http from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { getStackStatus, upStack, waitForStack } from "../lib/docker/index.js";
import { expectedLocalTargets } from "../lib/docker/prometheus.js";
import { generate } from "../lib/index.js";
import type { StackConfig } from "../lib/generated/stack-config.js";

const run = promisify(execFile);
const ROOT = path.resolve(new URL("..", import.meta.url).pathname);
const IMAGES = {
  prometheus: "local/prometheus:debian-2.42",
  pushgateway: "local/pushgateway:debian-1.5",
  alertmanager: "local/alertmanager:debian-0.25",
  nodeExporter: "local/node-exporter:debian-1.5",
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timed<T>(action: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await action();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

async function ensureImages(): Promise<void> {
  const missing = await Promise.all(
    Object.values(IMAGES).map((image) =>
      run("docker", ["image", "inspect", image]).then(
        () => false,
        () => true,
      ),
    ),
  );
  if (missing.some(Boolean)) await run("bash", [path.join(ROOT, "scripts/ci/standin-images.sh")], { cwd: ROOT });
}

async function purge(project: string): Promise<void> {
  const filter = `label=com.docker.compose.project=${project}`;
  const list = async (args: string[]) =>
    (await run("docker", [...args, "--filter", filter, "-q"]).catch(() => ({ stdout: "" }))).stdout.split("\n").filter(Boolean);
  const containers = await list(["ps", "-a"]);
  if (containers.length > 0) await run("docker", ["rm", "-f", "-v", ...containers]).catch(() => undefined);
  for (const network of await list(["network", "ls"])) await run("docker", ["network", "rm", network]).catch(() => undefined);
  const volumes = await list(["volume", "ls"]);
  if (volumes.length > 0) await run("docker", ["volume", "rm", "-f", ...volumes]).catch(() => undefined);
}

async function cli(main: string, args: string[], cwd: string): Promise<number> {
  const [ms] = await timed(() => run(process.execPath, [main, ...args], { cwd }));
  return ms;
}

function activeTargets(port: number): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(`http://127.0.0.1:${port}/api/v1/targets?state=active`, { timeout: 1000 }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => {
        try {
          resolve(((JSON.parse(body) as { data?: { activeTargets?: unknown[] } }).data?.activeTargets ?? []).length);
        } catch {
          resolve(0);
        }
      });
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(0));
  });
}

/**
 * Times `action` and, polling Prometheus on its published port meanwhile, the moment its scrape loops had all
 * `targets`: what a start order can change. From there each target's first scrape waits for its phase within
 * the scrape interval (a hash of the target and of Prometheus's host name, which is the new container's id):
 * a lottery that no order changes, and that makes single runs of a whole `up` differ by up to one interval.
 */
async function timedWithDiscovery(port: number, targets: number, action: () => Promise<unknown>): Promise<{ ms: number; discoveredMs: number }> {
  const start = process.hrtime.bigint();
  const since = () => Number(process.hrtime.bigint() - start) / 1e6;
  let done = false;
  let discoveredMs = Number.NaN;
  const poll = (async () => {
    while (!done) {
      if ((await activeTargets(port)) >= targets) return (discoveredMs = since());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    await action();
  } finally {
    done = true;
  }
  await poll;
  return { ms: since(), discoveredMs };
}

/** Polls the engine until every container of the project reports (healthy). */
async function allHealthy(project: string, count: number): Promise<void> {
  for (;;) {
    const { stdout } = await run("docker", ["ps", "--filter", `label=com.docker.compose.project=${project}`, "--format", "{{.Status}}"]);
    const statuses = stdout.split("\n").filter(Boolean);
    if (statuses.length === count && statuses.every((status) => status.includes("(healthy)"))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function benchUp(): Promise<void> {
  const row = (label: string, value: string, note = "") => console.log(`${label.padEnd(62)}${value.padStart(10)}   ${note}`);
  try {
    await run("docker", ["version", "--format", "{{.Server.Version}}"]);
  } catch {
    console.log("docker up bench: no Docker engine answers (bash scripts/ci/docker-engine.sh start); not measured");
    return;
  }
  await ensureImages();
  const runs = Math.max(1, Number(process.env.BENCH_DOCKER_RUNS ?? 3));
  const noChangeRepeats = 3;
  const mainCli = path.join(ROOT, "dist/cli/main.cjs"); // the package.json bin, as users run it
  const baselineCli = process.env.BENCH_UP_BASELINE_CLI;
  const project = `fpsbench${Math.random().toString(36).slice(2, 8)}`;
  const dir = mkdtempSync(path.join(tmpdir(), "fps-bench-up-"));
  const outDir = path.join(dir, "out");
  const configFile = path.join(dir, "flink-stack.json");
  const [prometheus, pushgateway, alertmanager, nodeExporter] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const config = {
    name: project,
    flink: { version: "1.18", reporter: { mode: "pushgateway" }, clusters: [{ name: "bench", jobmanagers: ["jm"], taskmanagers: ["tm"] }] },
    prometheus: { image: IMAGES.prometheus },
    pushgateway: { image: IMAGES.pushgateway },
    nodeExporter: { enabled: true, image: IMAGES.nodeExporter },
    alerting: { enabled: true, alertmanager: { enabled: true, image: IMAGES.alertmanager } },
    grafana: { enabled: false },
    network: { ports: { prometheus, pushgateway, alertmanager, nodeExporter } },
  } satisfies StackConfig;
  writeFileSync(configFile, JSON.stringify(config));
  const { plan } = await generate({ outDir, config });
  const count = plan.services.length;
  const upArgs = ["up", "-c", configFile, "-o", outDir];
  const downArgs = ["down", "-c", configFile, "-o", outDir, "--volumes"];
  const times = {
    up: [] as number[],
    noop: [] as number[],
    baseUp: [] as number[],
    baseNoop: [] as number[],
    inProcessNoop: [] as number[],
    inProcessUp: [] as number[],
    generateNoop: [] as number[],
    compose: [] as number[],
    composeHealthy: [] as number[],
    composeCommand: [] as number[],
    composeNoop: [] as number[],
  };
  const targets = expectedLocalTargets(plan).length;
  const discovered = { up: [] as number[], baseUp: [] as number[], inProcessUp: [] as number[], compose: [] as number[] };
  const measureCli = async (main: string, up: number[], noop: number[], inProcess?: number[]) => {
    const fresh = await timedWithDiscovery(prometheus, targets, () => run(process.execPath, [main, ...upArgs], { cwd: dir }));
    up.push(fresh.ms);
    (inProcess ? discovered.up : discovered.baseUp).push(fresh.discoveredMs);
    for (let i = 0; i < noChangeRepeats; i++) noop.push(await cli(main, upArgs, dir));
    // In-process no-change upStack, for comparison with earlier notes (the CLI adds node start-up and generate).
    for (let i = 0; inProcess && i < noChangeRepeats; i++) {
      const [ms, again] = await timed(() => upStack(plan, { outDir }));
      if (again.changed) throw new Error("a no-change up changed something");
      inProcess.push(ms);
      // The generate every `up` runs first, alone: its share of the no-change up.
      times.generateNoop.push(await cli(main, ["generate", "-c", configFile, "-o", outDir], dir));
    }
    await cli(main, downArgs, dir);
  };
  // Where an in-process `up` from nothing spends its time, step by step (UpResult.steps).
  const stepTimes = new Map<string, number[]>();
  try {
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`docker up bench: run ${i + 1} of ${runs}\n`); // a run takes a minute or two
      await measureCli(mainCli, times.up, times.noop, times.inProcessNoop);
      let fresh: Awaited<ReturnType<typeof upStack>> | undefined;
      const inProcessUp = await timedWithDiscovery(prometheus, targets, async () => (fresh = await upStack(plan, { outDir })));
      times.inProcessUp.push(inProcessUp.ms);
      discovered.inProcessUp.push(inProcessUp.discoveredMs);
      for (const step of fresh?.steps ?? []) stepTimes.set(step.step, [...(stepTimes.get(step.step) ?? []), step.ms]);
      await cli(mainCli, downArgs, dir);
      if (baselineCli) await measureCli(baselineCli, times.baseUp, times.baseNoop);

      const compose = (args: string[]) => run("docker-compose", ["-p", project, ...args], { cwd: outDir });
      const [healthy] = await timed(async () => {
        await compose(["up", "-d"]);
        await allHealthy(project, count);
      });
      times.composeHealthy.push(healthy);
      await compose(["down", "-v"]);
      const ready = await timedWithDiscovery(prometheus, targets, async () => {
        const [command] = await timed(() => compose(["up", "-d"]));
        times.composeCommand.push(command);
        await waitForStack(plan, { outDir });
      });
      times.compose.push(ready.ms);
      discovered.compose.push(ready.discoveredMs);
      const status = await getStackStatus(plan);
      if (status.services.some((s) => s.state !== "running")) throw new Error(`compose stack not running: ${status.problems.join("; ")}`);
      for (let j = 0; j < noChangeRepeats; j++) times.composeNoop.push((await timed(() => compose(["up", "-d"])))[0]);
      await compose(["down", "-v"]);
    }
  } finally {
    await purge(project);
    rmSync(dir, { recursive: true, force: true });
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const m = (values: number[]) => median(values);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  console.log(
    `docker: the CLI's up vs docker-compose 1.29 on the same generated stack (${count} services, stand-in images, medians of ${runs} runs; no-change: ${runs}×${noChangeRepeats})`,
  );
  const [up, compose, healthy, noop, composeNoop] = [m(times.up), m(times.compose), m(times.composeHealthy), m(times.noop), m(times.composeNoop)];
  // The phase lottery's mean for n targets: the last of n uniform phases within the interval.
  const interval = plan.prometheus.scrapeIntervalSeconds * 1000;
  const meanPhase = (interval * targets) / (targets + 1);
  const [upFound, composeFound] = [m(discovered.up), m(discovered.compose)];
  row(
    "CLI up, nothing → ready (healthy, endpoints, targets up, rules)",
    s(up),
    `${ratio(up, compose)} of compose + checks (goal ≤ 0.6×), ${ratio(up, healthy)} of compose to healthy`,
  );
  row("  of which until Prometheus's scrape loops had every target", s(upFound));
  row("  in-process upStack, nothing → ready", s(m(times.inProcessUp)), `${ratio(m(times.inProcessUp), compose)} of compose + checks`);
  row("    of which until Prometheus's scrape loops had every target", s(m(discovered.inProcessUp)));
  for (const [step, values] of stepTimes) row(`    step ${step}`, s(m(values)));
  row("docker-compose up -d + the same readiness checks", s(compose));
  row("  of which until Prometheus's scrape loops had every target", s(composeFound));
  row("docker-compose up -d + all containers (healthy)", s(healthy));
  row("  of which docker-compose up -d itself", s(m(times.composeCommand)));
  row(
    `both at the mean first-scrape wait (${targets} targets, ${interval / 1000} s interval: ${s(meanPhase)})`,
    ratio(upFound + meanPhase, composeFound + meanPhase),
    `CLI ${s(upFound + meanPhase)} vs compose + checks ${s(composeFound + meanPhase)}, without the lottery`,
  );
  row("CLI up again, nothing to change", s(noop), `${ratio(noop, composeNoop)} of compose's (goal ≤ 0.5×)`);
  row("  of which generate (CLI, nothing to change)", s(m(times.generateNoop)));
  row("  in-process upStack, nothing to change", s(m(times.inProcessNoop)));
  row("docker-compose up -d again, nothing to change", s(composeNoop));
  if (baselineCli) {
    row(`baseline CLI up, nothing → ready`, s(m(times.baseUp)), `${baselineCli}; ${ratio(m(times.baseUp), compose)} of compose + checks`);
    row(`  of which until Prometheus's scrape loops had every target`, s(m(discovered.baseUp)));
    row(
      `  at the mean first-scrape wait`,
      ratio(m(discovered.baseUp) + meanPhase, composeFound + meanPhase),
      `${s(m(discovered.baseUp) + meanPhase)} vs compose + checks ${s(composeFound + meanPhase)}`,
    );
    row(`baseline CLI up again, nothing to change`, s(m(times.baseNoop)), `${ratio(m(times.baseNoop), composeNoop)} of compose's`);
  }
}
