// Where the Docker engine is and which API version to speak: pure, no dockerode (its types stay out of the
// public declarations).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { EngineClientOptions } from "./engine-types.js";
import { DockerError } from "./errors.js";
import { isLoopbackHost } from "../config/address.js";

/** How to reach the engine; everything optional (DOCKER_HOST, then the default socket). */
export interface DockerConnectionOptions {
  /** A unix socket path; wins over everything else. */
  readonly socketPath?: string;
  /** An engine address like DOCKER_HOST: unix:///var/run/docker.sock, tcp://127.0.0.1:2375, ssh://user@host. */
  readonly dockerHost?: string;
  /** Milliseconds to wait for the engine's first answer (default 10 000). */
  readonly connectTimeoutMs?: number;
}

export interface Endpoint {
  /** The address tried, as a URL: unix:///var/run/docker.sock, tcp://127.0.0.1:2375. */
  readonly url: string;
  /** Where the address came from, for error messages. */
  readonly source: string;
  /** True when published ports are reachable on this machine (a local socket, or tcp to loopback). */
  readonly local: boolean;
  readonly options: EngineClientOptions;
}

/**
 * Highest API version whose request and response shapes this code was written against. The version used is
 * min(this, the engine's ApiVersion), raised to the engine's MinAPIVersion if needed — like the docker CLI's
 * negotiation: engine 20.10 speaks ≤ 1.41, engines 29+ refuse anything below 1.44.
 */
export const MAX_API_VERSION = "1.47";

export const DEFAULT_SOCKET = "/var/run/docker.sock";

export function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

export function negotiateApiVersion(server: { ApiVersion?: string; MinAPIVersion?: string }): string {
  const serverMax = server.ApiVersion ?? MAX_API_VERSION;
  let version = compareApiVersions(serverMax, MAX_API_VERSION) < 0 ? serverMax : MAX_API_VERSION;
  if (server.MinAPIVersion && compareApiVersions(version, server.MinAPIVersion) < 0) version = server.MinAPIVersion;
  return version;
}

/** Resolves where the engine should be, without touching the network. */
export function resolveEndpoint(options: DockerConnectionOptions = {}, env: NodeJS.ProcessEnv = process.env): Endpoint {
  // docker-modem merges DOCKER_HOST from the environment into whatever we pass; setting host/port/protocol
  // explicitly (even to undefined) keeps an explicit choice from being overridden by the environment.
  const unix = (socketPath: string, source: string): Endpoint => ({
    url: `unix://${socketPath}`,
    source,
    local: true,
    options: { socketPath, host: undefined, port: undefined, protocol: undefined },
  });
  if (options.socketPath) return unix(options.socketPath, "the socketPath option");
  const [address, source] = options.dockerHost
    ? [options.dockerHost, "the dockerHost option"]
    : env.DOCKER_HOST
      ? [env.DOCKER_HOST, "DOCKER_HOST"]
      : [undefined, undefined];
  if (address === undefined || source === undefined) {
    const desktop = path.join(os.homedir(), ".docker", "run", "docker.sock");
    if (fs.existsSync(desktop)) return unix(desktop, "the Docker Desktop socket (DOCKER_HOST is not set)");
    return unix(DEFAULT_SOCKET, "the default socket (DOCKER_HOST is not set)");
  }
  if (address.startsWith("unix://")) return unix(address.slice("unix://".length) || DEFAULT_SOCKET, source);
  if (address.startsWith("npipe://")) {
    const pipe = address.slice("npipe://".length) || "//./pipe/docker_engine";
    return { url: address, source, local: true, options: { socketPath: pipe, host: undefined, port: undefined } };
  }
  let url: URL;
  try {
    url = new URL(address.includes("://") ? address : `tcp://${address}`);
  } catch {
    throw new DockerError(
      "E_DOCKER_UNAVAILABLE",
      `${source} is "${address}", which is not an engine address. Use unix:///var/run/docker.sock, tcp://host:2375 or ssh://user@host.`,
      { endpoint: address },
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (url.protocol === "ssh:") {
    return {
      url: address,
      source,
      local: false,
      options: {
        protocol: "ssh",
        host,
        port: url.port || 22,
        username: url.username || undefined,
        sshOptions: { agent: env.SSH_AUTH_SOCK },
      },
    };
  }
  const tls = url.protocol === "https:" || env.DOCKER_TLS_VERIFY === "1" || url.port === "2376";
  const port = url.port || (tls ? "2376" : "2375");
  const certPath = env.DOCKER_CERT_PATH;
  const certs =
    tls && certPath
      ? {
          ca: fs.readFileSync(path.join(certPath, "ca.pem")),
          cert: fs.readFileSync(path.join(certPath, "cert.pem")),
          key: fs.readFileSync(path.join(certPath, "key.pem")),
        }
      : {};
  return {
    url: `${tls ? "https" : "tcp"}://${url.host.includes(":") ? url.host : `${url.host}:${port}`}`,
    source,
    local: isLoopbackHost(host),
    options: { host, port, protocol: tls ? "https" : "http", socketPath: undefined, ...certs },
  };
}
