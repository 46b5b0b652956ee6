// The demo stack: the usual monitoring stack plus a Flink session cluster from the official `flink` image
// (a JobManager, a TaskManager) and a submitter that runs one of the image's bundled example jobs, so a person
// with internet sees the dashboards fill within a minute. The Flink side is wired exactly as a user would wire
// their own cluster: the reporter settings the generator writes for the configured version, passed the way that
// image reads them (FLINK_PROPERTIES, research/flink-reporter.md §6).
//
// Pure, like planStack: demoConfig → buildStack → withDemoFlink → renderStack; the CLI writes and starts it.
import type { StackConfig } from "../generated/stack-config.js";
import { buildStack } from "../generate.js";
import {
  SUPPORTED_FLINK_VERSIONS,
  officialFlinkImage,
  parseFlinkVersion,
  type FlinkMinorVersion,
  type FlinkVersion,
  type OfficialFlinkImage,
} from "../flink/versions.js";
import type { HealthcheckPlan, ServiceName, ServicePlan, StackPlan } from "../plan/types.js";
import { Wait } from "../plan/wait.js";
import type { Artifact } from "../render/artifact.js";
import { flinkReporterSettings, renderFlinkProperties, type FlinkSettings } from "../render/flink-config.js";
import { renderStack } from "../render/index.js";

export type DemoMode = "pushgateway" | "pull";

/** Compose service names (and so hostnames on the stack's network) of the demo's Flink processes. */
export const DEMO_JOBMANAGER = "flink-jobmanager";
export const DEMO_TASKMANAGER = "flink-taskmanager";
export const DEMO_JOB = "flink-job";
export const DEMO_SERVICE_NAMES = [DEMO_JOBMANAGER, DEMO_TASKMANAGER, DEMO_JOB] as const;
export type DemoServiceName = (typeof DEMO_SERVICE_NAMES)[number];

export const DEMO_PROJECT = "flink-demo";
export const DEMO_CLUSTER = "demo";
export const DEFAULT_DEMO_VERSION = "1.20";
/** Flink's REST port (web UI) in the container; published on the stack's bind address. */
export const FLINK_REST_PORT = 8081;
export const DEFAULT_FLINK_UI_PORT = 8081;
/** Pushgateway as the Flink containers reach it: the compose service, not the host-published port. */
export const IN_NETWORK_PUSHGATEWAY_URL = "http://pushgateway:9091";
/** The bundled example job: unbounded (a rate-limited generator), keyed state, checkpoints every 2 s. */
export const DEMO_JOB_JAR = "/opt/flink/examples/streaming/StateMachineExample.jar";
export const DEMO_JOB_PARALLELISM = 2;
/**
 * About 100 events/s over both subtasks (`--sleep` ms per record per subtask), 1 % invalid transitions, so the
 * operators and the printing sink all have traffic while the TaskManager log grows by about one line a second.
 */
export const DEMO_JOB_ARGS = ["--error-rate", "0.01", "--sleep", "20"] as const;
export const DEMO_TASK_SLOTS = 2;

export type DemoImage = OfficialFlinkImage;

export const DEMO_FLINK_IMAGES: Readonly<Partial<Record<FlinkMinorVersion, DemoImage>>> = Object.fromEntries(
  SUPPORTED_FLINK_VERSIONS.flatMap((minor) => {
    const image = officialFlinkImage(minor);
    return image ? [[minor, image]] : [];
  }),
);

export const DEMO_FLINK_VERSIONS = Object.keys(DEMO_FLINK_IMAGES) as FlinkMinorVersion[];

export class DemoVersionError extends Error {
  readonly code = "E_DEMO_VERSION";
  readonly exitCode = 2;
}

/**
 * The official image for a Flink version: `"1.20"` → the pinned `flink:1.20.4-java17`; an exact `"1.20.3"` →
 * `flink:1.20.3-java17` (the same line's Java variant; Docker Hub keeps older patch tags).
 */
export function demoImage(version: string): {
  readonly image: string;
  readonly minor: FlinkMinorVersion;
  readonly patch: string;
  readonly java: number;
  readonly pinned: boolean;
} {
  const parsed = parseFlinkVersion(version);
  const entry = parsed ? DEMO_FLINK_IMAGES[parsed.minor] : undefined;
  if (!parsed || !entry) {
    throw new DemoVersionError(
      `the demo has no official flink image for Flink ${version}; choose one of ${DEMO_FLINK_VERSIONS.join(", ")} ` +
        "(generate works for every supported version; only the demo needs an image)",
    );
  }
  const patch = parsed.patch === undefined ? entry.patch : `${parsed.minor}.${parsed.patch}`;
  return { image: `flink:${patch}-java${entry.java}`, minor: parsed.minor, patch, java: entry.java, pinned: parsed.patch === undefined };
}

