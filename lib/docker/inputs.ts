// Reading what the specs depend on: the generated config files (their content feeds the hashes) and the
// image ids the engine has.
import fs from "node:fs/promises";
import path from "node:path";
import type Dockerode from "dockerode";
import type { ServiceName, StackPlan } from "../plan/types.js";
import type { ContainerDraft } from "./compose-spec.js";
import { resolveSource, specFromDraft, type ContainerSpec } from "./spec.js";

/** Contents of every config file and rule file the plan names, by output-relative path (absent files omitted). */
export async function readPlanFiles(plan: StackPlan, outDir: string): Promise<Map<string, Buffer>> {
  const wanted = new Set<string>([...plan.services.flatMap((s) => s.configFiles), ...plan.ruleFiles]);
  const files = new Map<string, Buffer>();
  await Promise.all(
    [...wanted].map(async (file) => {
      try {
        files.set(file, await fs.readFile(resolveSource(outDir, file)));
      } catch {
        // absent: hashed as absent; a missing bind source is reported separately
      }
    }),
  );
  return files;
}

export async function imageId(docker: Dockerode, image: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(image).inspect()).Id;
  } catch {
    return undefined;
  }
}

export async function imageIds(docker: Dockerode, images: readonly string[]): Promise<Map<string, string | undefined>> {
  const ids = await Promise.all(images.map((image) => imageId(docker, image)));
  return new Map(images.map((image, i) => [image, ids[i]]));
}

/** The images the containers run (overrides.compose may change a service's image). */
export function draftImages(drafts: ReadonlyMap<ServiceName, ContainerDraft>): string[] {
  return [...new Set([...drafts.values()].map((d) => d.create.Image))];
}

export function buildSpecs(
  plan: StackPlan,
  drafts: ReadonlyMap<ServiceName, ContainerDraft>,
  ids: ReadonlyMap<string, string | undefined>,
  files: ReadonlyMap<string, Buffer>,
): Map<ServiceName, ContainerSpec> {
  return new Map(
    plan.services.map((service) => {
      const draft = drafts.get(service.name)!;
      return [service.name, specFromDraft(service, draft, { imageId: ids.get(draft.create.Image), files })];
    }),
  );
}

/** Bind-mount sources that do not exist (the output directory was not generated, or is incomplete). */
export async function missingBindSources(specs: Iterable<ContainerSpec>): Promise<Array<{ service: string; source: string }>> {
  const missing: Array<{ service: string; source: string }> = [];
  for (const spec of specs) {
    for (const source of spec.bindSources) {
      try {
        await fs.access(source);
      } catch {
        missing.push({ service: spec.service.name, source });
      }
    }
  }
  return missing;
}

/** Container path of an output-relative file, through the service's bind mounts (undefined if not mounted). */
export function containerPathOf(
  service: { mounts: ReadonlyArray<{ type: string; source: string; target: string }> },
  file: string,
): string | undefined {
  const norm = (p: string) => path.posix.normalize(p.replace(/\\/g, "/")).replace(/^\.\//, "").replace(/\/$/, "");
  const f = norm(file);
  for (const mount of service.mounts) {
    if (mount.type !== "bind") continue;
    const source = norm(mount.source);
    if (source === f) return mount.target;
    if (source === "." || f.startsWith(`${source}/`)) {
      const rest = source === "." ? f : f.slice(source.length + 1);
      return path.posix.join(mount.target, rest);
    }
  }
  return undefined;
}
