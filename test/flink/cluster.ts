/**
 * Real-Flink harness: builds a Flink classpath with Maven and runs a standalone session cluster
 * (1 JobManager JVM + N TaskManager JVMs, no Flink shell scripts, no flink-dist) against a conf
 * directory that a test writes (config.yaml or, on 1.x, flink-conf.yaml). Flink reads that file
 * with its own parser (GlobalConfiguration.loadConfiguration); everything the harness itself needs
 * (ports, addresses, memory, slots, heartbeats) is passed as `-Dkey=value` dynamic properties on
 * the entrypoint command line, so the generated file is used untouched.
 *
 * See test/flink/README.md for the verified facts.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";

export const HARNESS_DIR = dirname(fileURLToPath(import.meta.url));
export const POM = join(HARNESS_DIR, "pom.xml");
export const LOG4J_CONF = join(HARNESS_DIR, "log4j2.properties");

/** Versions verified to run here (Java 17). Others may work if Maven serves them. */
export const VERIFIED_FLINK_VERSIONS = ["1.20.5", "2.3.0"] as const;

/**
 * The JVM options of Flink's default `env.java.opts.all` (flink-dist config.yaml, 1.19+ / 2.x),
 * required on Java 17.
 */
export const JAVA17_OPTS: readonly string[] = [
  "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
  "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
  "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
  "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
  "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
  "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
  "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
  "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
  "--add-opens=java.base/java.lang=ALL-UNNAMED",
  "--add-opens=java.base/java.net=ALL-UNNAMED",
  "--add-opens=java.base/java.io=ALL-UNNAMED",
  "--add-opens=java.base/java.nio=ALL-UNNAMED",
  "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
  "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
  "--add-opens=java.base/java.text=ALL-UNNAMED",
  "--add-opens=java.base/java.time=ALL-UNNAMED",
  "--add-opens=java.base/java.util=ALL-UNNAMED",
  "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
  "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
  "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
];

// ---------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------

export interface FlinkHarnessBuild {
  version: string;
  /** target/<version>/ */
  targetDir: string;
  /** Full classpath (all jars Maven resolved, including flink-metrics-prometheus). */
  fullClasspath: string[];
  /** Classpath for cluster JVMs when the reporter is loaded as a plugin (reporter jar removed). */
  clusterClasspath: string[];
  /** The flink-metrics-prometheus jar (its version may differ from `version`, see pom.xml). */
  prometheusReporterJar: string;
  /** A plugins dir laid out like flink-dist's: <pluginsDir>/metrics-prometheus/<jar>. */
  pluginsDir: string;
  /** Our StackProofJob jar. */
  jobJar: string;
  /** Wall-clock ms of the Maven steps (0 when reused from a previous build). */
  timings: { classpathMs: number; packageMs: number };
  reused: boolean;
}

export interface BuildOptions {
  /** Pass -o to Maven. */
  offline?: boolean;
  /** -Dmaven.repo.local (e.g. an empty dir, to measure a cold build). */
  mavenRepoLocal?: string;
  /** Rebuild even when the outputs are newer than pom.xml and the sources. */
  force?: boolean;
}

