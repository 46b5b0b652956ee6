// status for target swarm, through the Engine API: each service's running tasks of its current spec against
// the tasks it should have, and Prometheus's targets.
import { connectManager } from "./manager.js";
import { fetchSwarmTargets, prometheusUrl, stackState, type SwarmServiceState, type SwarmTarget } from "./state.js";

export interface SwarmStatus {
  readonly project: string;
  readonly ok: boolean;
  readonly services: readonly SwarmServiceState[];
  readonly targets: readonly SwarmTarget[] | undefined;
  readonly targetsError: string | undefined;
  readonly problems: readonly string[];
}

export async function swarmStatus(project: string, expected: readonly string[] = []): Promise<SwarmStatus> {
  const { docker } = await connectManager();
  const state = await stackState(docker, project);
  const problems: string[] = [];
  for (const name of expected) if (!state.services.some((s) => s.name === name)) problems.push(`service ${name} is not deployed`);
  for (const service of state.services) {
    if (!service.converged) {
      problems.push(
        `service ${service.name}: ${service.running}/${service.desired} tasks running${service.updateState ? ` (update ${service.updateState})` : ""}${service.taskError ? `: ${service.taskError}` : ""}`,
      );
    }
  }
  if (state.services.length === 0) problems.push(`no stack ${project} on this swarm`);
  const url = prometheusUrl(state, project);
  let targets: SwarmTarget[] | undefined;
  let targetsError: string | undefined;
  if (url) {
    try {
      targets = await fetchSwarmTargets(url);
      for (const target of targets)
        if (target.health !== "up")
          problems.push(`target ${target.job} ${target.instance} is ${target.health}${target.lastError ? `: ${target.lastError}` : ""}`);
    } catch (error) {
      targetsError = `${url}: ${(error as Error).message}`;
    }
  } else if (state.services.length > 0) targetsError = "Prometheus publishes no port or runs no task";
  return { project, ok: problems.length === 0, services: state.services, targets, targetsError, problems };
}
