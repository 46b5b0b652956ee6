// The one place the swarm renderer and runtime read settings that are not (yet) part of the plan: after the
// plan stops carrying the resolved config, only this adapter needs rewiring.
import type { StackPlan } from "../../plan/types.js";

export type DeploymentTarget = "compose" | "swarm" | "kubernetes";

export interface SwarmSettings {
  readonly target: DeploymentTarget;
  /** Node label (`node.labels.<label>==true`) pinning the stateful services and their volumes. */
  readonly monitoringNodeLabel: string;
  /** Find Flink Swarm services through dockerswarm_sd_configs (mounts the Docker socket into Prometheus). */
  readonly flinkServices: boolean;
  /** network.bindAddress: Swarm publishes on every address of a node, so only a wildcard can be honoured. */
  readonly bindAddress: string;
  /** overrides.compose is given: it edits docker-compose.yml, which target swarm does not write. */
  readonly composeOverrides: boolean;
}

export function swarmSettings(plan: StackPlan): SwarmSettings {
  const config = plan.config;
  return {
    target: config.target,
    monitoringNodeLabel: config.swarm.monitoringNodeLabel,
    flinkServices: config.swarm.flinkServices,
    bindAddress: config.network.bindAddress,
    composeOverrides: config.overrides.compose !== undefined,
  };
}
