// The settings the swarm renderer and runtime act on, as one slice of the plan.
import type { StackPlan } from "../../plan/types.js";

export interface SwarmSettings {
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
  return {
    monitoringNodeLabel: plan.swarm.monitoringNodeLabel,
    flinkServices: plan.swarm.flinkServices,
    bindAddress: plan.network.bindAddress,
    composeOverrides: plan.overrides.compose !== undefined,
  };
}
