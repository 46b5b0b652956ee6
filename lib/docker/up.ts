// `up`: converge the engine to the plan. When nothing is to be done, steady.ts says so without dockerode.
// Otherwise images, network, volumes, then containers in dependency order, each gated on its healthcheck
// (Prometheus starts with the services it scrapes: see startGate); then real readiness (HTTP) and Prometheus's
// own view (targets up, rules loaded).
// Idempotent (config-hash label); config-file-only changes of Prometheus/Alertmanager are applied with a
// reload. On any failure, everything this run created is removed and what it replaced is restored.
import net from "node:net";
import path from "node:path";
import type Dockerode from "dockerode";
import type { ServiceName, ServicePlan, StackPlan } from "../plan/types.js";
import { connect, type Engine } from "./connect.js";
import {
  bareName,
  dockerFailure,
  engineMessage,
  isNotFound,
  listProjectContainers,
  portConflict,
  readAppliedMarker,
  statusCodeOf,
  writeAppliedMarker,
} from "./engine.js";
import { buildLocalImages } from "./build-image.js";
import { DockerError } from "./errors.js";
import { publishedUrl } from "./http.js";
import { buildSpecs, imageId, missingBindSources, readPlanFiles } from "./inputs.js";
import {
  IMAGE_CONFIG_KEYS,
  LABEL_CONFIG_HASH,
  LABEL_CONTAINER_NUMBER,
  LABEL_CREATED_BY,
  LABEL_FILES_HASH,
  LABEL_ONEOFF,
  LABEL_SERVICE,
  PORT_CONFIG_KEYS,
  networkEngineName,
  networkLabels,
  volumeEngineName,
  volumeLabels,
} from "./labels.js";
import { verifyReady } from "./ready-checks.js";
import { reloadService, staleInContainer } from "./reload.js";
import { startGate, startOrder, type ContainerSpec } from "./spec.js";
import { upIfSteady } from "./steady.js";
import type { PullPolicy, ServiceAction, ServiceUpResult, UpOptions, UpResult } from "./types.js";
import { cancelled, waitHealthy, type Emit, type WaitContext } from "./wait.js";

type Decision =
  | { readonly kind: "create"; readonly reason: string }
  | { readonly kind: "recreate"; readonly old: Dockerode.ContainerInfo; readonly reason: string }
  | { readonly kind: "start"; readonly id: string; readonly reason: string }
  | { readonly kind: "restart"; readonly id: string; readonly reason: string }
  | { readonly kind: "keep"; readonly id: string; readonly reload: string | undefined };

/** Everything this run changed, so a failure can undo it. */
class RunLog {
  readonly createdContainers: { id: string; name: string }[] = [];
  readonly replaced: { id: string; name: string; tempName: string; wasRunning: boolean }[] = [];
  readonly startedExisting: { id: string; name: string }[] = [];
  createdNetwork: { id: string; name: string } | undefined;
  readonly createdVolumes: string[] = [];

