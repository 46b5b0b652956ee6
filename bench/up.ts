// `npm run bench` (bench/run.ts calls benchUp): time `upStack` from nothing to all-ready, a no-change `upStack`,
// and `docker-compose up -d` on the same generated file followed by the same readiness checks (waitForStack:
// every readiness endpoint, Prometheus targets up, rules loaded). Stand-in images as in the e2e test; Grafana off
// (no Grafana image exists here). BENCH_DOCKER_RUNS (default 1) sets the number of runs; medians are printed.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { downStack, getStackStatus, upStack, waitForStack } from "../lib/docker/index.js";
import { generate } from "../lib/index.js";

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
    Object.values(IMAGES).map((image) => run("docker", ["image", "inspect", image]).then(() => false, () => true)),
  );
  if (missing.some(Boolean)) await run("bash", [path.join(ROOT, "scripts/ci/standin-images.sh")], { cwd: ROOT });
}

async function purge(project: string): Promise<void> {
  const filter = `label=com.docker.compose.project=${project}`;
  const list = async (args: string[]) => (await run("docker", [...args, "--filter", filter, "-q"]).catch(() => ({ stdout: "" }))).stdout.split("\n").filter(Boolean);
  const containers = await list(["ps", "-a"]);
  if (containers.length > 0) await run("docker", ["rm", "-f", "-v", ...containers]).catch(() => undefined);
  for (const network of await list(["network", "ls"])) await run("docker", ["network", "rm", network]).catch(() => undefined);
  const volumes = await list(["volume", "ls"]);
  if (volumes.length > 0) await run("docker", ["volume", "rm", "-f", ...volumes]).catch(() => undefined);
}

export async function benchUp(): Promise<void> {
  const row = (label: string, value: string, note = "") => console.log(`${label.padEnd(58)}${value.padStart(12)}   ${note}`);
  try {
    await run("docker", ["version", "--format", "{{.Server.Version}}"]);
  } catch {
    console.log("docker up bench: no Docker engine answers (bash scripts/ci/docker-engine.sh start); not measured");
    return;
  }
  await ensureImages();
  const runs = Math.max(1, Number(process.env.BENCH_DOCKER_RUNS ?? 1));
  const project = `fpsbench${Math.random().toString(36).slice(2, 8)}`;
  const outDir = mkdtempSync(path.join(tmpdir(), "fps-bench-up-"));
  const [prometheus, pushgateway, alertmanager, nodeExporter] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const { plan } = await generate({
    outDir,
    config: {
      name: project,
      flink: { version: "1.18", reporter: { mode: "pushgateway" }, clusters: [{ name: "bench", jobmanagers: ["jm"], taskmanagers: ["tm"] }] },
      prometheus: { image: IMAGES.prometheus },
      pushgateway: { image: IMAGES.pushgateway },
      nodeExporter: { enabled: true, image: IMAGES.nodeExporter },
      alerting: { enabled: true, alertmanager: { enabled: true, image: IMAGES.alertmanager } },
      grafana: { enabled: false },
      network: { ports: { prometheus, pushgateway, alertmanager, nodeExporter } },
    },
  });
  const times = { up: [] as number[], noop: [] as number[], compose: [] as number[], composeCommand: [] as number[], down: [] as number[] };
  try {
    for (let i = 0; i < runs; i++) {
      const [up] = await timed(() => upStack(plan, { outDir }));
      const [noop, again] = await timed(() => upStack(plan, { outDir }));
      if (again.changed) throw new Error("a second up changed something");
      const [down] = await timed(() => downStack(plan, { volumes: true }));
      const [compose] = await timed(async () => {
        const [command] = await timed(() => run("docker-compose", ["-p", project, "up", "-d"], { cwd: outDir }));
        times.composeCommand.push(command);
        await waitForStack(plan, { outDir });
      });
      const status = await getStackStatus(plan);
      if (status.services.some((s) => s.state !== "running")) throw new Error(`compose stack not running: ${status.problems.join("; ")}`);
      await run("docker-compose", ["-p", project, "down", "-v"], { cwd: outDir });
      times.up.push(up);
      times.noop.push(noop);
      times.down.push(down);
      times.compose.push(compose);
    }
  } finally {
    await purge(project);
    rmSync(outDir, { recursive: true, force: true });
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const n = runs === 1 ? "1 run" : `median of ${runs}`;
  console.log(`docker: upStack vs docker-compose 1.29 on the same generated stack (${plan.services.length} services, stand-in images, ${n})`);
  row("upStack, nothing → all ready (healthy, targets up, rules)", s(median(times.up)));
  row("upStack again, nothing to change", s(median(times.noop)));
  row("docker-compose up -d + the same readiness checks", s(median(times.compose)));
  row("  of which docker-compose up -d itself", s(median(times.composeCommand)));
  row("downStack with volumes", s(median(times.down)));
}
