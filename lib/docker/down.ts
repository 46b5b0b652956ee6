// `down`: stop and remove the project's containers and network, found by the Compose project label (so a stack
// started by docker-compose is taken down too). Named volumes stay unless `volumes: true`.
import type { StackPlan } from "../plan/types.js";
import { connect } from "./connect.js";
import {
  bareName,
  dockerFailure,
  engineMessage,
  isNotFound,
  listProjectContainers,
  listProjectNetworks,
  listProjectVolumes,
  removeContainer,
  statusCodeOf,
} from "./engine.js";
import { DockerError } from "./errors.js";
import { LABEL_SERVICE } from "./labels.js";
import type { DownOptions, DownResult, ProgressEvent } from "./types.js";

/** Stops and removes a stack's containers and network; with `volumes: true` its named volumes too. */
export async function downStack(target: StackPlan | string, options: DownOptions = {}): Promise<DownResult> {
  const project = typeof target === "string" ? target : target.project;
  const emit = (event: ProgressEvent) => {
    try {
      options.onProgress?.(event);
    } catch {
      // ignore listener errors
    }
  };
  const engine = await connect(options);
  const { docker } = engine;
  const stopTimeout = options.stopTimeoutSeconds ?? 10;
  const problems: string[] = [];

  const containers = await listProjectContainers(docker, project).catch((error) => {
    throw dockerFailure(`Listing the containers of ${project}`, error);
  });
  // All at once: nothing in the stack needs an orderly shutdown of its peers, and it is up to 5× faster.
  const removedContainers: string[] = [];
  await Promise.all(
    containers.map(async (info) => {
      const name = bareName(info.Names[0]);
      const container = docker.getContainer(info.Id);
      if (info.State === "running" || info.State === "restarting" || info.State === "paused") {
        emit({ step: "remove", service: info.Labels[LABEL_SERVICE], message: `Stopping ${name}` });
        try {
          await container.stop({ t: stopTimeout });
        } catch (error) {
          if (statusCodeOf(error) !== 304 && !isNotFound(error)) problems.push(`stopping ${name}: ${engineMessage(error)}`);
        }
      }
      try {
        // v: anonymous volumes only (as `docker-compose down -v`); named volumes are handled below.
        await removeContainer(docker, info.Id, options.volumes === true);
        removedContainers.push(name);
        emit({ step: "remove", service: info.Labels[LABEL_SERVICE], message: `Removed ${name}` });
      } catch (error) {
        if (isNotFound(error)) removedContainers.push(name);
        else problems.push(`removing ${name}: ${engineMessage(error)}`);
      }
    }),
  );

  const removedNetworks: string[] = [];
  for (const network of await listProjectNetworks(docker, project)) {
    try {
      await docker.getNetwork(network.Id).remove();
      removedNetworks.push(network.Name);
      emit({ step: "remove", message: `Removed network ${network.Name}` });
    } catch (error) {
      if (isNotFound(error)) continue;
      const attached = Object.values(
        (
          await docker
            .getNetwork(network.Id)
            .inspect()
            .catch(() => ({ Containers: {} }))
        ).Containers ?? {},
      )
        .map((c) => (c as { Name?: string }).Name)
        .filter(Boolean);
      problems.push(
        `removing network ${network.Name}: ${engineMessage(error)}${attached.length > 0 ? ` (still attached: ${attached.join(", ")}; these containers are not part of project ${project})` : ""}`,
      );
    }
  }

  const removedVolumes: string[] = [];
  const keptVolumes: string[] = [];
  for (const volume of await listProjectVolumes(docker, project)) {
    if (!options.volumes) {
      keptVolumes.push(volume.Name);
      continue;
    }
    try {
      await docker.getVolume(volume.Name).remove();
      removedVolumes.push(volume.Name);
      emit({ step: "remove", message: `Removed volume ${volume.Name}` });
    } catch (error) {
      if (!isNotFound(error)) problems.push(`removing volume ${volume.Name}: ${engineMessage(error)}`);
    }
  }
  if (keptVolumes.length > 0) emit({ step: "done", message: `Kept volumes ${keptVolumes.join(", ")} (down with volumes removes them)` });

  if (problems.length > 0) {
    throw new DockerError(
      "E_DOCKER",
      `down ${project} did not finish: ${problems.join("; ")}. Removed ${removedContainers.length} container(s), ${removedNetworks.length} network(s), ${removedVolumes.length} volume(s); run down again after fixing the cause.`,
    );
  }
  emit({
    step: "done",
    message:
      removedContainers.length + removedNetworks.length + removedVolumes.length === 0
        ? `Nothing of project ${project} to remove`
        : `Removed ${removedContainers.length} container(s), ${removedNetworks.length} network(s), ${removedVolumes.length} volume(s) of ${project}`,
  });
  return { project, removedContainers: removedContainers.sort(), removedNetworks, removedVolumes, keptVolumes };
}
