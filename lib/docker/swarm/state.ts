// What the engine says about a deployed stack, through the Engine API: its services, whether each one's tasks
// run the current spec, and where Prometheus answers.
import { isDeepStrictEqual } from "node:util";
import type Dockerode from "dockerode";
import { NAMESPACE_LABEL } from "../../render/swarm/names.js";

export interface SwarmServiceState {
  /** The name in the stack file (the engine name without `<project>_`). */
  readonly name: string;
  readonly mode: "replicated" | "global";
  /** Tasks that should run: replicas, or the nodes a global service can run on. */
  readonly desired: number;
  /** Running tasks of the current spec (a task with a healthcheck runs only once healthy). */
  readonly running: number;
  /** Swarm's own update state (updating, completed, rollback_completed, paused…), when an update happened. */
  readonly updateState: string | undefined;
  /** The service object's version: it changes when `docker stack deploy` changes the service. */
  readonly version: number;
  readonly updatedAt: string;
  /** The last error of a task that should run but does not (e.g. "No such image"). */
  readonly taskError: string | undefined;
  /** Nodes (hostname) running its tasks. */
  readonly nodes: readonly string[];
  readonly converged: boolean;
}

interface ServiceInfo {
  ID: string;
  Version?: { Index?: number };
  UpdatedAt?: string;
  Spec?: {
    Name?: string;
    Mode?: { Replicated?: { Replicas?: number }; Global?: object };
    TaskTemplate?: unknown;
    EndpointSpec?: { Ports?: Array<{ TargetPort?: number; PublishedPort?: number }> };
  };
  UpdateStatus?: { State?: string };
}

interface TaskInfo {
  ServiceID?: string;
  NodeID?: string;
  DesiredState?: string;
  Spec?: unknown;
  Status?: { State?: string; Err?: string; Message?: string };
}

interface NodeInfo {
  ID: string;
  Description?: { Hostname?: string };
  Status?: { State?: string; Addr?: string };
  Spec?: { Availability?: string };
}

export async function stackServices(docker: Dockerode, project: string): Promise<ServiceInfo[]> {
  return await docker.listServices({ filters: { label: [`${NAMESPACE_LABEL}=${project}`] } });
}

export async function stackState(
  docker: Dockerode,
  project: string,
): Promise<{ services: SwarmServiceState[]; nodes: NodeInfo[]; tasks: TaskInfo[]; raw: ServiceInfo[] }> {
  const [raw, nodes] = await Promise.all([stackServices(docker, project), docker.listNodes() as unknown as Promise<NodeInfo[]>]);
  const tasks =
    raw.length === 0 ? [] : ((await docker.listTasks({ filters: { service: raw.map((service) => service.ID) } })) as unknown as TaskInfo[]);
  const available = nodes.filter((node) => node.Status?.State === "ready" && node.Spec?.Availability === "active");
  const hostname = new Map(nodes.map((node) => [node.ID, node.Description?.Hostname ?? node.ID]));
  const services = raw.map((service): SwarmServiceState => {
    const mine = tasks.filter((task) => task.ServiceID === service.ID);
    const current = mine.filter(
      (task) => task.DesiredState === "running" && isDeepStrictEqual(specFingerprint(task.Spec), specFingerprint(service.Spec?.TaskTemplate)),
    );
    const running = current.filter((task) => task.Status?.State === "running");
    const global = service.Spec?.Mode?.Global !== undefined;
    const desired = global ? available.length : (service.Spec?.Mode?.Replicated?.Replicas ?? 1);
    const updateState = service.UpdateStatus?.State;
    const failing =
      mine.find((task) => task.DesiredState === "running" && task.Status?.State !== "running" && task.Status?.Err) ??
      mine.filter((task) => task.Status?.Err).at(-1);
    return {
      name: stackName(service.Spec?.Name ?? service.ID, project),
      mode: global ? "global" : "replicated",
      desired,
      running: running.length,
      updateState,
      version: service.Version?.Index ?? 0,
      updatedAt: service.UpdatedAt ?? "",
      taskError: failing?.Status?.Err,
      nodes: [...new Set(running.map((task) => hostname.get(task.NodeID ?? "") ?? "?"))],
      converged: running.length === desired && current.length === desired && (updateState === undefined || updateState === "completed"),
    };
  });
  return { services: services.sort((a, b) => (a.name < b.name ? -1 : 1)), nodes, tasks, raw };
}

/**
 * What a task runs, from its copy of the service's task template. The engine does not report which service version
 * a task came from (API 1.41), and its copy leaves out some defaults, so the parts a deploy changes are compared.
 */
function specFingerprint(spec: unknown): unknown {
  const template = spec as
    | {
        ForceUpdate?: number;
        ContainerSpec?: Record<string, unknown> & {
          Configs?: Array<{ ConfigID?: string; File?: { Name?: string } }>;
          Secrets?: Array<{ SecretID?: string; File?: { Name?: string } }>;
          Mounts?: Array<{ Source?: string; Target?: string; ReadOnly?: boolean }>;
        };
      }
    | undefined;
  const c = template?.ContainerSpec ?? {};
  return {
    force: template?.ForceUpdate ?? 0,
    image: c.Image,
    args: c.Args ?? [],
    env: c.Env ?? [],
    user: c.User ?? "",
    hostname: c.Hostname ?? "",
    configs: (c.Configs ?? []).map((x) => `${x.ConfigID}:${x.File?.Name}`),
    secrets: (c.Secrets ?? []).map((x) => `${x.SecretID}:${x.File?.Name}`),
    mounts: (c.Mounts ?? []).map((m) => `${m.Source}:${m.Target}:${m.ReadOnly === true}`),
  };
}

function stackName(engineName: string, project: string): string {
  return engineName.startsWith(`${project}_`) ? engineName.slice(project.length + 1) : engineName;
}

/** Prometheus's API on the node running its task, at the port published there (mode: host). */
export function prometheusUrl(state: { raw: ServiceInfo[]; nodes: NodeInfo[]; tasks: TaskInfo[] }, project: string): string | undefined {
  const service = state.raw.find((s) => s.Spec?.Name === `${project}_prometheus`);
  const port = service?.Spec?.EndpointSpec?.Ports?.find((p) => p.TargetPort === 9090)?.PublishedPort;
  if (!service || !port) return undefined;
  const task = state.tasks.find((t) => t.ServiceID === service.ID && t.DesiredState === "running" && t.Status?.State === "running");
  const address = state.nodes.find((node) => node.ID === task?.NodeID)?.Status?.Addr;
  if (!address) return undefined;
  const host = address === "0.0.0.0" ? "127.0.0.1" : address.includes(":") ? `[${address}]` : address;
  return `http://${host}:${port}`;
}

export interface SwarmTarget {
  readonly job: string;
  readonly instance: string;
  readonly health: string;
  readonly lastError: string;
}

export async function fetchSwarmTargets(url: string): Promise<SwarmTarget[]> {
  const response = await fetch(`${url}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`Prometheus answered ${response.status}`);
  const json = (await response.json()) as {
    data?: { activeTargets?: Array<{ labels?: Record<string, string>; scrapePool?: string; health?: string; lastError?: string }> };
  };
  return (json.data?.activeTargets ?? []).map((target) => ({
    job: target.labels?.job ?? target.scrapePool ?? "",
    instance: target.labels?.instance ?? "",
    health: target.health ?? "unknown",
    lastError: target.lastError ?? "",
  }));
}
