// prometheus/prometheus.yml from the plan's scrape jobs, rule files and remote_write targets.
import { findService, type RelabelPlan, type ScrapeJobPlan, type StackPlan } from "../plan/types.js";
import { requireHttpEndpoint } from "../plan/wait.js";
import type { Artifact } from "./artifact.js";
import { deepMerge } from "./merge.js";
import { flinkKeepRelabelings } from "./metric-selection.js";
import { yamlArtifact } from "./yaml.js";

/**
 * Prometheus 3 expands $VAR in external_labels (a feature flag before), where `$$` is a literal `$`. The major
 * version comes from the image tag (v3.5.0, 3.5.0-distroless, debian-2.42); an unknown tag counts as current.
 */
export function expandsExternalLabels(image: string): boolean {
  const tag = image.includes("@") ? "" : image.slice(image.lastIndexOf(":") + 1);
  const major = /(\d+)\.\d+/.exec(tag)?.[1];
  return major === undefined || Number(major) >= 3;
}

function scrapeConfig(job: ScrapeJobPlan, flinkRelabelings: readonly RelabelPlan[]): Record<string, unknown> {
  // Flink series not kept (flink.metrics) are dropped first, before the rules that label the kept ones.
  const relabelings = carriesFlinkSeries(job) ? [...flinkRelabelings, ...job.metricRelabelings] : job.metricRelabelings;
  return {
    job_name: job.name,
    ...(job.interval ? { scrape_interval: job.interval } : {}),
    ...(job.timeout ? { scrape_timeout: job.timeout } : {}),
    ...(job.honorLabels ? { honor_labels: true } : {}),
    ...(job.metricsPath !== "/metrics" ? { metrics_path: job.metricsPath } : {}),
    ...(job.scheme !== "http" ? { scheme: job.scheme } : {}),
    static_configs: job.targetGroups.map((group) => ({
      targets: [...group.targets],
      ...(Object.keys(group.labels).length > 0 ? { labels: { ...group.labels } } : {}),
    })),
    ...(relabelings.length > 0
      ? {
          metric_relabel_configs: relabelings.map((rule) =>
            rule.action === "drop"
              ? { source_labels: [...rule.sourceLabels], regex: rule.regex, action: "drop" }
              : { source_labels: [...rule.sourceLabels], regex: rule.regex, target_label: rule.targetLabel, replacement: rule.replacement },
          ),
        }
      : {}),
  };
}

/** The jobs whose targets export Flink's series: a pull cluster's, or the Pushgateway's in push mode. */
function carriesFlinkSeries(job: ScrapeJobPlan): boolean {
  return job.kind === "flink" || job.kind === "pushgateway";
}

export function renderPrometheusConfig(plan: StackPlan): Artifact {
  const prometheus = plan.prometheus;
  const alertmanager = findService(plan, "alertmanager");
  const flinkRelabelings = flinkKeepRelabelings(plan);
  const config: Record<string, unknown> = {
    global: {
      scrape_interval: prometheus.scrapeInterval,
      scrape_timeout: prometheus.scrapeTimeout,
      evaluation_interval: prometheus.evaluationInterval,
      external_labels: Object.fromEntries(
        Object.entries({ stack: plan.project, ...prometheus.externalLabels }).map(([name, value]) => [
          name,
          expandsExternalLabels(findService(plan, "prometheus")!.image) ? value.replaceAll("$", "$$$$") : value,
        ]),
      ),
    },
    ...(plan.ruleFiles.length > 0
      ? { rule_files: plan.ruleFiles.map((file) => `/etc/prometheus/rules/${file.slice("prometheus/rules/".length)}`) }
      : {}),
    ...(alertmanager
      ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [`alertmanager:${requireHttpEndpoint(alertmanager).port}`] }] }] } }
      : {}),
    scrape_configs: plan.scrapeJobs.map((job) => scrapeConfig(job, flinkRelabelings)),
    ...(prometheus.remoteWrite.length > 0
      ? {
          remote_write: prometheus.remoteWrite.map((target) => ({
            url: target.url,
            ...(target.name ? { name: target.name } : {}),
            ...(target.basicAuth ? { basic_auth: { username: target.basicAuth.username, password_file: target.basicAuth.passwordFile } } : {}),
          })),
        }
      : {}),
  };
  const merged = plan.overrides.prometheus ? deepMerge(config, plan.overrides.prometheus) : config;
  return yamlArtifact("prometheus/prometheus.yml", merged);
}
