// ServicePlan → Engine API container create options, through the final compose document (compose-spec.ts):
// the object docker-compose.yml serializes, overrides.compose included, so `up` and `docker-compose up` start
// the same containers. Pure.
import { createHash } from "node:crypto";
import path from "node:path";
import { sha256 } from "../hash.js";
import { composeDocument } from "../render/compose.js";
import type { ContainerCreateOptions } from "./engine-types.js";
import type { ServiceName, ServicePlan, StackPlan } from "../plan/types.js";
import { checkComposeDocument, containerDraft, type ContainerDraft, type DraftContext } from "./compose-spec.js";
import { LABEL_CONFIG_HASH, LABEL_FILES_HASH, type ProjectContext } from "./labels.js";

export const RESTART_POLICY = "unless-stopped";

export interface ContainerSpec {
  readonly service: ServicePlan;
  readonly name: string;
  /** Create options including the hash labels. */
  readonly create: ContainerCreateOptions;
  /** `com.docker.compose.config-hash`: the create options, the image id and the files a reload cannot apply. */
  readonly configHash: string;
  /** Hash of the config files a reload applies; undefined when the service cannot reload. */
  readonly filesHash: string | undefined;
  /** Absolute paths of bind-mount sources (must exist before create). */
  readonly bindSources: readonly string[];
  /** The healthcheck test the container runs (["NONE"]: none), and its timeout. */
  readonly healthTest: readonly string[];
  readonly healthTimeoutSeconds: number;
}

export interface SpecInputs {
  /** Image id (`sha256:…`) of `service.image` as the engine has it; part of the hash, as in Compose. */
  readonly imageId: string | undefined;
  /** Contents of the output-relative files in `service.configFiles` (missing ones are hashed as absent). */
  readonly files: ReadonlyMap<string, string | Buffer>;
}

/** Resolves an output-relative (or absolute) path against the output directory. */
export function resolveSource(outDir: string, source: string): string {
  return path.isAbsolute(source) ? source : path.resolve(outDir, source);
}

/**
 * Whether config-file changes of this service are applied without recreating it (a reload, or a restart when
 * a file bind mount pins the old file; see reload.ts). Their contents are then tracked in the files hash and
 * stay out of the config hash.
 */
export function canReload(service: ServicePlan): boolean {
  return service.reloadSignal !== undefined && service.configFiles.length > 0;
}

/** Canonical JSON: object keys sorted, so equal specs hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v) && !Buffer.isBuffer(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

function filesDigest(files: readonly string[], contents: ReadonlyMap<string, string | Buffer>): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort()) {
    const content = contents.get(file);
    hash.update(`${file}\0${content === undefined ? "<absent>" : sha256(content)}\n`);
  }
  return hash.digest("hex");
}

function draftContext(plan: StackPlan, context: ProjectContext): DraftContext {
  return {
    ...context,
    network: plan.networkName,
    volumes: plan.volumes.map((v) => v.name),
    dependsOn: new Map(plan.services.map((s) => [s.name, s.dependsOn])),
  };
}

/**
 * Every planned service's create options (without the hash labels), translated from the final compose document.
 * Throws DockerError E_COMPOSE_UNSUPPORTED for a key `up` cannot apply (from overrides.compose).
 */
export function containerDrafts(plan: StackPlan, context: ProjectContext): Map<ServiceName, ContainerDraft> {
  const document = composeDocument(plan);
  const drafts = draftContext(plan, context);
  checkComposeDocument(
    document,
    plan.services.map((s) => s.name),
    drafts,
  );
  return new Map(plan.services.map((service) => [service.name, containerDraft(document, service.name, drafts)]));
}

/** Engine create options without the hash labels. */
export function createOptions(plan: StackPlan, service: ServicePlan, context: ProjectContext): ContainerCreateOptions {
  return containerDrafts(plan, context).get(service.name)!.create;
}

