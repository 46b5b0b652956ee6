// The in-memory model of a stack. Renderers and the Docker runtime read only this, so the compose
// file, prometheus.yml, the dashboards and what `up` starts cannot drift apart.
import type { Labels, ResolvedFlinkConfig, ResolvedStackConfig, ScrapeOptions } from "../config/resolved.js";
import type { FlinkMetricNames } from "../flink/metrics.js";
import type { FreshnessSelector } from "../promql/index.js";
import type { FlinkConfigTarget } from "./flink-targets.js";
import type { RuleBundle } from "./rule-bundles.js";
import type { WaitStrategy } from "./wait.js";

export type ServiceName = "prometheus" | "pushgateway" | "pushgateway-prune" | "alertmanager" | "node-exporter" | "grafana";

export interface PortPlan {
  readonly hostIp: string;
  readonly hostPort: number;
  readonly containerPort: number;
}

export interface MountPlan {
  /** `volume`: a named volume of the project; `bind`: a path relative to the output directory, or absolute. */
  readonly type: "volume" | "bind";
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export interface HealthcheckPlan {
  /** Exec form, e.g. ["CMD", "wget", "-q", "--spider", "http://localhost:9090/-/ready"]. */
  readonly test: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}

export interface ServicePlan {
  readonly name: ServiceName;
  readonly image: string;
  /** Arguments after the image's entrypoint. */
  readonly command: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly ports: readonly PortPlan[];
  readonly mounts: readonly MountPlan[];
  readonly healthcheck: HealthcheckPlan;
  readonly dependsOn: readonly ServiceName[];
  /** Compose file secrets mounted at /run/secrets/<name>. */
  readonly secrets: readonly string[];
  /** When the service counts as ready (`up` waits for it; the first HTTP endpoint is also its web address). */
  readonly wait: WaitStrategy;
  /** Output-relative config files the service reads: their content feeds the config hash. */
  readonly configFiles: readonly string[];
  /** Signal that makes the service reload its config files without a restart (Prometheus, Alertmanager). */
  readonly reloadSignal: "SIGHUP" | undefined;
  /** Extra hosts entries (`name:ip`), e.g. host.docker.internal:host-gateway. */
  readonly extraHosts: readonly string[];
  /** `uid:gid` to run as instead of the image's user. */
  readonly user?: string;
  /**
   * The image is this package's CLI, built locally on top of `base` (never pulled: `up` and `build-image` build it
   * through the Engine API from the installed package).
   */
  readonly localBuild?: { readonly base: string };
}

export interface VolumePlan {
  /** Name inside the compose file; the engine name is `<project>_<name>`. */
  readonly name: string;
}

export interface SecretPlan {
  readonly name: string;
  /** Output-relative path of the file holding the secret, or an absolute path the user gave. */
  readonly file: string;
  /** True when the generator creates the file (once; never overwritten, never printed). */
  readonly generated: boolean;
}

/**
 * Target label of every port of a port pool (pull mode, processes sharing a host and the reporter's port range):
 * how many Flink processes share those ports. Alerts count the pool's targets that are up against it, since a
 * port nobody bound is down by design.
 */
export const PORT_POOL_LABEL = "port_range_processes";

export interface TargetGroupPlan {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export type ScrapeJobKind = "prometheus" | "pushgateway" | "pushgateway-prune" | "flink" | "node" | "alertmanager" | "grafana" | "user";

/**
 * A metric_relabel_configs entry: `replace` (the default) sets `targetLabel` to `replacement` where `sourceLabels`
 * match `regex`; `drop` drops those series.
 */
export type RelabelPlan =
  | {
      readonly action?: "replace";
      readonly sourceLabels: readonly string[];
      readonly regex: string;
      readonly targetLabel: string;
      readonly replacement: string;
    }
  | {
      readonly action: "drop";
      readonly sourceLabels: readonly string[];
      readonly regex: string;
      readonly targetLabel?: undefined;
      readonly replacement?: undefined;
    };

/** A scrape job: its targets and relabelings, and the per-job scrape options (ScrapeOptions, defaults applied). */
export interface ScrapeJobPlan extends ScrapeOptions {
  readonly name: string;
  readonly kind: ScrapeJobKind;
  readonly targetGroups: readonly TargetGroupPlan[];
  readonly metricRelabelings: readonly RelabelPlan[];
}

export interface DashboardPlan {
  /** File name under grafana/dashboards/. */
  readonly file: string;
  readonly uid: string;
  readonly title: string;
  readonly kind: "cluster" | "job" | "taskmanager" | "hosts";
}

/** Prometheus's global settings (pure data from the config) and the remote-write targets as mounted. */
export interface PrometheusGlobalPlan {
  readonly scrapeInterval: string;
  readonly scrapeIntervalSeconds: number;
  readonly scrapeTimeout: string;
  readonly evaluationInterval: string;
  readonly externalLabels: Labels;
  readonly remoteWrite: ReadonlyArray<{
    readonly name: string | undefined;
    readonly url: string;
    /** passwordFile: where the planner mounts the user's password file inside the container. */
    readonly basicAuth: { readonly username: string; readonly passwordFile: string } | undefined;
  }>;
}

export type AlertingPlan = ResolvedStackConfig["alerting"];

export interface GrafanaPlan {
  readonly enabled: boolean;
  readonly adminUser: string;
  /** The dashboard switches as configured (grafana.dashboards.*). */
  readonly switches: ResolvedStackConfig["grafana"]["dashboards"];
  /**
   * The dashboards the config generates with Grafana enabled: equal to StackPlan.dashboards when it is, and what
   * `verify` and the metric selection check when it is not.
   */
  readonly verifiableDashboards: readonly DashboardPlan[];
}

/** A duration the stack derives once: seconds, and the same as a Prometheus duration ("1m"). */
export interface DurationPlan {
  readonly seconds: number;
  readonly duration: string;
}

export interface PushgatewayPlan {
  readonly enabled: boolean;
  readonly prune: ResolvedStackConfig["pushgateway"]["prune"];
  /**
   * A Flink group on the Pushgateway counts as stale after this long without a push (pushStaleIntervals reporter
   * intervals): the dashboards hide it, FlinkMetricsPushStale fires, `verify` and the README say the same window.
   */
  readonly staleWindow: DurationPlan;
}

export interface NetworkPlan {
  readonly bindAddress: string;
  /** The host in URLs a person opens on the host (localhost for a wildcard bind, brackets for IPv6). */
  readonly displayHost: string;
  /** Only this host can reach the published ports (a loopback bind address). */
  readonly loopbackOnly: boolean;
}

/** A `…File` setting a container mounts from the host, with the config path that names it. */
export interface UserSecretFilePlan {
  readonly configPath: string;
  readonly file: string;
}

export interface StackPlan {
  readonly project: string;
  /** The Flink side as configured (defaults applied) plus what resolve derived (ports, reachability, stable groups). */
  readonly flink: ResolvedFlinkConfig;
  readonly prometheus: PrometheusGlobalPlan;
  readonly alerting: AlertingPlan;
  readonly grafana: GrafanaPlan;
  readonly pushgateway: PushgatewayPlan;
  readonly network: NetworkPlan;
  /** Merged onto the rendered documents (deepMerge), as the user wrote them. */
  readonly overrides: ResolvedStackConfig["overrides"];
  /** Where the stack runs: compose (one Docker host), swarm (a stack file) or kubernetes (manifests). */
  readonly target: ResolvedStackConfig["target"];
  readonly swarm: ResolvedStackConfig["swarm"];
  readonly kubernetes: ResolvedStackConfig["kubernetes"];
  /** Host files the containers mount (not the generated secrets), so the writer checks they exist and are private. */
  readonly userSecretFiles: readonly UserSecretFilePlan[];
  /**
   * The same stack reduced to the first cluster's first JobManager and TaskManager: the same dashboards and rules,
   * hence the same metric names, built in constant time however many hosts the config lists (the metric selection
   * reads it). Undefined when this plan is already that small.
   */
  readonly metricBasis: StackPlan | undefined;
  /** How queries hide stale Pushgateway groups (pushgateway mode), or undefined (pull mode): lib/promql `fresh`. */
  readonly freshness: FreshnessSelector | undefined;
  /**
   * TaskManagers each cluster's JobManager should report, by cluster name: those listed, or at least one (a
   * cluster that lists none still needs one to run anything). The dashboards draw it, FlinkTaskManagerLost fires below it.
   */
  readonly expectedTaskManagers: Readonly<Record<string, number>>;
  readonly metrics: FlinkMetricNames;
  readonly networkName: string;
  readonly services: readonly ServicePlan[];
  readonly volumes: readonly VolumePlan[];
  readonly secrets: readonly SecretPlan[];
  readonly scrapeJobs: readonly ScrapeJobPlan[];
  /** Rule files, output-relative (prometheus/rules/x.rules.yml). */
  readonly ruleFiles: readonly string[];
  /** The alert-rule bundles the stack has, in file order (ruleFiles holds their paths). */
  readonly ruleBundles: readonly RuleBundle[];
  /** Where the Flink reporter files go: per cluster, or per process when each needs its own job name. */
  readonly flinkTargets: readonly FlinkConfigTarget[];
  /** The label that tells TaskManagers apart: tm_id, or host when the reporter excludes tm_id. */
  readonly taskManagerLabel: "host" | "tm_id";
  readonly datasource: { readonly uid: string; readonly name: string; readonly url: string };
  readonly dashboards: readonly DashboardPlan[];
  /** URLs a person opens on the host, per enabled service. */
  readonly urls: Readonly<Partial<Record<ServiceName, string>>>;
}

export function findService(plan: StackPlan, name: ServiceName): ServicePlan | undefined {
  return plan.services.find((service) => service.name === name);
}
