// Real readiness, not just "container started": each service's wait strategy holds (its healthcheck and its
// HTTP endpoint: Prometheus, Pushgateway, Alertmanager /-/ready, Grafana /api/health, node_exporter /metrics),
// then Prometheus reports every target of the stack up, has loaded the generated rule files, and has found its
// Alertmanager.
// `up` runs this after its containers are healthy; `waitForStack` runs it on whatever runs under the project's
// labels (a stack docker-compose started, too).
import path from "node:path";
import type Dockerode from "dockerode";
import type { ServiceName, StackPlan } from "../plan/types.js";
import { connect } from "./connect.js";
import { listProjectContainers } from "./engine.js";
import { DockerError } from "./errors.js";
import { readPlanFiles } from "./inputs.js";
import { LABEL_CONTAINER_NUMBER, LABEL_ONEOFF, LABEL_SERVICE } from "./labels.js";
import { verifyPrometheusView } from "./ready-checks.js";
import { containerDrafts } from "./spec.js";
import { waitForStrategy, waitingMessage } from "./wait-strategies.js";
import type { CommonOptions, ReadyResult } from "./types.js";
import { pollUntil, type WaitContext } from "./wait.js";

export interface WaitForStackOptions extends CommonOptions {
  /** The output directory (rule files are read from it). */
  readonly outDir: string;
  /** Default 120 000 ms. */
  readonly timeoutMs?: number;
}

/**
 * Waits until a running stack — started by `up` or by `docker-compose up -d` on the generated file — is ready:
 * the same checks `up` ends with. Throws E_NOT_READY (exit code 3) with the reason.
 */
export async function waitForStack(plan: StackPlan, options: WaitForStackOptions): Promise<ReadyResult> {
  const engine = await connect(options);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const signal = options.signal ?? new AbortController().signal;
  const wait: WaitContext = {
    docker: engine.docker,
    deadline: Date.now() + timeoutMs,
    timeoutMs,
    signal,
    emit: (event) => {
      try {
        options.onProgress?.(event);
      } catch {
        // ignore listener errors
      }
    },
  };
  const files = await readPlanFiles(plan, path.resolve(options.outDir));
  const inspects = new Map<ServiceName, Dockerode.ContainerInspectInfo>();
  const problem = await pollUntil(wait, async () => {
    const containers = (await listProjectContainers(engine.docker, plan.project)).filter((c) => c.Labels[LABEL_ONEOFF] !== "True");
    for (const service of plan.services) {
      const container =
        containers.find((c) => c.Labels[LABEL_SERVICE] === service.name && c.Labels[LABEL_CONTAINER_NUMBER] === "1") ??
        containers.find((c) => c.Labels[LABEL_SERVICE] === service.name);
      if (container?.State !== "running") return `${service.name} is not running`;
      inspects.set(service.name, await engine.docker.getContainer(container.Id).inspect());
    }
    return undefined;
  });
  if (problem !== undefined)
    throw new DockerError("E_NOT_READY", `Stack ${plan.project} is not running within ${Math.round(timeoutMs / 1000)}s: ${problem}.`);
  let drafts: ReturnType<typeof containerDrafts> | undefined;
  try {
    drafts = containerDrafts(plan, { project: plan.project, outDir: path.resolve(options.outDir) });
  } catch {
    // overrides.compose that only Compose applies: judge the healthchecks as planned
  }
  await Promise.all(
    plan.services.map(async (service) => {
      const info = inspects.get(service.name)!;
      const draft = drafts?.get(service.name);
      wait.emit({ step: "ready", service: service.name, message: waitingMessage(service.name, service.wait) });
      inspects.set(
        service.name,
        await waitForStrategy(engine, wait, service.wait, {
          name: service.name,
          id: info.Id,
          healthTest: draft?.healthTest ?? service.healthcheck.test,
          healthTimeoutSeconds: draft?.healthTimeoutSeconds ?? service.healthcheck.timeoutSeconds,
          since: { restartCount: info.RestartCount, seconds: Date.now() / 1000 },
        }),
      );
    }),
  );
  return verifyPrometheusView(engine, plan, inspects.get("prometheus"), files, wait);
}
