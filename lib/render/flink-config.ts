// The Flink side: reporter settings for the configured version and mode (research/flink-reporter.md §1, §6),
// as the config file that version reads and as FLINK_PROPERTIES for the official image.
import type { ResolvedFlinkConfig } from "../config/resolved.js";
import { groupingKey, pushJobName, type FlinkConfigTarget } from "../plan/flink-targets.js";
import { atLeast } from "../flink/versions.js";
import type { StackPlan } from "../plan/types.js";
import { textArtifact, type Artifact } from "./artifact.js";
import { flinkFilterIncludesOf } from "./metric-selection.js";
import { toYaml } from "./yaml.js";

const PACKAGE = "org.apache.flink.metrics.prometheus";
export const PUSH_REPORTER_NAME = "promgateway";
export const PULL_REPORTER_NAME = "prom";

export type FlinkSettings = ReadonlyArray<readonly [key: string, value: string]>;

export { pushJobName, groupingKey, clusterLabelsToAttach, type FlinkConfigTarget } from "../plan/flink-targets.js";

function interval(flink: ResolvedFlinkConfig): string {
  // "<n> SECONDS" is the only form Flink ≤ 1.11 parses; 1.12+ read any Duration.
  return flink.features.intervalFormat === "timeunit" ? `${flink.intervalSeconds} SECONDS` : `${flink.intervalSeconds}s`;
}

/**
 * The reporter settings (and latency tracking, when configured) as flat key/value pairs, in a stable order. The
 * plan, not only its Flink part: the metric filter comes from the dashboards and rules it generates.
 */
export function flinkReporterSettings(plan: StackPlan, target: FlinkConfigTarget): FlinkSettings {
  const flink = plan.flink;
  const features = flink.features;
  const push = flink.mode === "pushgateway";
  const name = push ? PUSH_REPORTER_NAME : PULL_REPORTER_NAME;
  const prefix = `metrics.reporter.${name}.`;
  const className = push ? "PrometheusPushGatewayReporter" : "PrometheusReporter";
  const settings: Array<[string, string]> = [
    features.reporterKey === "class" ? [`${prefix}class`, `${PACKAGE}.${className}`] : [`${prefix}factory.class`, `${PACKAGE}.${className}Factory`],
  ];
  if (push) {
    const url = new URL(flink.pushgateway.url);
    if (features.pushAddress === "hostUrl") {
      settings.push([`${prefix}hostUrl`, flink.pushgateway.url.replace(/\/$/, "")]);
    } else {
      settings.push([`${prefix}host`, url.hostname], [`${prefix}port`, url.port || "80"]);
    }
    settings.push(
      [`${prefix}jobName`, pushJobName(flink, target.cluster, target.process)],
      [`${prefix}randomJobNameSuffix`, String(flink.pushgateway.randomJobNameSuffix)],
      [`${prefix}deleteOnShutdown`, String(flink.pushgateway.deleteOnShutdown)],
    );
    if (features.groupingKey) {
      const key = groupingKey(flink, target.cluster, target.process);
      settings.push([
        `${prefix}groupingKey`,
        Object.entries(key)
          .map(([k, v]) => `${k}=${v}`)
          .join(";"),
      ]);
    }
    settings.push([`${prefix}interval`, interval(flink)]);
  } else {
    settings.push([`${prefix}port`, flink.pull.port]);
  }
  if (features.scopeVariablesExcludes && flink.excludeLabels.length > 0) {
    // Entries are split on ';' and not trimmed: no spaces.
    settings.push([`${prefix}scope.variables.excludes`, flink.excludeLabels.join(";")]);
  }
  const includes = flinkFilterIncludesOf(plan);
  if (includes) {
    // A list option: entries separated by ';' in one string, which flink-conf.yaml and config.yaml both read.
    settings.push([`${prefix}filter.includes`, includes.join(";")]);
  }
  if (features.filterLabelValueCharacters && !flink.filterLabelValueCharacters) {
    settings.push([`${prefix}filterLabelValueCharacters`, "false"]);
  }
  if (flink.latencyTrackingMs !== undefined) {
    // The dashboards read the "operator" granularity's metric name (Flink 1.7+; 1.6 tracks per source subtask).
    settings.push(["metrics.latency.interval", String(flink.latencyTrackingMs)]);
    if (atLeast(flink.version, "1.7")) settings.push(["metrics.latency.granularity", "operator"]);
  }
  return settings;
}

/**
 * The settings as the lines of the config file this Flink version reads, without a header. The README shows
 * exactly this text, so what a user copies from it is what the generated file holds.
 * - flink-conf.yaml (≤ 1.18): one unquoted `key: value` per line; Flink's line parser keeps quotes as part of the value.
 * - config.yaml (≥ 1.19, standard YAML): every value a quoted string, since 1.19–2.0 ignore typed reporter values.
 */
export function renderFlinkConfigBody(flink: ResolvedFlinkConfig, settings: FlinkSettings): string {
  return flink.features.configFile === "config.yaml"
    ? toYaml(Object.fromEntries(settings), { quoteStrings: true })
    : `${settings.map(([key, value]) => `${key}: ${value}`).join("\n")}\n`;
}

/**
 * Settings FLINK_PROPERTIES leaves out: the official image's entry point hands each line to a shell unquoted, where
 * `*`, `?` and `[` are globs. Only the metric filter has them; the Prometheus keep-list still drops what it would.
 */
export function unsafeForFlinkProperties([, value]: FlinkSettings[number]): boolean {
  return /[*?[]/.test(value);
}

/** FLINK_PROPERTIES for the official image: flat lines, no comments (1.19+ images strip whitespace per line). */
export function renderFlinkProperties(settings: FlinkSettings): string {
  return `${settings
    .filter((setting) => !unsafeForFlinkProperties(setting))
    .map(([key, value]) => `${key}: ${value}`)
    .join("\n")}\n`;
}

export function renderFlinkConfig(plan: StackPlan): Artifact[] {
  const flink = plan.flink;
  const file = flink.features.configFile;
  return plan.flinkTargets.flatMap((target) => {
    const settings = flinkReporterSettings(plan, target);
    const whose = target.process
      ? `${target.process.role} on ${target.process.host} of cluster ${target.cluster.name}`
      : `cluster ${target.cluster.name}`;
    const header = [
      `# Prometheus ${flink.mode === "pushgateway" ? "Pushgateway " : ""}reporter for Flink ${flink.version.minor}, ${whose}.`,
      "# Generated by flink-prometheus-stack: add these lines to the Flink configuration of every JobManager and",
      "# TaskManager listed for it (see README.md).",
      ...(flink.features.jarInOpt
        ? ["# Flink <= 1.10: also copy opt/flink-metrics-prometheus*.jar to lib/ (the reporter is not a plugin yet)."]
        : []),
    ].join("\n");
    const contents = `${header}\n${renderFlinkConfigBody(flink, settings)}`;
    return [textArtifact(`${target.dir}/${file}`, contents), textArtifact(`${target.dir}/FLINK_PROPERTIES`, renderFlinkProperties(settings))];
  });
}