export interface DemoOptions {
  /** `"1.20"` (pinned patch) or an exact `"1.20.4"`. Default 1.20. */
  readonly version?: string;
  readonly mode?: DemoMode;
  /** Host port of the Flink web UI (published on the stack's bind address). Default 8081. */
  readonly flinkUiPort?: number;
}

/**
 * The demo's stack config: one cluster `demo` whose JobManager and TaskManager are the compose services (so the
 * normal planner writes their reporter settings and, in pull mode, Prometheus's scrape targets
 * `flink-jobmanager:9249` / `flink-taskmanager:9249`), pushing to the Pushgateway inside the compose network.
 */
export function demoConfig(options: DemoOptions = {}): StackConfig {
  const version = options.version ?? DEFAULT_DEMO_VERSION;
  demoImage(version); // fails early for a version without an image
  const mode = options.mode ?? "pushgateway";
  return {
    name: DEMO_PROJECT,
    flink: {
      version,
      // Random suffixes: one FLINK_PROPERTIES serves every TaskManager container, so `--scale` adds more.
      reporter: mode === "pushgateway" ? { mode, pushgateway: { url: IN_NETWORK_PUSHGATEWAY_URL, randomJobNameSuffix: true } } : { mode },
      clusters: [{ name: DEMO_CLUSTER, jobmanagers: [DEMO_JOBMANAGER], taskmanagers: [DEMO_TASKMANAGER] }],
    },
  };
}

/**
 * The demo's names are not members of ServiceName (widening it would make the runtime's and the planner's
 * `Record<ServiceName, …>` tables incomplete); the renderers and the Docker runtime handle any name alike.
 */
function asServiceName(name: DemoServiceName): ServiceName {
  return name as unknown as ServiceName;
}

function health(test: readonly string[], startPeriodSeconds: number): HealthcheckPlan {
  return { test, intervalSeconds: 5, timeoutSeconds: 4, retries: 30, startPeriodSeconds };
}

/** The reporter settings the generator wrote for the demo cluster (flink/demo/FLINK_PROPERTIES). */
export function demoReporterSettings(plan: StackPlan): FlinkSettings {
  const target = plan.flinkTargets.find((t) => t.cluster.name === DEMO_CLUSTER && t.process === undefined);
  if (!target) throw new Error(`plan: no shared Flink config for cluster ${DEMO_CLUSTER}`);
  return flinkReporterSettings(plan, target);
}

/**
 * FLINK_PROPERTIES of the JobManager and TaskManager: the RPC address, the slots, and the generated reporter
 * settings. Flat `key: value` lines, no comments, no spaces inside values: images ≥ 1.19 strip every space of
 * a line and split it at the first ':'; images ≤ 1.18 append the lines to flink-conf.yaml.
 */
export function demoFlinkProperties(plan: StackPlan): string {
  return renderFlinkProperties([
    ["jobmanager.rpc.address", DEMO_JOBMANAGER],
    ["taskmanager.numberOfTaskSlots", String(DEMO_TASK_SLOTS)],
    ...demoReporterSettings(plan),
  ]);
}

/** FLINK_PROPERTIES of the submitter: the CLI talks to the JobManager's REST endpoint. */
export function demoClientProperties(): string {
  return renderFlinkProperties([
    ["rest.address", DEMO_JOBMANAGER],
    ["rest.port", String(FLINK_REST_PORT)],
  ]);
}

const JM_URL = `http://${DEMO_JOBMANAGER}:${FLINK_REST_PORT}`;

/** What a TaskManager logs once the ResourceManager accepted it (TaskExecutorToResourceManagerConnection). */
export const TASKMANAGER_REGISTERED = /Successful registration at resource manager/;
const JOB_SUBMITTED_LINE = "The example job runs";
/** What the submitter's script logs once a job runs. */
export const JOB_SUBMITTED = new RegExp(`^${JOB_SUBMITTED_LINE}`);

/**
 * The submitter's script. A long-running, idempotent service rather than a one-shot: compose and `up` give
 * every service `restart: unless-stopped`, and a restart must not submit a second job. It waits for the
 * JobManager, submits the example unless a job is already active, then idles (exits 0 on SIGTERM).
 */
export function demoJobScript(): string {
  return [
    "trap 'exit 0' TERM INT",
    `jm=${JM_URL}`,
    `active() { wget -q -O - "$jm/jobs/overview" | grep -Eq '"state":"(INITIALIZING|CREATED|RUNNING|RESTARTING)"'; }`,
    "until active; do",
    `  if wget -q -O /dev/null "$jm/overview" && flink run -d -p ${DEMO_JOB_PARALLELISM} ${DEMO_JOB_JAR} ${DEMO_JOB_ARGS.join(" ")}; then break; fi`,
    "  sleep 5",
    "done",
    `echo "${JOB_SUBMITTED_LINE}: ${DEMO_JOB_JAR}"`,
    "while :; do sleep 3600 & wait $!; done",
  ].join("\n");
}

function versionText(version: FlinkVersion): string {
  return version.patch === undefined ? version.minor : `${version.minor}.${version.patch}`;
}

