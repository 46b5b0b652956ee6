// Helpers for the real-engine tests: the docker CLI (an independent judge of what exists), free ports,
// stand-in images, polling.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, symlinkSync, mkdirSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = path.resolve(new URL("../..", import.meta.url).pathname);

export const STANDIN_IMAGES = {
  prometheus: "local/prometheus:debian-2.42",
  pushgateway: "local/pushgateway:debian-1.5",
  alertmanager: "local/alertmanager:debian-0.25",
  nodeExporter: "local/node-exporter:debian-1.5",
} as const;

/** Test-only images for the failure paths (built from busybox-static). */
export const BROKEN_IMAGES = {
  /** Prints a line and exits 3 at once. */
  exits: "local/fps-test-exits:1",
  /** Prints a line and sleeps: never answers its healthcheck. */
  neverHealthy: "local/fps-test-never-healthy:1",
} as const;

export async function docker(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<string> {
  const { stdout } = await run("docker", [...args], { env: options.env ?? process.env, cwd: options.cwd, maxBuffer: 16 << 20 });
  return stdout.trim();
}

export async function dockerCompose(args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return run("docker-compose", [...args], { cwd, maxBuffer: 16 << 20, env: { ...process.env, COMPOSE_INTERACTIVE_NO_CLI: "1" } });
}

/** Fails (never skips) when no engine answers: under CI a missing engine is a failure, and outside CI too. */
export async function requireEngine(): Promise<string> {
  try {
    return await docker(["version", "--format", "{{.Server.Version}} (API {{.Server.APIVersion}})"]);
  } catch (error) {
    throw new Error(
      `No Docker engine answers (${(error as Error).message.split("\n")[0]}). Start one with \`bash scripts/ci/docker-engine.sh start\`; this test does not skip${process.env.CI === "true" ? " under CI" : ""}.`,
    );
  }
}

async function imageExists(image: string): Promise<boolean> {
  return docker(["image", "inspect", image]).then(
    () => true,
    () => false,
  );
}

/** Builds the Debian stand-ins (scripts/ci/standin-images.sh) when one is missing. */
export async function ensureStandinImages(): Promise<void> {
  const present = await Promise.all(Object.values(STANDIN_IMAGES).map(imageExists));
  if (present.every(Boolean)) return;
  await run("bash", [path.join(ROOT, "scripts/ci/standin-images.sh")], { cwd: ROOT, maxBuffer: 16 << 20 });
}

/** Builds the two broken test images from busybox-static, FROM scratch. */
export async function ensureBrokenImages(): Promise<void> {
  const scripts: Record<string, string> = {
    [BROKEN_IMAGES.exits]: "echo 'fps-test: this stand-in exits on purpose' >&2; exit 3",
    [BROKEN_IMAGES.neverHealthy]: "echo 'fps-test: this stand-in never listens on any port'; exec sleep 3600",
  };
  for (const [image, script] of Object.entries(scripts)) {
    if (await imageExists(image)) continue;
    const context = mkdtempSync(path.join(tmpdir(), "fps-test-image-"));
    try {
      mkdirSync(path.join(context, "bin"));
      copyFileSync("/usr/bin/busybox", path.join(context, "bin/busybox"));
      for (const applet of ["sh", "sleep", "wget"]) symlinkSync("busybox", path.join(context, "bin", applet));
      writeFileSync(
        path.join(context, "Dockerfile"),
        `FROM scratch\nCOPY bin/ /bin/\nUSER 65534\nENTRYPOINT ["/bin/sh", "-c", ${JSON.stringify(script)}, "fps-test"]\n`,
      );
      await docker(["build", "-q", "-t", image, context], { env: { ...process.env, DOCKER_BUILDKIT: "0" } });
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  }
}

/** A TCP port nobody listens on right now (on 127.0.0.1). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Containers, networks and volumes carrying the project label, as the docker CLI lists them. */
export async function projectObjects(project: string): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const filter = `label=com.docker.compose.project=${project}`;
  const lines = (text: string) => text.split("\n").filter(Boolean);
  const [containers, networks, volumes] = await Promise.all([
    docker(["ps", "-a", "--filter", filter, "--format", "{{.Names}}"]),
    docker(["network", "ls", "--filter", filter, "--format", "{{.Name}}"]),
    docker(["volume", "ls", "--filter", filter, "--format", "{{.Name}}"]),
  ]);
  return { containers: lines(containers).sort(), networks: lines(networks).sort(), volumes: lines(volumes).sort() };
}

/** Removes everything of a project (test cleanup), whatever state it is in. */
export async function purgeProject(project: string): Promise<void> {
  const objects = await projectObjects(project).catch(() => ({ containers: [], networks: [], volumes: [] }));
  if (objects.containers.length > 0) await docker(["rm", "-f", "-v", ...objects.containers]).catch(() => undefined);
  for (const network of objects.networks) await docker(["network", "rm", network]).catch(() => undefined);
  if (objects.volumes.length > 0) await docker(["volume", "rm", "-f", ...objects.volumes]).catch(() => undefined);
}

export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError === undefined ? "" : `: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}`}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

export async function promQuery(base: string, query: string): Promise<PromSeries[]> {
  const answer = await getJson<{ data: { result: PromSeries[] } }>(`${base}/api/v1/query?query=${encodeURIComponent(query)}`);
  return answer.data.result;
}

export async function promQueryRange(base: string, query: string, start: number, end: number, step = 5): Promise<PromSeries[]> {
  const params = new URLSearchParams({ query, start: String(start), end: String(end), step: String(step) });
  const answer = await getJson<{ data: { result: PromSeries[] } }>(`${base}/api/v1/query_range?${params.toString()}`);
  return answer.data.result;
}

export function execSyncQuiet(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    return "";
  }
}
