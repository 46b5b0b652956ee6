/* Generated from schemas/stack.schema.json by `npm run gen:types`. Do not edit. */

/**
 * How often each Flink process pushes (pushgateway mode). Whole seconds.
 */
export type Duration = string;
/**
 * The Pushgateway URL as the Flink hosts reach it. Default: http://<network.advertisedHost>:<pushgateway port>.
 */
export type Url = string;
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "Port".
 */
export type Port = number;
/**
 * Turn Flink's latency tracking on: sources emit a latency marker this often (metrics.latency.interval, granularity operator), and the job dashboard gets latency panels. Off by default: markers cost throughput and add many series. Whole seconds or milliseconds, e.g. 30s.
 */
export type Duration1 = string;
/**
 * A name made of letters, digits, '.', '_' and '-', starting with a letter or digit.
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "Name".
 */
export type Name = string;
/**
 * A Flink process: "host" or "host:port", or an object.
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "FlinkProcess".
 */
export type FlinkProcess =
  | Host
  | {
      host: Host;
      port?: Port;
    };
/**
 * A host name or IP address, optionally with :port (e.g. tm1.prod.internal or 10.0.0.5:9250).
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "Host".
 */
export type Host = string;
/**
 * A container image reference pinned to a tag or digest, e.g. prom/prometheus:v3.5.0.
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "Image".
 */
export type Image = string;
/**
 * A Prometheus duration such as 15s, 1m30s, 2h or 15d.
 */
export type Duration2 = string;
/**
 * Default: min(10s, scrapeInterval), as in Prometheus.
 */
export type Duration3 = string;
/**
 * A Prometheus duration such as 15s, 1m30s, 2h or 15d.
 */
export type Duration4 = string;
/**
 * A Prometheus duration such as 15s, 1m30s, 2h or 15d.
 */
export type Duration5 = string;
/**
 * A Prometheus duration such as 15s, 1m30s, 2h or 15d.
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "Duration".
 */
export type Duration6 = string;
/**
 * An http:// or https:// URL.
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "Url".
 */
export type Url1 = string;
/**
 * Host file holding the password; mounted read-only into Prometheus.
 */
export type FilePath = string;
/**
 * A Prometheus duration such as 15s, 1m30s, 2h or 15d.
 */
export type Duration7 = string;
/**
 * A Prometheus duration such as 15s, 1m30s, 2h or 15d.
 */
export type Duration8 = string;
/**
 * A container image reference pinned to a tag or digest, e.g. prom/prometheus:v3.5.0.
 */
export type Image1 = string;
/**
 * A Prometheus duration such as 15s, 1m30s, 2h or 15d.
 */
export type Duration9 = string;
/**
 * A Prometheus duration such as 15s, 1m30s, 2h or 15d.
 */
export type Duration10 = string;
/**
 * An http:// or https:// URL.
 */
export type Url2 = string;
/**
 * Host file holding the endpoint URL (a secret); mounted read-only. Needs Alertmanager 0.26 or newer.
 */
export type FilePath1 = string;
/**
 * Host file holding the SMTP password (a secret); mounted read-only. Needs authUsername.
 */
export type FilePath2 = string;
/**
 * Host file holding the Slack webhook URL (a secret); mounted read-only.
 */
export type FilePath3 = string;
/**
 * A name made of letters, digits, '.', '_' and '-', starting with a letter or digit.
 */
export type Name1 = string;
/**
 * A Prometheus duration such as 15s, 1m30s, 2h or 15d.
 */
export type Duration11 = string;
/**
 * A Prometheus duration such as 15s, 1m30s, 2h or 15d.
 */
export type Duration12 = string;
/**
 * A Prometheus duration such as 15s, 1m30s, 2h or 15d.
 */
export type Duration13 = string;
/**
 * A name made of letters, digits, '.', '_' and '-', starting with a letter or digit.
 */
export type Name2 = string;
/**
 * Use this existing host file as the admin password instead of a generated one.
 */
export type FilePath4 = string;
/**
 * Host address published ports bind to. Loopback by default: Docker publishes past host firewalls.
 */
export type IpAddress = string;
/**
 * A host name or IP address, optionally with :port (e.g. tm1.prod.internal or 10.0.0.5:9250).
 */
export type Host1 = string;
export type Port1 = number;
export type Port2 = number;
export type Port3 = number;
export type Port4 = number;
export type Port5 = number;
/**
 * A file path on the machine that runs the stack; ~/ is the home folder of the user running generate. No ':' or ',' (it becomes a bind mount).
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "FilePath".
 */
export type FilePath5 = string;

/**
 * One description of a Flink deployment and the monitoring stack that watches it (flink-prometheus-stack).
 */
