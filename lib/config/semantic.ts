// Checks the schema cannot express: cross-references, uniqueness, clashes, and what a Flink version supports.
// Values come from the normalized config (every default applied once, in normalizeConfig); the raw config gives
// the paths to report (they name the user's keys) and, where a check says so, whether the user wrote a value.
import type { ConfigIssue } from "../errors.js";
import type { StackConfig } from "../generated/stack-config.js";
import type { NormalizedStackConfig } from "./resolved.js";
import { NULL_RECEIVER, WATCHDOG_RECEIVER } from "./receivers.js";
import { checkKubernetesTarget } from "./kubernetes-checks.js";
import { SUPPORTED_FLINK_VERSIONS, atLeast, parseFlinkVersion, type FlinkVersion } from "../flink/versions.js";
import { durationMs, formatSeconds } from "./duration.js";
import { parseHostPort, processHostPort, type PortRange } from "./address.js";
import { processesPerHost } from "./pull-ports.js";
import { canParse, checkHostsAndUrls } from "./hosts.js";
import { checkSecretInputs } from "./secret-inputs.js";
import { staleWindowSeconds } from "../promql/index.js";

/** Scrape job names the stack itself uses; `flink-<cluster>` are added per cluster in pull mode. */
export const BUILT_IN_SCRAPE_JOBS = ["prometheus", "pushgateway", "pushgateway-prune", "alertmanager", "node", "grafana"] as const;

/** Flink's own scope variables: as grouping-key labels they would overwrite the pushed values. */
export const FLINK_VARIABLES = [
  "host",
  "tm_id",
  "job_id",
  "job_name",
  "task_id",
  "task_name",
  "task_attempt_id",
  "task_attempt_num",
  "subtask_index",
  "operator_id",
  "operator_name",
];
/** Grouping-key values: safe in `k1=v1;k2=v2`, in flink-conf.yaml (no '#') and in a Pushgateway URL. */
const GROUPING_VALUE = /^[A-Za-z0-9_.-]+$/;
/** Labels the stack sets itself. */
const RESERVED_LABELS = ["cluster", "job", "instance"];

export interface SemanticResult {
  readonly issues: ConfigIssue[];
  readonly warnings: ConfigIssue[];
}

export function checkSemantics(config: StackConfig, normalized: NormalizedStackConfig): SemanticResult {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const issue = (path: string, message: string, hint?: string) => issues.push({ path, message, ...(hint ? { hint } : {}) });

  const version = parseFlinkVersion(config.flink.version);
  if (!version) {
    issue(
      "flink.version",
      `Flink ${config.flink.version} is not supported`,
      `supported: ${SUPPORTED_FLINK_VERSIONS[0]} to ${SUPPORTED_FLINK_VERSIONS[SUPPORTED_FLINK_VERSIONS.length - 1]} (${SUPPORTED_FLINK_VERSIONS.join(", ")})`,
    );
  }
  const n = normalized;

  checkInterval(n.flink.interval, issue);
  checkHostsAndUrls(config, issue);
  if (version) checkVersionSupport(config, n, version, issue);
  checkClusters(config, n, issue);
  checkScrapeJobs(config, n, issue, warnings);
  checkPorts(n, issue);
  checkAlerting(config, issue);
  checkPrune(n, issue);
  checkKubernetesTarget(config, n, version, issues);

  if (n.flink.mode === "pushgateway" && !n.pushgateway.enabled) {
    issue(
      "pushgateway.enabled",
      "the Pushgateway is off, but flink.reporter.mode is pushgateway",
      "enable the Pushgateway, or use flink.reporter.mode: pull",
    );
  }
  checkGroupingKey(config, issue, warnings);

  checkOverrides(config, issue);
  checkSecretInputs(config, n, issue, warnings);

  const unreachable = n.flink.pushgateway.unreachable ?? n.flink.pull.unreachable;
  if (unreachable) warnings.push(unreachable);
  return { issues, warnings };
}