/** The plan plus the Flink services; everything else (scrape targets, reporter files, dashboards) is unchanged. */
export function withDemoFlink(plan: StackPlan, options: Pick<DemoOptions, "flinkUiPort"> = {}): StackPlan {
  const { image } = demoImage(versionText(plan.flink.version));
  const push = plan.flink.mode === "pushgateway";
  const bindAddress = plan.network.bindAddress;
  const uiPort = options.flinkUiPort ?? DEFAULT_FLINK_UI_PORT;
  const properties = demoFlinkProperties(plan);
  const pullPort = plan.flink.pull.firstPort;
  const common = {
    image,
    mounts: [],
    secrets: [],
    configFiles: [],
    reloadSignal: undefined,
    extraHosts: [],
  } satisfies Partial<ServicePlan>;

  const jobmanager: ServicePlan = {
    ...common,
    name: asServiceName(DEMO_JOBMANAGER),
    command: ["jobmanager"],
    environment: { FLINK_PROPERTIES: properties },
    ports: [{ hostIp: bindAddress, hostPort: uiPort, containerPort: FLINK_REST_PORT }],
    // wget: the image's base (eclipse-temurin) has it; the flink Dockerfile itself downloads with it.
    healthcheck: health(["CMD", "wget", "-q", "-O", "/dev/null", `http://localhost:${FLINK_REST_PORT}/overview`], 15),
    dependsOn: push && plan.services.some((s) => s.name === "pushgateway") ? ["pushgateway"] : [],
    wait: Wait.forAll([Wait.forHealthCheck(), Wait.forHttp("/overview", FLINK_REST_PORT)]),
  };
  const taskmanager: ServicePlan = {
    ...common,
    name: asServiceName(DEMO_TASKMANAGER),
    command: ["taskmanager"],
    environment: { FLINK_PROPERTIES: properties },
    ports: [],
    // Pull mode: its own reporter endpoint answers. Push mode: a TaskManager serves no HTTP; healthy once the
    // JobManager counts a registered TaskManager (the demo has one).
    healthcheck: push
      ? health(["CMD-SHELL", `wget -q -O - ${JM_URL}/overview | grep -q '"taskmanagers":[1-9]'`], 15)
      : health(["CMD", "wget", "-q", "-O", "/dev/null", `http://localhost:${pullPort}/metrics`], 15),
    dependsOn: [asServiceName(DEMO_JOBMANAGER)],
    // Push mode serves no HTTP: ready once it has registered with the ResourceManager (TaskExecutor's log line,
    // the same in Flink 1.x and 2.x); pull mode: its reporter endpoint answers.
    wait: Wait.forAll([Wait.forHealthCheck(), push ? Wait.forLogMessage(TASKMANAGER_REGISTERED) : Wait.forHttp("/metrics", pullPort)]),
  };
  const job: ServicePlan = {
    ...common,
    name: asServiceName(DEMO_JOB),
    command: ["bash", "-c", demoJobScript()],
    environment: { FLINK_PROPERTIES: demoClientProperties() },
    ports: [],
    healthcheck: health(["CMD-SHELL", `wget -q -O - ${JM_URL}/jobs/overview | grep -q '"state":"RUNNING"'`], 20),
    dependsOn: [asServiceName(DEMO_JOBMANAGER), asServiceName(DEMO_TASKMANAGER)],
    // Its healthcheck asks the JobManager for a running job; the script says when it submitted one.
    wait: Wait.forAll([Wait.forHealthCheck(), Wait.forLogMessage(JOB_SUBMITTED)]),
  };
  return {
    ...plan,
    services: [...plan.services, jobmanager, taskmanager, job],
    urls: { ...plan.urls, [asServiceName(DEMO_JOBMANAGER)]: `http://${plan.network.displayHost}:${uiPort}` },
  };
}

export interface DemoBuild {
  readonly plan: StackPlan;
  readonly artifacts: readonly Artifact[];
  readonly image: string;
}

/** Config → plan with the Flink services → every file (docker-compose.yml includes the Flink services). Pure. */
export function buildDemo(options: DemoOptions = {}): DemoBuild {
  const config = demoConfig(options);
  const plan = withDemoFlink(buildStack(config).plan, options);
  return { plan, artifacts: renderStack(plan), image: demoImage(config.flink.version).image };
}

/** The URLs a person opens, by what they show. */
export function demoUrls(plan: StackPlan): { grafana?: string; prometheus?: string; flinkUi?: string; pushgateway?: string; alertmanager?: string } {
  const urls = plan.urls as Readonly<Record<string, string | undefined>>;
  const pick = (name: string) => (urls[name] === undefined ? {} : { [name === DEMO_JOBMANAGER ? "flinkUi" : name]: urls[name] });
  return { ...pick("grafana"), ...pick("prometheus"), ...pick(DEMO_JOBMANAGER), ...pick("pushgateway"), ...pick("alertmanager") };
}