/** A draft with its hashes: what `up` compares with a running container and creates. */
export function specFromDraft(service: ServicePlan, draft: ContainerDraft, inputs: SpecInputs): ContainerSpec {
  const create = draft.create;
  const reloadable = canReload(service);
  // Files a reload applies are tracked apart (filesHash); every other file's content is part of the config hash,
  // so a change to it recreates the container (Grafana reads provisioning only at start).
  const hashedFiles = reloadable ? [] : service.configFiles;
  const configHash = sha256(canonicalJson({ create, imageId: inputs.imageId ?? null, files: filesDigest(hashedFiles, inputs.files) }));
  const filesHash = reloadable ? filesDigest(service.configFiles, inputs.files) : undefined;
  const labels: Record<string, string> = { ...create.Labels, [LABEL_CONFIG_HASH]: configHash };
  if (filesHash) labels[LABEL_FILES_HASH] = filesHash;
  return {
    service,
    name: draft.name,
    create: { ...create, Labels: labels },
    configHash,
    filesHash,
    bindSources: draft.bindSources,
    healthTest: draft.healthTest,
    healthTimeoutSeconds: draft.healthTimeoutSeconds,
  };
}

/** The full container spec of one service, hashes included. */
export function containerSpec(plan: StackPlan, service: ServicePlan, context: ProjectContext, inputs: SpecInputs): ContainerSpec {
  return specFromDraft(service, containerDrafts(plan, context).get(service.name)!, inputs);
}

/** Services in start order: every service after the services it depends on (stable otherwise). */
export function startOrder(services: readonly ServicePlan[]): ServicePlan[][] {
  const byName = new Map(services.map((s) => [s.name, s] as const));
  const levels: ServicePlan[][] = [];
  const placed = new Set<string>();
  let remaining = [...services];
  while (remaining.length > 0) {
    const level = remaining.filter((s) => s.dependsOn.every((d) => placed.has(d) || !byName.has(d)));
    if (level.length === 0) {
      throw new Error(`plan: dependency cycle among ${remaining.map((s) => s.name).join(", ")}`);
    }
    levels.push(level);
    for (const s of level) placed.add(s.name);
    remaining = remaining.filter((s) => !placed.has(s.name));
  }
  return levels;
}

/**
 * The dependencies a service's container waits for (healthy) before it is started; it waits for the others
 * before its own health and readiness count. Prometheus starts together with the services it scrapes: it does
 * not scrape before its discovery has handed the targets to its scrape manager (5 s after its start in
 * Prometheus 2.x and 3.x: the discovery manager sends on a 5 s ticker), and each target's first scrape then
 * lands at its fixed phase within the scrape interval. By then the targets are long healthy (they take ~0.5 s
 * here), so every first scrape succeeds, while a wait for them would only push Prometheus's 5 s later.
 * Everything else starts only once its dependencies are healthy, as `depends_on: condition: service_healthy`
 * makes Compose do.
 */
export function startGate(service: ServicePlan): readonly string[] {
  return service.name === "prometheus" ? [] : service.dependsOn;
}

/**
 * The services whose containers must have been started (not: be healthy) before this service's container is:
 * the services Prometheus starts together with let Prometheus go first. Its time to ready runs from its own
 * start (see startGate), and the engine starts one container in about half the time it takes for four at
 * once, so this start order brings every first scrape earlier; the others still start ~4 s before Prometheus
 * could scrape them. `up` holds them back only while Prometheus's container just starts (created, or started
 * again), never behind the stop of a container it replaces.
 */
export function startAfter(service: ServicePlan, services: readonly ServicePlan[]): readonly string[] {
  const prometheus = services.find((s) => s.name === "prometheus");
  if (!prometheus || service === prometheus) return [];
  const gate = startGate(prometheus);
  return prometheus.dependsOn.includes(service.name) && !gate.includes(service.name) ? [prometheus.name] : [];
}
