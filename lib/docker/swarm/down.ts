// down for target swarm: `docker stack rm`, then wait through the Engine API until the stack's services, task
// containers, network, configs and secrets are gone. Volumes live on the nodes that ran the tasks: --volumes
// removes the stack's volumes on this node (the monitoring node, when it is this one).
import type Dockerode from "dockerode";
import { NAMESPACE_LABEL } from "../../render/swarm/names.js";
import { connectManager } from "./manager.js";
import { DockerError } from "../errors.js";
import { dockerCli } from "./cli.js";

export interface SwarmDownResult {
  readonly project: string;
  readonly removedServices: readonly string[];
  readonly removedVolumes: readonly string[];
  readonly keptVolumes: readonly string[];
  readonly durationMs: number;
}

export async function swarmDown(
  project: string,
  options: { volumes?: boolean; timeoutMs?: number; onProgress?: (message: string) => void } = {},
): Promise<SwarmDownResult> {
  const started = Date.now();
  const { docker } = await connectManager();
  const filters = { label: [`${NAMESPACE_LABEL}=${project}`] };
  const services = ((await docker.listServices({ filters })) as unknown as Array<{ Spec?: { Name?: string } }>).map((s) => s.Spec?.Name ?? "?");
  options.onProgress?.(`docker stack rm ${project}`);
  await dockerCli(["stack", "rm", project]);
  const deadline = started + (options.timeoutMs ?? 120_000);
  for (;;) {
    const left = await leftovers(docker, project);
    if (left.length === 0) break;
    if (Date.now() > deadline)
      throw new DockerError("E_DOCKER", `Stack ${project} is still being removed after the timeout: ${left.join(", ")} remain.`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const volumes = (((await docker.listVolumes({ filters })) as unknown as { Volumes?: Array<{ Name: string }> }).Volumes ?? []).map((v) => v.Name);
  const removedVolumes: string[] = [];
  if (options.volumes) {
    for (const name of volumes) {
      await docker.getVolume(name).remove();
      removedVolumes.push(name);
    }
  }
  return { project, removedServices: services, removedVolumes, keptVolumes: options.volumes ? [] : volumes, durationMs: Date.now() - started };
}

/** Everything of the stack the engine still has (containers included: the network goes only after them). */
export async function leftovers(docker: Dockerode, project: string): Promise<string[]> {
  const filters = { label: [`${NAMESPACE_LABEL}=${project}`] };
  const named = (kind: string, items: unknown) =>
    ((items ?? []) as Array<{ Spec?: { Name?: string }; Name?: string; Names?: string[]; Id?: string }>).map(
      (item) => `${kind} ${item.Spec?.Name ?? item.Name ?? item.Names?.[0]?.replace(/^\//, "") ?? item.Id}`,
    );
  const [services, containers, networks, configs, secrets] = await Promise.all([
    docker.listServices({ filters }),
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listConfigs({ filters }),
    docker.listSecrets({ filters }),
  ]);
  return [
    ...named("service", services),
    ...named("container", containers),
    ...named("network", networks),
    ...named("config", configs),
    ...named("secret", secrets),
  ];
}