type Report = (path: string, message: string, hint?: string) => void;

/**
 * The user's grouping-key labels travel in Flink's `k1=v1;k2=v2` setting. `cluster` is what the stack sets
 * itself: copied from the classic recipes it is accepted where it agrees with the one cluster's name.
 */
function checkGroupingKey(config: StackConfig, issue: Report, warnings: ConfigIssue[]): void {
  const clusters = config.flink.clusters.map((cluster) => cluster.name);
  for (const [key, value] of Object.entries(config.flink.reporter?.pushgateway?.groupingKey ?? {})) {
    const path = `flink.reporter.pushgateway.groupingKey.${key}`;
    if (key === "cluster") {
      if (clusters.length === 1 && clusters[0] === value) {
        warnings.push({ path, message: `redundant: the stack already pushes cluster=${value}, the cluster's name`, hint: "remove it" });
      } else {
        issue(
          path,
          clusters.length === 1
            ? `cluster=${value} conflicts with the cluster's name "${clusters[0]}", which the stack pushes as cluster`
            : `one cluster=${value} cannot name ${clusters.length} clusters (${clusters.join(", ")}); the stack pushes each cluster's name as cluster`,
          "remove it: the cluster label is flink.clusters[].name",
        );
      }
    } else if (key === "job") {
      issue(path, `"job" cannot be a grouping-key label: it is the Pushgateway group's job name`, "set flink.reporter.pushgateway.jobName instead");
    } else if (key === "instance") {
      issue(
        path,
        `"instance" cannot be a grouping-key label: the stack sets it to each process's host where groups are per process`,
        "one value for every process would not tell them apart; remove it",
      );
    } else if (FLINK_VARIABLES.includes(key)) {
      issue(
        path,
        `"${key}" cannot be a grouping-key label`,
        "the Pushgateway overwrites pushed labels with grouping-key labels of the same name, hiding Flink's own value",
      );
    } else if (!GROUPING_VALUE.test(value)) {
      issue(
        path,
        `must use only letters, digits, '.', '_' and '-' (got ${JSON.stringify(value)})`,
        "grouping-key values travel in Flink's k1=v1;k2=v2 setting and the Pushgateway URL; a cluster label (flink.clusters[].labels) takes any text",
      );
    }
  }
}

/** Keys that would reach Object.prototype when merged into a rendered file. */
const FORBIDDEN_KEYS = ["__proto__", "constructor", "prototype"];

function checkOverrides(config: StackConfig, issue: Report): void {
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if (FORBIDDEN_KEYS.includes(key)) issue(`${path}.${key}`, `key "${key}" is not allowed in overrides`);
        else walk(child, `${path}.${key}`);
      }
    }
  };
  walk(config.overrides ?? {}, "overrides");
  // Every dashboard panel and variable references the provisioned datasource by uid and type.
  const datasource = config.overrides?.grafanaDatasource ?? {};
  for (const key of ["uid", "type"]) {
    if (Object.hasOwn(datasource, key)) {
      issue(
        `overrides.grafanaDatasource.${key}`,
        `the generated dashboards reference the Prometheus datasource by its ${key}: overriding it leaves every panel without data`,
        `remove overrides.grafanaDatasource.${key}; the override is for settings such as jsonData`,
      );
    }
  }
}

function checkInterval(interval: string, issue: Report): void {
  const ms = durationMs(interval);
  if (ms < 1000 || ms % 1000 !== 0) {
    issue(
      "flink.reporter.interval",
      `must be a whole number of seconds, at least 1s (got ${interval})`,
      'Flink\'s reporter interval in every version accepts "<n> SECONDS"',
    );
  }
}

