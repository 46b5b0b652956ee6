/**
 * Local Pushgateway / Prometheus processes (Debian binaries in /usr/bin) on 127.0.0.1 for the
 * real-Flink checks, and small parsers for what they expose.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./cluster.js";

export interface LocalServer {
  pid: number;
  url: string;
  port: number;
  logFile: string;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of children) {
    try {
      if (c.pid) process.kill(c.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
});

async function startBinary(bin: string, args: string[], port: number, readyPath: string, workDir: string, name: string): Promise<LocalServer> {
  const inUse = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
  if (inUse) throw new Error(`port ${port} is already in use; cannot start ${name}`);
  const logFile = join(workDir, `${name}.log`);
  const fd = openSync(logFile, "a");
  const child = spawn(bin, args, { cwd: workDir, stdio: ["ignore", fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  children.add(child);
  const exited = new Promise<void>((r) =>
    child.on("exit", () => {
      children.delete(child);
      r();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: LocalServer = {
    pid: child.pid ?? -1,
    url,
    port,
    logFile,
    stop: async () => {
      if (children.has(child)) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 10000);
        await exited;
        clearTimeout(t);
      }
    },
  };
  return waitFor(
    `${name} on ${url}`,
    async () => {
      if (!children.has(child)) throw new Error(`${name} exited; see ${logFile}`);
      const r = await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(2000) });
      return r.ok ? server : undefined;
    },
    15000,
    200,
  );
}

/** prometheus-pushgateway on 127.0.0.1:<port>, in-memory only (no persistence file). */
export function startPushgateway(port: number, workDir = mkdtempSync(join(tmpdir(), "pgw-"))): Promise<LocalServer> {
  return startBinary(
    "prometheus-pushgateway",
    [`--web.listen-address=127.0.0.1:${port}`, "--persistence.file="],
    port,
    "/-/ready",
    workDir,
    "pushgateway",
  );
}

/** prometheus on 127.0.0.1:<port> with the given prometheus.yml content; TSDB in workDir. */
export function startPrometheus(port: number, configYaml: string, workDir = mkdtempSync(join(tmpdir(), "prom-"))): Promise<LocalServer> {
  mkdirSync(join(workDir, "data"), { recursive: true });
  writeFileSync(join(workDir, "prometheus.yml"), configYaml);
  return startBinary(
    "prometheus",
    [`--config.file=${join(workDir, "prometheus.yml")}`, `--storage.tsdb.path=${join(workDir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
    port,
    "/-/ready",
    workDir,
    "prometheus",
  );
}

// ---------------------------------------------------------------------------------------------
// Exposition-format parsing
// ---------------------------------------------------------------------------------------------

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition format (what /metrics of Pushgateway or the Flink pull reporter returns). */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m?.[1]) continue;
    const labels: Record<string, string> = {};
    if (m[2]) {
      for (const l of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        if (l[1]) labels[l[1]] = (l[2] ?? "").replace(/\\(.)/g, (_s, c: string) => (c === "n" ? "\n" : c));
      }
    }
    const raw = m[3] ?? "NaN";
    out.push({ name: m[1], labels, value: raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw) });
  }
  return out;
}

export async function scrape(url: string): Promise<Sample[]> {
  const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}`);
  return parseExposition(await r.text());
}

/** Groups in the Pushgateway: job label → grouping labels and push time (from push_time_seconds). */
export interface PushGroup {
  job: string;
  labels: Record<string, string>;
  pushTimeSeconds: number;
}

export async function pushgatewayGroups(pg: LocalServer | string): Promise<PushGroup[]> {
  const base = typeof pg === "string" ? pg : pg.url;
  const samples = await scrape(`${base}/metrics`);
  return samples.filter((s) => s.name === "push_time_seconds").map((s) => ({ job: s.labels.job ?? "", labels: s.labels, pushTimeSeconds: s.value }));
}

/** Samples pushed by Flink (names starting with flink_), from the Pushgateway's /metrics. */
export async function pushgatewayFlinkSamples(pg: LocalServer | string): Promise<Sample[]> {
  const base = typeof pg === "string" ? pg : pg.url;
  return (await scrape(`${base}/metrics`)).filter((s) => s.name.startsWith("flink_"));
}

export function metricNames(samples: Sample[]): string[] {
  return [...new Set(samples.map((s) => s.name))].sort();
}

/** Instant query against a local Prometheus. */
export async function promQuery(
  prom: LocalServer | string,
  expr: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const base = typeof prom === "string" ? prom : prom.url;
  const r = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(5000) });
  const j = (await r.json()) as {
    status: string;
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    error?: string;
  };
  if (j.status !== "success") throw new Error(`query ${expr}: ${j.error}`);
  return j.data.result;
}
