// normalizeConfig applies every default once, on any schema-valid config; resolveConfig adds what needs a supported
// Flink version. The semantic checks read the normalized value, the planner the resolved one: one set of defaults.
import type { ReceiverConfig, StackConfig } from "../generated/stack-config.js";
import { flinkFeatures, parseFlinkVersion } from "../flink/versions.js";
import * as D from "./defaults.js";
import { durationMs } from "./duration.js";
import { advertisedHostFor, processHostPort } from "./address.js";
import { unreachablePushgateway, unscrapableFlinkProcess } from "./reachability.js";
import { expandHome } from "./host-paths.js";
import { portPool, pullPortRange } from "./pull-ports.js";
import { stableGroupsBlocker } from "./stable-groups.js";
import { DEFAULT_RECEIVER } from "./receivers.js";
import type { NormalizedStackConfig, ResolvedFlinkProcess, ResolvedReceiver, ResolvedStackConfig } from "./resolved.js";

/** Expects a config that passed validateConfig: normalizeConfig plus the fields that follow from the Flink version. */
export function resolveConfig(config: StackConfig): ResolvedStackConfig {
  const version = parseFlinkVersion(config.flink.version);
  if (!version) throw new Error(`unsupported Flink version ${config.flink.version}: call validateConfig first`);
  const features = flinkFeatures(version);
  const normalized = normalizeConfig(config);
  const { flink } = normalized;
  const reporter = config.flink.reporter ?? {};
  const blocker = stableGroupsBlocker(flink.clusters, version, features.groupingKey);
  return {
    ...normalized,
    flink: {
      version,
      features,
      mode: flink.mode,
      interval: flink.interval,
      intervalSeconds: flink.intervalSeconds,
      excludeLabels: features.scopeVariablesExcludes ? [...(reporter.excludeLabels ?? D.DEFAULT_EXCLUDE_LABELS)] : [],
      filterLabelValueCharacters: flink.filterLabelValueCharacters,
      pushgateway: {
        jobName: flink.pushgateway.jobName,
        randomJobNameSuffix: reporter.pushgateway?.randomJobNameSuffix ?? blocker !== undefined,
        stableGroupsBlocker: blocker,
        deleteOnShutdown: flink.pushgateway.deleteOnShutdown,
        groupingKey: flink.pushgateway.groupingKey,
        url: flink.pushgateway.url,
        unreachable: flink.pushgateway.unreachable,
      },
      pull: flink.pull,
      clusters: flink.clusters,
      latencyTrackingMs: flink.latencyTrackingMs,
      kafkaSource: flink.kafkaSource,
      metrics: flink.metrics,
    },
  };
}

/**
 * Every default, applied once. Total on any config the schema accepts, also one the semantic checks will refuse
 * (they read this value): nothing here needs a supported Flink version or a sound port range.
 */
