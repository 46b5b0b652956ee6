// up for target swarm: `docker stack deploy` of the generated docker-stack.yml, then, through the Engine API,
// wait until every service runs its current spec on every task it should have (healthchecks pass first) and
// Prometheus reports every target up; finally remove the stack's configs and secrets no service uses any more.
import type Dockerode from "dockerode";
import type { StackPlan } from "../../plan/types.js";
import { NAMESPACE_LABEL, STACK_FILE } from "../../render/swarm/names.js";
import { buildCliImage } from "../build-image.js";
import { connectManager } from "./manager.js";
import { DockerError } from "../errors.js";
import { dockerCli } from "./cli.js";
import { secretHashEnvironment } from "./secrets.js";
import { fetchSwarmTargets, prometheusUrl, stackState, type SwarmServiceState, type SwarmTarget } from "./state.js";

export interface SwarmUpOptions {
  readonly outDir: string;
  /** Wait for the services and targets (default true). */
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  readonly onProgress?: (message: string) => void;
}

export interface SwarmUpResult {
  readonly project: string;
  readonly services: readonly SwarmServiceState[];
  /** Prometheus's targets once all were up (undefined without --wait or a published Prometheus port). */
  readonly targets: readonly SwarmTarget[] | undefined;
  readonly prometheusUrl: string | undefined;
  /** Configs and secrets of earlier deploys that no service used any more, removed. */
  readonly removedObjects: readonly string[];
  readonly durationMs: number;
}

const POLL_MS = 1000;

export async function swarmUp(plan: StackPlan, options: SwarmUpOptions): Promise<SwarmUpResult> {
  const started = Date.now();
  const say = options.onProgress ?? (() => undefined);
  const engine = await connectManager();
  // The prune sidecar's image is this package, built locally: the Engine API builds it on this node only.
  for (const service of plan.services) {
    if (service.localBuild) await buildCliImage({ image: service.image, base: service.localBuild.base, pull: "missing" });
  }
  const env = await secretHashEnvironment(options.outDir, STACK_FILE);
  say(`docker stack deploy ${plan.project}`);
  await dockerCli(["stack", "deploy", "--resolve-image", "never", "--prune", "-c", STACK_FILE, plan.project], { cwd: options.outDir, env });
  if (options.wait === false) {
    const state = await stackState(engine.docker, plan.project);
    return {
      project: plan.project,
      services: state.services,
      targets: undefined,
      prometheusUrl: prometheusUrl(state, plan.project),
      removedObjects: [],
      durationMs: Date.now() - started,
    };
  }
  const deadline = started + (options.timeoutMs ?? 180_000);
  const services = await waitForServices(engine.docker, plan, deadline, say);
  const state = await stackState(engine.docker, plan.project);
  const url = prometheusUrl(state, plan.project);
  const targets = url ? await waitForTargets(url, services, deadline, say) : undefined;
  const removedObjects = await removeUnusedObjects(engine.docker, plan.project);
  return { project: plan.project, services, targets, prometheusUrl: url, removedObjects, durationMs: Date.now() - started };
}