function checkVersionSupport(config: StackConfig, n: NormalizedStackConfig, version: FlinkVersion, issue: Report): void {
  const reporter = config.flink.reporter ?? {};
  const needs = (path: string, since: string, what: string) =>
    issue(
      path,
      `${what} needs Flink ${since} or newer (configured: ${config.flink.version})`,
      `remove it, or set flink.version to ${since} or newer`,
    );
  // The settings a Flink version lacks are refused where the user wrote them (raw): a default needs no support.
  if (reporter.pushgateway?.groupingKey && Object.keys(reporter.pushgateway.groupingKey).length > 0 && !atLeast(version, "1.10")) {
    needs("flink.reporter.pushgateway.groupingKey", "1.10", "the reporter's groupingKey");
  }
  if (reporter.excludeLabels && reporter.excludeLabels.length > 0 && !atLeast(version, "1.10")) {
    needs("flink.reporter.excludeLabels", "1.10", "scope.variables.excludes");
  }
  if (!n.flink.filterLabelValueCharacters && !atLeast(version, "1.8")) {
    needs("flink.reporter.filterLabelValueCharacters", "1.8", "filterLabelValueCharacters");
  }
  const url = reporter.pushgateway?.url;
  if (url && canParse(url) && !atLeast(version, "1.15")) {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" || (parsed.pathname !== "/" && parsed.pathname !== "")) {
      issue(
        "flink.reporter.pushgateway.url",
        `Flink ${config.flink.version} pushes to host:port over plain http only (got ${url})`,
        "hostUrl with https or a path prefix needs Flink 1.15 or newer",
      );
    }
  }
  // randomJobNameSuffix: false written by the user, not the default the resolved config derives (which is false
  // exactly when every process can push to a group of its own): that default is safe by construction.
  if (n.flink.mode === "pushgateway" && reporter.pushgateway?.randomJobNameSuffix === false) {
    if (!atLeast(version, "1.10")) {
      issue(
        "flink.reporter.pushgateway.randomJobNameSuffix",
        "false would make every Flink process overwrite the others' metrics",
        "Flink before 1.10 has no groupingKey to tell processes apart: keep randomJobNameSuffix: true",
      );
    }
    // Without the random suffix each process is told apart by its host (and role) in the grouping key.
    config.flink.clusters.forEach((cluster, index) => {
      for (const role of ["jobmanagers", "taskmanagers"] as const) {
        const hosts = (cluster[role] ?? []).map((process) => processHostPort(process).host);
        const twice = hosts.find((host, i) => hosts.indexOf(host) !== i);
        if (twice) {
          issue(
            `flink.clusters[${index}].${role}`,
            `two ${role} on ${twice} would share one Pushgateway group and overwrite each other`,
            "set flink.reporter.pushgateway.randomJobNameSuffix: true",
          );
        }
      }
    });
  }
}

