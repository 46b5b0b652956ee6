// The Kubernetes target's settings: the plan's kubernetes slice and the receivers of an optional AlertmanagerConfig.
import type { ResolvedReceiver, ResolvedStackConfig } from "../../config/resolved.js";
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

/** The plan's kubernetes slice, with the receivers and route when an AlertmanagerConfig is asked for. */
export function kubernetesSettings(plan: StackPlan): KubernetesSettings {
  const k8s = plan.kubernetes;
  const alertmanager = plan.alerting.enabled && plan.alerting.alertmanager.enabled && k8s.alertmanagerConfig ? plan.alerting.alertmanager : undefined;
  return {
    namespace: k8s.namespace,
    flinkNamespaces: k8s.flinkNamespaces,
    selectorLabels: k8s.selectorLabels,
    dashboardLabel: k8s.dashboardLabel,
    datasourceUid: k8s.datasourceUid,
    alertmanager,
  };
}