function newestMtime(paths: string[]): number {
  let t = 0;
  const walk = (p: string): void => {
    const s = statSync(p);
    if (s.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else t = Math.max(t, s.mtimeMs);
  };
  for (const p of paths) if (existsSync(p)) walk(p);
  return t;
}

function mvn(args: string[], opts: BuildOptions): number {
  const full = [
    "-q",
    "-B",
    ...(opts.offline ? ["-o"] : []),
    ...(opts.mavenRepoLocal ? [`-Dmaven.repo.local=${opts.mavenRepoLocal}`] : []),
    "-f",
    POM,
    ...args,
  ];
  const t0 = Date.now();
  const r = spawnSync("mvn", full, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`mvn ${full.join(" ")} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return Date.now() - t0;
}

/**
 * Builds (or reuses) the harness for one Flink version: resolves the classpath with
 * `mvn dependency:build-classpath` and packages StackProofJob. Synchronous; ~10 s warm, ~1-2 min cold.
 */
export function buildFlinkHarness(version: string, opts: BuildOptions = {}): FlinkHarnessBuild {
  const targetDir = join(HARNESS_DIR, "target", version);
  const cpFile = join(targetDir, "classpath.txt");
  const jobJar = join(targetDir, "stack-proof-job.jar");
  const srcNewest = newestMtime([POM, join(HARNESS_DIR, "src")]);
  const reusable =
    !opts.force &&
    !opts.mavenRepoLocal &&
    existsSync(cpFile) &&
    existsSync(jobJar) &&
    statSync(cpFile).mtimeMs > srcNewest &&
    statSync(jobJar).mtimeMs > srcNewest;
  let classpathMs = 0;
  let packageMs = 0;
  if (!reusable) {
    mkdirSync(targetDir, { recursive: true });
    classpathMs = mvn([`-Dflink.version=${version}`, "dependency:build-classpath", `-Dmdep.outputFile=${cpFile}`], opts);
    packageMs = mvn([`-Dflink.version=${version}`, "package"], opts);
  }
  const fullClasspath = readFileSync(cpFile, "utf8").trim().split(":").filter(Boolean);
  const prometheusReporterJar = fullClasspath.find((j) => /flink-metrics-prometheus-[^/]*\.jar$/.test(j));
  if (!prometheusReporterJar) throw new Error(`flink-metrics-prometheus not on the classpath of ${version}`);
  const pluginsDir = join(targetDir, "plugins");
  const pluginJarDir = join(pluginsDir, "metrics-prometheus");
  mkdirSync(pluginJarDir, { recursive: true });
  for (const old of readdirSync(pluginJarDir)) if (old !== basename(prometheusReporterJar)) rmSync(join(pluginJarDir, old), { force: true });
  copyFileSync(prometheusReporterJar, join(pluginJarDir, basename(prometheusReporterJar)));
  return {
    version,
    targetDir,
    fullClasspath,
    clusterClasspath: fullClasspath.filter((j) => j !== prometheusReporterJar),
    prometheusReporterJar,
    pluginsDir,
    jobJar,
    timings: { classpathMs, packageMs },
    reused: reusable,
  };
}

// ---------------------------------------------------------------------------------------------
// Cluster
// ---------------------------------------------------------------------------------------------

export interface TaskManagerMemory {
  /** taskmanager.memory.* sizes in MiB. */
  frameworkHeapMb: number;
  taskHeapMb: number;
  frameworkOffHeapMb: number;
  taskOffHeapMb: number;
  networkMb: number;
  managedMb: number;
  metaspaceMb: number;
  overheadMb: number;
}

/** Small but comfortable for StackProofJob with 2 slots. RSS ≈ 400-500 MB per TM. */
export const DEFAULT_TM_MEMORY: TaskManagerMemory = {
  frameworkHeapMb: 64,
  taskHeapMb: 128,
  frameworkOffHeapMb: 64,
  taskOffHeapMb: 0,
  networkMb: 32,
  managedMb: 32,
  metaspaceMb: 160,
  overheadMb: 64,
};

export interface StartClusterOptions {
  version: string;
  /** Directory holding the Flink config file the test wrote (config.yaml / flink-conf.yaml). Used as is. */
  confDir: string;
  /** Number of TaskManager JVMs. Default 2. */
  taskManagers?: number;
  /** REST port = portBase, JM RPC = portBase+1, blob server = portBase+2. Default 8081. */
  portBase?: number;
  slotsPerTaskManager?: number;
  /** heartbeat.timeout (ms). Default 10000, so a killed TM is noticed quickly. */
  heartbeatTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Extra -D dynamic properties for every process (override the file). */
  dynamicProperties?: Record<string, string>;
  /**
   * Load flink-metrics-prometheus as a plugin (a `plugins/metrics-prometheus/` dir via
   * FLINK_PLUGINS_DIR, as flink-dist and the Docker image do). Default true.
   * false: put the reporter jar on the JVM classpath instead.
   */
  reporterAsPlugin?: boolean;
  /** Logs, tmp dirs. Default: a fresh dir under os.tmpdir(). */
  workDir?: string;
  jobManagerHeapMb?: number;
  taskManagerMemory?: Partial<TaskManagerMemory>;
  /** Start TMs one after another (each registered before the next starts): deterministic pull-reporter ports. */
  sequentialStart?: boolean;
  /** Wait until the JM REST answers and all TMs registered. Default true. */
  waitReady?: boolean;
  readyTimeoutMs?: number;
  build?: FlinkHarnessBuild;
  /** Extra JVM options for every process. */
  jvmOptions?: string[];
  /**
   * Per-TaskManager settings for the TaskManagers startCluster starts (index 0, 1, …), e.g. a conf dir of its
   * own (a per-process config file) or `-Dtaskmanager.host`.
   */
  taskManagerOptions?: (index: number) => TaskManagerStartOptions;
}

export interface TaskManagerStartOptions {
  /** This TaskManager's conf dir (default: the cluster's confDir). */
  confDir?: string;
  /** Extra -D dynamic properties for this TaskManager only (applied last). */
  dynamicProperties?: Record<string, string>;
}

export type FlinkRole = "jobmanager" | "taskmanager";

export interface FlinkProcess {
  role: FlinkRole;
  /** 0 for the JM; TM index otherwise. */
  index: number;
  pid: number;
  logFile: string;
  outFile: string;
  startedAt: number;
  /** Resolves with the exit code (or signal name) when the JVM ends. */
  exited: Promise<number | string>;
  alive(): boolean;
  /** Ports the PrometheusReporter (pull) bound, read from the log ("Started PrometheusReporter HTTP server on port N"). */
  prometheusPorts(): number[];
  /** Resident set size in bytes (from /proc), or undefined if the process is gone. */
  rssBytes(): number | undefined;
  /** TaskManager ResourceID from the log ("Starting TaskManager with ResourceID: localhost:38775-a7e122"). */
  resourceId(): string | undefined;
  /** The `tm_id` label value the Prometheus reporters give this TM (ResourceID with [^a-zA-Z0-9:_] replaced by _). */
  tmIdLabel(): string | undefined;
  command: string[];
}

export interface FlinkCluster {
  version: string;
  build: FlinkHarnessBuild;
  workDir: string;
  confDir: string;
  restPort: number;
  restUrl: string;
  jobManager: FlinkProcess;
  taskManagers: FlinkProcess[];
  /** SIGTERM all (graceful: reporters close, deleteOnShutdown runs), then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
  /** kill -9 TaskManager i (no graceful shutdown, no DELETE to the Pushgateway). */
  killTaskManager(i: number, signal?: NodeJS.Signals): Promise<void>;
  /**
   * Start one more TaskManager JVM (returns after spawn; use waitForTaskManagers). It gets the next index
   * (its own log file); pass the options of a killed one to restart "the same" TaskManager.
   */
  startTaskManager(options?: TaskManagerStartOptions): FlinkProcess;
  /** All processes ever started by this cluster. */
  processes(): FlinkProcess[];
  /** Removes workDir (logs, tmp). Call after stop(); keep it when a test failed, for the logs. */
  removeWorkDir(): void;
}

/**
 * Waits (with a ref'd timer, so Node stays alive: the children themselves are unref'd) until all
 * given processes exited. Returns false on timeout.
 */
export async function waitExited(procs: FlinkProcess[], timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(r, timeoutMs, false)));
  const res = await Promise.race([Promise.all(procs.map((p) => p.exited)).then(() => true as const), timeout]);
  clearTimeout(timer);
  return res;
}

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const c of liveChildren) {
      try {
        if (c.pid) process.kill(c.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  });
}

function readRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m?.[1] ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function toDynamicArgs(props: Record<string, string>): string[] {
  return Object.entries(props).map(([k, v]) => `-D${k}=${v}`);
}

export function harnessDynamicProperties(opts: StartClusterOptions, workDir: string): Record<string, string> {
  const portBase = opts.portBase ?? 8081;
  return {
    "jobmanager.rpc.address": "localhost",
    "jobmanager.rpc.port": String(portBase + 1),
    "jobmanager.bind-host": "127.0.0.1",
    "rest.address": "localhost",
    "rest.bind-address": "127.0.0.1",
    "rest.port": String(portBase),
    "blob.server.port": String(portBase + 2),
    "taskmanager.host": "localhost",
    "taskmanager.bind-host": "127.0.0.1",
    "taskmanager.numberOfTaskSlots": String(opts.slotsPerTaskManager ?? 2),
    "heartbeat.timeout": String(opts.heartbeatTimeoutMs ?? 10000),
    "heartbeat.interval": String(opts.heartbeatIntervalMs ?? 2000),
    // spread the job's subtasks over both TMs so each TM reports task/operator metrics
    "cluster.evenly-spread-out-slots": "true",
    "taskmanager.load-balance.mode": "SLOTS",
    "io.tmp.dirs": join(workDir, "tmp"),
    "web.tmpdir": join(workDir, "tmp", "web"),
    "parallelism.default": "2",
    // REST /jobs/<id>/metrics answers from a cache refreshed every 10 s by default
    "metrics.fetcher.update-interval": "2000",
    ...(opts.dynamicProperties ?? {}),
  };
}

function tmMemoryArgs(mem: TaskManagerMemory): { jvm: string[]; props: Record<string, string> } {
  const heap = mem.frameworkHeapMb + mem.taskHeapMb;
  const direct = mem.frameworkOffHeapMb + mem.taskOffHeapMb + mem.networkMb;
  return {
    // what Flink's taskmanager.sh (BashJavaUtils GET_TM_RESOURCE_PARAMS) would compute
    jvm: [`-Xmx${heap}m`, `-Xms${heap}m`, `-XX:MaxDirectMemorySize=${direct}m`, `-XX:MaxMetaspaceSize=${mem.metaspaceMb}m`],
    props: {
      "taskmanager.cpu.cores": "2",
      "taskmanager.memory.framework.heap.size": `${mem.frameworkHeapMb}m`,
      "taskmanager.memory.task.heap.size": `${mem.taskHeapMb}m`,
      "taskmanager.memory.framework.off-heap.size": `${mem.frameworkOffHeapMb}m`,
      "taskmanager.memory.task.off-heap.size": `${mem.taskOffHeapMb}m`,
      "taskmanager.memory.network.min": `${mem.networkMb}m`,
      "taskmanager.memory.network.max": `${mem.networkMb}m`,
      "taskmanager.memory.managed.size": `${mem.managedMb}m`,
      "taskmanager.memory.jvm-metaspace.size": `${mem.metaspaceMb}m`,
      "taskmanager.memory.jvm-overhead.min": `${mem.overheadMb}m`,
      "taskmanager.memory.jvm-overhead.max": `${mem.overheadMb}m`,
    },
  };
}

function spawnFlinkJvm(
  role: FlinkRole,
  index: number,
  mainClass: string,
  jvm: string[],
  classpath: string[],
  appArgs: string[],
  workDir: string,
  env: NodeJS.ProcessEnv,
): FlinkProcess {
  const name = role === "jobmanager" ? "jobmanager" : `taskmanager-${index}`;
  const logFile = join(workDir, "log", `${name}.log`);
  const outFile = join(workDir, "log", `${name}.out`);
  const args = [
    ...jvm,
    ...JAVA17_OPTS,
    `-Dlog.file=${logFile}`,
    `-Dlog4j.configurationFile=file:${LOG4J_CONF}`,
    `-Djava.io.tmpdir=${join(workDir, "tmp")}`,
    "-cp",
    classpath.join(":"),
    mainClass,
    ...appArgs,
  ];
  const fd = openSync(outFile, "a");
  const child = spawn("java", args, { cwd: workDir, env, stdio: ["ignore", fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  installExitHook();
  liveChildren.add(child);
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => {
      done = true;
      liveChildren.delete(child);
      resolve(code ?? signal ?? "unknown");
    });
    child.on("error", (e) => {
      done = true;
      liveChildren.delete(child);
      resolve(`spawn error: ${e.message}`);
    });
  });
  if (child.pid === undefined) throw new Error(`could not spawn java for ${name}`);
  const pid = child.pid;
  const resourceId = (): string | undefined => {
    if (!existsSync(logFile)) return undefined;
    const all = [...readFileSync(logFile, "utf8").matchAll(/Starting TaskManager with ResourceID: (\S+)/g)];
    return all[all.length - 1]?.[1];
  };
  return {
    role,
    index,
    pid,
    logFile,
    outFile,
    startedAt: Date.now(),
    exited,
    alive: () => !done,
    prometheusPorts: () => {
      if (!existsSync(logFile)) return [];
      const ports: number[] = [];
      for (const m of readFileSync(logFile, "utf8").matchAll(/Started PrometheusReporter HTTP server on port (\d+)/g)) ports.push(Number(m[1]));
      return ports;
    },
    rssBytes: () => (done ? undefined : readRss(pid)),
    resourceId,
    tmIdLabel: () => resourceId()?.replace(/[^a-zA-Z0-9:_]/g, "_"),
    command: ["java", ...args],
  };
}

/** Starts a JobManager and `taskManagers` TaskManager JVMs. */
export async function startCluster(opts: StartClusterOptions): Promise<FlinkCluster> {
  const build = opts.build ?? buildFlinkHarness(opts.version);
  const workDir = opts.workDir ?? mkdtempSync(join(tmpdir(), `flink-${opts.version}-`));
  for (const d of ["log", "tmp", join("tmp", "web")]) mkdirSync(join(workDir, d), { recursive: true });
  const restPort = opts.portBase ?? 8081;
  const asPlugin = opts.reporterAsPlugin ?? true;
  const classpath = asPlugin ? build.clusterClasspath : build.fullClasspath;
  // FLINK_PLUGINS_DIR is what flink's scripts export; unset, PluginConfig looks for ./plugins
  const env: NodeJS.ProcessEnv = { ...process.env, FLINK_PLUGINS_DIR: asPlugin ? build.pluginsDir : join(workDir, "no-plugins") };
  delete env.FLINK_CONF_DIR;
  delete env.FLINK_ENV_JAVA_OPTS;
  const dyn = harnessDynamicProperties(opts, workDir);
  const mem = tmMemoryArgs({ ...DEFAULT_TM_MEMORY, ...(opts.taskManagerMemory ?? {}) });
  const jmHeap = opts.jobManagerHeapMb ?? 384;
  const extraJvm = opts.jvmOptions ?? [];
  const all: FlinkProcess[] = [];

  const jobManager = spawnFlinkJvm(
    "jobmanager",
    0,
    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
    [`-Xmx${jmHeap}m`, `-Xms${jmHeap}m`, "-XX:MaxMetaspaceSize=256m", "-XX:+UseG1GC", ...extraJvm],
    classpath,
    ["--configDir", opts.confDir, ...toDynamicArgs(dyn)],
    workDir,
    env,
  );
  all.push(jobManager);
  const taskManagers: FlinkProcess[] = [];
  let nextTm = 0;
  const startTaskManager = (tmOpts: TaskManagerStartOptions = {}): FlinkProcess => {
    const tm = spawnFlinkJvm(
      "taskmanager",
      nextTm++,
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
      [...mem.jvm, "-XX:+UseG1GC", ...extraJvm],
      classpath,
      [
        "--configDir",
        tmOpts.confDir ?? opts.confDir,
        ...toDynamicArgs({ ...dyn, ...mem.props, ...(opts.dynamicProperties ?? {}), ...(tmOpts.dynamicProperties ?? {}) }),
      ],
      workDir,
      env,
    );
    taskManagers.push(tm);
    all.push(tm);
    return tm;
  };

  const cluster: FlinkCluster = {
    version: opts.version,
    build,
    workDir,
    confDir: opts.confDir,
    restPort,
    restUrl: `http://127.0.0.1:${restPort}`,
    jobManager,
    taskManagers,
    processes: () => [...all],
    removeWorkDir: () => {
      if (all.some((p) => p.alive())) throw new Error("stop() the cluster before removeWorkDir()");
      rmSync(workDir, { recursive: true, force: true });
    },
    startTaskManager,
    killTaskManager: async (i, signal = "SIGKILL") => {
      const tm = taskManagers[i];
      if (!tm) throw new Error(`no TaskManager ${i}`);
      if (tm.alive()) process.kill(tm.pid, signal);
      await waitExited([tm], 30000);
    },
    stop: async (graceMs = 20000) => {
      const alive = all.filter((p) => p.alive());
      for (const p of alive) {
        try {
          process.kill(p.pid, "SIGTERM");
        } catch {
          /* gone */
        }
      }
      if (!(await waitExited(alive, graceMs))) {
        for (const p of all.filter((q) => q.alive())) {
          try {
            process.kill(p.pid, "SIGKILL");
          } catch {
            /* gone */
          }
        }
        await waitExited(all, 30000);
      }
    },
  };

  try {
    const timeoutMs = opts.readyTimeoutMs ?? 90000;
    if (opts.waitReady === false && !opts.sequentialStart) {
      for (let i = 0; i < (opts.taskManagers ?? 2); i++) startTaskManager(opts.taskManagerOptions?.(i));
      return cluster;
    }
    await waitForRest(cluster, timeoutMs);
    const n = opts.taskManagers ?? 2;
    for (let i = 0; i < n; i++) {
      startTaskManager(opts.taskManagerOptions?.(i));
      if (opts.sequentialStart) await waitForTaskManagers(cluster, i + 1, timeoutMs);
    }
    if (opts.waitReady !== false) await waitForTaskManagers(cluster, n, timeoutMs);
    return cluster;
  } catch (e) {
    await cluster.stop(2000);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// REST helpers
// ---------------------------------------------------------------------------------------------

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function restGet<T = unknown>(cluster: FlinkCluster, path: string): Promise<T> {
  const res = await fetch(`${cluster.restUrl}${path}`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

function tailOf(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Thrown from a waitFor probe to stop waiting at once (e.g. the process being waited on exited). */
export class FatalWaitError extends Error {}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      if (e instanceof FatalWaitError) throw e;
      lastErr = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastErr === undefined ? "" : ` (last error: ${lastErr instanceof Error ? lastErr.message : JSON.stringify(lastErr)})`}`,
  );
}

export async function waitForRest(cluster: FlinkCluster, timeoutMs = 60000): Promise<void> {
  await waitFor(
    "the JobManager REST endpoint",
    async () => {
      if (!cluster.jobManager.alive()) {
        throw new FatalWaitError(
          `JobManager exited (${await cluster.jobManager.exited}):\n${tailOf(cluster.jobManager.outFile)}\n${tailOf(cluster.jobManager.logFile)}`,
        );
      }
      await restGet(cluster, "/overview");
      return true;
    },
    timeoutMs,
  ).catch((e: Error) => {
    if (e instanceof FatalWaitError) throw e;
    throw new Error(`${e.message}\n--- jobmanager log tail ---\n${tailOf(cluster.jobManager.logFile)}`);
  });
}

interface Overview {
  taskmanagers: number;
  "slots-total": number;
  "slots-available": number;
  "jobs-running": number;
  "flink-version": string;
}

export async function waitForTaskManagers(cluster: FlinkCluster, n: number, timeoutMs = 60000): Promise<Overview> {
  return waitFor(
    `${n} registered TaskManager(s)`,
    async () => {
      const dead = cluster.taskManagers.filter((t) => !t.alive() && t.role === "taskmanager");
      if (!cluster.jobManager.alive()) throw new FatalWaitError(`JobManager exited:\n${tailOf(cluster.jobManager.logFile)}`);
      const o = await restGet<Overview>(cluster, "/overview");
      if (o.taskmanagers === n) return o;
      if (dead.length > 0 && cluster.taskManagers.length - dead.length < n) {
        const d = dead[0];
        throw new FatalWaitError(`TaskManager ${d?.index} exited:\n${d ? tailOf(d.outFile) + "\n" + tailOf(d.logFile) : ""}`);
      }
      return undefined;
    },
    timeoutMs,
  );
}

export interface SubmitOptions {
  name?: string;
  parallelism?: number;
  /** Records per second for the whole job. Default 200. */
  rate?: number;
  checkpointMs?: number;
  restartDelayMs?: number;
  /** When this file exists, one subtask deletes it and throws: exactly one failure/restart per file. */
  failOnceFile?: string;
  /** While this file exists every subtask throws (restart loop). */
  failFile?: string;
  /**
   * Count Per Key's open() sleeps this long on every (re)start: its task stays INITIALIZING, like a slow state
   * restore, and checkpoints triggered meanwhile fail ("Not all required tasks are currently running").
   */
  openDelayMs?: number;
  timeoutMs?: number;
}

/** Submits StackProofJob detached over REST (flink-clients RemoteStreamEnvironment); returns the job id. */
export async function submitJob(cluster: FlinkCluster, o: SubmitOptions = {}): Promise<string> {
  const b = cluster.build;
  const args = [
    "-Xmx256m",
    ...JAVA17_OPTS,
    `-Dlog.file=${join(cluster.workDir, "log", "client.log")}`,
    `-Dlog4j.configurationFile=file:${LOG4J_CONF}`,
    "-cp",
    [...b.clusterClasspath, b.jobJar].join(":"),
    "flinkstack.StackProofJob",
    "--submit-to",
    `localhost:${cluster.restPort}`,
    "--jar",
    b.jobJar,
    "--name",
    o.name ?? "StackProofJob",
    "--parallelism",
    String(o.parallelism ?? 2),
    "--rate",
    String(o.rate ?? 200),
    "--checkpoint-ms",
    String(o.checkpointMs ?? 2000),
    "--restart-delay-ms",
    String(o.restartDelayMs ?? 1000),
    ...(o.failOnceFile ? ["--fail-once-file", o.failOnceFile] : []),
    ...(o.failFile ? ["--fail-file", o.failFile] : []),
    ...(o.openDelayMs ? ["--open-delay-ms", String(o.openDelayMs)] : []),
  ];
  const child = spawn("java", args, { cwd: cluster.workDir, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 120000);
  const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
  clearTimeout(timer);
  const m = /JOB_ID=([0-9a-f]{32})/.exec(out);
  if (code !== 0 || !m?.[1]) throw new Error(`job submission failed (exit ${code}):\n${out}\n${tailOf(join(cluster.workDir, "log", "client.log"))}`);
  return m[1];
}

export interface JobDetails {
  jid: string;
  name: string;
  state: string;
  vertices: Array<{ id: string; name: string; status: string; parallelism: number; tasks: Record<string, number> }>;
}

/** Waits until the job is RUNNING with every subtask RUNNING. Returns the job details. */
export async function waitForRunningJob(cluster: FlinkCluster, jobId?: string, timeoutMs = 60000): Promise<JobDetails> {
  return waitFor(
    `job ${jobId ?? "(any)"} RUNNING with all subtasks running`,
    async () => {
      let id = jobId;
      if (!id) {
        const jobs = await restGet<{ jobs: Array<{ id: string; status: string }> }>(cluster, "/jobs");
        id = jobs.jobs.find((j) => j.status === "RUNNING")?.id;
        if (!id) return undefined;
      }
      const d = await restGet<JobDetails>(cluster, `/jobs/${id}`);
      if (d.state !== "RUNNING") return undefined;
      return d.vertices.every((v) => v.status === "RUNNING" && (v.tasks.RUNNING ?? 0) === v.parallelism) ? d : undefined;
    },
    timeoutMs,
  );
}

/** A job-level metric (e.g. numRestarts) from the JobManager REST API (cached for metrics.fetcher.update-interval). */
export async function jobMetric(cluster: FlinkCluster, jobId: string, metric: string): Promise<number | undefined> {
  const r = await restGet<Array<{ id: string; value: string }>>(cluster, `/jobs/${jobId}/metrics?get=${encodeURIComponent(metric)}`);
  const v = r[0]?.value;
  return v === undefined ? undefined : Number(v);
}

/** Writes a Flink config file into a (new) conf dir. */
export function writeConfDir(dir: string, fileName: "config.yaml" | "flink-conf.yaml", content: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, fileName), content);
  return dir;
}

/** Cancels a job over REST (PATCH /jobs/<id>?mode=cancel); the JobManager keeps running with no job. */
export async function cancelJob(cluster: FlinkCluster, jobId: string, timeoutMs = 30000): Promise<void> {
  const res = await fetch(`${cluster.restUrl}/jobs/${jobId}?mode=cancel`, { method: "PATCH", signal: AbortSignal.timeout(5000) });
  if (!res.ok && res.status !== 202) throw new Error(`cancel ${jobId}: HTTP ${res.status} ${await res.text()}`);
  await waitFor(
    `job ${jobId} CANCELED`,
    async () => ((await restGet<JobDetails>(cluster, `/jobs/${jobId}`)).state === "CANCELED" ? true : undefined),
    timeoutMs,
  );
}