function checkClusters(config: StackConfig, n: NormalizedStackConfig, issue: Report): void {
  const seen = new Map<string, number>();
  const mode = n.flink.mode;
  const range = { first: n.flink.pull.firstPort, last: n.flink.pull.lastPort, chosen: n.flink.pull.chosen };
  const rangeValid = range.first >= 1 && range.last <= 65535 && range.first <= range.last;
  if (mode === "pull" && !rangeValid) {
    issue("flink.reporter.pull.port", `must be a port or a range low-high within 1-65535 (got ${config.flink.reporter?.pull?.port})`);
  }
  if (mode === "pull" && rangeValid) checkSharedHosts(config, range, issue);
  const seenLower = new Map<string, number>();
  config.flink.clusters.forEach((cluster, index) => {
    const at = `flink.clusters[${index}]`;
    const first = seen.get(cluster.name) ?? seenLower.get(cluster.name.toLowerCase());
    if (first !== undefined) {
      issue(
        `${at}.name`,
        `duplicate cluster name "${cluster.name}" (also flink.clusters[${first}])`,
        "cluster names must be unique, also ignoring case (they name folders)",
      );
    } else {
      seen.set(cluster.name, index);
      seenLower.set(cluster.name.toLowerCase(), index);
    }
    for (const key of Object.keys(cluster.labels ?? {})) {
      if (RESERVED_LABELS.includes(key)) issue(`${at}.labels.${key}`, `"${key}" is set by the stack itself`, "choose another label name");
      else if (FLINK_VARIABLES.includes(key)) {
        issue(
          `${at}.labels.${key}`,
          `"${key}" is a label Flink sets on its own series`,
          "choose another label name; this one would overwrite or rename Flink's",
        );
      }
    }
    const perHost = new Map<string, number>();
    for (const role of ["jobmanagers", "taskmanagers"] as const) {
      (cluster[role] ?? []).forEach((process, processIndex) => {
        const path = `${at}.${role}[${processIndex}]`;
        const { host, port } = processHostPort(process);
        if (port !== undefined && (port < 1 || port > 65535)) issue(path, `port ${port} is out of range 1-65535`);
        if (mode === "pull" && rangeValid && port !== undefined && (port < range.first || port > range.last)) {
          issue(
            path,
            `port ${port} is outside the reporter's port range ${range.first}-${range.last}`,
            "Flink's PrometheusReporter binds only ports of flink.reporter.pull.port",
          );
        }
        perHost.set(host, (perHost.get(host) ?? 0) + 1);
      });
    }
    // A chosen range fits every host by construction.
    if (mode === "pull" && rangeValid && !range.chosen) {
      const size = range.last - range.first + 1;
      for (const [host, count] of perHost) {
        if (count > size) {
          issue(
            at,
            `${count} Flink processes on ${host} but the reporter port range has only ${size} port${size === 1 ? "" : "s"}`,
            `widen flink.reporter.pull.port, e.g. "${range.first}-${range.first + count - 1}"`,
          );
        }
      }
    }
  });
}

/** Ports Prometheus would scrape per shared host at most: a wider range is a typo, not a layout. */
const MAX_PORT_POOL = 100;

/**
 * Pull mode, hosts with several Flink processes: Prometheus tells processes apart by port only. Refuses what
 * it could not tell apart: one host:port listed twice, and processes of different clusters on one host without
 * given ports (their cluster label comes from the scraped port, which nobody knows before they start).
 */
function checkSharedHosts(config: StackConfig, range: PortRange, issue: Report): void {
  const given = new Map<string, string>();
  const clustersOnHost = new Map<string, { clusters: Set<string>; unported: string | undefined }>();
  const perHost = processesPerHost(config);
  config.flink.clusters.forEach((cluster, index) => {
    for (const role of ["jobmanagers", "taskmanagers"] as const) {
      (cluster[role] ?? []).forEach((process, processIndex) => {
        const path = `flink.clusters[${index}].${role}[${processIndex}]`;
        const { host, port } = processHostPort(process);
        const entry = clustersOnHost.get(host) ?? { clusters: new Set<string>(), unported: undefined };
        entry.clusters.add(cluster.name);
        if (port === undefined) entry.unported ??= path;
        clustersOnHost.set(host, entry);
        if (port === undefined) return;
        const first = given.get(`${host}:${port}`);
        if (first !== undefined) {
          issue(
            path,
            `${host}:${port} is also listed at ${first}: two processes cannot bind one port`,
            "give each process on a host its own port of flink.reporter.pull.port, or leave the ports out",
          );
        } else given.set(`${host}:${port}`, path);
      });
    }
  });
  for (const [host, { clusters, unported }] of clustersOnHost) {
    if (clusters.size > 1 && unported !== undefined) {
      issue(
        unported,
        `${host} runs Flink processes of clusters ${[...clusters].join(", ")}, and this one has no port`,
        `in pull mode Prometheus knows a process's cluster only from its port: list every process on ${host} as ${host}:<port>, each port configured for that process in Flink`,
      );
    }
  }
  const width = range.last - range.first + 1;
  const shared = [...perHost].find(([, count]) => count > 1);
  if (shared && width > MAX_PORT_POOL) {
    issue(
      "flink.reporter.pull.port",
      `the range ${range.first}-${range.last} has ${width} ports; Prometheus scrapes every one of them on a host with several processes (${shared[0]})`,
      `narrow it to about as many ports as processes share a host (at most ${MAX_PORT_POOL}), e.g. "${range.first}-${range.first + shared[1] - 1}"`,
    );
  }
}