  async rollback(docker: Dockerode, emit: Emit): Promise<{ removed: string[]; problems: string[] }> {
    const removed: string[] = [];
    const problems: string[] = [];
    const attempt = async (what: string, action: () => Promise<unknown>) => {
      try {
        await action();
        return true;
      } catch (error) {
        if (isNotFound(error)) return true;
        problems.push(`${what}: ${engineMessage(error)}`);
        return false;
      }
    };
    const containers = [...this.createdContainers].reverse();
    const done = await Promise.all(
      containers.map((c) => {
        emit({ step: "rollback", message: `Removing container ${c.name}` });
        return attempt(`removing container ${c.name}`, () => docker.getContainer(c.id).remove({ force: true, v: true }));
      }),
    );
    containers.forEach((c, i) => done[i] && removed.push(`container ${c.name}`));
    for (const r of [...this.replaced].reverse()) {
      emit({ step: "rollback", message: `Restoring container ${r.name}` });
      const container = docker.getContainer(r.id);
      await attempt(`renaming ${r.tempName} back to ${r.name}`, () => container.rename({ name: r.name }));
      if (r.wasRunning) await attempt(`restarting ${r.name}`, () => container.start());
    }
    for (const s of this.startedExisting) {
      emit({ step: "rollback", message: `Stopping container ${s.name} again` });
      await attempt(`stopping ${s.name}`, () => docker.getContainer(s.id).stop({ t: 10 }));
    }
    if (this.createdNetwork) {
      const network = this.createdNetwork;
      emit({ step: "rollback", message: `Removing network ${network.name}` });
      if (await attempt(`removing network ${network.name}`, () => docker.getNetwork(network.id).remove())) {
        removed.push(`network ${network.name}`);
      }
    }
    for (const volume of this.createdVolumes) {
      emit({ step: "rollback", message: `Removing volume ${volume}` });
      if (await attempt(`removing volume ${volume}`, () => docker.getVolume(volume).remove())) removed.push(`volume ${volume}`);
    }
    return { removed, problems };
  }
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

// ── images ──────────────────────────────────────────────────────────────────────────────────────────────────

/** @internal */
export async function pullImage(docker: Dockerode, image: string, emit: Emit, service: string): Promise<void> {
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    let lastReport = 0;
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: { error?: string; errorDetail?: { message?: string } }[]) => {
        const failed = output?.find((event) => event.error || event.errorDetail);
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

function imageServices(plan: StackPlan): Map<string, ServicePlan[]> {
  const map = new Map<string, ServicePlan[]>();
  // Locally built images (buildLocalImages) are never pulled.
  for (const service of plan.services.filter((s) => !s.localBuild)) map.set(service.image, [...(map.get(service.image) ?? []), service]);
  return map;
}

async function ensureImages(
  engine: Engine,
  plan: StackPlan,
  policy: PullPolicy,
  emit: Emit,
): Promise<{ ids: Map<string, string | undefined>; pulled: string[] }> {
  const ids = new Map<string, string | undefined>();
  const pulled: string[] = [];
  for (const [image, services] of imageServices(plan)) {
    const first = services[0] as ServicePlan;
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
      throw new DockerError("E_IMAGE_MISSING", `Image ${image} (service ${names}) was pulled but the engine does not list it. Set ${keys} to another image.`, {
        service: first.name,
        image,
      });
    }
    ids.set(image, id);
    pulled.push(image);
    emit({ step: "pull", service: first.name, message: `Pulled ${image}` });
  }
  return { ids, pulled };
}

// ── decisions ───────────────────────────────────────────────────────────────────────────────────────────────

function pickCurrent(spec: ContainerSpec, candidates: readonly Dockerode.ContainerInfo[]): Dockerode.ContainerInfo | undefined {
  return (
    candidates.find((c) => c.Names.some((n) => bareName(n) === spec.name)) ??
    candidates.find((c) => c.Labels[LABEL_CONTAINER_NUMBER] === "1") ??
    candidates[0]
  );
}

async function decide(docker: Dockerode, spec: ContainerSpec, current: Dockerode.ContainerInfo | undefined): Promise<Decision> {
  if (!current) return { kind: "create", reason: "no container" };
  const hash = current.Labels[LABEL_CONFIG_HASH];
  if (hash !== spec.configHash) {
    const reason =
      hash === undefined
        ? "container has no config hash"
        : current.Labels[LABEL_CREATED_BY] === undefined
          ? "container was created by docker-compose (its config hash is computed differently)"
          : "configuration changed";
    return { kind: "recreate", old: current, reason };
  }
  const state = current.State;
  if (state === "running") {
    if (/\(unhealthy\)/.test(current.Status)) return { kind: "restart", id: current.Id, reason: "container was unhealthy" };
    let reload: string | undefined;
    if (spec.filesHash) {
      const applied = (await readAppliedMarker(docker.getContainer(current.Id))) ?? current.Labels[LABEL_FILES_HASH];
      if (applied !== spec.filesHash) reload = "config files changed";
    }
    return { kind: "keep", id: current.Id, reload };
  }
  if (state === "exited" || state === "created") {
    return { kind: "start", id: current.Id, reason: `container was ${state === "created" ? "created but not started" : current.Status.toLowerCase()}` };
  }
  return { kind: "recreate", old: current, reason: `container was ${state}` };
}

// ── ports ───────────────────────────────────────────────────────────────────────────────────────────────────

function tryListen(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

async function holderOf(docker: Dockerode, port: number): Promise<string | undefined> {
  try {
    const containers = await docker.listContainers();
    const holder = containers.find((c) => c.Ports.some((p) => p.PublicPort === port));
    return holder ? bareName(holder.Names[0]) : undefined;
  } catch {
    return undefined;
  }
}

async function portInUse(docker: Dockerode, service: ServiceName, address: string, port: number, cause?: unknown): Promise<DockerError> {
  const holder = await holderOf(docker, port);
  return new DockerError(
    "E_PORT_IN_USE",
    `Port ${address} for ${service} is already in use on this machine (${holder ? `by container ${holder}` : "by another program"}). Stop whatever holds it, or publish ${service} on another port with ${PORT_CONFIG_KEYS[service]} (or change network.bindAddress) and generate again.`,
    { service, address },
    { cause },
  );
}

/** Fails before anything is created when a port the run needs is taken by something outside the project. */
async function checkPorts(engine: Engine, services: readonly ServicePlan[], ownPorts: ReadonlySet<number>): Promise<void> {
  if (!engine.endpoint.local) return; // published ports are on another machine: the engine will say
  for (const service of services) {
    for (const port of service.ports) {
      if (ownPorts.has(port.hostPort)) continue;
      const host = port.hostIp || "0.0.0.0";
      const error = await tryListen(host, port.hostPort);
      if (!error) continue;
      const address = `${host.includes(":") ? `[${host}]` : host}:${port.hostPort}`;
      if (error.code === "EADDRINUSE") throw await portInUse(engine.docker, service.name, address, port.hostPort, error);
      if (error.code === "EADDRNOTAVAIL") {
        throw new DockerError(
          "E_DOCKER",
          `Cannot publish ${service.name} on ${address}: ${host} is not an address of this machine. Set network.bindAddress to one of its addresses (default 127.0.0.1) and generate again.`,
          { service: service.name, address },
          { cause: error },
        );
      }
      // EACCES (privileged port as non-root) and the like: let the engine decide.
    }
  }
}

/** Maps the engine's start errors about ports to E_PORT_IN_USE. */
async function startFailure(docker: Dockerode, service: ServicePlan, error: unknown): Promise<DockerError> {
  const message = engineMessage(error);
  const conflict = portConflict(message);
  if (conflict) return portInUse(docker, service.name, conflict.address, conflict.port, error);
  return new DockerError("E_DOCKER", `Starting ${service.name} failed: ${message}`, { service: service.name }, { cause: error });
}

// ── up ──────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Brings the plan's stack up on the Docker engine and waits until it is ready. See UpOptions; throws
 * DockerError (exit code 3) after removing whatever this run created.
 */
export async function upStack(plan: StackPlan, options: UpOptions): Promise<UpResult> {
  const began = Date.now();
  const emit: Emit = (event) => {
    try {
      options.onProgress?.(event);
    } catch {
      // a listener's bug must not break up
    }
  };
  const outDir = path.resolve(options.outDir);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const stopTimeout = options.stopTimeoutSeconds ?? 10;
  checkAbort(options.signal);
  if (plan.overrides.compose) {
    emit({
      step: "warning",
      message: "overrides.compose changes docker-compose.yml only; up starts the services as planned (without those overrides).",
    });
  }
  // Nothing to do is the common case: checked without dockerode, which costs more to load than that check.
  const steady = await upIfSteady(plan, options, emit, began);
  if (steady) return steady;

  const engine = await connect(options);
  const { docker } = engine;
  emit({ step: "engine", message: `Docker engine ${engine.serverVersion} at ${engine.endpoint.url} (API ${engine.apiVersion})` });

  const run = new RunLog();
  const internal = new AbortController();
  const onAbort = () => internal.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    // Inputs and images first: failures here leave nothing behind because nothing was created yet.
    const files = await readPlanFiles(plan, outDir);
    const built = await buildLocalImages(engine, plan, options.pull ?? "missing", emit);
    const { ids, pulled } = await ensureImages(engine, plan, options.pull ?? "missing", emit);
    for (const [image, id] of built) ids.set(image, id);
    checkAbort(options.signal);
    const specs = buildSpecs(plan, outDir, ids, files);
    const missing = await missingBindSources(specs.values());
    if (missing.length > 0) {
      throw new DockerError(
        "E_DOCKER",
        `The output directory ${outDir} is missing files the containers mount: ${missing.map((m) => `${m.source} (${m.service})`).join(", ")}. Generate the stack into ${outDir} first.`,
        { service: missing[0]?.service },
      );
    }

    // What exists.
    const existing = (await listProjectContainers(docker, plan.project)).filter((c) => c.Labels[LABEL_ONEOFF] !== "True");
    const byService = new Map<string, Dockerode.ContainerInfo[]>();
    for (const c of existing) {
      const name = c.Labels[LABEL_SERVICE] ?? "";
      byService.set(name, [...(byService.get(name) ?? []), c]);
    }
    const planned = new Set<string>(plan.services.map((s) => s.name));
    const orphans = existing.filter((c) => !planned.has(c.Labels[LABEL_SERVICE] ?? ""));
    const extras: Dockerode.ContainerInfo[] = [];
    const decisions = new Map<ServiceName, Decision>();
    await Promise.all(
      plan.services.map(async (service) => {
        const spec = specs.get(service.name) as ContainerSpec;
        const candidates = byService.get(service.name) ?? [];
        const current = pickCurrent(spec, candidates);
        extras.push(...candidates.filter((c) => c !== current));
        decisions.set(service.name, await decide(docker, spec, current));
      }),
    );

    // Ports: before creating anything. Ports the project's own running containers publish are theirs to give.
    const ownPorts = new Set(existing.filter((c) => c.State === "running").flatMap((c) => c.Ports.map((p) => p.PublicPort).filter(Boolean)));
    await checkPorts(
      engine,
      plan.services.filter((s) => decisions.get(s.name)?.kind !== "keep"),
      ownPorts,
    );
    checkAbort(options.signal);

    // Network and volumes.
    const networkName = networkEngineName(plan.project, plan.networkName);
    let networkCreated = false;
    try {
      await docker.getNetwork(networkName).inspect();
      emit({ step: "network", message: `Network ${networkName} exists` });
    } catch (error) {
      if (!isNotFound(error)) throw dockerFailure(`Inspecting network ${networkName}`, error);
      try {
        const network = await docker.createNetwork({
          Name: networkName,
          Driver: "bridge",
          CheckDuplicate: true,
          Labels: networkLabels(plan.project, plan.networkName),
        });
        run.createdNetwork = { id: network.id, name: networkName };
      } catch (createError) {
        throw dockerFailure(`Creating network ${networkName}`, createError);
      }
      networkCreated = true;
      emit({ step: "network", message: `Created network ${networkName}` });
    }
    const volumes: { name: string; created: boolean }[] = [];
    for (const volume of plan.volumes) {
      const name = volumeEngineName(plan.project, volume.name);
      try {
        await docker.getVolume(name).inspect();
        volumes.push({ name, created: false });
      } catch (error) {
        if (!isNotFound(error)) throw dockerFailure(`Inspecting volume ${name}`, error);
        try {
          await docker.createVolume({ Name: name, Driver: "local", Labels: volumeLabels(plan.project, volume.name) });
        } catch (createError) {
          throw dockerFailure(`Creating volume ${name}`, createError);
        }
        run.createdVolumes.push(name);
        volumes.push({ name, created: true });
        emit({ step: "volume", message: `Created volume ${name}` });
      }
    }

    // Containers, in dependency order, each gated on its healthcheck.
    const deadline = Date.now() + timeoutMs;
    const wait: WaitContext = { docker, deadline, timeoutMs, signal: internal.signal, emit };
    const actions = new Map<ServiceName, { action: ServiceAction; reason: string | undefined; id: string }>();
    const inspects = new Map<ServiceName, Dockerode.ContainerInspectInfo>();
    const flows = new Map<ServiceName, Promise<void>>();
    let firstError: unknown;

    const converge = async (service: ServicePlan): Promise<void> => {
      const spec = specs.get(service.name) as ContainerSpec;
      const decision = decisions.get(service.name) as Decision;
      const gate = startGate(service);
      const settled = (deps: readonly string[]) =>
        Promise.all(deps.map((dep) => flows.get(dep as ServiceName)).filter((p): p is Promise<void> => p !== undefined));
      await settled(gate);
      if (internal.signal.aborted) throw cancelled();
      let id: string;
      let action: ServiceAction;
      let reason: string | undefined;
      // What counts as "it exited": restarts and die events after this point.
      let since = { restartCount: 0, seconds: Date.now() / 1000 };
      const mark = async (containerId: string) => {
        since = { restartCount: (await docker.getContainer(containerId).inspect()).RestartCount, seconds: Date.now() / 1000 };
      };
      const createAndStart = async (): Promise<string> => {
        let container: Dockerode.Container;
        try {
          container = await docker.createContainer(spec.create);
        } catch (error) {
          if (statusCodeOf(error) === 409) {
            throw new DockerError(
              "E_DOCKER",
              `A container named ${spec.name} already exists and is not ${service.name} of project ${plan.project} (its labels differ). Remove or rename it (docker rm -f ${spec.name}), or choose another project name.`,
              { service: service.name },
              { cause: error },
            );
          }
          throw dockerFailure(`Creating the ${service.name} container`, error, { service: service.name });
        }
        run.createdContainers.push({ id: container.id, name: spec.name });
        emit({ step: "container", service: service.name, message: `Created ${spec.name}` });
        try {
          await container.start();
        } catch (error) {
          throw await startFailure(docker, service, error);
        }
        emit({ step: "container", service: service.name, message: `Started ${spec.name}` });
        return container.id;
      };
      switch (decision.kind) {
        case "create":
          id = await createAndStart();
          action = "created";
          reason = undefined;
          break;
        case "recreate": {
          const old = docker.getContainer(decision.old.Id);
          const oldName = bareName(decision.old.Names[0]) || spec.name;
          const wasRunning = decision.old.State === "running";
          emit({ step: "container", service: service.name, message: `Recreating ${spec.name}: ${decision.reason}` });
          try {
            if (wasRunning) await old.stop({ t: stopTimeout });
          } catch (error) {
            if (statusCodeOf(error) !== 304) throw dockerFailure(`Stopping ${oldName}`, error, { service: service.name });
          }
          const tempName = `${decision.old.Id.slice(0, 12)}_${oldName}`;
          try {
            await old.rename({ name: tempName });
          } catch (error) {
            throw dockerFailure(`Renaming ${oldName}`, error, { service: service.name });
          }
          run.replaced.push({ id: decision.old.Id, name: oldName, tempName, wasRunning });
          id = await createAndStart();
          action = "recreated";
          reason = decision.reason;
          break;
        }
        case "start":
          await mark(decision.id);
          try {
            await docker.getContainer(decision.id).start();
          } catch (error) {
            if (statusCodeOf(error) !== 304) throw await startFailure(docker, service, error);
          }
          run.startedExisting.push({ id: decision.id, name: spec.name });
          emit({ step: "container", service: service.name, message: `Started ${spec.name}: ${decision.reason}` });
          id = decision.id;
          action = "started";
          reason = decision.reason;
          break;
        case "restart":
          await mark(decision.id);
          try {
            await docker.getContainer(decision.id).restart({ t: stopTimeout });
          } catch (error) {
            throw await startFailure(docker, service, error);
          }
          emit({ step: "container", service: service.name, message: `Restarted ${spec.name}: ${decision.reason}` });
          id = decision.id;
          action = "restarted";
          reason = decision.reason;
          break;
        case "keep":
          await mark(decision.id);
          id = decision.id;
          action = "unchanged";
          reason = undefined;
          break;
      }
      await settled(service.dependsOn.filter((dep) => !gate.includes(dep)));
      emit({ step: "health", service: service.name, message: `Waiting for ${service.name} to be healthy` });
      const info = await waitHealthy(wait, service, id, since);
      inspects.set(service.name, info);
      emit({ step: "health", service: service.name, message: `${service.name} is healthy` });
      const container = docker.getContainer(id);
      if (decision.kind === "keep" && decision.reload) {
        const stale = await staleInContainer(info, service, outDir);
        if (stale.length === 0) {
          emit({ step: "reload", service: service.name, message: `Reloading ${service.name}: ${decision.reload}` });
          const how = await reloadService(engine, info, service);
          action = "reloaded";
          reason = `${decision.reload} (${how})`;
        } else {
          // File bind mounts pin the old inode: only a restart shows the container the new file.
          reason = `${decision.reload}; ${stale.join(", ")} ${stale.length === 1 ? "is a file bind mount, which keeps" : "are file bind mounts, which keep"} showing the old file to a running container, so it was restarted instead of reloaded`;
          emit({ step: "reload", service: service.name, message: `Restarting ${service.name}: ${reason}` });
          await mark(id);
          try {
            await container.restart({ t: stopTimeout });
          } catch (error) {
            throw await startFailure(docker, service, error);
          }
          inspects.set(service.name, await waitHealthy(wait, service, id, since));
          action = "restarted";
        }
        await writeAppliedMarker(container, spec.filesHash as string);
      } else if ((decision.kind === "start" || decision.kind === "restart") && spec.filesHash) {
        // A (re)started process read the current files.
        await writeAppliedMarker(container, spec.filesHash);
      }
      actions.set(service.name, { action, reason, id });
    };

    // Topological order, so each dependency's flow exists when a dependent reads `flows` (synchronously). Each
    // flow waits for its start gate's flows, starts its container, then waits for the rest of its dependencies.
    for (const service of startOrder(plan.services).flat()) {
      const flow = converge(service).catch((error: unknown) => {
        firstError ??= error;
        internal.abort();
        throw error;
      });
      flow.catch(() => undefined);
      flows.set(service.name, flow);
    }
    await Promise.allSettled(flows.values());
    if (firstError !== undefined) throw firstError;

    // Readiness: the real endpoints, then Prometheus's own view of the stack.
    const { targets, rules } =
      options.wait === false ? { targets: undefined, rules: undefined } : await verifyReady(engine, plan, inspects, files, wait);

    // Success: drop what was replaced; deal with leftovers.
    for (const replaced of run.replaced) {
      try {
        await docker.getContainer(replaced.id).remove({ force: true, v: true });
      } catch (error) {
        if (!isNotFound(error)) emit({ step: "warning", message: `Could not remove replaced container ${replaced.tempName}: ${engineMessage(error)}` });
      }
    }
    for (const extra of extras) {
      emit({ step: "container", message: `Removing extra container ${bareName(extra.Names[0])}` });
      try {
        await docker.getContainer(extra.Id).remove({ force: true, v: true });
      } catch (error) {
        if (!isNotFound(error)) emit({ step: "warning", message: `Could not remove ${bareName(extra.Names[0])}: ${engineMessage(error)}` });
      }
    }
    const orphanNames = orphans.map((c) => bareName(c.Names[0]));
    if (orphans.length > 0) {
      if (options.removeOrphans) {
        for (const orphan of orphans) {
          emit({ step: "container", message: `Removing orphan container ${bareName(orphan.Names[0])}` });
          await docker.getContainer(orphan.Id).remove({ force: true, v: true }).catch(() => undefined);
        }
      } else {
        emit({
          step: "warning",
          message: `Containers of project ${plan.project} whose service is no longer configured: ${orphanNames.join(", ")} (up with removeOrphans removes them).`,
        });
      }
    }

    const services: ServiceUpResult[] = plan.services.map((service) => {
      const done = actions.get(service.name) as { action: ServiceAction; reason: string | undefined; id: string };
      const info = inspects.get(service.name);
      return {
        name: service.name,
        container: specs.get(service.name)?.name ?? service.name,
        id: done.id,
        image: service.image,
        action: done.action,
        reason: done.reason,
        url: plan.urls[service.name] ?? (info ? publishedUrl(engine, info, service.readiness.port) : undefined),
      };
    });
    const changed =
      pulled.length > 0 ||
      networkCreated ||
      volumes.some((v) => v.created) ||
      services.some((s) => s.action !== "unchanged") ||
      extras.length > 0 ||
      (options.removeOrphans === true && orphans.length > 0);
    const summary = changed
      ? `Stack ${plan.project} is up: ${services
          .filter((s) => s.action !== "unchanged")
          .map((s) => `${s.name} ${s.action}`)
          .join(", ") || "network/volumes created"}`
      : `Stack ${plan.project} is up to date: nothing changed`;
    emit({ step: "done", message: summary });
    return {
      project: plan.project,
      engine: { endpoint: engine.endpoint.url, version: engine.serverVersion, apiVersion: engine.apiVersion },
      network: { name: networkName, created: networkCreated },
      volumes,
      pulled,
      services,
      orphans: orphanNames,
      changed,
      targets,
      rules,
      durationMs: Date.now() - began,
    };
  } catch (error) {
    internal.abort();
    const failure = error instanceof DockerError ? error : dockerFailure("up", error);
    const { removed, problems } = await run.rollback(docker, emit);
    throw failure.withRollback(removed, problems);
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}
