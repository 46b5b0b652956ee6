// The config after defaults: every field present, so later stages never guess.
import type { ConfigIssue } from "../errors.js";
import type { FlinkFeatures, FlinkVersion } from "../flink/versions.js";

export type ReporterMode = "pushgateway" | "pull";
export type FlinkRole = "jobmanager" | "taskmanager";
export type Labels = Readonly<Record<string, string>>;

export interface ResolvedFlinkProcess {
  readonly role: FlinkRole;
  readonly host: string;
  /**
   * The metrics port in pull mode: given, or the reporter's first port; in a port pool, the port the process
   * takes when the host's processes start in the listed order.
   */
  readonly port: number;
  /**
   * Pull mode, a process without a given port on a host with other processes: every port of the reporter's range
   * it may take (the range minus the ports given to the others). Prometheus scrapes them all. Else undefined.
   */
  readonly portPool: readonly number[] | undefined;
}

export interface ResolvedFlinkCluster {
  readonly name: string;
  readonly jobmanagers: readonly ResolvedFlinkProcess[];
  readonly taskmanagers: readonly ResolvedFlinkProcess[];
  readonly labels: Labels;
}

export interface ResolvedFlinkConfig {
  readonly version: FlinkVersion;
  readonly features: FlinkFeatures;
  readonly mode: ReporterMode;
  /** Prometheus duration, e.g. "15s". */
  readonly interval: string;
  readonly intervalSeconds: number;
  readonly excludeLabels: readonly string[];
  readonly filterLabelValueCharacters: boolean;
  readonly pushgateway: {
    readonly jobName: string;
    readonly randomJobNameSuffix: boolean;
    /** Why the processes cannot push to stable groups of their own (the default of randomJobNameSuffix), or undefined. */
    readonly stableGroupsBlocker: string | undefined;
    readonly deleteOnShutdown: boolean;
    readonly groupingKey: Labels;
    /** The Pushgateway URL as Flink hosts reach it. */
    readonly url: string;
    /** Why the Flink hosts cannot reach that URL as configured (the same text as the validation warning). */
    readonly unreachable: ConfigIssue | undefined;
  };
  readonly pull: {
    /** As Flink reads it: "9249" or "9249-9250". */
    readonly port: string;
    readonly firstPort: number;
    readonly lastPort: number;
    /** A Flink process the containerized Prometheus cannot scrape (the same text as the validation warning). */
    readonly unreachable: ConfigIssue | undefined;
    /** No port was configured: the stack chose the range, as wide as the most processes listed on one host. */
    readonly chosen: boolean;
  };
  readonly clusters: readonly ResolvedFlinkCluster[];
  /** Latency marker interval in ms (metrics.latency.interval); undefined: latency tracking off. */
  readonly latencyTrackingMs: number | undefined;
  /** The jobs read from Kafka: the Kafka panels are drawn. */
  readonly kafkaSource: boolean;
  /** Which Flink metrics reach Prometheus (lib/flink/metric-selection.ts). */
  readonly metrics: {
    /** used: what the dashboards and rules query, plus `keep`; all: everything Flink exports. */
    readonly select: "used" | "all";
    /** Prometheus metric names with `*` wildcards, all starting with flink_. */
    readonly keep: readonly string[];
  };
}

/**
 * The per-job scrape settings a user scrape job sets (prometheus.scrapeJobs[]), with defaults applied. Every planned
 * scrape job carries them (ScrapeJobPlan extends this): a new option is a field here, its default in
 * DEFAULT_SCRAPE_OPTIONS, and its serialization in render/prometheus.ts.
 */
export interface ScrapeOptions {
  readonly metricsPath: string;
  readonly scheme: "http" | "https";
  readonly interval: string | undefined;
  readonly timeout: string | undefined;
  readonly honorLabels: boolean;
}

export interface ResolvedScrapeJob extends ScrapeOptions {
  readonly name: string;
  readonly targets: readonly string[];
  readonly labels: Labels;
}

export interface ResolvedRemoteWrite {
  readonly name: string | undefined;
  readonly url: string;
  readonly basicAuth: { readonly username: string; readonly passwordFile: string } | undefined;
}

export interface ResolvedReceiver {
  readonly name: string;
  /** Exactly one of url and urlFile (a host file holding the URL, mounted read-only). */
  readonly webhook: { readonly url: string | undefined; readonly urlFile: string | undefined; readonly sendResolved: boolean } | undefined;
  readonly email:
    | {
        readonly to: string;
        readonly from: string;
        readonly smarthost: string;
        readonly authUsername: string | undefined;
        readonly authPasswordFile: string | undefined;
        readonly requireTls: boolean;
        readonly sendResolved: boolean;
      }
    | undefined;
  readonly slack: { readonly apiUrlFile: string; readonly channel: string; readonly sendResolved: boolean } | undefined;
}

