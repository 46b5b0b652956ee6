// Options and results of up / down / status. Results are plain data (JSON-serialisable) for `--json`.
import type { ServiceName } from "../plan/types.js";
import type { DockerConnectionOptions } from "./endpoint.js";

export type PullPolicy = "missing" | "always" | "never";

export type ProgressStep =
  | "engine"
  | "image"
  | "pull"
  | "network"
  | "volume"
  | "container"
  | "health"
  | "reload"
  | "ready"
  | "verify"
  | "rollback"
  | "remove"
  | "warning"
  | "done";

/** The steps of `up`, in order (lib/docker/up.ts). */
export type UpStepName = "compose" | "inputs" | "images" | "specs" | "survey" | "ports" | "network" | "volumes" | "containers" | "verify" | "cleanup";

export interface UpStepTiming {
  readonly step: UpStepName;
  readonly ms: number;
}

/** One line of progress; the library never prints, the CLI renders these on stderr. */
export interface ProgressEvent {
  readonly step: ProgressStep;
  /** The step of `up` the event belongs to. */
  readonly phase?: UpStepName;
  readonly message: string;
  readonly service?: string;
  /** Pull progress of one image, in bytes, when the engine reports it. */
  readonly current?: number;
  readonly total?: number;
}

export type ProgressListener = (event: ProgressEvent) => void;

export interface CommonOptions extends DockerConnectionOptions {
  readonly onProgress?: ProgressListener;
  /** Aborting stops `up` at the next step and rolls back what it created. */
  readonly signal?: AbortSignal;
}

export interface UpOptions extends CommonOptions {
  /** The directory the stack was generated into; bind-mount sources and secrets are relative to it. */
  readonly outDir: string;
  /** Overall budget for becoming ready, from the first container start (default 120 000 ms). */
  readonly timeoutMs?: number;
  /** `missing` (default) pulls absent images; `always` pulls every image; `never` fails on an absent one. */
  readonly pull?: PullPolicy;
  /** Remove containers of the project whose service is no longer in the plan (default false: warn). */
  readonly removeOrphans?: boolean;
  /** Skip the readiness checks after start (`--no-wait`). Healthcheck gating of dependencies still applies. */
  readonly wait?: boolean;
  /** Seconds a container gets to stop before it is killed (default 10, as Compose). */
  readonly stopTimeoutSeconds?: number;
}

/**
 * created / recreated (spec changed) / started (was stopped, e.g. killed) / restarted (was unhealthy, or its
 * config files changed behind a file bind mount) / reloaded (config files changed, applied in place) / unchanged.
 */
export type ServiceAction = "created" | "recreated" | "started" | "restarted" | "reloaded" | "unchanged";

export interface ServiceUpResult {
  readonly name: ServiceName;
  readonly container: string;
  readonly id: string;
  readonly image: string;
  readonly action: ServiceAction;
  /** Why it was (re)created, started or reloaded. */
  readonly reason: string | undefined;
  /** The URL on the host, when published. */
  readonly url: string | undefined;
}

export interface TargetHealth {
  readonly job: string;
  readonly instance: string;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
  /** True for targets that are services of this stack (they must be up after `up`). */
  readonly local: boolean;
  /** A port of a reporter range shared by this many Flink processes on the host (some ports stay unused). */
  readonly sharedBy?: number;
}

export interface RulesSummary {
  readonly groups: number;
  readonly rules: number;
  /** Rule files Prometheus reports as loaded (container paths). */
  readonly files: readonly string[];
}

export interface UpResult {
  readonly project: string;
  readonly engine: { readonly endpoint: string; readonly version: string; readonly apiVersion: string };
  readonly network: { readonly name: string; readonly created: boolean };
  readonly volumes: ReadonlyArray<{ readonly name: string; readonly created: boolean }>;
  readonly pulled: readonly string[];
  readonly services: readonly ServiceUpResult[];
  /** Containers of the project whose service the plan no longer has (removed when `removeOrphans`). */
  readonly orphans: readonly string[];
  /** False when nothing was created, recreated, started, reloaded or pulled. */
  readonly changed: boolean;
  /** Prometheus's view after `up` (undefined with `wait: false` or without Prometheus). */
  readonly targets: readonly TargetHealth[] | undefined;
  readonly rules: RulesSummary | undefined;
  readonly durationMs: number;
  /** How long each step of `up` took, in order (absent on the no-change path, which runs none of them). */
  readonly steps?: readonly UpStepTiming[];
}

export interface DownOptions extends CommonOptions {
  /** Also remove the project's named volumes (Prometheus data). Default false. */
  readonly volumes?: boolean;
  readonly stopTimeoutSeconds?: number;
}

export interface DownResult {
  readonly project: string;
  readonly removedContainers: readonly string[];
  readonly removedNetworks: readonly string[];
  readonly removedVolumes: readonly string[];
  /** Volumes left in place (without `volumes: true`). */
  readonly keptVolumes: readonly string[];
}

export interface StatusOptions extends CommonOptions {
  /** With the output directory, status also says whether each container matches the current files. */
  readonly outDir?: string;
}

export type ContainerState = "running" | "created" | "restarting" | "paused" | "exited" | "dead" | "removing" | "missing";
export type HealthState = "healthy" | "unhealthy" | "starting" | "none";

export interface ServiceStatus {
  readonly name: string;
  readonly container: string | undefined;
  readonly id: string | undefined;
  readonly image: string | undefined;
  readonly state: ContainerState;
  readonly health: HealthState;
  /** Exit code of a stopped container. */
  readonly exitCode: number | undefined;
  readonly startedAt: string | undefined;
  readonly restartCount: number;
  /** Published ports, `127.0.0.1:9090->9090/tcp`. */
  readonly ports: readonly string[];
  /** Whether the container matches the plan and files (only with a plan and `outDir`). */
  readonly upToDate: boolean | undefined;
  /** The service is in the plan (false: an orphan, or a project found only by name). */
  readonly expected: boolean;
  /** Last health probe output when unhealthy. */
  readonly healthLog: string | undefined;
}

export interface StackStatus {
  readonly project: string;
  readonly engine: { readonly endpoint: string; readonly version: string; readonly apiVersion: string };
  readonly services: readonly ServiceStatus[];
  readonly network: { readonly name: string; readonly exists: boolean } | undefined;
  readonly volumes: ReadonlyArray<{ readonly name: string; readonly exists: boolean }>;
  /** Prometheus's active targets, when Prometheus runs and answers. */
  readonly targets: readonly TargetHealth[] | undefined;
  /** Why targets are missing, when they are. */
  readonly targetsError: string | undefined;
  /**
   * Every expected service runs and is not unhealthy (a container whose first Docker healthcheck has not run yet
   * is `starting`, which is not a failure), and every target that is a service of the stack is up.
   */
  readonly ok: boolean;
  /** One sentence per problem behind `ok: false`. */
  readonly problems: readonly string[];
  /**
   * Worth saying but not unhealthy: orphan containers, containers that differ from the generated files (or that
   * docker-compose created: its config hash differs from up's), targets outside the stack (Flink, user jobs) down.
   */
  readonly warnings: readonly string[];
}

/** What Prometheus reports of a ready stack: its targets and the rule files it loaded. */
export interface ReadyResult {
  readonly targets: TargetHealth[] | undefined;
  readonly rules: RulesSummary | undefined;
}