/** Prometheus scrapes a target without a port on its scheme's default port, rarely the exporter's. */
function warnPortless(warnings: ConfigIssue[], path: string, target: string, scheme: string, hint: string): void {
  if (parseHostPort(target).port !== undefined) return;
  const port = scheme === "https" ? 443 : 80;
  warnings.push({ path, message: `target "${target}" has no port: Prometheus will scrape it on port ${port} (the ${scheme} default)`, hint });
}

function checkScrapeJobs(config: StackConfig, n: NormalizedStackConfig, issue: Report, warnings: ConfigIssue[]): void {
  const builtIn = new Set<string>(BUILT_IN_SCRAPE_JOBS);
  if (n.flink.mode === "pull") for (const cluster of config.flink.clusters) builtIn.add(`flink-${cluster.name}`);
  const seen = new Map<string, number>();
  const { scrapeInterval } = n.prometheus;
  const global = durationMs(scrapeInterval);
  // The default timeout never exceeds the interval: only a timeout the user set can fail this.
  const globalTimeout = durationMs(n.prometheus.scrapeTimeout);
  if (globalTimeout > global) issue("prometheus.scrapeTimeout", `must not exceed prometheus.scrapeInterval (${scrapeInterval})`);
  // normalizeConfig keeps the user's jobs in order: index i is prometheus.scrapeJobs[i].
  n.prometheus.scrapeJobs.forEach((job, index) => {
    const at = `prometheus.scrapeJobs[${index}]`;
    if (builtIn.has(job.name)) {
      issue(`${at}.name`, `"${job.name}" is the name of a scrape job the stack defines itself`, `rename it, e.g. "${job.name}-extra"`);
    }
    const first = seen.get(job.name);
    if (first !== undefined) issue(`${at}.name`, `duplicate scrape job name "${job.name}" (also prometheus.scrapeJobs[${first}])`);
    else seen.set(job.name, index);
    job.targets.forEach((target, targetIndex) => {
      const { port } = parseHostPort(target);
      if (port !== undefined && (port < 1 || port > 65535)) issue(`${at}.targets[${targetIndex}]`, `port ${port} is out of range 1-65535`);
      warnPortless(warnings, `${at}.targets[${targetIndex}]`, target, job.scheme, `write it as host:port, e.g. "${target}:<exporter port>"`);
    });
    const interval = job.interval ? durationMs(job.interval) : global;
    const timeout = job.timeout ? durationMs(job.timeout) : Math.min(globalTimeout, interval);
    if (timeout > interval) issue(`${at}.timeout`, `must not exceed the job's scrape interval (${job.interval ?? scrapeInterval})`);
  });
  n.nodeExporter.targets.forEach((target, index) => {
    const { port } = parseHostPort(target);
    if (port !== undefined && (port < 1 || port > 65535)) issue(`nodeExporter.targets[${index}]`, `port ${port} is out of range 1-65535`);
    warnPortless(warnings, `nodeExporter.targets[${index}]`, target, "http", `node_exporter listens on 9100 by default: "${target}:9100"`);
  });
}

/**
 * The prune sidecar needs a Pushgateway, and must leave a dead process's group long enough for
 * FlinkMetricsPushStale to fire (stale window + `for`), or that alert could never reach anyone.
 */
