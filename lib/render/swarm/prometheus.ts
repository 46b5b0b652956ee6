// prometheus/prometheus.yml for target swarm: the compose variant (overrides merged, already checked) with the
// node_exporter tasks found by DNS (tasks.<service> lists every task of the global service) and, when asked,
// Flink Swarm services found through the Docker API (dockerswarm_sd_configs).
import yaml from "js-yaml";
import { findService, type StackPlan } from "../../plan/types.js";
import { requireHttpEndpoint } from "../../plan/wait.js";
import type { Artifact } from "../artifact.js";
import { flinkKeepRelabelings } from "../metric-selection.js";
import { yamlArtifact } from "../yaml.js";
import { CLUSTER_LABEL, METRICS_PORT_LABEL, ROLE_LABEL, serviceLabelMeta, stackNetworkName } from "./names.js";
import type { SwarmSettings } from "./settings.js";

export const FLINK_SWARM_JOB = "flink-swarm";
export const DOCKER_SOCKET = "/var/run/docker.sock";

type ScrapeConfig = Record<string, unknown> & { job_name: string; static_configs?: Array<{ targets: string[]; labels?: Record<string, string> }> };

export function renderSwarmPrometheusConfig(plan: StackPlan, settings: SwarmSettings, composeVariant: Artifact): Artifact {
  const config = yaml.load(composeVariant.contents) as Record<string, unknown> & { scrape_configs: ScrapeConfig[] };
  const nodeExporter = findService(plan, "node-exporter");
  const nodeJob = plan.scrapeJobs.find((job) => job.kind === "node");
  const scrapeConfigs = config.scrape_configs.map((job) =>
    nodeExporter && job.job_name === nodeJob?.name
      ? nodeTasksJob(job, `${nodeExporter.name}:${requireHttpEndpoint(nodeExporter).port}`, nodeExporter.name, requireHttpEndpoint(nodeExporter).port)
      : job,
  );
  if (settings.flinkServices) scrapeConfigs.push(flinkSwarmJob(plan, uniqueJobName(scrapeConfigs, FLINK_SWARM_JOB)) as ScrapeConfig);
  return yamlArtifact(composeVariant.path, { ...config, scrape_configs: scrapeConfigs });
}

/** The single node-exporter target becomes a DNS query for every task of the global service. */
function nodeTasksJob(job: ScrapeConfig, composeTarget: string, service: string, port: number): ScrapeConfig {
  const staticConfigs = (job.static_configs ?? [])
    .map((group) => ({ ...group, targets: group.targets.filter((target) => target !== composeTarget) }))
    .filter((group) => group.targets.length > 0);
  const { static_configs: _replaced, ...rest } = job;
  return {
    ...rest,
    // Prometheus may look before the first task is in DNS; the default (30s) would leave a new node unseen as long.
    dns_sd_configs: [{ names: [`tasks.${service}`], type: "A", port, refresh_interval: "10s" }],
    ...(staticConfigs.length > 0 ? { static_configs: staticConfigs } : {}),
  };
}

/**
 * Running tasks of services labelled with the metrics port, on the stack's network (a task on several networks
 * is listed once per network; one with no published port gets port 80, hence the port from the label).
 */
function flinkSwarmJob(plan: StackPlan, name: string): Record<string, unknown> {
  const portMeta = serviceLabelMeta(METRICS_PORT_LABEL);
  const keep = flinkKeepRelabelings(plan);
  return {
    job_name: name,
    dockerswarm_sd_configs: [{ host: `unix://${DOCKER_SOCKET}`, role: "tasks" }],
    relabel_configs: [
      { source_labels: ["__meta_dockerswarm_task_desired_state"], regex: "running", action: "keep" },
      { source_labels: ["__meta_dockerswarm_network_name"], regex: escapeRegex(stackNetworkName(plan.project, plan.networkName)), action: "keep" },
      { source_labels: [portMeta], regex: "[0-9]+", action: "keep" },
      { source_labels: ["__address__", portMeta], regex: "(.+):[0-9]+;([0-9]+)", target_label: "__address__", replacement: "$1:$2" },
      { source_labels: [serviceLabelMeta(CLUSTER_LABEL)], regex: "(.+)", target_label: "cluster" },
      { source_labels: [serviceLabelMeta(ROLE_LABEL)], regex: "(.+)", target_label: "role" },
      { source_labels: ["__meta_dockerswarm_service_name"], target_label: "swarm_service" },
      { source_labels: ["__meta_dockerswarm_task_slot"], regex: "(.+)", target_label: "swarm_task_slot" },
      { source_labels: ["__meta_dockerswarm_node_hostname"], target_label: "swarm_node" },
    ],
    ...(keep.length > 0
      ? {
          metric_relabel_configs: keep.map((rule) =>
            rule.action === "drop"
              ? { source_labels: [...rule.sourceLabels], regex: rule.regex, action: "drop" }
              : { source_labels: [...rule.sourceLabels], regex: rule.regex, target_label: rule.targetLabel, replacement: rule.replacement },
          ),
        }
      : {}),
  };
}

function uniqueJobName(jobs: readonly ScrapeConfig[], wanted: string): string {
  const taken = new Set(jobs.map((job) => job.job_name));
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted}-${n}`;
  return name;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
