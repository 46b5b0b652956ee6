// `up`: converge the engine to the plan, as a sequence of named steps (UP_STEPS): translate the final compose
// document → (nothing to do? steady.ts says so without dockerode) → images → container specs → survey what
// exists → ports → network → volumes → containers in dependency order, each waited for by its wait strategy
// (Prometheus starts first, then the services it scrapes: see startGate, startAfter) → Prometheus's own view (targets up, rules
// loaded, Alertmanager found) → clean-up. Every progress event carries the step it belongs to; the result lists
// how long each step took.
// Idempotent (config-hash label); config-file-only changes of Prometheus/Alertmanager are applied with a
// reload. On any failure, everything this run created is removed and what it replaced is restored.
import net from "node:net";
import path from "node:path";
import type Dockerode from "dockerode";
import type { ServiceName, ServicePlan, StackPlan } from "../plan/types.js";
import { httpEndpoint, Wait } from "../plan/wait.js";
import type { ContainerDraft } from "./compose-spec.js";
import { connect, type Engine } from "./connect.js";
import {
  bareName,
  dockerFailure,
  engineMessage,
  isNotFound,
  listProjectContainers,
  portConflict,
  readAppliedMarker,
  removeContainer,
  statusCodeOf,
  writeAppliedMarker,
} from "./engine.js";
import { buildLocalImages } from "./build-image.js";
import { DockerError } from "./errors.js";
import { publishedUrl } from "./http.js";
import { buildSpecs, missingBindSources, readPlanFiles } from "./inputs.js";
import {
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
import { ensureImages } from "./images.js";
import { verifyPrometheusView } from "./ready-checks.js";
import { reloadService, staleInContainer } from "./reload.js";
import { containerDrafts, startAfter, startGate, startOrder, type ContainerSpec } from "./spec.js";
import { upIfSteady } from "./steady.js";
import type { ProgressEvent, ServiceAction, ServiceUpResult, UpOptions, UpResult, UpStepName, UpStepTiming } from "./types.js";
import { cancelled, type Emit, type WaitContext, type WaitSubject } from "./wait.js";
import { waitForStrategy, waitingMessage } from "./wait-strategies.js";

type Decision =
  | { readonly kind: "create"; readonly reason: string }
  | { readonly kind: "recreate"; readonly old: Dockerode.ContainerInfo; readonly reason: string }
  | { readonly kind: "start"; readonly id: string; readonly reason: string }
  | { readonly kind: "restart"; readonly id: string; readonly reason: string }
  | { readonly kind: "keep"; readonly id: string; readonly reload: string | undefined };

/** Everything this run changed, so a failure can undo it. */
class RunLog {
  readonly createdContainers: Array<{ id: string; name: string }> = [];
  readonly replaced: Array<{ id: string; name: string; tempName: string; wasRunning: boolean }> = [];
  readonly startedExisting: Array<{ id: string; name: string }> = [];
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
        return attempt(`removing container ${c.name}`, () => removeContainer(docker, c.id));
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
    if (current.Status.includes("(unhealthy)")) return { kind: "restart", id: current.Id, reason: "container was unhealthy" };
    let reload: string | undefined;
    if (spec.filesHash) {
      const applied = (await readAppliedMarker(docker.getContainer(current.Id))) ?? current.Labels[LABEL_FILES_HASH];
      if (applied !== spec.filesHash) reload = "config files changed";
    }
    return { kind: "keep", id: current.Id, reload };
  }
  if (state === "exited" || state === "created") {
    return {
      kind: "start",
      id: current.Id,
      reason: `container was ${state === "created" ? "created but not started" : current.Status.toLowerCase()}`,
    };
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
async function checkPorts(engine: Engine, specs: readonly ContainerSpec[], ownPorts: ReadonlySet<number>): Promise<void> {
  if (!engine.endpoint.local) return; // published ports are on another machine: the engine will say
  for (const { service, create } of specs) {
    // The ports the container will publish (overrides.compose included), not just the planned ones.
    const published = Object.values(create.HostConfig.PortBindings)
      .flat()
      .filter((b) => b.HostPort !== "");
    for (const binding of published) {
      const port = { hostIp: binding.HostIp, hostPort: Number(binding.HostPort) };
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

// ── the run and its steps ───────────────────────────────────────────────────────────────────────────────────

/** What every step of one `up` shares. */
interface UpRun {
  readonly plan: StackPlan;
  readonly options: UpOptions;
  readonly outDir: string;
  readonly engine: Engine;
  readonly docker: Dockerode;
  readonly log: RunLog;
  /** Fires on the caller's abort and on the first failure of a container flow. */
  readonly internal: AbortController;
  readonly stopTimeout: number;
  readonly timings: UpStepTiming[];
  emit: Emit;
}

/** Runs one named step: its progress events carry the name, its duration lands in the result. */
async function step<T>(run: UpRun, name: UpStepName, action: (emit: Emit) => Promise<T>): Promise<T> {
  checkAbort(run.options.signal);
  const began = Date.now();
  const emit: Emit = (event) => run.emit({ ...event, phase: name });
  try {
    return await action(emit);
  } finally {
    run.timings.push({ step: name, ms: Date.now() - began });
  }
}

interface Survey {
  readonly decisions: ReadonlyMap<ServiceName, Decision>;
  /** Further containers of a planned service (removed on success). */
  readonly extras: readonly Dockerode.ContainerInfo[];
  /** Containers of services the plan no longer has. */
  readonly orphans: readonly Dockerode.ContainerInfo[];
  /** Host ports the project's own running containers publish (theirs to give). */
  readonly ownPorts: ReadonlySet<number>;
}

interface ServiceOutcome {
  readonly action: ServiceAction;
  readonly reason: string | undefined;
  readonly id: string;
  readonly info: Dockerode.ContainerInspectInfo;
}

async function resolveImages(run: UpRun, drafts: ReadonlyMap<ServiceName, ContainerDraft>, emit: Emit) {
  const policy = run.options.pull ?? "missing";
  const built = await buildLocalImages(run.engine, run.plan, policy, emit);
  const { ids, pulled } = await ensureImages(run.engine, run.plan, drafts, policy, emit);
  for (const [image, id] of built) ids.set(image, id);
  return { ids, pulled };
}

async function containerSpecs(
  run: UpRun,
  drafts: ReadonlyMap<ServiceName, ContainerDraft>,
  ids: ReadonlyMap<string, string | undefined>,
  files: ReadonlyMap<string, Buffer>,
): Promise<Map<ServiceName, ContainerSpec>> {
  const specs = buildSpecs(run.plan, drafts, ids, files);
  const missing = await missingBindSources(specs.values());
  if (missing.length > 0) {
    throw new DockerError(
      "E_DOCKER",
      `The output directory ${run.outDir} is missing files the containers mount: ${missing.map((m) => `${m.source} (${m.service})`).join(", ")}. Generate the stack into ${run.outDir} first.`,
      { service: missing[0]?.service },
    );
  }
  return specs;
}

async function surveyProject(run: UpRun, specs: ReadonlyMap<ServiceName, ContainerSpec>): Promise<Survey> {
  const { plan, docker } = run;
  const existing = (await listProjectContainers(docker, plan.project)).filter((c) => c.Labels[LABEL_ONEOFF] !== "True");
  const byService = new Map<string, Dockerode.ContainerInfo[]>();
  for (const c of existing) {
    const name = c.Labels[LABEL_SERVICE] ?? "";
    byService.set(name, [...(byService.get(name) ?? []), c]);
  }
  const planned = new Set<string>(plan.services.map((s) => s.name));
  const extras: Dockerode.ContainerInfo[] = [];
  const decisions = new Map<ServiceName, Decision>();
  await Promise.all(
    plan.services.map(async (service) => {
      const spec = specs.get(service.name)!;
      const candidates = byService.get(service.name) ?? [];
      const current = pickCurrent(spec, candidates);
      extras.push(...candidates.filter((c) => c !== current));
      decisions.set(service.name, await decide(docker, spec, current));
    }),
  );
  return {
    decisions,
    extras,
    orphans: existing.filter((c) => !planned.has(c.Labels[LABEL_SERVICE] ?? "")),
    ownPorts: new Set(existing.filter((c) => c.State === "running").flatMap((c) => c.Ports.map((p) => p.PublicPort).filter(Boolean))),
  };
}

async function ensureNetwork(run: UpRun, emit: Emit): Promise<{ name: string; created: boolean }> {
  const { plan, docker } = run;
  const name = networkEngineName(plan.project, plan.networkName);
  try {
    await docker.getNetwork(name).inspect();
    emit({ step: "network", message: `Network ${name} exists` });
    return { name, created: false };
  } catch (error) {
    if (!isNotFound(error)) throw dockerFailure(`Inspecting network ${name}`, error);
  }
  try {
    const network = await docker.createNetwork({
      Name: name,
      Driver: "bridge",
      CheckDuplicate: true,
      Labels: networkLabels(plan.project, plan.networkName),
    });
    run.log.createdNetwork = { id: network.id, name };
  } catch (createError) {
    throw dockerFailure(`Creating network ${name}`, createError);
  }
  emit({ step: "network", message: `Created network ${name}` });
  return { name, created: true };
}

async function ensureVolumes(run: UpRun, emit: Emit): Promise<Array<{ name: string; created: boolean }>> {
  const { plan, docker } = run;
  const volumes: Array<{ name: string; created: boolean }> = [];
  for (const volume of plan.volumes) {
    const name = volumeEngineName(plan.project, volume.name);
    try {
      await docker.getVolume(name).inspect();
      volumes.push({ name, created: false });
      continue;
    } catch (error) {
      if (!isNotFound(error)) throw dockerFailure(`Inspecting volume ${name}`, error);
    }
    try {
      await docker.createVolume({ Name: name, Driver: "local", Labels: volumeLabels(plan.project, volume.name) });
    } catch (createError) {
      throw dockerFailure(`Creating volume ${name}`, createError);
    }
    run.log.createdVolumes.push(name);
    volumes.push({ name, created: true });
    emit({ step: "volume", message: `Created volume ${name}` });
  }
  return volumes;
}

async function createAndStart(run: UpRun, spec: ContainerSpec, emit: Emit): Promise<string> {
  const { docker, plan } = run;
  const service = spec.service;
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
  run.log.createdContainers.push({ id: container.id, name: spec.name });
  emit({ step: "container", service: service.name, message: `Created ${spec.name}` });
  try {
    await container.start();
  } catch (error) {
    throw await startFailure(docker, service, error);
  }
  emit({ step: "container", service: service.name, message: `Started ${spec.name}` });
  return container.id;
}

/** What counts as "it exited" from now on: restarts and die events after this point. */
async function markSince(docker: Dockerode, id: string | undefined): Promise<WaitSubject["since"]> {
  const restartCount = id ? (await docker.getContainer(id).inspect()).RestartCount : 0;
  return { restartCount, seconds: Date.now() / 1000 };
}

/** Carries out the decision for one container; returns its id, the action and the moment from which exits count. */
async function applyDecision(
  run: UpRun,
  spec: ContainerSpec,
  decision: Decision,
  emit: Emit,
): Promise<{ id: string; action: ServiceAction; reason: string | undefined; since: WaitSubject["since"] }> {
  const { docker } = run;
  const service = spec.service;
  switch (decision.kind) {
    case "create":
      return { id: await createAndStart(run, spec, emit), action: "created", reason: undefined, since: await markSince(docker, undefined) };
    case "recreate": {
      const old = docker.getContainer(decision.old.Id);
      const oldName = bareName(decision.old.Names[0]) || spec.name;
      const wasRunning = decision.old.State === "running";
      emit({ step: "container", service: service.name, message: `Recreating ${spec.name}: ${decision.reason}` });
      try {
        if (wasRunning) await old.stop({ t: run.stopTimeout });
      } catch (error) {
        if (statusCodeOf(error) !== 304) throw dockerFailure(`Stopping ${oldName}`, error, { service: service.name });
      }
      const tempName = `${decision.old.Id.slice(0, 12)}_${oldName}`;
      try {
        await old.rename({ name: tempName });
      } catch (error) {
        throw dockerFailure(`Renaming ${oldName}`, error, { service: service.name });
      }
      run.log.replaced.push({ id: decision.old.Id, name: oldName, tempName, wasRunning });
      const since = await markSince(docker, undefined);
      return { id: await createAndStart(run, spec, emit), action: "recreated", reason: decision.reason, since };
    }
    case "start": {
      const since = await markSince(docker, decision.id);
      try {
        await docker.getContainer(decision.id).start();
      } catch (error) {
        if (statusCodeOf(error) !== 304) throw await startFailure(docker, service, error);
      }
      run.log.startedExisting.push({ id: decision.id, name: spec.name });
      emit({ step: "container", service: service.name, message: `Started ${spec.name}: ${decision.reason}` });
      return { id: decision.id, action: "started", reason: decision.reason, since };
    }
    case "restart": {
      const since = await markSince(docker, decision.id);
      try {
        await docker.getContainer(decision.id).restart({ t: run.stopTimeout });
      } catch (error) {
        throw await startFailure(docker, service, error);
      }
      emit({ step: "container", service: service.name, message: `Restarted ${spec.name}: ${decision.reason}` });
      return { id: decision.id, action: "restarted", reason: decision.reason, since };
    }
    case "keep":
      return { id: decision.id, action: "unchanged", reason: undefined, since: await markSince(docker, decision.id) };
  }
}

/** Waits for the service by its strategy (only its healthcheck with `wait: false`, which still gates dependents). */
async function waitForService(run: UpRun, spec: ContainerSpec, id: string, since: WaitSubject["since"], wait: WaitContext, emit: Emit) {
  const service = spec.service;
  const strategy = run.options.wait === false ? Wait.forHealthCheck() : service.wait;
  emit({ step: "health", service: service.name, message: waitingMessage(service.name, strategy) });
  const subject: WaitSubject = { name: service.name, id, healthTest: spec.healthTest, healthTimeoutSeconds: spec.healthTimeoutSeconds, since };
  const info = await waitForStrategy(run.engine, { ...wait, emit }, strategy, subject);
  emit({ step: "health", service: service.name, message: `${service.name} is healthy` });
  return info;
}

/** Applies changed config files to a kept container (reload, or restart behind a file bind mount). */
async function applyConfigFiles(
  run: UpRun,
  spec: ContainerSpec,
  decision: Decision,
  outcome: ServiceOutcome,
  wait: WaitContext,
  emit: Emit,
): Promise<ServiceOutcome> {
  const service = spec.service;
  const container = run.docker.getContainer(outcome.id);
  if (decision.kind === "keep" && decision.reload) {
    let result: ServiceOutcome;
    const stale = await staleInContainer(outcome.info, service, run.outDir);
    if (stale.length === 0) {
      emit({ step: "reload", service: service.name, message: `Reloading ${service.name}: ${decision.reload}` });
      const how = await reloadService(run.engine, outcome.info, service);
      result = { ...outcome, action: "reloaded", reason: `${decision.reload} (${how})` };
    } else {
      // File bind mounts pin the old inode: only a restart shows the container the new file.
      const reason = `${decision.reload}; ${stale.join(", ")} ${stale.length === 1 ? "is a file bind mount, which keeps" : "are file bind mounts, which keep"} showing the old file to a running container, so it was restarted instead of reloaded`;
      emit({ step: "reload", service: service.name, message: `Restarting ${service.name}: ${reason}` });
      const since = await markSince(run.docker, outcome.id);
      try {
        await container.restart({ t: run.stopTimeout });
      } catch (error) {
        throw await startFailure(run.docker, service, error);
      }
      result = { ...outcome, action: "restarted", reason, info: await waitForService(run, spec, outcome.id, since, wait, emit) };
    }
    await writeAppliedMarker(container, spec.filesHash!);
    return result;
  }
  // A (re)started process read the current files.
  if ((decision.kind === "start" || decision.kind === "restart") && spec.filesHash) await writeAppliedMarker(container, spec.filesHash);
  return outcome;
}

/** Decisions whose container starts without a stop first. */
const STARTS_AT_ONCE: ReadonlySet<Decision["kind"]> = new Set(["create", "start"]);

/**
 * Every container in dependency order: each flow waits for its start gate's flows (and for the containers it
 * starts after to have started), converges its container, then waits for the rest of its dependencies and for
 * its own wait strategy. Flows run side by side.
 */
async function convergeContainers(
  run: UpRun,
  specs: ReadonlyMap<ServiceName, ContainerSpec>,
  decisions: ReadonlyMap<ServiceName, Decision>,
  emit: Emit,
): Promise<Map<ServiceName, ServiceOutcome>> {
  const timeoutMs = run.options.timeoutMs ?? 120_000;
  const wait: WaitContext = { docker: run.docker, deadline: Date.now() + timeoutMs, timeoutMs, signal: run.internal.signal, emit };
  const outcomes = new Map<ServiceName, ServiceOutcome>();
  const flows = new Map<ServiceName, Promise<void>>();
  // Settles once the service's container was converged (started, kept, …): what startAfter waits for.
  const converged = new Map<string, { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void }>();
  for (const service of run.plan.services) {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined);
    converged.set(service.name, { promise, resolve, reject });
  }
  const settled = (deps: readonly string[]) =>
    Promise.all(deps.map((dep) => flows.get(dep as ServiceName)).filter((p): p is Promise<void> => p !== undefined));
  const converge = async (service: ServicePlan): Promise<void> => {
    const spec = specs.get(service.name)!;
    const decision = decisions.get(service.name)!;
    const gate = startGate(service);
    await settled(gate);
    // Only behind a container that just starts: one that is stopped first (recreate, restart) would hold the
    // others up for its stop timeout.
    const first = startAfter(service, run.plan.services).filter((name) => STARTS_AT_ONCE.has(decisions.get(name as ServiceName)?.kind ?? "keep"));
    await Promise.all(first.map((name) => converged.get(name)?.promise).filter((p): p is Promise<void> => p !== undefined));
    if (run.internal.signal.aborted) throw cancelled();
    const { id, action, reason, since } = await applyDecision(run, spec, decision, emit);
    converged.get(service.name)?.resolve();
    await settled(service.dependsOn.filter((dep) => !gate.includes(dep)));
    const info = await waitForService(run, spec, id, since, wait, emit);
    outcomes.set(service.name, await applyConfigFiles(run, spec, decision, { action, reason, id, info }, wait, emit));
  };
  let firstError: unknown;
  // Topological order, so each dependency's flow exists when a dependent reads `flows` (synchronously).
  for (const service of startOrder(run.plan.services).flat()) {
    const flow = converge(service).catch((error: unknown) => {
      firstError ??= error;
      converged.get(service.name)?.reject(error);
      run.internal.abort();
      throw error;
    });
    flow.catch(() => undefined);
    flows.set(service.name, flow);
  }
  await Promise.allSettled(flows.values());
  // The flows fail with DockerError (or an engine error): always an Error.
  if (firstError !== undefined) throw firstError as Error;
  return outcomes;
}

/** Success: drop what was replaced, extra containers, and orphans when asked to. */
async function cleanUp(run: UpRun, survey: Survey, emit: Emit): Promise<void> {
  const { docker, plan, options } = run;
  for (const replaced of run.log.replaced) {
    try {
      await removeContainer(docker, replaced.id);
    } catch (error) {
      if (!isNotFound(error)) emit({ step: "warning", message: `Could not remove replaced container ${replaced.tempName}: ${engineMessage(error)}` });
    }
  }
  for (const extra of survey.extras) {
    emit({ step: "container", message: `Removing extra container ${bareName(extra.Names[0])}` });
    try {
      await removeContainer(docker, extra.Id);
    } catch (error) {
      if (!isNotFound(error)) emit({ step: "warning", message: `Could not remove ${bareName(extra.Names[0])}: ${engineMessage(error)}` });
    }
  }
  if (survey.orphans.length === 0) return;
  if (options.removeOrphans) {
    for (const orphan of survey.orphans) {
      emit({ step: "container", message: `Removing orphan container ${bareName(orphan.Names[0])}` });
      await removeContainer(docker, orphan.Id).catch(() => undefined);
    }
  } else {
    emit({
      step: "warning",
      message: `Containers of project ${plan.project} whose service is no longer configured: ${survey.orphans.map((c) => bareName(c.Names[0])).join(", ")} (up with removeOrphans removes them).`,
    });
  }
}

function serviceResults(
  run: UpRun,
  specs: ReadonlyMap<ServiceName, ContainerSpec>,
  outcomes: ReadonlyMap<ServiceName, ServiceOutcome>,
): ServiceUpResult[] {
  return run.plan.services.map((service) => {
    const done = outcomes.get(service.name)!;
    const spec = specs.get(service.name)!;
    const endpoint = httpEndpoint(service);
    return {
      name: service.name,
      container: spec.name,
      id: done.id,
      image: spec.create.Image,
      action: done.action,
      reason: done.reason,
      url: run.plan.urls[service.name] ?? (endpoint ? publishedUrl(run.engine, done.info, endpoint.port) : undefined),
    };
  });
}

// ── up ──────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Brings the plan's stack up on the Docker engine and waits until it is ready. See UpOptions; throws
 * DockerError (exit code 3) after removing whatever this run created.
 */
export async function upStack(plan: StackPlan, options: UpOptions): Promise<UpResult> {
  const began = Date.now();
  const emit: Emit = (event: ProgressEvent) => {
    try {
      options.onProgress?.(event);
    } catch {
      // a listener's bug must not break up
    }
  };
  const outDir = path.resolve(options.outDir);
  checkAbort(options.signal);
  // The containers as the final compose document describes them: a key `up` cannot apply fails here, before
  // anything is read from or done to the engine.
  const composeStarted = Date.now();
  const drafts = containerDrafts(plan, { project: plan.project, outDir });
  const composeMs = Date.now() - composeStarted;
  // Nothing to do is the common case: checked without dockerode, which costs more to load than that check.
  const steady = await upIfSteady(plan, drafts, options, emit, began);
  if (steady) return steady;

  const engine = await connect(options);
  const docker = engine.docker;
  emit({ step: "engine", message: `Docker engine ${engine.serverVersion} at ${engine.endpoint.url} (API ${engine.apiVersion})` });
  const run: UpRun = {
    plan,
    options,
    outDir,
    engine,
    docker,
    log: new RunLog(),
    internal: new AbortController(),
    stopTimeout: options.stopTimeoutSeconds ?? 10,
    timings: [{ step: "compose", ms: composeMs }],
    emit,
  };
  const onAbort = () => run.internal.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    // Inputs and images first: failures here leave nothing behind because nothing was created yet.
    const files = await step(run, "inputs", () => readPlanFiles(plan, outDir));
    const { ids, pulled } = await step(run, "images", (e) => resolveImages(run, drafts, e));
    const specs = await step(run, "specs", () => containerSpecs(run, drafts, ids, files));
    const survey = await step(run, "survey", () => surveyProject(run, specs));
    await step(run, "ports", () =>
      checkPorts(
        engine,
        [...specs.values()].filter((s) => survey.decisions.get(s.service.name)?.kind !== "keep"),
        survey.ownPorts,
      ),
    );
    const network = await step(run, "network", (e) => ensureNetwork(run, e));
    const volumes = await step(run, "volumes", (e) => ensureVolumes(run, e));
    const outcomes = await step(run, "containers", (e) => convergeContainers(run, specs, survey.decisions, e));
    const { targets, rules } = await step(run, "verify", async (e) => {
      if (options.wait === false) return { targets: undefined, rules: undefined };
      const timeoutMs = options.timeoutMs ?? 120_000;
      const wait: WaitContext = { docker, deadline: Date.now() + timeoutMs, timeoutMs, signal: run.internal.signal, emit: e };
      return verifyPrometheusView(engine, plan, outcomes.get("prometheus")?.info, files, wait);
    });
    await step(run, "cleanup", (e) => cleanUp(run, survey, e));

    const services = serviceResults(run, specs, outcomes);
    const changed =
      pulled.length > 0 ||
      network.created ||
      volumes.some((v) => v.created) ||
      services.some((s) => s.action !== "unchanged") ||
      survey.extras.length > 0 ||
      (options.removeOrphans === true && survey.orphans.length > 0);
    const summary = changed
      ? `Stack ${plan.project} is up: ${
          services
            .filter((s) => s.action !== "unchanged")
            .map((s) => `${s.name} ${s.action}`)
            .join(", ") || "network/volumes created"
        }`
      : `Stack ${plan.project} is up to date: nothing changed`;
    emit({ step: "done", message: summary });
    return {
      project: plan.project,
      engine: { endpoint: engine.endpoint.url, version: engine.serverVersion, apiVersion: engine.apiVersion },
      network,
      volumes,
      pulled,
      services,
      orphans: survey.orphans.map((c) => bareName(c.Names[0])),
      changed,
      targets,
      rules,
      durationMs: Date.now() - began,
      steps: run.timings,
    };
  } catch (error) {
    run.internal.abort();
    const failure = error instanceof DockerError ? error : dockerFailure("up", error);
    const { removed, problems } = await run.log.rollback(docker, emit);
    throw failure.withRollback(removed, problems);
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}