async function waitForServices(docker: Dockerode, plan: StackPlan, deadline: number, say: (message: string) => void): Promise<SwarmServiceState[]> {
  let last = "";
  for (;;) {
    const { services } = await stackState(docker, plan.project);
    const missing = plan.services.filter((planned) => !services.some((s) => s.name === planned.name)).map((s) => s.name);
    const waiting = services.filter((service) => !service.converged);
    const rolledBack = services.find((service) => service.updateState === "rollback_completed" || service.updateState === "paused");
    if (rolledBack) {
      throw new DockerError(
        "E_NOT_READY",
        `Service ${rolledBack.name} did not take its new spec (Swarm update ${rolledBack.updateState}${rolledBack.taskError ? `: ${rolledBack.taskError}` : ""}).`,
        { service: rolledBack.name },
      );
    }
    if (missing.length === 0 && waiting.length === 0) return services;
    const line = waiting.map((s) => `${s.name} ${s.running}/${s.desired}`).join(", ");
    if (line !== last) say(`waiting for ${line || missing.join(", ")}`);
    last = line;
    if (Date.now() > deadline) {
      const detail = waiting.map((s) => `${s.name}: ${s.running}/${s.desired} running${s.taskError ? ` (${s.taskError})` : ""}`).join("; ");
      throw new DockerError(
        "E_NOT_READY",
        `Stack ${plan.project} is not running after the timeout: ${detail || `missing ${missing.join(", ")}`}. See \`docker stack ps ${plan.project} --no-trunc\`; stateful services need a node labelled \`node.labels.<label>==true\` (README: Past one host).`,
        waiting[0] ? { service: waiting[0].name } : {},
      );
    }
    await sleep(POLL_MS);
  }
}

/** Every target up, and one node_exporter target per running node_exporter task (DNS-SD found them all). */
async function waitForTargets(
  url: string,
  services: readonly SwarmServiceState[],
  deadline: number,
  say: (message: string) => void,
): Promise<SwarmTarget[]> {
  const nodeTasks = services.find((s) => s.name === "node-exporter")?.running ?? 0;
  let problem = "";
  for (;;) {
    try {
      const targets = await fetchSwarmTargets(url);
      const down = targets.filter((t) => t.health !== "up");
      const nodeTargets = targets.filter((t) => t.job === "node" && /^\d+\.\d+\.\d+\.\d+:/.test(t.instance)).length;
      if (down.length === 0 && targets.length > 0 && nodeTargets >= nodeTasks) return targets;
      problem =
        down.length > 0
          ? `targets down: ${down.map((t) => `${t.job} ${t.instance}${t.lastError ? ` (${t.lastError})` : ""}`).join(", ")}`
          : `${nodeTargets}/${nodeTasks} node_exporter tasks found`;
    } catch (error) {
      problem = `Prometheus at ${url}: ${(error as Error).message}`;
    }
    if (Date.now() > deadline)
      throw new DockerError("E_NOT_READY", `Prometheus does not report every target up: ${problem}.`, { service: "prometheus" });
    say(`waiting for Prometheus targets (${problem})`);
    await sleep(2 * POLL_MS);
  }
}

/** Configs and secrets are immutable, so each changed file left its old object behind; Swarm refuses to remove one in use. */
async function removeUnusedObjects(docker: Dockerode, project: string): Promise<string[]> {
  const filters = { label: [`${NAMESPACE_LABEL}=${project}`] };
  const services = (await docker.listServices({ filters })) as unknown as Array<{
    Spec?: { TaskTemplate?: { ContainerSpec?: { Configs?: Array<{ ConfigID?: string }>; Secrets?: Array<{ SecretID?: string }> } } };
  }>;
  const used = new Set(
    services.flatMap((s) => [
      ...(s.Spec?.TaskTemplate?.ContainerSpec?.Configs ?? []).map((c) => c.ConfigID),
      ...(s.Spec?.TaskTemplate?.ContainerSpec?.Secrets ?? []).map((c) => c.SecretID),
    ]),
  );
  const removed: string[] = [];
  const configs = (await docker.listConfigs({ filters })) as unknown as Array<{ ID: string; Spec?: { Name?: string } }>;
  const secrets = (await docker.listSecrets({ filters })) as unknown as Array<{ ID: string; Spec?: { Name?: string } }>;
  for (const [objects, remove] of [
    [configs, (id: string) => docker.getConfig(id).remove()],
    [secrets, (id: string) => docker.getSecret(id).remove()],
  ] as const) {
    for (const object of objects) {
      if (used.has(object.ID)) continue;
      try {
        await remove(object.ID);
        removed.push(object.Spec?.Name ?? object.ID);
      } catch {
        // Still referenced by a task being replaced: the next up removes it.
      }
    }
  }
  return removed;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
