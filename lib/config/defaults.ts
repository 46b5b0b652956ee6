// The only place default values live. The schema's `default` keywords mirror these (checked by a test).
import { durationMs } from "./duration.js";
import type { ScrapeOptions } from "./resolved.js";

export const DEFAULT_PROJECT_NAME = "flink-monitoring";

/** Upstream images pinned to exact versions; never `latest`. */
export const DEFAULT_IMAGES = {
  prometheus: "prom/prometheus:v3.5.0",
  pushgateway: "prom/pushgateway:v1.11.1",
  alertmanager: "prom/alertmanager:v0.28.1",
  nodeExporter: "prom/node-exporter:v1.9.1",
  grafana: "grafana/grafana:12.2.0",
  /** Node.js LTS for the prune sidecar: the base of its local CLI image (runner image), or what runs npx (runner npx). */
  pushgatewayPrune: "node:24.11.1-alpine",
} as const;

export const DEFAULT_PORTS = {
  prometheus: 9090,
  pushgateway: 9091,
  alertmanager: 9093,
  grafana: 3000,
  nodeExporter: 9100,
} as const;

export const DEFAULT_REPORTER_MODE = "pushgateway";
export const DEFAULT_REPORTER_INTERVAL = "15s";
export const DEFAULT_EXCLUDE_LABELS = ["task_attempt_id", "task_attempt_num"] as const;
export const DEFAULT_PUSHGATEWAY_JOB_NAME = "flink";
export const DEFAULT_PULL_PORT = "9249";
export const DEFAULT_PRUNE = { sidecar: false, olderThan: "1h", every: "1m", runner: "image" } as const;

export const DEFAULT_SCRAPE_INTERVAL = "15s";
export const DEFAULT_SCRAPE_TIMEOUT = "10s";
/** Prometheus's own rule: an unset scrape timeout is min(10s, the scrape interval), globally and per job. */
export function defaultScrapeTimeout(interval: string): string {
  return durationMs(interval) < durationMs(DEFAULT_SCRAPE_TIMEOUT) ? interval : DEFAULT_SCRAPE_TIMEOUT;
}
export const DEFAULT_EVALUATION_INTERVAL = "15s";
export const DEFAULT_RETENTION_TIME = "15d";

export const DEFAULT_TARGET = "compose";
/** Which Flink metrics reach Prometheus: what the dashboards and rules query (lib/flink/metric-selection.ts). */
export const DEFAULT_METRIC_SELECTION = "used";

export const DEFAULT_SWARM = { monitoringNodeLabel: "monitoring", flinkServices: false } as const;
/** Target kubernetes: kube-prometheus-stack's conventions (its Helm release label, its Grafana sidecar's label). */
export const DEFAULT_KUBERNETES = {
  namespace: "monitoring",
  flinkNamespaces: ["default"],
  selectorLabels: { release: "kube-prometheus-stack" },
  dashboardLabel: { name: "grafana_dashboard", value: "1" },
  datasourceUid: "prometheus",
  alertmanagerConfig: false,
} as const;

export const DEFAULT_BIND_ADDRESS = "127.0.0.1";
export const DEFAULT_GRAFANA_ADMIN_USER = "admin";

export const DEFAULT_ALERT_FOR = "5m";
export const DEFAULT_THRESHOLDS = {
  checkpointDurationSeconds: 60,
  backPressureRatio: 0.5,
  heapUsageRatio: 0.9,
  gcTimeRatio: 0.1,
  restartsPerWindow: 1,
  restartWindow: "15m",
  pushStaleIntervals: 4,
  diskFreeRatio: 0.1,
  memoryAvailableRatio: 0.1,
  cpuUsageRatio: 0.9,
} as const;

export const DEFAULT_ROUTE = {
  groupBy: ["alertname", "cluster"],
  groupWait: "30s",
  groupInterval: "5m",
  repeatInterval: "4h",
} as const;

/** The scrape settings of a job that sets none: the stack's own jobs, and a user job's unset fields. */
export const DEFAULT_SCRAPE_OPTIONS: ScrapeOptions = {
  metricsPath: "/metrics",
  scheme: "http",
  interval: undefined,
  timeout: undefined,
  honorLabels: false,
};
