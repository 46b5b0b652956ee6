// A few read-only Engine API calls over plain node:http, for the no-change path of `up`: loading dockerode
// (docker-modem, ssh2, …) costs more than everything that path does (~150 ms on a quiet machine, far more on a
// busy one). Local sockets and plain-TCP engines only; TLS and ssh engines go through dockerode.
import http from "node:http";
import type { Endpoint } from "./endpoint.js";
import { negotiateApiVersion } from "./endpoint.js";

export interface EngineReader {
  readonly apiVersion: string;
  readonly serverVersion: string;
  /** GET a versioned path (`/containers/json?…`): status and body. Never throws for an HTTP status. */
  get(pathAndQuery: string): Promise<{ status: number; body: Buffer }>;
}

function request(endpoint: Endpoint, pathAndQuery: string, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
  const { socketPath, host, port } = endpoint.options as { socketPath?: string; host?: string; port?: string | number };
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        ...(socketPath ? { socketPath } : { host, port: Number(port) }),
        path: pathAndQuery,
        method: "GET",
        timeout: timeoutMs,
        headers: { host: "docker" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

/** Whether this endpoint can be read without dockerode (a unix socket, or plain http over TCP). */
export function plainHttpEndpoint(endpoint: Endpoint): boolean {
  const { socketPath, protocol } = endpoint.options as { socketPath?: string; protocol?: string };
  if (socketPath) return endpoint.url.startsWith("unix://");
  return protocol === "http";
}

/** Reaches the engine and negotiates the API version like `connect`; undefined when it does not answer. */
export async function openEngineReader(endpoint: Endpoint, timeoutMs = 10_000): Promise<EngineReader | undefined> {
  if (!plainHttpEndpoint(endpoint)) return undefined;
  let version: { Version?: string; ApiVersion?: string; MinAPIVersion?: string };
  try {
    const answer = await request(endpoint, "/version", timeoutMs);
    if (answer.status !== 200) return undefined;
    version = JSON.parse(answer.body.toString("utf8")) as typeof version;
  } catch {
    return undefined; // `connect` reports why, with its hints
  }
  const apiVersion = negotiateApiVersion(version);
  return {
    apiVersion,
    serverVersion: version.Version ?? "unknown",
    get: (pathAndQuery) => request(endpoint, `/v${apiVersion}${pathAndQuery}`, timeoutMs),
  };
}

/**
 * GET a loopback URL of a published service: the body when the answer is 2xx, else undefined. node:http, not
 * fetch: the first fetch loads undici, which costs the no-change path ~100 ms.
 */
export function getText(url: string, timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 300 ? Buffer.concat(chunks).toString("utf8") : undefined);
      });
      res.on("error", () => resolve(undefined));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(undefined));
  });
}
