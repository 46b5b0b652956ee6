// The Prometheus Operator's scrape objects: a PodMonitor per Flink cluster (pull mode: the JobManager and
// TaskManager pods Flink's native Kubernetes mode creates for a FlinkDeployment) and a ServiceMonitor for the
// Pushgateway (push mode). Each carries the plan's scrape job: its `job` name (the alert rules select by it),
// the cluster labels, and the metric relabelings prometheus.yml would have.
import { PORT_POOL_LABEL, type RelabelPlan, type ScrapeJobPlan, type StackPlan } from "../../plan/types.js";
import { flinkKeepRelabelings } from "../metric-selection.js";
import { FLINK_METRICS_PORT_NAME, FLINK_POD_LABELS, literalReplacement, metadata, type Context, type Manifest } from "./meta.js";

function metricRelabelings(plan: StackPlan, job: ScrapeJobPlan): Array<Record<string, unknown>> {
  // Flink series not kept (flink.metrics) are dropped first, as in prometheus.yml.
  const rules: readonly RelabelPlan[] =
    job.kind === "flink" || job.kind === "pushgateway" ? [...flinkKeepRelabelings(plan), ...job.metricRelabelings] : job.metricRelabelings;
  return rules.map((rule) =>
    rule.action === "drop"
      ? { action: "drop", sourceLabels: [...rule.sourceLabels], regex: rule.regex }
      : { action: "replace", sourceLabels: [...rule.sourceLabels], regex: rule.regex, targetLabel: rule.targetLabel, replacement: rule.replacement },
  );
}

function endpointTiming(job: ScrapeJobPlan): Record<string, string> {
  return { ...(job.interval ? { interval: job.interval } : {}), ...(job.timeout ? { scrapeTimeout: job.timeout } : {}) };
}

/** The `job` label as prometheus.yml names it: the operator's default (`<namespace>/<monitor>`) would not match the rules. */
function jobRelabeling(job: ScrapeJobPlan): Record<string, unknown> {
  return { action: "replace", targetLabel: "job", replacement: literalReplacement(job.name) };
}

/** The cluster a pull-mode Flink scrape job watches, and the labels its targets carry besides `role`. */
function clusterOf(job: ScrapeJobPlan): { cluster: string; labels: Record<string, string> } | undefined {
  const labels = job.targetGroups[0]?.labels;
  const cluster = labels?.cluster;
  if (labels === undefined || cluster === undefined) return undefined;
  // role comes from the pod's component label; a port pool does not exist on Kubernetes (one process per pod).
  const rest = Object.entries(labels).filter(([name]) => name !== "role" && name !== PORT_POOL_LABEL);
  return { cluster, labels: Object.fromEntries(rest) };
}

export function podMonitorName(ctx: Context, cluster: string): string {
  return `${ctx.project}-flink-${cluster}`;
}

export function buildPodMonitors(plan: StackPlan, ctx: Context): Manifest[] {
  return plan.scrapeJobs
    .filter((job) => job.kind === "flink")
    .flatMap((job) => {
      const found = clusterOf(job);
      if (found === undefined) return [];
      return [
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PodMonitor",
          metadata: metadata(ctx, podMonitorName(ctx, found.cluster), "flink-metrics", { ...ctx.settings.selectorLabels }),
          spec: {
            namespaceSelector: { matchNames: [...ctx.settings.flinkNamespaces] },
            selector: {
              matchLabels: { [FLINK_POD_LABELS.app]: found.cluster, [FLINK_POD_LABELS.type]: FLINK_POD_LABELS.nativeType },
              matchExpressions: [{ key: FLINK_POD_LABELS.component, operator: "In", values: ["jobmanager", "taskmanager"] }],
            },
            podMetricsEndpoints: [
              {
                port: FLINK_METRICS_PORT_NAME,
                path: job.metricsPath,
                scheme: job.scheme,
                ...endpointTiming(job),
                ...(job.honorLabels ? { honorLabels: true } : {}),
                relabelings: [
                  jobRelabeling(job),
                  { action: "replace", sourceLabels: [`__meta_kubernetes_pod_label_${FLINK_POD_LABELS.component}`], targetLabel: "role" },
                  ...Object.entries(found.labels).map(([name, value]) => ({
                    action: "replace",
                    targetLabel: name,
                    replacement: literalReplacement(value),
                  })),
                ],
                ...(metricRelabelings(plan, job).length > 0 ? { metricRelabelings: metricRelabelings(plan, job) } : {}),
              },
            ],
          },
        },
      ];
    });
}

export const PUSHGATEWAY_PORT_NAME = "http";

/** The Pushgateway's ServiceMonitor: honorLabels keeps the job and grouping-key labels Flink pushed. */
export function buildPushgatewayServiceMonitor(plan: StackPlan, ctx: Context, name: string, selector: Record<string, string>): Manifest | undefined {
  const job = plan.scrapeJobs.find((entry) => entry.kind === "pushgateway");
  if (job === undefined) return undefined;
  const relabelings = metricRelabelings(plan, job);
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: metadata(ctx, name, "pushgateway", { ...ctx.settings.selectorLabels }),
    spec: {
      selector: { matchLabels: selector },
      endpoints: [
        {
          port: PUSHGATEWAY_PORT_NAME,
          path: job.metricsPath,
          scheme: job.scheme,
          ...endpointTiming(job),
          honorLabels: true,
          relabelings: [jobRelabeling(job)],
          ...(relabelings.length > 0 ? { metricRelabelings: relabelings } : {}),
        },
      ],
    },
  };
}
