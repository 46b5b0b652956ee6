// "host" / "host:port" / "[v6]:port" strings, as the config writes targets and Flink processes.

export interface HostPort {
  readonly host: string;
  readonly port: number | undefined;
}

export function parseHostPort(text: string): HostPort {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text);
  if (!match) return { host: text, port: undefined };
  return { host: match[1]!, port: match[2] === undefined ? undefined : Number(match[2]) };
}

/** The one loopback test (bind addresses, Flink hosts, push URLs, Docker endpoints): `localhost`, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host.startsWith("127.") || host === "[::1]" || host === "::1";
}

/** The host name the Flink hosts are told when network.advertisedHost is not set. */
export function advertisedHostFor(bindAddress: string): string {
  if (bindAddress === "0.0.0.0" || bindAddress === "::") return "localhost";
  return bindAddress.includes(":") ? `[${bindAddress}]` : bindAddress;
}

export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/** Flink's reporter port setting: 9249, "9249" or "9249-9260". */
export function parsePortRange(value: number | string): PortRange {
  const [first, last = first] = String(value).split("-").map(Number) as [number, number?];
  return { first, last };
}
