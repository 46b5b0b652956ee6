// Finding the engine and agreeing on an API version. dockerode is imported here, lazily, and nowhere else:
// `generate` and `validate` never load it.
import { createRequire } from "node:module";
import Module from "node:module";
import type Dockerode from "dockerode";
import { DEFAULT_SOCKET, negotiateApiVersion, resolveEndpoint, type DockerConnectionOptions, type Endpoint } from "./endpoint.js";
import { DockerError } from "./errors.js";

/** A reached engine, with dockerode fully typed (internal: the public Engine type keeps the client opaque). */
export interface Engine {
  readonly docker: Dockerode;
  readonly endpoint: Endpoint;
  /** Engine version, e.g. "20.10.24+dfsg1". */
  readonly serverVersion: string;
  /** The API version used for every request (negotiated). */
  readonly apiVersion: string;
}

function describeEndpoint(endpoint: Endpoint): string {
  return `${endpoint.url} (from ${endpoint.source})`;
}

function unavailable(endpoint: Endpoint, reason: string, cause?: unknown): DockerError {
  const hint = endpoint.url.startsWith("unix://")
    ? `Start the engine (e.g. \`dockerd\`, \`sudo systemctl start docker\`, or Docker Desktop), or point DOCKER_HOST at a running one (unix:///path/to/docker.sock or tcp://host:2375).`
    : `Check that an engine listens there, or unset DOCKER_HOST to use the local socket ${DEFAULT_SOCKET}.`;
  return new DockerError(
    "E_DOCKER_UNAVAILABLE",
    `Cannot reach the Docker engine at ${describeEndpoint(endpoint)}: ${reason}. ${hint}`,
    { endpoint: endpoint.url },
    { cause },
  );
}

function reasonOf(error: unknown): string {
  const err = error as NodeJS.ErrnoException & { statusCode?: number; reason?: string };
  switch (err?.code) {
    case "ENOENT":
      return "no such socket";
    case "ECONNREFUSED":
      return "connection refused";
    case "EACCES":
    case "EPERM":
      return "permission denied (add your user to the docker group, or run with sufficient rights)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "unknown host";
    case "ETIMEDOUT":
      return "timed out";
    default:
      return (err?.message ?? String(error)).split("\n")[0] ?? "unknown error";
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Modules dockerode loads at its start for features only some calls use: BuildKit's session (gRPC and
 * protobufjs, ~130 modules, ~100 ms: only `buildImage` with BuildKit) and docker-modem's ssh transport (ssh2,
 * ~60 ms: only ssh:// engines). Paths relative to the package's folder.
 */
const DEFERRED_MODULES: ReadonlyArray<{ readonly from: "dockerode" | "docker-modem"; readonly file: string }> = [
  { from: "dockerode", file: "./lib/session.js" },
  { from: "docker-modem", file: "./lib/ssh.js" },
];

/**
 * Puts stand-ins for DEFERRED_MODULES into the require cache (Node documents adding entries to it): each is a
 * function, as the real module's export is, that loads the real module on its first call. Every `up`, `down`
 * and `status` then loads dockerode in about a quarter of the time. Anything unexpected (another layout of the
 * packages): the real modules load as before.
 */
export function deferRarelyUsedModules(): void {
  try {
    const fromHere = createRequire(import.meta.url);
    const dockerode = fromHere.resolve("dockerode/package.json");
    const roots = { dockerode, "docker-modem": createRequire(dockerode).resolve("docker-modem/package.json") };
    for (const { from, file } of DEFERRED_MODULES) {
      const resolved = createRequire(roots[from]).resolve(file);
      if (fromHere.cache[resolved]) continue;
      let real: ((...args: unknown[]) => unknown) | undefined;
      const standIn = new Module(resolved);
      standIn.filename = resolved;
      standIn.loaded = true;
      standIn.exports = function deferred(this: unknown, ...args: unknown[]) {
        if (!real) {
          Reflect.deleteProperty(fromHere.cache, resolved); // so the next line loads the real module
          real = fromHere(resolved) as (...args: unknown[]) => unknown;
        }
        return real.apply(this, args);
      };
      fromHere.cache[resolved] = standIn;
    }
  } catch {
    // load them as dockerode does
  }
}

/** Loads dockerode (lazily), reaches the engine and negotiates the API version. */
export async function connect(options: DockerConnectionOptions = {}): Promise<Engine> {
  const endpoint = resolveEndpoint(options);
  deferRarelyUsedModules();
  const { default: Docker } = await import("dockerode");
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  // First call unversioned: /version answers on every API version.
  const probe = new Docker(endpoint.options);
  let version: { Version?: string; ApiVersion?: string; MinAPIVersion?: string };
  try {
    version = await withTimeout(probe.version(), timeoutMs, () => unavailable(endpoint, `no answer within ${Math.round(timeoutMs / 1000)}s`));
  } catch (error) {
    if (error instanceof DockerError) throw error;
    throw unavailable(endpoint, reasonOf(error), error);
  }
  const apiVersion = negotiateApiVersion(version);
  const docker = new Docker({ ...endpoint.options, version: `v${apiVersion}` });
  return { docker, endpoint, serverVersion: version.Version ?? "unknown", apiVersion };
}
