// Host names, addresses and URLs the schema's patterns let through but a URL parser, Docker or Prometheus
// refuses (999.1.2.3, foo.123, [::g], http://[): every value that later becomes part of a URL or a published
// port is checked here, so rendering never meets a value it cannot parse.
import { isIP, isIPv4, isIPv6 } from "node:net";
import type { StackConfig } from "../generated/stack-config.js";
import { parseHostPort, processHostPort } from "./address.js";

type Report = (path: string, message: string, hint?: string) => void;

const IPV4_HINT = "an IPv4 address is four numbers from 0 to 255, e.g. 10.0.0.5";

/** Why `host` (a name or an address, without port; IPv6 in brackets) cannot be used; undefined when fine. */
function hostProblem(host: string): string | undefined {
  if (host.startsWith("[")) {
    return isIPv6(host.slice(1, -1)) && !host.includes("%") ? undefined : `${host} is not an IPv6 address`;
  }
  if (/^[0-9.]+$/.test(host)) return isIPv4(host) ? undefined : `${host} is not an IPv4 address`;
  // A name whose last label is a number is read as an IPv4 address by URL parsers (WHATWG), and fails there.
  if (/(^|\.)[0-9]+\.?$/.test(host)) {
    return `${host} is neither a host name nor an IPv4 address (its last part is a number)`;
  }
  if (!canParse(`http://${host}/`)) return `${host} is not a valid host name`;
  return undefined;
}

export function canParse(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** Checks network.bindAddress, network.advertisedHost, every host:port target and every URL of the config. */
export function checkHostsAndUrls(config: StackConfig, issue: Report): void {
  const bindAddress = config.network?.bindAddress;
  if (bindAddress !== undefined && (isIP(bindAddress) === 0 || bindAddress.includes("%"))) {
    issue(
      "network.bindAddress",
      `must be an IP address of this machine such as 127.0.0.1, 0.0.0.0, ::1 or :: (got ${JSON.stringify(bindAddress)})`,
      /^[0-9.]+$/.test(bindAddress) ? IPV4_HINT : "Docker publishes ports on an address, not a host name; IPv6 without brackets",
    );
  }

  const advertised = config.network?.advertisedHost;
  if (advertised !== undefined) {
    const { host, port } = parseHostPort(advertised);
    const problem = hostProblem(host);
    if (problem) issue("network.advertisedHost", problem, /^[0-9.]+$/.test(host) ? IPV4_HINT : undefined);
    else if (port !== undefined) {
      issue(
        "network.advertisedHost",
        `must be a host name or address without a port (got ${JSON.stringify(advertised)})`,
        "the stack adds network.ports.pushgateway itself; to reach the Pushgateway through another port, set flink.reporter.pushgateway.url",
      );
    }
  }

  const checkHost = (path: string, host: string) => {
    const problem = hostProblem(host);
    if (problem) issue(path, problem, /^[0-9.]+$/.test(host) ? IPV4_HINT : undefined);
  };
  config.flink.clusters.forEach((cluster, index) => {
    for (const role of ["jobmanagers", "taskmanagers"] as const) {
      (cluster[role] ?? []).forEach((process, processIndex) => {
        checkHost(`flink.clusters[${index}].${role}[${processIndex}]${typeof process === "string" ? "" : ".host"}`, processHostPort(process).host);
      });
    }
  });
  (config.prometheus?.scrapeJobs ?? []).forEach((job, index) =>
    job.targets.forEach((value, targetIndex) => checkHost(`prometheus.scrapeJobs[${index}].targets[${targetIndex}]`, parseHostPort(value).host)),
  );
  (config.nodeExporter?.targets ?? []).forEach((value, index) => checkHost(`nodeExporter.targets[${index}]`, parseHostPort(value).host));

  const url = (path: string, value: string | undefined) => {
    if (value !== undefined && !canParse(value)) {
      issue(
        path,
        `is not a URL a client can use (got ${JSON.stringify(value)})`,
        "write scheme://host[:port][/path], e.g. http://monitoring.example.com:9091; IPv6 hosts in brackets",
      );
    }
  };
  url("flink.reporter.pushgateway.url", config.flink.reporter?.pushgateway?.url);
  const pushgateway = config.flink.reporter?.pushgateway?.url;
  if (pushgateway !== undefined && canParse(pushgateway) && /[?#]/.test(pushgateway)) {
    // Flink appends /metrics/job/<name> to the URL, and flink-conf.yaml cuts a line at '#'.
    issue(
      "flink.reporter.pushgateway.url",
      `must not have a query (?…) or fragment (#…) (got ${JSON.stringify(pushgateway)})`,
      "Flink's reporter appends /metrics/job/<job> to this URL; give scheme://host:port[/path] only",
    );
  }
  (config.prometheus?.remoteWrite ?? []).forEach((remote, index) => url(`prometheus.remoteWrite[${index}].url`, remote.url));
  (config.alerting?.alertmanager?.receivers ?? []).forEach((receiver, index) =>
    url(`alerting.alertmanager.receivers[${index}].webhook.url`, receiver.webhook?.url),
  );
}