export interface StackConfig {
  /**
   * Editor hint; ignored by the generator.
   */
  $schema?: string;
  /**
   * Compose project name: lower-case letters, digits, '-' and '_'.
   */
  name?: string;
  /**
   * Where the stack runs: compose (docker-compose.yml, one Docker host), swarm (docker-stack.yml for docker stack deploy), kubernetes (manifests for the Prometheus Operator).
   */
  target?: "compose" | "swarm" | "kubernetes";
  flink: FlinkConfig;
  prometheus?: PrometheusConfig;
  pushgateway?: PushgatewayConfig;
  nodeExporter?: NodeExporterConfig;
  alerting?: AlertingConfig;
  grafana?: GrafanaConfig;
  network?: NetworkConfig;
  overrides?: OverridesConfig;
  swarm?: SwarmConfig;
  kubernetes?: KubernetesConfig;
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "FlinkConfig".
 */
export interface FlinkConfig {
  /**
   * The Flink version as a quoted string: major.minor such as "1.18" or "2.1"; a patch level such as "1.20.4" is accepted.
   */
  version: string;
  reporter?: FlinkReporterConfig;
  latencyTracking?: Duration1;
  /**
   * The jobs read from Kafka (KafkaSource or FlinkKafkaConsumer): the job dashboard gets the Kafka lag panels.
   */
  kafkaSource?: boolean;
  metrics?: FlinkMetricsConfig;
  /**
   * @minItems 1
   * @maxItems 200
   */
  clusters: FlinkClusterConfig[];
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "FlinkReporterConfig".
 */
export interface FlinkReporterConfig {
  /**
   * pushgateway: every Flink process pushes to the stack's Pushgateway; pull: Prometheus scrapes each Flink process.
   */
  mode?: "pushgateway" | "pull";
  interval?: Duration;
  /**
   * Flink scope variables left out of every series (Flink 1.10+), to keep cardinality down across restarts.
   */
  excludeLabels?: (
    "host" | "tm_id" | "job_id" | "task_id" | "task_attempt_id" | "task_attempt_num" | "operator_id"
  )[];
  /**
   * Replace characters outside [a-zA-Z0-9:_] in label values with '_' (Flink 1.8+; Flink's default is true).
   */
  filterLabelValueCharacters?: boolean;
  pushgateway?: FlinkPushgatewayReporterConfig;
  pull?: FlinkPullReporterConfig;
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "FlinkPushgatewayReporterConfig".
 */
export interface FlinkPushgatewayReporterConfig {
  /**
   * The Pushgateway 'job' label prefix of every group Flink pushes.
   */
  jobName?: string;
  /**
   * Append 32 random hex characters to the job name on every process start (one new group per start). Default: false when the stack can give every process a stable group of its own (Flink 1.10+, every cluster lists its TaskManagers, one Flink process per host): one config file per process, grouping key instance=<host>, so a restarted process replaces its old series instead of leaving them behind. Otherwise true.
   */
  randomJobNameSuffix?: boolean;
  /**
   * Delete the process's group from the Pushgateway when it shuts down cleanly.
   */
  deleteOnShutdown?: boolean;
  groupingKey?: Labels;
  url?: Url;
}
/**
 * Extra grouping-key labels (Flink 1.10+), values of letters, digits, '.', '_' and '-'. The stack adds cluster=<name> itself; a cluster's labels (any text) are attached by Prometheus.
 */
export interface Labels {
  /**
   * A label value: any text without control characters such as newlines or tabs.
   */
  [k: string]: string;
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "FlinkPullReporterConfig".
 */
export interface FlinkPullReporterConfig {
  /**
   * Port, or range "9249-9250", the Flink PrometheusReporter listens on; each process takes the first free port of it. Several processes on one host need a range: Prometheus then scrapes every port of it on that host. Default: 9249, widened to as many ports as the most processes listed on one host.
   */
  port?: Port | string;
}
/**
 * Which Flink metrics reach Prometheus. Flink exports every metric of every operator and subtask; by default the stack keeps only what its dashboards and alert rules query, plus `keep`.
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "FlinkMetricsConfig".
 */
export interface FlinkMetricsConfig {
  /**
   * used: the Flink metrics the generated dashboards and alert rules query, plus `keep` (Flink 1.16+ filters the rest in the reporter, and Prometheus drops any other flink_* series it scrapes); all: every metric Flink exports, for exploring ad hoc.
   */
  select?: "used" | "all";
  /**
   * More Flink metrics to keep with select: used, as Prometheus names where * matches any characters, e.g. flink_taskmanager_job_task_operator_numRecordsIn or flink_taskmanager_Status_JVM_*.
   *
   * @maxItems 200
   */
  keep?: string[];
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "FlinkClusterConfig".
 */
export interface FlinkClusterConfig {
  name: Name;
  /**
   * @minItems 1
   * @maxItems 20
   */
  jobmanagers: FlinkProcess[];
  /**
   * @maxItems 10000
   */
  taskmanagers?: FlinkProcess[];
  labels?: Labels1;
}
/**
 * Prometheus labels: names match [a-zA-Z_][a-zA-Z0-9_]* and do not start with '__'.
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "Labels".
 */
export interface Labels1 {
  /**
   * A label value: any text without control characters such as newlines or tabs.
   */
  [k: string]: string;
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "PrometheusConfig".
 */
export interface PrometheusConfig {
  image?: Image;
  scrapeInterval?: Duration2;
  scrapeTimeout?: Duration3;
  evaluationInterval?: Duration4;
  retention?: {
    time?: Duration5;
    /**
     * Maximum storage size, e.g. 10GB.
     */
    size?: string;
  };
  externalLabels?: Labels1;
  /**
   * @maxItems 1000
   */
  scrapeJobs?: ScrapeJobConfig[];
  /**
   * @maxItems 20
   */
  remoteWrite?: RemoteWriteConfig[];
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "ScrapeJobConfig".
 */
export interface ScrapeJobConfig {
  name: Name;
  /**
   * @minItems 1
   * @maxItems 10000
   */
  targets: Host[];
  labels?: Labels1;
  /**
   * The HTTP path of the metrics, starting with '/', e.g. /metrics.
   */
  metricsPath?: string;
  scheme?: "http" | "https";
  interval?: Duration6;
  timeout?: Duration6;
  honorLabels?: boolean;
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "RemoteWriteConfig".
 */
export interface RemoteWriteConfig {
  name?: Name;
  url: Url1;
  basicAuth?: {
    /**
     * Text without control characters.
     */
    username: string;
    passwordFile: FilePath;
  };
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "PushgatewayConfig".
 */
export interface PushgatewayConfig {
  /**
   * Default: on in pushgateway mode, off in pull mode.
   */
  enabled?: boolean;
  image?: Image;
  /**
   * Keep pushed groups across Pushgateway restarts (a named volume).
   */
  persistence?: boolean;
  prune?: PushgatewayPruneConfig;
}
/**
 * A sidecar that deletes Flink's Pushgateway groups nobody has pushed to for a while (processes that are gone), with the `prune-pushgateway` command in a loop. Needed with random job-name suffixes; with stable per-process groups a restarted process replaces its own group.
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "PushgatewayPruneConfig".
 */
export interface PushgatewayPruneConfig {
  /**
   * Run the prune sidecar.
   */
  sidecar?: boolean;
  olderThan?: Duration7;
  every?: Duration8;
  /**
   * How the sidecar gets this package's CLI. `image` (the default): `up` (or the `build-image` command) builds the local image `localhost/flink-prometheus-stack:<this version>` through the Docker Engine API from `image` plus this installed package and its production dependencies, so nothing is fetched at run time; `docker compose up` alone needs it built first. `npx`: the sidecar runs `npx --yes flink-prometheus-stack@<this version> prune-pushgateway …` in `image`, fetching the package from the npm registry at its first start.
   */
  runner?: "image" | "npx";
  image?: Image1;
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "NodeExporterConfig".
 */
export interface NodeExporterConfig {
  /**
   * Run a node_exporter container for the monitoring host itself.
   */
  enabled?: boolean;
  image?: Image;
  /**
   * node_exporters on other hosts (host:port).
   *
   * @maxItems 10000
   */
  targets?: Host[];
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "AlertingConfig".
 */
export interface AlertingConfig {
  enabled?: boolean;
  rules?: AlertRulesConfig;
  alertmanager?: AlertmanagerConfig;
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "AlertRulesConfig".
 */
export interface AlertRulesConfig {
  flink?: boolean;
  pushgateway?: boolean;
  node?: boolean;
  stack?: boolean;
  for?: Duration9;
  thresholds?: AlertThresholds;
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "AlertThresholds".
 */
export interface AlertThresholds {
  checkpointDurationSeconds?: number;
  /**
   * Share of time (0-1) a task is back-pressured.
   */
  backPressureRatio?: number;
  heapUsageRatio?: number;
  /**
   * Share of wall time (0-1) spent in GC.
   */
  gcTimeRatio?: number;
  /**
   * Job restarts within restartWindow that fire FlinkJobRestarting.
   */
  restartsPerWindow?: number;
  restartWindow?: Duration10;
  /**
   * A Pushgateway group is stale after this many reporter intervals without a push.
   */
  pushStaleIntervals?: number;
  diskFreeRatio?: number;
  memoryAvailableRatio?: number;
  cpuUsageRatio?: number;
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "AlertmanagerConfig".
 */
export interface AlertmanagerConfig {
  enabled?: boolean;
  image?: Image;
  /**
   * @maxItems 100
   */
  receivers?: ReceiverConfig[];
  route?: RouteConfig;
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "ReceiverConfig".
 */
export interface ReceiverConfig {
  name: Name;
  /**
   * An HTTP endpoint that receives the alerts as JSON. Give url or urlFile (exactly one).
   */
  webhook?: {
    url?: Url2;
    urlFile?: FilePath1;
    sendResolved?: boolean;
  };
  email?: {
    /**
     * One or more e-mail addresses separated by commas, e.g. oncall@example.com.
     */
    to: string;
    /**
     * An e-mail address, e.g. alertmanager@example.com.
     */
    from: string;
    /**
     * SMTP server host:port.
     */
    smarthost: string;
    /**
     * Text without control characters.
     */
    authUsername?: string;
    authPasswordFile?: FilePath2;
    requireTls?: boolean;
    sendResolved?: boolean;
  };
  slack?: {
    apiUrlFile: FilePath3;
    /**
     * A Slack channel or user, e.g. #alerts.
     */
    channel: string;
    sendResolved?: boolean;
  };
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "RouteConfig".
 */
export interface RouteConfig {
  receiver?: Name1;
  groupBy?: string[];
  groupWait?: Duration11;
  groupInterval?: Duration12;
  repeatInterval?: Duration13;
  criticalReceiver?: Name2;
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "GrafanaConfig".
 */
export interface GrafanaConfig {
  enabled?: boolean;
  image?: Image;
  /**
   * Letters, digits, '_', '.', '@' and '-'.
   */
  adminUser?: string;
  adminPasswordFile?: FilePath4;
  dashboards?: {
    cluster?: boolean;
    job?: boolean;
    taskmanager?: boolean;
    hosts?: boolean;
  };
}
/**
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "NetworkConfig".
 */
export interface NetworkConfig {
  bindAddress?: IpAddress;
  advertisedHost?: Host1;
  ports?: {
    prometheus?: Port1;
    pushgateway?: Port2;
    alertmanager?: Port3;
    grafana?: Port4;
    nodeExporter?: Port5;
  };
}
/**
 * Escape hatch: objects deep-merged into the rendered files just before they are written.
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "OverridesConfig".
 */
export interface OverridesConfig {
  compose?: {};
  prometheus?: {};
  alertmanager?: {};
  grafanaDatasource?: {};
}
/**
 * Settings of target swarm (docker-stack.yml).
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "SwarmConfig".
 */
export interface SwarmConfig {
  /**
   * Node label pinning Prometheus, Alertmanager, Grafana and the Pushgateway (with their data volumes) to one node, labelled with `docker node update --label-add <label>=true <node>`.
   */
  monitoringNodeLabel?: string;
  /**
   * Also find Flink running as Swarm services (dockerswarm_sd_configs, role tasks): running tasks on the stack's network whose service has the label io.flink-prometheus-stack.metrics-port=<reporter port>. Mounts the Docker socket read-only into Prometheus, which then runs on a manager node.
   */
  flinkServices?: boolean;
}
/**
 * Settings of target: kubernetes (ignored by the other targets).
 *
 * This interface was referenced by `StackConfig`'s JSON-Schema
 * via the `definition` "KubernetesConfig".
 */
export interface KubernetesConfig {
  /**
   * The namespace the monitors, rules, dashboards and the Pushgateway go to (kustomization.yaml sets it).
   */
  namespace?: string;
  /**
   * The namespaces the FlinkDeployments run in (the PodMonitors' namespaceSelector).
   *
   * @minItems 1
   * @maxItems 100
   */
  flinkNamespaces?: string[];
  /**
   * Labels put on every PodMonitor, ServiceMonitor and PrometheusRule so the Prometheus resource selects them (kube-prometheus-stack selects release: <helm release name>).
   */
  selectorLabels?: {
    [k: string]: string;
  };
  /**
   * The label the Grafana sidecar picks dashboard ConfigMaps up by.
   */
  dashboardLabel?: {
    name?: string;
    value?: string;
  };
  /**
   * The uid of the Prometheus datasource in your Grafana (kube-prometheus-stack provisions uid prometheus).
   */
  datasourceUid?: string;
  /**
   * Also generate an AlertmanagerConfig with the receivers and route of alerting.alertmanager; their secrets are read from a Secret you create (see the README).
   */
  alertmanagerConfig?: boolean;
}
