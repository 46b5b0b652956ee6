// Can the Flink hosts reach the Pushgateway at the URL their reporter is given? One rule, used by the
// validation warning and by the generated README, so the README never states an address the warning rejects.
import type { StackConfig } from "../generated/stack-config.js";
import type { ConfigIssue } from "../errors.js";
import { isLoopbackHost, parseHostPort } from "./address.js";
import type { ReporterMode } from "./resolved.js";

/** Where the stack publishes (normalizeConfig): its bind address, and the URL Flink is given (set, or defaulted). */
interface PushTarget {
  readonly bindAddress: string;
  readonly url: string;
}

/**
 * Why a Flink host cannot push to the Pushgateway as configured (pushgateway mode only), or undefined.
 * Either the stack publishes its ports on loopback only, or the URL itself is a loopback address, which on a
 * remote Flink host means that host.
 */
export function unreachablePushgateway(config: StackConfig, mode: ReporterMode, target: PushTarget): ConfigIssue | undefined {
  if (mode !== "pushgateway") return undefined;
  const remote = config.flink.clusters
    .flatMap((cluster) => [...cluster.jobmanagers, ...(cluster.taskmanagers ?? [])])
    .map((process) => (typeof process === "string" ? parseHostPort(process).host : process.host))
    .find((host) => !isLoopbackHost(host));
  if (!remote) return undefined;
  const { bindAddress, url } = target;
  // Whether the user wrote the URL (not its defaulted value) decides which setting the warning names.
  const explicitUrl = config.flink.reporter?.pushgateway?.url;
  const fix =
    "set network.bindAddress (and network.advertisedHost) to an address the Flink hosts reach, or flink.reporter.pushgateway.url to a reverse proxy";
  if (!explicitUrl && isLoopbackHost(bindAddress)) {
    return {
      path: "network.bindAddress",
      message: `the Pushgateway is published on ${bindAddress} only, so Flink on ${remote} cannot push to it`,
      hint: fix,
    };
  }
  let urlHost: string;
  try {
    urlHost = new URL(url).hostname;
  } catch {
    return undefined; // an invalid URL is a validation error of its own
  }
  if (isLoopbackHost(urlHost)) {
    return {
      path: explicitUrl ? "flink.reporter.pushgateway.url" : "network.advertisedHost",
      message: `Flink on ${remote} would push to ${url}, a loopback address: that is ${remote} itself, not this machine`,
      hint: explicitUrl
        ? "set flink.reporter.pushgateway.url to an address of this machine (or a reverse proxy) that the Flink hosts reach"
        : "set network.advertisedHost to a name or address of this machine that the Flink hosts reach",
    };
  }
  return undefined;
}

/**
 * Pull mode: Prometheus runs in a container, where a loopback address is the container itself, so a Flink
 * process listed as localhost is never scraped. The first such process, or undefined.
 */
export function unscrapableFlinkProcess(config: StackConfig, mode: ReporterMode): ConfigIssue | undefined {
  if (mode !== "pull") return undefined;
  for (const [index, cluster] of config.flink.clusters.entries()) {
    for (const role of ["jobmanagers", "taskmanagers"] as const) {
      for (const [at, process] of (cluster[role] ?? []).entries()) {
        const host = typeof process === "string" ? parseHostPort(process).host : process.host;
        if (!isLoopbackHost(host)) continue;
        return {
          path: `flink.clusters[${index}].${role}[${at}]`,
          message: `Prometheus runs in a container, where ${host} is the container itself: it cannot scrape the Flink ${role.slice(0, -1)} on ${host}`,
          hint: "write host.docker.internal (how the stack's containers reach this machine) or an address of this machine instead",
        };
      }
    }
  }
  return undefined;
}
