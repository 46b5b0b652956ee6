// Waiting: a container's healthcheck, and polling until something holds, both bounded by one deadline.
import type Dockerode from "dockerode";
import yaml from "js-yaml";
import type { ServicePlan, StackPlan } from "../plan/types.js";
import { execIn, exitCodesSince, lastLogLines, sleep } from "./engine.js";
import { DockerError } from "./errors.js";
import { containerPathOf } from "./inputs.js";
import type { ProgressEvent } from "./types.js";

export type Emit = (event: ProgressEvent) => void;

export function cancelled(): DockerError {
  return new DockerError("E_DOCKER", "Cancelled (the abort signal fired).");
}

export async function notReady(docker: Dockerode, service: { readonly name: string }, id: string, what: string): Promise<DockerError> {
  const logs = await lastLogLines(docker.getContainer(id), 20);
  return new DockerError("E_NOT_READY", `${service.name} ${what}.`, { service: service.name, logs });
}

function healthCommand(test: readonly string[]): string[] | undefined {
  if (test[0] === "CMD") return test.slice(1);
  if (test[0] === "CMD-SHELL" && test[1] !== undefined) return ["/bin/sh", "-c", test[1]];
  return undefined;
}

/** The container a wait is about, and what counts as "it exited" (restarts and die events after `since`). */
export interface WaitSubject {
  readonly name: string;
  readonly id: string;
  /** The healthcheck as the container runs it (after overrides.compose). */
  readonly healthTest: readonly string[];
  readonly healthTimeoutSeconds: number;
  readonly since: { readonly restartCount: number; readonly seconds: number };
}

/** Throws E_NOT_READY when the container exited or was restarted since `subject.since`. */
export async function failIfExited(docker: Dockerode, info: Dockerode.ContainerInspectInfo, subject: WaitSubject, before: string): Promise<void> {
  const state = info.State;
  const restarts = info.RestartCount - subject.since.restartCount;
  if (!(state.Status === "exited" || state.Status === "dead" || state.Restarting || restarts > 0)) return;
  // The restart policy may already have started it again: the engine's die events keep the exit code.
  const codes = await exitCodesSince(docker, subject.id, subject.since.seconds);
  const code = codes[0] ?? state.ExitCode;
  const details = [
    `code ${code}`,
    ...(state.OOMKilled ? ["out of memory"] : []),
    ...(state.Error ? [state.Error] : []),
    ...(restarts > 0 ? [`restarted ${restarts} time${restarts === 1 ? "" : "s"} by its restart policy`] : []),
  ];
  throw await notReady(docker, subject, subject.id, `exited (${details.join("; ")}) before ${before}`);
}

export interface WaitContext {
  readonly docker: Dockerode;
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly emit: Emit;
}

/**
 * Waits until the container's healthcheck passes: Docker's own status, or the healthcheck's command run by
 * us (the engine runs the first check only after one `interval`; running the same command ourselves lets a
 * dependent start as soon as its dependency really is healthy). Fails fast when the container exits or
 * restarts, or Docker declares it unhealthy.
 */
export async function waitHealthy(context: WaitContext, subject: WaitSubject): Promise<Dockerode.ContainerInspectInfo> {
  const { docker } = context;
  const container = docker.getContainer(subject.id);
  const command = healthCommand(subject.healthTest);
  // Short: an exec into a container that dies meanwhile hangs until this timeout; a slow probe just retries.
  const probeTimeout = Math.min(Math.max(subject.healthTimeoutSeconds, 1) * 1000, 2000);
  let delay = 200;
  for (;;) {
    if (context.signal.aborted) throw cancelled();
    const info = await container.inspect();
    const state = info.State;
    await failIfExited(docker, info, subject, "it became healthy");
    const health = (state as { Health?: { Status?: string; Log?: Array<{ Output?: string }> } }).Health;
    if (!command && state.Running) return info;
    if (health?.Status === "healthy") return info;
    if (health?.Status === "unhealthy") {
      const last = health.Log?.at(-1)?.Output?.trim();
      throw await notReady(
        docker,
        subject,
        subject.id,
        `is unhealthy: its healthcheck (${subject.healthTest.join(" ")}) fails${last ? ` with "${last}"` : ""}`,
      );
    }
    if (command && state.Running) {
      try {
        const result = await execIn(container, command, probeTimeout);
        if (result.exitCode === 0) return info;
      } catch {
        // not running yet, or the probe hung: try again
      }
    }
    if (Date.now() > context.deadline) {
      throw await notReady(
        docker,
        subject,
        subject.id,
        `did not become healthy within ${Math.round(context.timeoutMs / 1000)}s (timeoutMs ${context.timeoutMs}); its healthcheck is ${subject.healthTest.join(" ")}`,
      );
    }
    await sleep(delay, context.signal);
    delay = Math.min(delay * 1.5, 1000);
  }
}

/** Polls `check` until it returns undefined (ready) or the deadline passes; returns the last problem. */
export async function pollUntil(context: WaitContext, check: () => Promise<string | undefined>): Promise<string | undefined> {
  // Short steps: each check is one loopback request, and every step of delay is added to `up`'s time to ready
  // (Prometheus's first scrapes land at any moment of the interval: a 500 ms step cost 250 ms on average).
  let delay = 100;
  for (;;) {
    if (context.signal.aborted) throw cancelled();
    const problem = await check();
    if (problem === undefined) return undefined;
    if (Date.now() > context.deadline) return problem;
    await sleep(delay, context.signal);
    delay = Math.min(delay * 1.5, 250);
  }
}

function hasRuleGroups(content: Buffer): boolean {
  try {
    const doc = yaml.load(content.toString("utf8")) as { groups?: unknown[] } | undefined;
    return Array.isArray(doc?.groups) && doc.groups.length > 0;
  } catch {
    return false;
  }
}

/** The plan's rule files that hold at least one group (Prometheus lists no others), as paths in its container. */
export function ruleFilesWithGroups(plan: StackPlan, prometheus: ServicePlan, files: ReadonlyMap<string, Buffer>): string[] {
  return unloadedRuleFiles(plan, prometheus, files, new Set());
}

/**
 * The rule files with groups that Prometheus has not loaded (`loaded`: the files its rules API lists). A listed
 * file is not parsed: in the common case, every file loaded, the answer costs no YAML parse.
 */
export function unloadedRuleFiles(
  plan: StackPlan,
  prometheus: ServicePlan,
  files: ReadonlyMap<string, Buffer>,
  loaded: ReadonlySet<string>,
): string[] {
  const absent: string[] = [];
  for (const file of plan.ruleFiles) {
    const inContainer = containerPathOf(prometheus, file);
    if (!inContainer || loaded.has(inContainer)) continue;
    const content = files.get(file);
    if (content && hasRuleGroups(content)) absent.push(inContainer);
  }
  return absent;
}
