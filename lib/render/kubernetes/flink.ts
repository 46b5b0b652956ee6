// The FlinkDeployment piece of each cluster: spec.flinkConfiguration with the reporter settings of the compose
// target (lib/render/flink-config.ts, the keys this Flink version reads; every value a string, as the CRD
// requires), and in pull mode the named container port the PodMonitor scrapes. A patch the user merges into the
// FlinkDeployment they already have (kustomize `patches:`), never a FlinkDeployment of its own.
import type { StackPlan } from "../../plan/types.js";
import { flinkReporterSettings, PULL_REPORTER_NAME, PUSH_REPORTER_NAME, type FlinkSettings } from "../flink-config.js";
import { FLINK_MAIN_CONTAINER, FLINK_METRICS_PORT_NAME, type Context, type Manifest } from "./meta.js";

export interface FlinkPatch {
  readonly cluster: string;
  readonly manifest: Manifest;
  /** Pull mode: the reporter's port in the pod (one Flink process per pod, so one port). */
  readonly port: number | undefined;
}

/**
 * The settings as a pod sees them: the Pushgateway at its in-cluster Service, a group per process (pods are not
 * listed in the config), and a single reporter port.
 */
export function kubernetesReporterSettings(settings: FlinkSettings, pushgatewayUrl: string | undefined): FlinkSettings {
  const push = `metrics.reporter.${PUSH_REPORTER_NAME}.`;
  const pull = `metrics.reporter.${PULL_REPORTER_NAME}.`;
  return settings.map(([key, value]): readonly [string, string] => {
    if (pushgatewayUrl !== undefined) {
      const url = new URL(pushgatewayUrl);
      if (key === `${push}hostUrl`) return [key, pushgatewayUrl];
      if (key === `${push}host`) return [key, url.hostname];
      if (key === `${push}port`) return [key, url.port];
    }
    if (key === `${push}randomJobNameSuffix`) return [key, "true"];
    if (key === `${pull}port`) return [key, value.split("-")[0]!];
    return [key, value];
  });
}

export function buildFlinkPatches(plan: StackPlan, ctx: Context, pushgatewayUrl: string | undefined): FlinkPatch[] {
  const seen = new Set<string>();
  return plan.flinkTargets.flatMap((target) => {
    // Per-process targets (stable Pushgateway groups on listed hosts) collapse to one per cluster: pods share a config.
    if (seen.has(target.cluster.name)) return [];
    seen.add(target.cluster.name);
    const settings = kubernetesReporterSettings(flinkReporterSettings(plan, { ...target, process: undefined }), pushgatewayUrl);
    const portSetting = settings.find(([key]) => key === `metrics.reporter.${PULL_REPORTER_NAME}.port`);
    const port = portSetting === undefined ? undefined : Number(portSetting[1]);
    const manifest: Manifest = {
      apiVersion: "flink.apache.org/v1beta1",
      kind: "FlinkDeployment",
      metadata: { name: target.cluster.name },
      spec: {
        flinkConfiguration: Object.fromEntries(settings),
        ...(port === undefined
          ? {}
          : {
              podTemplate: {
                spec: {
                  containers: [{ name: FLINK_MAIN_CONTAINER, ports: [{ name: FLINK_METRICS_PORT_NAME, containerPort: port, protocol: "TCP" }] }],
                },
              },
            }),
      },
    };
    return [{ cluster: target.cluster.name, manifest, port }];
  });
}
