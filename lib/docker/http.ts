// HTTP to a service of the stack: through its published port when the engine is on this machine, else by
// running busybox/alpine `wget` inside the container (the upstream prom/* and grafana images have it).
// Only loopback and the stack's own containers are ever contacted.
import type Dockerode from "dockerode";
import type { Engine } from "./connect.js";
import { execIn } from "./engine.js";

export interface HttpAnswer {
  /** HTTP status; with the in-container fallback only 200 (success) or 0 (failure) are known. */
  readonly status: number;
  readonly ok: boolean;
  readonly body: string;
  /** `http://127.0.0.1:9090/-/ready` or `exec wget http://localhost:9090/-/ready`. */
  readonly via: string;
}

/** The host address of a container port, when it is published and reachable from here. */
export function publishedAddress(engine: Engine, inspect: Dockerode.ContainerInspectInfo, containerPort: number): string | undefined {
  if (!engine.endpoint.local) return undefined;
  const bindings =
    (inspect.NetworkSettings?.Ports?.[`${containerPort}/tcp`] as Array<{ HostIp: string; HostPort: string }> | null | undefined) ?? undefined;
  const binding = bindings?.find((b) => b.HostPort);
  if (!binding) return undefined;
  const ip = binding.HostIp;
  const host = !ip || ip === "0.0.0.0" ? "127.0.0.1" : ip === "::" ? "[::1]" : ip.includes(":") ? `[${ip}]` : ip;
  return `${host}:${binding.HostPort}`;
}

export function publishedUrl(engine: Engine, inspect: Dockerode.ContainerInspectInfo, containerPort: number): string | undefined {
  const address = publishedAddress(engine, inspect, containerPort);
  return address ? `http://${address}` : undefined;
}

export interface RequestOptions {
  readonly method?: "GET" | "POST";
  readonly timeoutMs?: number;
}

/** One HTTP request to a container port; never throws for an unreachable service (ok: false). */
export async function requestService(
  engine: Engine,
  inspect: Dockerode.ContainerInspectInfo,
  containerPort: number,
  pathAndQuery: string,
  options: RequestOptions = {},
): Promise<HttpAnswer> {
  const method = options.method ?? "GET";
  const timeoutMs = options.timeoutMs ?? 3000;
  const base = publishedUrl(engine, inspect, containerPort);
  if (base) {
    const url = `${base}${pathAndQuery}`;
    try {
      const response = await fetch(url, { method, signal: AbortSignal.timeout(timeoutMs) });
      const body = await response.text();
      return { status: response.status, ok: response.ok, body, via: url };
    } catch (error) {
      return { status: 0, ok: false, body: (error as Error).cause ? String((error as Error).cause) : String(error), via: url };
    }
  }
  const url = `http://localhost:${containerPort}${pathAndQuery}`;
  const cmd = ["wget", "-q", "-O", "-", ...(method === "POST" ? ["--post-data", ""] : []), url];
  try {
    const container = engine.docker.getContainer(inspect.Id);
    const result = await execIn(container, cmd, timeoutMs);
    return { status: result.exitCode === 0 ? 200 : 0, ok: result.exitCode === 0, body: result.output, via: `exec ${cmd.join(" ")}` };
  } catch (error) {
    return { status: 0, ok: false, body: String(error), via: `exec ${cmd.join(" ")}` };
  }
}

export async function requestJson<T>(
  engine: Engine,
  inspect: Dockerode.ContainerInspectInfo,
  containerPort: number,
  pathAndQuery: string,
  options: RequestOptions = {},
): Promise<{ answer: HttpAnswer; json: T | undefined }> {
  const answer = await requestService(engine, inspect, containerPort, pathAndQuery, options);
  if (!answer.ok) return { answer, json: undefined };
  try {
    return { answer, json: JSON.parse(answer.body) as T };
  } catch {
    return { answer, json: undefined };
  }
}
