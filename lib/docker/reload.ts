// Applying changed config files to a running Prometheus or Alertmanager without recreating it.
//
// Two facts decide how:
// - A file bind mount (./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml) pins the inode that existed at
//   container start. writeArtifacts replaces files atomically (temp file + rename), so after a regenerate the
//   container still sees the *old* file and a reload would re-read old content. A restart re-resolves the
//   mount. So a changed file-mounted config means restart; a changed file under a directory mount means reload.
// - With --web.enable-lifecycle (the plan adds it while ports are bound to loopback) POST /-/reload answers
//   after the reload, with the error if the config is rejected. Without it, the plan's reloadSignal (SIGHUP)
//   is sent and the outcome is read from the service's own metrics
//   (<service>_config_last_reload_successful / _success_timestamp_seconds).
import fs from "node:fs/promises";
import path from "node:path";
import type Dockerode from "dockerode";
import type { ServicePlan } from "../plan/types.js";
import { requireHttpEndpoint } from "../plan/wait.js";
import type { Engine } from "./connect.js";
import { engineMessage, lastLogLines, sleep } from "./engine.js";
import { DockerError } from "./errors.js";
import { requestService } from "./http.js";
import { resolveSource } from "./spec.js";

function normalize(p: string): string {
  return path.posix.normalize(p.replace(/\\/g, "/")).replace(/^\.\//, "").replace(/\/$/, "");
}

/**
 * Config files the running container cannot see in their current version: files bind-mounted one by one
 * whose file on disk is newer than the container's start (writeArtifacts only rewrites changed files, and it
 * replaces them by rename, so a newer file is a new inode the mount does not show). Directory mounts always
 * show the current files. (The engine's archive API cannot tell: it reads bind-mounted paths on the host.)
 */
export async function staleInContainer(info: Dockerode.ContainerInspectInfo, service: ServicePlan, outDir: string): Promise<string[]> {
  const started = Date.parse(info.State.StartedAt);
  const stale: string[] = [];
  for (const file of service.configFiles) {
    const fileMounted = service.mounts.some((m) => m.type === "bind" && normalize(m.source) === normalize(file));
    if (!fileMounted) continue;
    try {
      const { mtimeMs } = await fs.stat(resolveSource(outDir, file));
      if (!Number.isFinite(started) || mtimeMs > started) stale.push(file);
    } catch {
      // absent: nothing the container could see either
    }
  }
  return stale;
}

function metricValue(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+(\\S+)`, "m").exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

async function reloadMetrics(engine: Engine, info: Dockerode.ContainerInspectInfo, service: ServicePlan) {
  const answer = await requestService(engine, info, requireHttpEndpoint(service).port, "/metrics");
  if (!answer.ok) return undefined;
  return {
    successful: metricValue(answer.body, `${service.name}_config_last_reload_successful`),
    timestamp: metricValue(answer.body, `${service.name}_config_last_reload_success_timestamp_seconds`),
  };
}

/** Reloads the service's configuration in place; throws E_NOT_READY when the service rejects it. */
export async function reloadService(engine: Engine, info: Dockerode.ContainerInspectInfo, service: ServicePlan, timeoutMs = 30_000): Promise<string> {
  const rejected = async (how: string, detail: string) => {
    const logs = await lastLogLines(engine.docker.getContainer(info.Id), 10);
    return new DockerError(
      "E_NOT_READY",
      `${service.name} did not accept its new configuration (${how}): ${detail}. It keeps running with the previous configuration; fix the config and run up again.`,
      { service: service.name, logs },
    );
  };
  if (service.command.includes("--web.enable-lifecycle")) {
    const answer = await requestService(engine, info, requireHttpEndpoint(service).port, "/-/reload", { method: "POST", timeoutMs });
    if (!answer.ok) throw await rejected(`POST /-/reload via ${answer.via}`, answer.body.trim().slice(0, 500) || `HTTP ${answer.status}`);
    return "POST /-/reload";
  }
  const signal = service.reloadSignal ?? "SIGHUP";
  const before = await reloadMetrics(engine, info, service);
  try {
    await engine.docker.getContainer(info.Id).kill({ signal });
  } catch (error) {
    throw new DockerError(
      "E_DOCKER",
      `Sending ${signal} to ${service.name} failed: ${engineMessage(error)}`,
      { service: service.name },
      { cause: error },
    );
  }
  if (before?.timestamp === undefined) return signal; // the service does not report reloads: trust the signal
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await reloadMetrics(engine, info, service);
    if (now?.timestamp !== undefined && now.timestamp > before.timestamp && now.successful === 1) return signal;
    if (now?.successful === 0 && Date.now() - (deadline - timeoutMs) > 1000) {
      throw await rejected(signal, `${service.name}_config_last_reload_successful is 0`);
    }
    if (Date.now() > deadline) throw await rejected(signal, `no successful reload reported within ${Math.round(timeoutMs / 1000)}s`);
    await sleep(200);
  }
}
