// The images a stack runs: present on the engine, or pulled as the pull policy allows (built ones aside:
// build-image.ts), with errors that name the services and the config keys that choose each image.
import type Dockerode from "dockerode";
import type { ServiceName, ServicePlan, StackPlan } from "../plan/types.js";
import type { ContainerDraft } from "./compose-spec.js";
import type { Engine } from "./connect.js";
import { engineMessage } from "./engine.js";
import { DockerError } from "./errors.js";
import { imageId } from "./inputs.js";
import { IMAGE_CONFIG_KEYS } from "./labels.js";
import type { PullPolicy } from "./types.js";
import type { Emit } from "./wait.js";

/** @internal */
export async function pullImage(docker: Dockerode, image: string, emit: Emit, service: string): Promise<void> {
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    let lastReport = 0;
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        const failed = output?.find((event) => Boolean(event.error) || Boolean(event.errorDetail));
        if (error) reject(error);
        else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error ?? "pull failed"));
        else resolve();
      },
      (event: { status?: string; id?: string; progressDetail?: { current?: number; total?: number } }) => {
        const now = Date.now();
        if (now - lastReport < 500 && event.progressDetail?.current !== undefined) return;
        lastReport = now;
        emit({
          step: "pull",
          service,
          message: `${image}: ${event.id ? `${event.id} ` : ""}${event.status ?? ""}`.trim(),
          current: event.progressDetail?.current,
          total: event.progressDetail?.total,
        });
      },
    );
  });
}

/** The images to have on the engine, with the services that run them (locally built images are never pulled). */
function imageServices(plan: StackPlan, drafts: ReadonlyMap<ServiceName, ContainerDraft>): Map<string, ServicePlan[]> {
  const map = new Map<string, ServicePlan[]>();
  for (const service of plan.services.filter((s) => !s.localBuild)) {
    const image = drafts.get(service.name)!.create.Image;
    map.set(image, [...(map.get(image) ?? []), service]);
  }
  return map;
}

export async function ensureImages(
  engine: Engine,
  plan: StackPlan,
  drafts: ReadonlyMap<ServiceName, ContainerDraft>,
  policy: PullPolicy,
  emit: Emit,
): Promise<{ ids: Map<string, string | undefined>; pulled: string[] }> {
  const ids = new Map<string, string | undefined>();
  const pulled: string[] = [];
  for (const [image, services] of imageServices(plan, drafts)) {
    const first = services[0]!;
    const keys = services.map((s) => IMAGE_CONFIG_KEYS[s.name]).join(" / ");
    const names = services.map((s) => s.name).join(", ");
    const local = await imageId(engine.docker, image);
    if (local && policy !== "always") {
      ids.set(image, local);
      emit({ step: "image", service: first.name, message: `Image ${image} present` });
      continue;
    }
    if (!local && policy === "never") {
      throw new DockerError(
        "E_IMAGE_MISSING",
        `Image ${image} (service ${names}) is not on the Docker engine and pulling is disabled (pull: never). Load or build it, allow pulling, or set ${keys} in the config to an image the engine has.`,
        { service: first.name, image },
      );
    }
    emit({ step: "pull", service: first.name, message: `Pulling ${image}` });
    try {
      await pullImage(engine.docker, image, emit, first.name);
    } catch (error) {
      const reason = engineMessage(error);
      const message = local
        ? `Pulling image ${image} (service ${names}) failed: ${reason}. A local copy exists; pull "missing" (the default) would use it.`
        : `Image ${image} (service ${names}) is not on the Docker engine and could not be pulled: ${reason}. Set ${keys} in the config to an image this engine has or can pull (e.g. a mirror such as registry.example.com/${image}), or load the image with \`docker load\`.`;
      throw new DockerError("E_IMAGE_MISSING", message, { service: first.name, image }, { cause: error });
    }
    const id = await imageId(engine.docker, image);
    if (!id) {
      throw new DockerError(
        "E_IMAGE_MISSING",
        `Image ${image} (service ${names}) was pulled but the engine does not list it. Set ${keys} to another image.`,
        {
          service: first.name,
          image,
        },
      );
    }
    ids.set(image, id);
    pulled.push(image);
    emit({ step: "pull", service: first.name, message: `Pulled ${image}` });
  }
  return { ids, pulled };
}