export interface AlertThresholds {
  readonly checkpointDurationSeconds: number;
  readonly backPressureRatio: number;
  readonly heapUsageRatio: number;
  readonly gcTimeRatio: number;
  readonly restartsPerWindow: number;
  readonly restartWindow: string;
  readonly pushStaleIntervals: number;
  readonly diskFreeRatio: number;
  readonly memoryAvailableRatio: number;
  readonly cpuUsageRatio: number;
}

export type DeploymentTarget = "compose" | "swarm" | "kubernetes";

/** Settings of target kubernetes, defaults applied. */
export interface ResolvedKubernetesConfig {
  readonly namespace: string;
  readonly flinkNamespaces: readonly string[];
  /** Labels the Prometheus Operator's monitor and rule selectors match (kube-prometheus-stack: release). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** The label the Grafana sidecar picks dashboard ConfigMaps up by. */
  readonly dashboardLabel: { readonly name: string; readonly value: string };
  readonly datasourceUid: string;
  /** Write an AlertmanagerConfig with the receivers and route. */
  readonly alertmanagerConfig: boolean;
}

export interface ResolvedStackConfig {
  readonly name: string;
  readonly target: DeploymentTarget;
  readonly swarm: { readonly monitoringNodeLabel: string; readonly flinkServices: boolean };
  readonly kubernetes: ResolvedKubernetesConfig;
  readonly flink: ResolvedFlinkConfig;
  readonly prometheus: {
    readonly image: string;
    readonly scrapeInterval: string;
    readonly scrapeTimeout: string;
    readonly evaluationInterval: string;
    readonly retention: { readonly time: string | undefined; readonly size: string | undefined };
    readonly externalLabels: Labels;
    readonly scrapeJobs: readonly ResolvedScrapeJob[];
    readonly remoteWrite: readonly ResolvedRemoteWrite[];
  };
  readonly pushgateway: {
    readonly enabled: boolean;
    readonly image: string;
    readonly persistence: boolean;
    readonly prune: {
      readonly sidecar: boolean;
      readonly olderThan: string;
      readonly every: string;
      /** `image`: a local image of this package built by `up`; `npx`: npx fetches the package at the first start. */
      readonly runner: "image" | "npx";
      /** The Node.js image: the local image's base (runner image), or the image that runs npx (runner npx). */
      readonly image: string;
    };
  };
  readonly nodeExporter: { readonly enabled: boolean; readonly image: string; readonly targets: readonly string[] };
  readonly alerting: {
    readonly enabled: boolean;
    readonly rules: {
      readonly flink: boolean;
      readonly pushgateway: boolean;
      readonly node: boolean;
      readonly stack: boolean;
      readonly for: string;
      readonly thresholds: AlertThresholds;
    };
    readonly alertmanager: {
      readonly enabled: boolean;
      readonly image: string;
      readonly receivers: readonly ResolvedReceiver[];
      readonly route: {
        readonly receiver: string;
        readonly criticalReceiver: string | undefined;
        readonly groupBy: readonly string[];
        readonly groupWait: string;
        readonly groupInterval: string;
        readonly repeatInterval: string;
      };
    };
  };
  readonly grafana: {
    readonly enabled: boolean;
    readonly image: string;
    readonly adminUser: string;
    readonly adminPasswordFile: string | undefined;
    readonly dashboards: { readonly cluster: boolean; readonly job: boolean; readonly taskmanager: boolean; readonly hosts: boolean };
  };
  readonly network: {
    readonly bindAddress: string;
    readonly advertisedHost: string;
    readonly ports: {
      readonly prometheus: number;
      readonly pushgateway: number;
      readonly alertmanager: number;
      readonly grafana: number;
      readonly nodeExporter: number;
    };
  };
  readonly overrides: {
    readonly compose: Record<string, unknown> | undefined;
    readonly prometheus: Record<string, unknown> | undefined;
    readonly alertmanager: Record<string, unknown> | undefined;
    readonly grafanaDatasource: Record<string, unknown> | undefined;
  };
}

/** The Flink fields that exist only for a supported Flink version (they follow from its features). */
export type VersionDerivedFlinkFields = "version" | "features" | "excludeLabels";
export type VersionDerivedPushgatewayFields = "randomJobNameSuffix" | "stableGroupsBlocker";

/**
 * Every default applied, on any schema-valid config (normalizeConfig never throws): what the semantic checks read.
 * It lacks only what needs a supported Flink version; resolveConfig adds that once the checks have passed.
 */
export interface NormalizedStackConfig extends Omit<ResolvedStackConfig, "flink"> {
  readonly flink: Omit<ResolvedFlinkConfig, VersionDerivedFlinkFields | "pushgateway"> & {
    readonly pushgateway: Omit<ResolvedFlinkConfig["pushgateway"], VersionDerivedPushgatewayFields>;
  };
}
