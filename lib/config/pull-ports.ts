// Pull mode's reporter ports. Flink's PrometheusReporter binds the first free port of its range, so processes
// sharing a host end up on different ports of the range in start order: which one gets which is not known
// before they start. Processes alone on their host (or given a port) are scraped on one port; processes that
// share a host without a given port are scraped on every port of the range they may take (their "pool").
import type { StackConfig } from "../generated/stack-config.js";
import { parsePortRange, processHostPort, type PortRange } from "./address.js";
import { DEFAULT_PULL_PORT } from "./defaults.js";
import type { ReporterMode } from "./resolved.js";

export interface PullPortRange extends PortRange {
  /** True when the config gives no port: the range starts at the default port and fits the busiest host. */
  readonly chosen: boolean;
}

/** Number of Flink processes listed per host, over every cluster. */
export function processesPerHost(config: StackConfig): Map<string, number> {
  const perHost = new Map<string, number>();
  for (const cluster of config.flink.clusters) {
    for (const process of [...cluster.jobmanagers, ...(cluster.taskmanagers ?? [])]) {
      const { host } = processHostPort(process);
      perHost.set(host, (perHost.get(host) ?? 0) + 1);
    }
  }
  return perHost;
}

/** The configured range, or, without one, the default port widened to as many ports as the busiest host has processes. */
export function pullPortRange(config: StackConfig, mode: ReporterMode): PullPortRange {
  const given = config.flink.reporter?.pull?.port;
  if (given !== undefined) return { ...parsePortRange(given), chosen: false };
  const first = parsePortRange(DEFAULT_PULL_PORT).first;
  if (mode !== "pull") return { first, last: first, chosen: true };
  const busiest = Math.max(1, ...processesPerHost(config).values());
  return { first, last: first + busiest - 1, chosen: true };
}

/**
 * The ports a process without a given port may take on `host`: every port of the range but those given to the
 * host's other processes. Undefined when the process is alone on its host (it takes the range's first port).
 */
export function portPool(range: PortRange, hostProcesses: number, givenPortsOnHost: readonly number[]): number[] | undefined {
  if (hostProcesses < 2) return undefined;
  const pool: number[] = [];
  for (let port = range.first; port <= range.last; port++) if (!givenPortsOnHost.includes(port)) pool.push(port);
  return pool;
}
