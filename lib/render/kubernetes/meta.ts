// Names, labels and file paths shared by every manifest of the Kubernetes target.
import type { KubernetesSettings } from "./settings.js";

export const KUBERNETES_DIR = "kubernetes";
export const MANAGED_BY = "flink-prometheus-stack";
/** The pod-template container port the reporter listens on (pull mode) and the PodMonitors scrape by name. */
export const FLINK_METRICS_PORT_NAME = "metrics";
/** The container the Flink Kubernetes Operator runs Flink in (its pod template merges into this one). */
export const FLINK_MAIN_CONTAINER = "flink-main-container";
/** Labels Flink's native Kubernetes mode puts on the JobManager and TaskManager pods it creates. */
export const FLINK_POD_LABELS = { app: "app", component: "component", type: "type", nativeType: "flink-native-kubernetes" } as const;

export interface Context {
  readonly project: string;
  readonly settings: KubernetesSettings;
}

export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string } };

export interface KubernetesFile {
  /** Path under kubernetes/. */
  readonly path: string;
  readonly manifests: readonly Manifest[];
  /** Listed in kustomization.yaml (the FlinkDeployment patches are not). */
  readonly applied: boolean;
}

export function commonLabels(ctx: Context, component: string): Record<string, string> {
  return { "app.kubernetes.io/part-of": ctx.project, "app.kubernetes.io/component": component, "app.kubernetes.io/managed-by": MANAGED_BY };
}

export function metadata(
  ctx: Context,
  name: string,
  component: string,
  extraLabels: Record<string, string> = {},
): Manifest["metadata"] & Record<string, unknown> {
  return { name, namespace: ctx.settings.namespace, labels: { ...commonLabels(ctx, component), ...extraLabels } };
}

/** A relabel replacement is expanded ($1, ${name}): a literal `$` is written `$$`. */
export function literalReplacement(value: string): string {
  return value.replaceAll("$", "$$$$");
}
