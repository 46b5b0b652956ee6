// What a config valid for Docker cannot be on Kubernetes (target kubernetes): resource and FlinkDeployment names,
// the oldest Flink the Flink Kubernetes Operator deploys, settings that break with pods the config does not list.
import type { ConfigIssue } from "../errors.js";
import { compareFlinkVersion, type FlinkVersion } from "../flink/versions.js";
import type { StackConfig } from "../generated/stack-config.js";
import type { NormalizedStackConfig } from "./resolved.js";

/** Oldest Flink the Flink Kubernetes Operator deploys (FlinkDeployment flinkVersion v1_13 and later). */
export const OLDEST_OPERATOR_FLINK = "1.13";
/** FlinkDeployment names become Flink's kubernetes.cluster-id: a DNS-1035 label of at most 45 characters. */
const CLUSTER_ID = /^[a-z]([-a-z0-9]{0,43}[a-z0-9])?$/;
/** Resource names start with the stack's name (DNS-1123 label; `-pushgateway` and the like are appended). */
const RESOURCE_PREFIX = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/** What a config valid for Docker cannot be on Kubernetes; empty when it can. */
export function checkKubernetesTarget(
  config: StackConfig,
  normalized: NormalizedStackConfig,
  version: FlinkVersion | undefined,
  issues: ConfigIssue[],
): void {
  if (normalized.target !== "kubernetes") return;
  const project = normalized.name;
  if (!RESOURCE_PREFIX.test(project)) {
    issues.push({
      path: "name",
      message: `"${project}" cannot start Kubernetes resource names`,
      hint: "use lower-case letters, digits and '-' (no '_'), at most 40 characters, starting and ending with a letter or digit",
    });
  }
  if (version && compareFlinkVersion(version, OLDEST_OPERATOR_FLINK) < 0) {
    issues.push({
      path: "flink.version",
      message: `the Flink Kubernetes Operator does not deploy Flink ${version.minor}`,
      hint: `target kubernetes needs Flink ${OLDEST_OPERATOR_FLINK} or later`,
    });
  }
  config.flink.clusters.forEach((cluster, index) => {
    if (!CLUSTER_ID.test(cluster.name)) {
      issues.push({
        path: `flink.clusters[${index}].name`,
        message: `"${cluster.name}" is not a FlinkDeployment name`,
        hint: "on Kubernetes a cluster is named by its FlinkDeployment: lower-case letters, digits and '-', starting with a letter, at most 45 characters",
      });
    }
  });
  // Raw on purpose: a false the user wrote; the resolved default is true on Kubernetes (pods are not listed).
  if (normalized.flink.mode === "pushgateway" && config.flink.reporter?.pushgateway?.randomJobNameSuffix === false) {
    issues.push({
      path: "flink.reporter.pushgateway.randomJobNameSuffix",
      message: "false would make the pods of a FlinkDeployment overwrite each other's metrics in the Pushgateway",
      hint: "pods are not listed in the config on Kubernetes: remove the setting (each process then pushes its own group)",
    });
  }
  if (normalized.kubernetes.alertmanagerConfig && !normalized.alerting.alertmanager.enabled) {
    issues.push({
      path: "kubernetes.alertmanagerConfig",
      message: "asks for an AlertmanagerConfig, but alerting or its Alertmanager is off",
      hint: "turn alerting.enabled and alerting.alertmanager.enabled on, or drop kubernetes.alertmanagerConfig",
    });
  }
}
