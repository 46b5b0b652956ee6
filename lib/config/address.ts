// "host" / "host:port" / "[v6]:port" strings, as the config writes targets and Flink processes.
import type { FlinkProcess } from "../generated/stack-config.js";

export interface HostPort {
  readonly host: string;
  readonly port: number | undefined;
}

export function parseHostPort(text: string): HostPort {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text);
  if (!match) return { host: text, port: undefined };
  return { host: match[1]!, port: match[2] === undefined ? undefined : Number(match[2]) };
}

/** A Flink process entry of the config (`host`, `host:port` or `{host, port}`) as host and port. */
export function processHostPort(process: FlinkProcess): HostPort {
  if (typeof process === "string") return parseHostPort(process);
  return { host: process.host, port: process.port ?? parseHostPort(process.host).port };
}

/** The one loopback test (bind addresses, Flink hosts, push URLs, Docker endpoints): `localhost`, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host.startsWith("127.") || host === "[::1]" || host === "::1";
}

/** A wildcard bind address: every interface. */
export function isWildcardAddress(address: string): boolean {
  return address === "0.0.0.0" || address === "::";
}

/**
 * The host in URLs for a service published on `bindAddress`: localhost for a wildcard bind, brackets around an
 * IPv6 address. The URLs a person opens, the demo's and the default advertised host all use it.
 */
export function displayHostFor(bindAddress: string): string {
  if (isWildcardAddress(bindAddress)) return "localhost";
  return bindAddress.includes(":") ? `[${bindAddress}]` : bindAddress;
}

/** The host name the Flink hosts are told when network.advertisedHost is not set. */
export const advertisedHostFor = displayHostFor;

export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/** Flink's reporter port setting: 9249, "9249" or "9249-9260". */
export function parsePortRange(value: number | string): PortRange {
  const [first, last = first] = String(value).split("-").map(Number) as [number, number?];
  return { first, last };
}
