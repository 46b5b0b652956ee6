// README.md of the generated stack: human text, so the one place handlebars is used (noEscape, strict).
// The template (lib/templates/readme.ts) is precompiled by scripts/gen-types.mjs: only the runtime loads here.
import type HandlebarsApi from "handlebars";
import HandlebarsRuntime from "handlebars/runtime.js";
import type { StackPlan } from "../plan/types.js";
import { textArtifact, type Artifact } from "./artifact.js";
import {
  flinkReporterSettings,
  type FlinkConfigTarget,
  PUSH_REPORTER_NAME,
  renderFlinkConfigBody,
  renderFlinkProperties,
  unsafeForFlinkProperties,
} from "./flink-config.js";
import { FLINK_HOSTS_FILE } from "./flink-hosts.js";
import { flinkFilterIncludesOf, flinkMetricSelection } from "./metric-selection.js";
import { README_TEMPLATE_SPEC } from "../generated/readme-template.js";

// handlebars ships no useful types for its runtime entry; it is the same API minus the compiler.
const Handlebars = HandlebarsRuntime as unknown as typeof HandlebarsApi;
let template: HandlebarsApi.TemplateDelegate | undefined;

// The README shows this many processes and config files per cluster; flink/hosts.json lists them all, so the
// README's size does not grow with the host count.
export const README_PROCESSES_PER_CLUSTER = 5;
export const README_FILES_PER_CLUSTER = 3;

export function readmeContext(plan: StackPlan) {
  const flink = plan.flink;
  const push = flink.mode === "pushgateway";
  const grafanaSecret = plan.secrets.find((secret) => secret.name === "grafana_admin_password");
  const targets = plan.flinkTargets;
  const targetsOf = new Map<unknown, FlinkConfigTarget[]>();
  for (const target of targets) {
    const list = targetsOf.get(target.cluster);
    if (list) list.push(target);
    else targetsOf.set(target.cluster, [target]);
  }
  return {
    project: plan.project,
    swarm: plan.target === "swarm" ? { nodeLabel: plan.swarm.monitoringNodeLabel } : undefined,
    flinkVersion: flink.version.minor,
    push,
    pull: !push,
    configFile: flink.features.configFile,
    configYaml: flink.features.configFile === "config.yaml",
    jarInOpt: flink.features.jarInOpt,
    legacyClassKey: flink.features.reporterKey === "class",
    pushgatewayUrl: flink.pushgateway.url,
    // The same finding (and words) as the validation warning: the README never promises an unreachable address.
    pushUnreachable: flink.mode === "pushgateway" ? flink.pushgateway.unreachable : undefined,
    pullUnreachable: flink.mode === "pull" ? flink.pull.unreachable : undefined,
    randomSuffix: flink.pushgateway.randomJobNameSuffix,
    stableGroupsWhy: flink.pushgateway.stableGroupsBlocker,
    deleteOnShutdown: flink.pushgateway.deleteOnShutdown,
    jobName: flink.pushgateway.jobName,
    excludeLabels: flink.excludeLabels.map((label) => `\`${label}\``).join(", "),
    pruneSidecar: plan.services.some((service) => service.name === "pushgateway-prune"),
    pruneOlderThan: plan.pushgateway.prune.olderThan,
    pruneEvery: plan.pushgateway.prune.every,
    pruneImage: plan.pushgateway.prune.image,
    pruneLocalImage: plan.services.find((service) => service.localBuild)?.image,
    reporterName: PUSH_REPORTER_NAME,
    pullPort: flink.pull.port,
    pullFirstPort: flink.pull.firstPort,
    pullPortChosen: !push && flink.pull.chosen && flink.pull.port.includes("-"),
    pullPortWidth: Number(flink.pull.port.split("-")[1] ?? flink.pull.port) - flink.pull.firstPort + 1,
    sharedPortHosts: push
      ? []
      : [
          ...new Set(
            flink.clusters.flatMap((cluster) => [...cluster.jobmanagers, ...cluster.taskmanagers].filter((p) => p.portPool).map((p) => p.host)),
          ),
        ],
    interval: flink.interval,
    metricsAll: flink.metrics.select === "all",
    keptCount: flinkMetricSelection(plan)?.names.length,
    keep: flink.metrics.keep.map((glob) => `\`${glob}\``).join(", "),
    reporterFilter: flinkFilterIncludesOf(plan) !== undefined,
    flinkJobs: push ? "`pushgateway` scrape job" : "`flink-<cluster>` scrape jobs",
    staleAfter: `${plan.pushgateway.staleWindow.seconds}s`,
    services: plan.services.map((service) => ({
      name: service.name,
      image: service.image,
      url: plan.urls[service.name],
    })),
    grafana: plan.grafana.enabled,
    grafanaUser: plan.grafana.adminUser,
    grafanaPasswordFile: grafanaSecret?.file,
    grafanaPasswordGenerated: grafanaSecret?.generated ?? false,
    alertmanager: plan.services.some((service) => service.name === "alertmanager"),
    nodeExporter: plan.scrapeJobs.some((job) => job.kind === "node"),
    dashboards: plan.dashboards.map((dashboard) => ({ title: dashboard.title, file: dashboard.file })),
    ruleFiles: plan.ruleFiles,
    bindAddress: plan.network.bindAddress,
    hostsFile: FLINK_HOSTS_FILE,
    clusters: flink.clusters.map((cluster, index) => {
      const processes = [...cluster.jobmanagers, ...cluster.taskmanagers];
      const files = targetsOf.get(cluster) ?? [];
      // Hiding a single one saves nothing: then all are shown.
      const shownFiles = files.length <= README_FILES_PER_CLUSTER + 1 ? files : files.slice(0, README_FILES_PER_CLUSTER);
      const shownProcesses = processes.length <= README_PROCESSES_PER_CLUSTER + 1 ? processes : processes.slice(0, README_PROCESSES_PER_CLUSTER);
      return {
        id: `cluster${index}`,
        name: cluster.name,
        processCount: processes.length,
        jobmanagerCount: cluster.jobmanagers.length,
        taskmanagerCount: cluster.taskmanagers.length,
        processes: shownProcesses.map((p) => `${p.role} ${p.host}${push ? "" : p.portPool ? ` (a port of ${p.portPool.join(", ")})` : `:${p.port}`}`),
        moreProcesses: processes.length - shownProcesses.length,
        moreFiles: files.length - shownFiles.length,
        files: shownFiles.map((target) => {
          // Rendered by the same serializers as the files themselves: what a user copies is what the file holds.
          const settings = flinkReporterSettings(plan, target);
          return {
            dir: target.dir,
            who: target.process ? `the ${target.process.role} on ${target.process.host}` : "every JobManager and TaskManager",
            configSnippet: renderFlinkConfigBody(flink, settings).trimEnd(),
            // One FLINK_PROPERTIES example is enough: the README lists a file per process when groups are stable.
            propertiesSnippet: target === targets[0] ? renderFlinkProperties(settings).trimEnd() : undefined,
            propertiesOmit: settings.filter(unsafeForFlinkProperties).map(([key]) => key),
          };
        }),
      };
    }),
  };
}

export function renderReadme(plan: StackPlan): Artifact {
  template ??= Handlebars.template(README_TEMPLATE_SPEC);
  return textArtifact("README.md", template(readmeContext(plan)));
}