export function normalizeConfig(config: StackConfig): NormalizedStackConfig {
  const reporter = config.flink.reporter ?? {};
  const mode = reporter.mode ?? D.DEFAULT_REPORTER_MODE;
  const range = pullPortRange(config, mode);
  const ports = { ...D.DEFAULT_PORTS, ...(config.network?.ports ?? {}) };
  const bindAddress = config.network?.bindAddress ?? D.DEFAULT_BIND_ADDRESS;
  const advertisedHost = config.network?.advertisedHost ?? advertisedHostFor(bindAddress);
  const network = { bindAddress, advertisedHost, ports };
  // The URL Flink pushes to: the configured one, else the stack's own Pushgateway as the Flink hosts reach it.
  const pushUrl = reporter.pushgateway?.url ?? `http://${advertisedHost}:${ports.pushgateway}`;
  const interval = reporter.interval ?? D.DEFAULT_REPORTER_INTERVAL;

  const clusters = config.flink.clusters.map((cluster) => {
    const listed = [
      ...cluster.jobmanagers.map((entry) => ({ role: "jobmanager" as const, ...processHostPort(entry) })),
      ...(cluster.taskmanagers ?? []).map((entry) => ({ role: "taskmanager" as const, ...processHostPort(entry) })),
    ];
    // Processes without a port that share a host take the ports of their pool in start order; the listed
    // order is the one start-cluster.sh uses (JobManagers first), so it names each one's likely port.
    const hosts = new Map<string, { count: number; given: number[]; pool?: number[] | undefined; taken: number }>();
    for (const { host, port } of listed) {
      const entry = hosts.get(host) ?? { count: 0, given: [], taken: 0 };
      entry.count++;
      if (port !== undefined) entry.given.push(port);
      hosts.set(host, entry);
    }
    const processes = listed.map(({ role, host, port }): ResolvedFlinkProcess => {
      if (port !== undefined || mode !== "pull") return { role, host, port: port ?? range.first, portPool: undefined };
      const entry = hosts.get(host)!;
      entry.pool ??= portPool(range, entry.count, entry.given);
      // An empty pool (a reversed range, or every port given to others) is refused by the checks; stay total here.
      if (!entry.pool || entry.pool.length === 0) return { role, host, port: range.first, portPool: undefined };
      const index = entry.taken++;
      return { role, host, port: entry.pool[Math.min(index, entry.pool.length - 1)]!, portPool: entry.pool };
    });
    return {
      name: cluster.name,
      jobmanagers: processes.filter((process) => process.role === "jobmanager"),
      taskmanagers: processes.filter((process) => process.role === "taskmanager"),
      labels: { ...(cluster.labels ?? {}) },
    };
  });
  const alerting = config.alerting ?? {};
  const receivers = (alerting.alertmanager?.receivers ?? []).map(resolveReceiver);
  const route = alerting.alertmanager?.route ?? {};

  return {
    name: config.name ?? D.DEFAULT_PROJECT_NAME,
    flink: {
      mode,
      interval,
      intervalSeconds: durationMs(interval) / 1000,
      filterLabelValueCharacters: reporter.filterLabelValueCharacters ?? true,
      pushgateway: {
        jobName: reporter.pushgateway?.jobName ?? D.DEFAULT_PUSHGATEWAY_JOB_NAME,
        deleteOnShutdown: reporter.pushgateway?.deleteOnShutdown ?? true,
        // A `cluster` key passed validation only as the cluster's own name, which the stack pushes anyway.
        groupingKey: Object.fromEntries(Object.entries(reporter.pushgateway?.groupingKey ?? {}).filter(([key]) => key !== "cluster")),
        url: pushUrl,
        unreachable: unreachablePushgateway(config, mode, { bindAddress, url: pushUrl }),
      },
      pull: {
        port: range.first === range.last ? String(range.first) : `${range.first}-${range.last}`,
        firstPort: range.first,
        lastPort: range.last,
        chosen: range.chosen,
        unreachable: unscrapableFlinkProcess(config, mode),
      },
      clusters,
      // "0s" is Flink's own "off".
      latencyTrackingMs:
        config.flink.latencyTracking && durationMs(config.flink.latencyTracking) > 0 ? durationMs(config.flink.latencyTracking) : undefined,
      kafkaSource: config.flink.kafkaSource ?? false,
      metrics: { select: config.flink.metrics?.select ?? D.DEFAULT_METRIC_SELECTION, keep: [...(config.flink.metrics?.keep ?? [])] },
    },
    prometheus: {
      image: config.prometheus?.image ?? D.DEFAULT_IMAGES.prometheus,
      scrapeInterval: config.prometheus?.scrapeInterval ?? D.DEFAULT_SCRAPE_INTERVAL,
      scrapeTimeout: config.prometheus?.scrapeTimeout ?? D.defaultScrapeTimeout(config.prometheus?.scrapeInterval ?? D.DEFAULT_SCRAPE_INTERVAL),
      evaluationInterval: config.prometheus?.evaluationInterval ?? D.DEFAULT_EVALUATION_INTERVAL,
      retention: {
        time: config.prometheus?.retention?.time ?? (config.prometheus?.retention?.size ? undefined : D.DEFAULT_RETENTION_TIME),
        size: config.prometheus?.retention?.size,
      },
      externalLabels: { ...(config.prometheus?.externalLabels ?? {}) },
      scrapeJobs: (config.prometheus?.scrapeJobs ?? []).map(({ name, targets, labels, ...options }) => ({
        // The schema's scrape options and ScrapeOptions share their names: every option set overrides its default.
        ...D.DEFAULT_SCRAPE_OPTIONS,
        ...setFields(options),
        name,
        targets: [...targets],
        labels: { ...(labels ?? {}) },
      })),
      remoteWrite: (config.prometheus?.remoteWrite ?? []).map((target) => ({
        name: target.name,
        url: target.url,
        basicAuth: target.basicAuth ? { ...target.basicAuth, passwordFile: expandHome(target.basicAuth.passwordFile) } : undefined,
      })),
    },
    pushgateway: {
      enabled: config.pushgateway?.enabled ?? mode === "pushgateway",
      image: config.pushgateway?.image ?? D.DEFAULT_IMAGES.pushgateway,
      persistence: config.pushgateway?.persistence ?? true,
      prune: {
        sidecar: config.pushgateway?.prune?.sidecar ?? D.DEFAULT_PRUNE.sidecar,
        olderThan: config.pushgateway?.prune?.olderThan ?? D.DEFAULT_PRUNE.olderThan,
        every: config.pushgateway?.prune?.every ?? D.DEFAULT_PRUNE.every,
        runner: config.pushgateway?.prune?.runner ?? D.DEFAULT_PRUNE.runner,
        image: config.pushgateway?.prune?.image ?? D.DEFAULT_IMAGES.pushgatewayPrune,
      },
    },
    nodeExporter: {
      enabled: config.nodeExporter?.enabled ?? true,
      image: config.nodeExporter?.image ?? D.DEFAULT_IMAGES.nodeExporter,
      targets: [...(config.nodeExporter?.targets ?? [])],
    },
    alerting: {
      enabled: alerting.enabled ?? true,
      rules: {
        flink: alerting.rules?.flink ?? true,
        pushgateway: alerting.rules?.pushgateway ?? true,
        node: alerting.rules?.node ?? true,
        stack: alerting.rules?.stack ?? true,
        for: alerting.rules?.for ?? D.DEFAULT_ALERT_FOR,
        thresholds: { ...D.DEFAULT_THRESHOLDS, ...(alerting.rules?.thresholds ?? {}) },
      },
      alertmanager: {
        enabled: (alerting.enabled ?? true) && (alerting.alertmanager?.enabled ?? true),
        image: alerting.alertmanager?.image ?? D.DEFAULT_IMAGES.alertmanager,
        receivers,
        route: {
          receiver: route.receiver ?? receivers[0]?.name ?? DEFAULT_RECEIVER,
          criticalReceiver: route.criticalReceiver,
          groupBy: [...(route.groupBy ?? D.DEFAULT_ROUTE.groupBy)],
          groupWait: route.groupWait ?? D.DEFAULT_ROUTE.groupWait,
          groupInterval: route.groupInterval ?? D.DEFAULT_ROUTE.groupInterval,
          repeatInterval: route.repeatInterval ?? D.DEFAULT_ROUTE.repeatInterval,
        },
      },
    },
    grafana: {
      enabled: config.grafana?.enabled ?? true,
      image: config.grafana?.image ?? D.DEFAULT_IMAGES.grafana,
      adminUser: config.grafana?.adminUser ?? D.DEFAULT_GRAFANA_ADMIN_USER,
      adminPasswordFile: expandHome(config.grafana?.adminPasswordFile),
      dashboards: {
        cluster: config.grafana?.dashboards?.cluster ?? true,
        job: config.grafana?.dashboards?.job ?? true,
        taskmanager: config.grafana?.dashboards?.taskmanager ?? true,
        hosts: config.grafana?.dashboards?.hosts ?? true,
      },
    },
    network,
    target: config.target ?? D.DEFAULT_TARGET,
    swarm: {
      monitoringNodeLabel: config.swarm?.monitoringNodeLabel ?? D.DEFAULT_SWARM.monitoringNodeLabel,
      flinkServices: config.swarm?.flinkServices ?? D.DEFAULT_SWARM.flinkServices,
    },
    kubernetes: {
      namespace: config.kubernetes?.namespace ?? D.DEFAULT_KUBERNETES.namespace,
      flinkNamespaces: config.kubernetes?.flinkNamespaces ?? [...D.DEFAULT_KUBERNETES.flinkNamespaces],
      selectorLabels: config.kubernetes?.selectorLabels ?? { ...D.DEFAULT_KUBERNETES.selectorLabels },
      dashboardLabel: {
        name: config.kubernetes?.dashboardLabel?.name ?? D.DEFAULT_KUBERNETES.dashboardLabel.name,
        value: config.kubernetes?.dashboardLabel?.value ?? D.DEFAULT_KUBERNETES.dashboardLabel.value,
      },
      datasourceUid: config.kubernetes?.datasourceUid ?? D.DEFAULT_KUBERNETES.datasourceUid,
      alertmanagerConfig: config.kubernetes?.alertmanagerConfig ?? D.DEFAULT_KUBERNETES.alertmanagerConfig,
    },
    overrides: {
      compose: config.overrides?.compose,
      prometheus: config.overrides?.prometheus,
      alertmanager: config.overrides?.alertmanager,
      grafanaDatasource: config.overrides?.grafanaDatasource,
    },
  };
}

function resolveReceiver(receiver: ReceiverConfig): ResolvedReceiver {
  return {
    name: receiver.name,
    webhook: receiver.webhook
      ? { url: receiver.webhook.url, urlFile: expandHome(receiver.webhook.urlFile), sendResolved: receiver.webhook.sendResolved ?? true }
      : undefined,
    email: receiver.email
      ? {
          to: receiver.email.to,
          from: receiver.email.from,
          smarthost: receiver.email.smarthost,
          authUsername: receiver.email.authUsername,
          authPasswordFile: expandHome(receiver.email.authPasswordFile),
          requireTls: receiver.email.requireTls ?? true,
          sendResolved: receiver.email.sendResolved ?? true,
        }
      : undefined,
    slack: receiver.slack
      ? { apiUrlFile: expandHome(receiver.slack.apiUrlFile), channel: receiver.slack.channel, sendResolved: receiver.slack.sendResolved ?? true }
      : undefined,
  };
}

/** The fields that are set: spread over the defaults, it keeps a default wherever the config has none. */
function setFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
