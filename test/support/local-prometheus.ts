// Real Debian binaries on loopback for the verify / prune tests: a Pushgateway, and a Prometheus that
// scrapes it every second with honor_labels (as the generated stack does). Free 127.0.0.1 ports, a temp
// TSDB, and every started process killed by stop(). A missing binary fails the test (never skips).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireTool } from "./tools.js";

export interface LocalService {
  readonly url: string;
  readonly port: number;
  /** The last output of the process, for assertion messages. */
  log(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Last resort if a test dies without stop(): never leave a server behind.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value other than undefined/false; throws after timeoutMs. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ""}`);
}

async function startProcess(binary: string, args: readonly string[], port: number, cleanupDir?: string): Promise<LocalService> {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-8000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = `exited with ${code ?? signal}`;
      running.delete(child);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exited === undefined) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exit;
      clearTimeout(timer);
    }
    if (cleanupDir) rmSync(cleanupDir, { recursive: true, force: true });
  };
  try {
    await waitFor(`${path.basename(binary)} on ${url}/-/ready`, async () => {
      if (exited !== undefined) throw new Error(`${path.basename(binary)} ${exited}:\n${output}`);
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      return response.ok;
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- ${path.basename(binary)} output\n${output}`);
  }
  return { url, port, log: () => output, stop };
}

/** Debian's Pushgateway 1.5, in memory only (no persistence file), on a free loopback port. */
export async function startPushgateway(): Promise<LocalService> {
  const binary = requireTool("prometheus-pushgateway");
  const port = await freePort();
  return startProcess(binary, [`--web.listen-address=127.0.0.1:${port}`, "--persistence.file=", "--log.level=warn"], port);
}

export interface PrometheusOptions {
  /** Scraped as job "pushgateway" with honor_labels, like the generated prometheus.yml. */
  readonly pushgatewayPort: number;
  /** metric_relabel_configs of the pushgateway job (e.g. taken from a generated prometheus.yml). */
  readonly pushgatewayMetricRelabelConfigs?: readonly unknown[];
}

/** Debian's Prometheus 2.42 scraping itself (job "prometheus") and the Pushgateway every second. */
export async function startPrometheus(options: PrometheusOptions): Promise<LocalService> {
  const binary = requireTool("prometheus");
  const dir = mkdtempSync(path.join(tmpdir(), "fps-prometheus-"));
  const port = await freePort();
  const config = {
    global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
    scrape_configs: [
      { job_name: "prometheus", static_configs: [{ targets: [`127.0.0.1:${port}`] }] },
      {
        job_name: "pushgateway",
        honor_labels: true,
        static_configs: [{ targets: [`127.0.0.1:${options.pushgatewayPort}`] }],
        ...(options.pushgatewayMetricRelabelConfigs ? { metric_relabel_configs: options.pushgatewayMetricRelabelConfigs } : {}),
      },
    ],
  };
  // JSON is YAML.
  writeFileSync(path.join(dir, "prometheus.yml"), JSON.stringify(config, null, 2));
  return startProcess(
    binary,
    [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    port,
    dir,
  );
}

export interface LocalStack {
  readonly pushgateway: LocalService;
  readonly prometheus: LocalService;
  stop(): Promise<void>;
}

/** A Pushgateway and a Prometheus scraping it. */
export async function startLocalStack(): Promise<LocalStack> {
  const pushgateway = await startPushgateway();
  let prometheus: LocalService;
  try {
    prometheus = await startPrometheus({ pushgatewayPort: pushgateway.port });
  } catch (error) {
    await pushgateway.stop();
    throw error;
  }
  return {
    pushgateway,
    prometheus,
    stop: async () => {
      await Promise.all([prometheus.stop(), pushgateway.stop()]);
    },
  };
}

/** PUT (replace) a group, as Flink's reporter does: text format 0.0.4. `groupPath` is `/metrics/job/…`. */
export async function pushGroup(pushgatewayUrl: string, groupPath: string, body: string): Promise<void> {
  const response = await fetch(`${pushgatewayUrl}${groupPath}`, {
    method: "PUT",
    headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
    body,
    signal: AbortSignal.timeout(5000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`PUT ${groupPath}: HTTP ${response.status} ${text}`);
}

/** HTTP DELETE of a group. */
export async function deleteGroup(pushgatewayUrl: string, groupPath: string): Promise<void> {
  const response = await fetch(`${pushgatewayUrl}${groupPath}`, { method: "DELETE", signal: AbortSignal.timeout(5000) });
  await response.text();
  if (response.status !== 202) throw new Error(`DELETE ${groupPath}: HTTP ${response.status}`);
}

/** An instant query's vector result. */
export async function instantQuery(prometheusUrl: string, expr: string): Promise<Array<{ metric: Record<string, string>; value: number }>> {
  const response = await fetch(`${prometheusUrl}/api/v1/query`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ query: expr }).toString(),
    signal: AbortSignal.timeout(5000),
  });
  const json = (await response.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  if (json.status !== "success" || !json.data) throw new Error(`query ${expr}: ${json.error ?? response.status}`);
  if (json.data.resultType !== "vector") throw new Error(`query ${expr}: ${json.data.resultType}, not a vector`);
  return json.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** The group label sets on the Pushgateway (GET /api/v1/metrics). */
export async function pushgatewayGroupLabels(pushgatewayUrl: string): Promise<Array<Record<string, string>>> {
  const response = await fetch(`${pushgatewayUrl}/api/v1/metrics`, { signal: AbortSignal.timeout(5000) });
  const json = (await response.json()) as { data: Array<{ labels: Record<string, string> }> };
  return json.data.map((group) => group.labels);
}
