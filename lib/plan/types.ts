// The in-memory model of a stack. Renderers and the Docker runtime read only this, so the compose
// file, prometheus.yml, the dashboards and what `up` starts cannot drift apart.
import type { ResolvedStackConfig } from "../config/resolved.js";
import type { FlinkMetricNames } from "../flink/metrics.js";
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
  | { readonly action?: "replace"; readonly sourceLabels: readonly string[]; readonly regex: string; readonly targetLabel: string; readonly replacement: string }
  | { readonly action: "drop"; readonly sourceLabels: readonly string[]; readonly regex: string; readonly targetLabel?: undefined; readonly replacement?: undefined };

export interface ScrapeJobPlan {
  readonly name: string;
  readonly kind: ScrapeJobKind;
  readonly targetGroups: readonly TargetGroupPlan[];
  readonly metricsPath: string;
  readonly scheme: "http" | "https";
  readonly interval: string | undefined;
  readonly timeout: string | undefined;
  readonly honorLabels: boolean;
  readonly metricRelabelings: readonly RelabelPlan[];
}

export interface DashboardPlan {
  /** File name under grafana/dashboards/. */
  readonly file: string;
  readonly uid: string;
  readonly title: string;
  readonly kind: "cluster" | "job" | "taskmanager" | "hosts";
}

export interface StackPlan {
  readonly project: string;
  readonly config: ResolvedStackConfig;
  readonly metrics: FlinkMetricNames;
  readonly networkName: string;
  readonly services: readonly ServicePlan[];
  readonly volumes: readonly VolumePlan[];
  readonly secrets: readonly SecretPlan[];
  readonly scrapeJobs: readonly ScrapeJobPlan[];
  /** Rule files, output-relative (prometheus/rules/x.rules.yml). */
  readonly ruleFiles: readonly string[];
  readonly datasource: { readonly uid: string; readonly name: string; readonly url: string };
  readonly dashboards: readonly DashboardPlan[];
  /** URLs a person opens on the host, per enabled service. */
  readonly urls: Readonly<Partial<Record<ServiceName, string>>>;
}

export function findService(plan: StackPlan, name: ServiceName): ServicePlan | undefined {
  return plan.services.find((service) => service.name === name);
}
