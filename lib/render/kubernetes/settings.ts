// The one place the Kubernetes target reads the config: its settings (defaults applied), the receivers and
// route of an optional AlertmanagerConfig, and the config problems only this target has. Everything else it
// takes from the plan and the shared renderers' builders.
import type { ResolvedReceiver, ResolvedStackConfig } from "../../config/resolved.js";
import type { ConfigIssue } from "../../errors.js";
import { compareFlinkVersion } from "../../flink/versions.js";
import type { StackConfig } from "../../generated/stack-config.js";
import type { StackPlan } from "../../plan/types.js";

export interface KubernetesSettings {
  readonly namespace: string;
  readonly flinkNamespaces: readonly string[];
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly dashboardLabel: { readonly name: string; readonly value: string };
  readonly datasourceUid: string;
  /** The receivers and route of the AlertmanagerConfig, when the config asks for one. */
  readonly alertmanager: ResolvedStackConfig["alerting"]["alertmanager"] | undefined;
}

export type { ResolvedReceiver };

/** Oldest Flink the Flink Kubernetes Operator deploys (FlinkDeployment flinkVersion v1_13 and later). */
export const OLDEST_OPERATOR_FLINK = "1.13";
/** FlinkDeployment names become Flink's kubernetes.cluster-id: a DNS-1035 label of at most 45 characters. */
const CLUSTER_ID = /^[a-z]([-a-z0-9]{0,43}[a-z0-9])?$/;
/** Resource names start with the stack's name (DNS-1123 label; `-pushgateway` and the like are appended). */
const RESOURCE_PREFIX = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/** The validated config's kubernetes section with defaults, and the plan's alerting (the adapter). */
export function kubernetesSettings(config: StackConfig, plan: StackPlan): KubernetesSettings {
  const k8s = config.kubernetes ?? {};
  const resolved = plan.config;
  const alertmanager = resolved.alerting.enabled && resolved.alerting.alertmanager.enabled && k8s.alertmanagerConfig === true
    ? resolved.alerting.alertmanager : undefined;
  return {
    namespace: k8s.namespace ?? "monitoring",
    flinkNamespaces: k8s.flinkNamespaces ?? ["default"],
    selectorLabels: k8s.selectorLabels ?? { release: "kube-prometheus-stack" },
    dashboardLabel: { name: k8s.dashboardLabel?.name ?? "grafana_dashboard", value: k8s.dashboardLabel?.value ?? "1" },
    datasourceUid: k8s.datasourceUid ?? "prometheus",
    alertmanager,
  };
}

/** What a config valid for Docker cannot be on Kubernetes; empty when it can. */
export function kubernetesConfigIssues(config: StackConfig, plan: StackPlan): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!RESOURCE_PREFIX.test(plan.project)) {
    issues.push({
      path: "name",
      message: `"${plan.project}" cannot start Kubernetes resource names`,
      hint: "use lower-case letters, digits and '-' (no '_'), at most 40 characters, starting and ending with a letter or digit",
    });
  }
  if (compareFlinkVersion(plan.config.flink.version, OLDEST_OPERATOR_FLINK) < 0) {
    issues.push({
      path: "flink.version",
      message: `the Flink Kubernetes Operator does not deploy Flink ${plan.config.flink.version.minor}`,
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
  const reporter = config.flink.reporter;
  if ((reporter?.mode ?? "pushgateway") === "pushgateway" && reporter?.pushgateway?.randomJobNameSuffix === false) {
    issues.push({
      path: "flink.reporter.pushgateway.randomJobNameSuffix",
      message: "false would make the pods of a FlinkDeployment overwrite each other's metrics in the Pushgateway",
      hint: "pods are not listed in the config on Kubernetes: remove the setting (each process then pushes its own group)",
    });
  }
  if (config.kubernetes?.alertmanagerConfig === true && !(plan.config.alerting.enabled && plan.config.alerting.alertmanager.enabled)) {
    issues.push({
      path: "kubernetes.alertmanagerConfig",
      message: "asks for an AlertmanagerConfig, but alerting or its Alertmanager is off",
      hint: "turn alerting.enabled and alerting.alertmanager.enabled on, or drop kubernetes.alertmanagerConfig",
    });
  }
  return issues;
}
