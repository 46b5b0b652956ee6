// ServicePlan → Engine API container create options. Pure: the same ServicePlan the compose renderer
// serialises, mapped field by field (image, command, environment, ports, mounts, secrets, healthcheck,
// extra hosts, restart policy, network alias, Compose labels), so `up` and `docker-compose up` start the same
// containers.
import { createHash } from "node:crypto";
import path from "node:path";
import type { ContainerCreateOptions, MountSettings } from "./engine-types.js";
import type { MountPlan, ServicePlan, StackPlan } from "../plan/types.js";
import {
  LABEL_CONFIG_HASH,
  LABEL_FILES_HASH,
  containerName,
  networkEngineName,
  serviceLabels,
  volumeEngineName,
  type ProjectContext,
} from "./labels.js";

export const RESTART_POLICY = "unless-stopped";
const NANOS_PER_SECOND = 1_000_000_000;

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

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

function filesDigest(files: readonly string[], contents: ReadonlyMap<string, string | Buffer>): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort()) {
    const content = contents.get(file);
    hash.update(`${file}\0${content === undefined ? "<absent>" : sha256(content)}\n`);
  }
  return hash.digest("hex");
}

function mountOf(plan: StackPlan, outDir: string, mount: MountPlan): MountSettings {
  if (mount.type === "volume") {
    return { Type: "volume", Source: volumeEngineName(plan.project, mount.source), Target: mount.target, ReadOnly: mount.readOnly };
  }
  return { Type: "bind", Source: resolveSource(outDir, mount.source), Target: mount.target, ReadOnly: mount.readOnly };
}

/** Secrets as Compose mounts file secrets: read-only binds at /run/secrets/<name>. */
function secretMounts(plan: StackPlan, outDir: string, service: ServicePlan): MountSettings[] {
  return service.secrets.map((name) => {
    const secret = plan.secrets.find((s) => s.name === name);
    if (!secret) throw new Error(`plan: service ${service.name} uses secret "${name}", which the plan does not declare`);
    return { Type: "bind", Source: resolveSource(outDir, secret.file), Target: `/run/secrets/${name}`, ReadOnly: true };
  });
}

/** Engine create options without the hash labels. */
export function createOptions(plan: StackPlan, service: ServicePlan, context: ProjectContext): ContainerCreateOptions {
  const network = networkEngineName(plan.project, plan.networkName);
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of service.ports) {
    const key = `${port.containerPort}/tcp`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: port.hostIp, HostPort: String(port.hostPort) });
  }
  const health = service.healthcheck;
  const options: ContainerCreateOptions = {
    name: containerName(plan.project, service.name),
    Image: service.image,
    Env: Object.entries(service.environment).map(([key, value]) => `${key}=${value}`),
    Labels: serviceLabels(context, service.name),
    ExposedPorts: exposed,
    Healthcheck:
      health.test[0] === "NONE"
        ? { Test: ["NONE"] }
        : {
            Test: [...health.test],
            Interval: health.intervalSeconds * NANOS_PER_SECOND,
            Timeout: health.timeoutSeconds * NANOS_PER_SECOND,
            Retries: health.retries,
            StartPeriod: health.startPeriodSeconds * NANOS_PER_SECOND,
          },
    HostConfig: {
      NetworkMode: network,
      PortBindings: bindings,
      Mounts: [...service.mounts.map((mount) => mountOf(plan, context.outDir, mount)), ...secretMounts(plan, context.outDir, service)],
      RestartPolicy: { Name: RESTART_POLICY, MaximumRetryCount: 0 },
      ExtraHosts: [...service.extraHosts],
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [service.name] } } },
  };
  // No `command:` in the compose file means the image's CMD; an explicit empty Cmd would mean the same, but
  // leaving it out keeps the create request identical to Compose's.
  if (service.command.length > 0) options.Cmd = [...service.command];
  if (service.user) options.User = service.user;
  return options;
}

/** The full container spec of one service, hashes included. */
export function containerSpec(plan: StackPlan, service: ServicePlan, context: ProjectContext, inputs: SpecInputs): ContainerSpec {
  const create = createOptions(plan, service, context);
  const reloadable = canReload(service);
  // Files a reload applies are tracked apart (filesHash); every other file's content is part of the config hash,
  // so a change to it recreates the container (Grafana reads provisioning only at start).
  const hashedFiles = reloadable ? [] : service.configFiles;
  const configHash = sha256(
    canonicalJson({ create, imageId: inputs.imageId ?? null, files: filesDigest(hashedFiles, inputs.files) }),
  );
  const filesHash = reloadable ? filesDigest(service.configFiles, inputs.files) : undefined;
  const labels: Record<string, string> = { ...create.Labels, [LABEL_CONFIG_HASH]: configHash };
  if (filesHash) labels[LABEL_FILES_HASH] = filesHash;
  const mounts = create.HostConfig?.Mounts ?? [];
  return {
    service,
    name: create.name ?? containerName(plan.project, service.name),
    create: { ...create, Labels: labels },
    configHash,
    filesHash,
    bindSources: mounts.filter((m) => m.Type === "bind").map((m) => m.Source),
  };
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
 * not scrape before its discovery and scrape managers have each ticked once (5 s each in Prometheus 2.x and
 * 3.x), by which time they are healthy, and the ~1–2 s they take to get there overlap with its own start-up.
 * Everything else starts only once its dependencies are healthy, as `depends_on: condition: service_healthy`
 * makes Compose do.
 */
export function startGate(service: ServicePlan): readonly string[] {
  return service.name === "prometheus" ? [] : service.dependsOn;
}
