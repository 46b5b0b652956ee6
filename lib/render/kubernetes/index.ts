// target: kubernetes — manifests a kube-prometheus-stack user applies with `kubectl apply -k <out>/kubernetes`:
//   kubernetes/kustomization.yaml             ties the rest together (namespace, resources)
//   kubernetes/podmonitor-<cluster>.yaml       pull mode: the Flink pods of each FlinkDeployment
//   kubernetes/pushgateway.yaml                Deployment + ClusterIP Service + ServiceMonitor (honorLabels)
//   kubernetes/prometheusrule.yaml             the Flink alert groups (promtool copies under prometheus/rules/)
//   kubernetes/dashboards/<name>.yaml          one ConfigMap per Grafana dashboard (sidecar label)
//   kubernetes/alertmanagerconfig.yaml         optional: the receivers and route
//   kubernetes/flink/<cluster>-patch.yaml      the FlinkDeployment piece (not applied by -k: a patch for yours)
// plus prometheus/rules/** and README.md. Built from the plan and the compose target's builders; the config is
// read only by settings.ts.
import { ConfigValidationError } from "../../errors.js";
import type { StackPlan } from "../../plan/types.js";
import { textArtifact, type Artifact } from "../artifact.js";
import { GENERATED_BANNER, toYaml } from "../yaml.js";
import { buildAlertmanagerConfig } from "./alertmanager-config.js";
import { buildDashboardConfigMaps, CONFIGMAP_LIMIT_BYTES } from "./dashboards.js";
import { buildFlinkPatches } from "./flink.js";
import { KUBERNETES_DIR, type Context, type KubernetesFile, type Manifest } from "./meta.js";
import { buildPodMonitors } from "./monitors.js";
import { buildPushgateway, pushgatewayServiceUrl } from "./pushgateway.js";
import { renderKubernetesReadme } from "./readme.js";
import { buildKubernetesRules, buildPrometheusRule, renderRuleFiles, type KubernetesRules } from "./rules.js";
import { kubernetesSettings } from "./settings.js";

export { KUBERNETES_DIR, type KubernetesFile } from "./meta.js";

function manifestsArtifact(path: string, manifests: readonly Manifest[], note?: string): Artifact {
  const body = manifests.map((manifest) => toYaml(manifest)).join("---\n");
  return textArtifact(`${KUBERNETES_DIR}/${path}`, `${GENERATED_BANNER}${note ? `\n# ${note}` : ""}\n${body}`);
}

/** Every manifest file of the target, as objects (what the tests judge and renderKubernetes serializes). */
export function buildKubernetesFiles(plan: StackPlan): { files: KubernetesFile[]; context: Context; rules: KubernetesRules[] } {
  const settings = kubernetesSettings(plan);
  const ctx: Context = { project: plan.project, settings };
  const pushgateway = buildPushgateway(plan, ctx);
  const ruleFiles = buildKubernetesRules(plan);
  const rules = buildPrometheusRule(ctx, ruleFiles);
  const files: KubernetesFile[] = [
    ...buildPodMonitors(plan, ctx).map((monitor) => ({
      path: `podmonitor-${monitor.metadata.name.slice(`${ctx.project}-flink-`.length)}.yaml`,
      manifests: [monitor],
      applied: true,
    })),
    ...(pushgateway.length > 0 ? [{ path: "pushgateway.yaml", manifests: pushgateway, applied: true }] : []),
    ...(rules ? [{ path: "prometheusrule.yaml", manifests: [rules], applied: true }] : []),
    ...buildDashboardConfigMaps(plan, ctx).map((configMap) => ({
      path: `dashboards/${Object.keys(configMap.data as Record<string, string>)[0]!.replace(/\.json$/, "")}.yaml`,
      manifests: [configMap],
      applied: true,
    })),
    ...(settings.alertmanager
      ? [{ path: "alertmanagerconfig.yaml", manifests: [buildAlertmanagerConfig(ctx, settings.alertmanager, pushgateway.length > 0)], applied: true }]
      : []),
    ...buildFlinkPatches(plan, ctx, pushgatewayServiceUrl(plan, ctx)).map((patch) => ({
      path: `flink/${patch.cluster}-patch.yaml`,
      manifests: [patch.manifest],
      applied: false,
    })),
  ];
  return { files, context: ctx, rules: ruleFiles };
}

export function buildKustomization(ctx: Context, files: readonly KubernetesFile[]): Record<string, unknown> {
  return {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    namespace: ctx.settings.namespace,
    resources: files.filter((file) => file.applied).map((file) => file.path),
  };
}

export function renderKubernetes(plan: StackPlan): Artifact[] {
  const { files, context, rules } = buildKubernetesFiles(plan);
  const artifacts: Artifact[] = files.map((file) =>
    manifestsArtifact(
      file.path,
      file.manifests,
      file.applied ? undefined : "A patch for your FlinkDeployment (see README.md): not applied by kubectl apply -k.",
    ),
  );
  const tooBig = artifacts.filter(
    (artifact) => artifact.path.startsWith(`${KUBERNETES_DIR}/dashboards/`) && Buffer.byteLength(artifact.contents) > CONFIGMAP_LIMIT_BYTES,
  );
  if (tooBig.length > 0) {
    throw new ConfigValidationError(
      undefined,
      tooBig.map((artifact) => ({
        path: "grafana.dashboards",
        message: `${artifact.path} is over 256 KiB, more than kubectl apply can store`,
        hint: "turn off the dashboards you do not need, or apply with kubectl apply --server-side",
      })),
    );
  }
  artifacts.push(textArtifact(`${KUBERNETES_DIR}/kustomization.yaml`, `${GENERATED_BANNER}\n${toYaml(buildKustomization(context, files))}`));
  artifacts.push(...renderRuleFiles(rules));
  artifacts.push(renderKubernetesReadme(plan, context, files));
  return artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