function checkPrune(n: NormalizedStackConfig, issue: Report): void {
  const prune = n.pushgateway.prune;
  if (!prune.sidecar) return;
  if (!n.pushgateway.enabled) {
    issue("pushgateway.prune.sidecar", "the prune sidecar needs the Pushgateway, which is off", "enable pushgateway.enabled or drop the sidecar");
    return;
  }
  const olderThan = durationMs(prune.olderThan) / 1000;
  const every = durationMs(prune.every) / 1000;
  if (every < 1) issue("pushgateway.prune.every", `must be at least 1s (got ${prune.every})`);
  const rules = n.alerting.rules;
  const staleSeconds = staleWindowSeconds(rules.thresholds.pushStaleIntervals, n.flink.intervalSeconds);
  const alerted = n.alerting.enabled && rules.pushgateway;
  const minimum = staleSeconds + (alerted ? durationMs(rules.for) / 1000 : 0);
  if (olderThan <= minimum) {
    issue(
      "pushgateway.prune.olderThan",
      `must be longer than ${formatSeconds(minimum)} (got ${prune.olderThan})`,
      alerted
        ? `a group is stale after ${formatSeconds(staleSeconds)} without a push and FlinkMetricsPushStale fires ${formatSeconds(minimum - staleSeconds)} later: deleting it sooner would silence that alert for a dead process`
        : `a group is stale after ${formatSeconds(staleSeconds)} without a push (pushStaleIntervals × flink.reporter.interval)`,
    );
  }
}

function checkPorts(n: NormalizedStackConfig, issue: Report): void {
  const ports = n.network.ports;
  const enabled: Record<keyof typeof ports, boolean> = {
    prometheus: true,
    pushgateway: n.pushgateway.enabled,
    alertmanager: n.alerting.alertmanager.enabled,
    grafana: n.grafana.enabled,
    nodeExporter: n.nodeExporter.enabled,
  };
  const owner = new Map<number, string>();
  for (const service of Object.keys(ports) as Array<keyof typeof ports>) {
    if (!enabled[service]) continue;
    const port = ports[service];
    const other = owner.get(port);
    if (other) {
      issue(`network.ports.${service}`, `port ${port} is already published for ${other}`, "give each service its own port under network.ports");
    } else owner.set(port, service);
  }
}

function checkAlerting(config: StackConfig, issue: Report): void {
  const alertmanager = config.alerting?.alertmanager;
  const names = new Map<string, number>();
  (alertmanager?.receivers ?? []).forEach((receiver, index) => {
    if (receiver.name === NULL_RECEIVER) {
      issue(
        `alerting.alertmanager.receivers[${index}].name`,
        `"${NULL_RECEIVER}" is reserved for the stack's internal receiver that drops the always-firing Watchdog alert`,
        `choose another name; to get Watchdog as a dead man's switch, name a receiver "${WATCHDOG_RECEIVER}"`,
      );
    }
    const first = names.get(receiver.name);
    if (first !== undefined) issue(`alerting.alertmanager.receivers[${index}].name`, `duplicate receiver name "${receiver.name}"`);
    else names.set(receiver.name, index);
  });
  (alertmanager?.receivers ?? []).forEach((receiver, index) => {
    if (receiver.email?.authPasswordFile && !receiver.email.authUsername) {
      issue(`alerting.alertmanager.receivers[${index}].email.authPasswordFile`, "an SMTP password needs authUsername too");
    }
  });
  for (const key of ["receiver", "criticalReceiver"] as const) {
    const name = alertmanager?.route?.[key];
    if (name !== undefined && !names.has(name)) {
      issue(
        `alerting.alertmanager.route.${key}`,
        `no receiver is named "${name}"`,
        names.size > 0 ? `receivers: ${[...names.keys()].join(", ")}` : "define it under alerting.alertmanager.receivers",
      );
    }
  }
  const window = config.alerting?.rules?.thresholds?.restartWindow;
  if (window !== undefined && durationMs(window) < 60_000) {
    issue("alerting.rules.thresholds.restartWindow", `must be at least 1m (got ${window})`, "increase() needs a few samples in its window");
  }
}
