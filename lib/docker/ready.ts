// Real readiness, not just "container started": each service's readiness endpoint answers (Prometheus,
// Pushgateway, Alertmanager /-/ready, Grafana /api/health, node_exporter /metrics), then Prometheus reports
// every target of the stack up, has loaded the generated rule files, and has found its Alertmanager.
// `up` runs this after its containers are healthy; `waitForStack` runs it on whatever runs under the project's
// labels (a stack docker-compose started, too).
import path from "node:path";
import type Dockerode from "dockerode";
import type { ServiceName, StackPlan } from "../plan/types.js";
import { connect, type Engine } from "./connect.js";
import { listProjectContainers } from "./engine.js";
import { DockerError } from "./errors.js";
import { requestService } from "./http.js";
import { readPlanFiles } from "./inputs.js";
import { LABEL_CONTAINER_NUMBER, LABEL_ONEOFF, LABEL_SERVICE } from "./labels.js";
import { expectedLocalTargets, fetchAlertmanagers, fetchRules, fetchTargets, missingLocalTargets } from "./prometheus.js";
import type { CommonOptions, RulesSummary, TargetHealth } from "./types.js";
import { notReady, pollUntil, ruleFilesWithGroups, type Emit, type WaitContext } from "./wait.js";

export interface ReadyResult {
  readonly targets: TargetHealth[] | undefined;
  readonly rules: RulesSummary | undefined;
}

export async function verifyReady(
  engine: Engine,
  plan: StackPlan,
  inspects: ReadonlyMap<ServiceName, Dockerode.ContainerInspectInfo>,
  files: ReadonlyMap<string, Buffer>,
  wait: WaitContext,
): Promise<ReadyResult> {
  const { docker } = engine;
  const emit: Emit = wait.emit;
  const seconds = `${Math.round(wait.timeoutMs / 1000)}s (timeoutMs ${wait.timeoutMs})`;
  await Promise.all(
    plan.services.map(async (service) => {
      const info = inspects.get(service.name);
      if (!info) throw new DockerError("E_NOT_READY", `${service.name} has no container.`, { service: service.name });
      emit({ step: "ready", service: service.name, message: `Checking ${service.name} ${service.readiness.path}` });
      let last = "";
      const problem = await pollUntil(wait, async () => {
        const answer = await requestService(engine, info, service.readiness.port, service.readiness.path);
        last = answer.via;
        return answer.ok ? undefined : answer.status ? `HTTP ${answer.status}` : answer.body.trim().slice(0, 200);
      });
      if (problem !== undefined) {
        throw await notReady(docker, service, info.Id, `did not answer ${service.readiness.path} within ${seconds}; last try ${last}: ${problem}`);
      }
    }),
  );

  const prometheus = plan.services.find((s) => s.name === "prometheus");
  const promInfo = inspects.get("prometheus");
  if (!prometheus || !promInfo) return { targets: undefined, rules: undefined };
  const port = prometheus.readiness.port;
  let targets: TargetHealth[] | undefined;
  let rules: RulesSummary | undefined;

  const expected = expectedLocalTargets(plan);
  emit({ step: "verify", service: "prometheus", message: `Waiting for Prometheus to scrape ${expected.length} target(s) of the stack` });
  const targetProblem = await pollUntil(wait, async () => {
    const fetched = await fetchTargets(engine, promInfo, plan.services.map((s) => s.name), port);
    if (!fetched.targets) return fetched.error;
    targets = fetched.targets;
    const problems = missingLocalTargets(expected, fetched.raw);
    return problems.length > 0 ? problems.join(", ") : undefined;
  });
  if (targetProblem !== undefined) {
    throw new DockerError("E_NOT_READY", `Prometheus does not report all of the stack's own targets up within ${seconds}: ${targetProblem}.`, {
      service: "prometheus",
    });
  }

  const expectedRules = await ruleFilesWithGroups(plan, prometheus, files);
  emit({ step: "verify", service: "prometheus", message: `Checking that Prometheus loaded ${expectedRules.length} rule file(s)` });
  const rulesProblem = await pollUntil(wait, async () => {
    const fetched = await fetchRules(engine, promInfo, port);
    if (!fetched.summary) return fetched.error;
    rules = fetched.summary;
    const loaded = new Set(fetched.summary.files);
    const absent = expectedRules.filter((file) => !loaded.has(file));
    return absent.length > 0 ? `not loaded: ${absent.join(", ")}` : undefined;
  });
  if (rulesProblem !== undefined) {
    throw await notReady(docker, prometheus, promInfo.Id, `did not load the generated alert rules within ${seconds} (${rulesProblem})`);
  }

  if (plan.config.alerting.enabled && plan.services.some((s) => s.name === "alertmanager")) {
    const amProblem = await pollUntil(wait, async () => {
      const urls = await fetchAlertmanagers(engine, promInfo, port);
      return urls && urls.length > 0 ? undefined : "Prometheus has found no Alertmanager";
    });
    if (amProblem !== undefined) {
      throw new DockerError("E_NOT_READY", `${amProblem} within ${seconds}; check alerting in prometheus.yml.`, { service: "prometheus" });
    }
  }
  return { targets, rules };
}

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
      if (!container || container.State !== "running") return `${service.name} is not running`;
      inspects.set(service.name, await engine.docker.getContainer(container.Id).inspect());
    }
    return undefined;
  });
  if (problem !== undefined) throw new DockerError("E_NOT_READY", `Stack ${plan.project} is not running within ${Math.round(timeoutMs / 1000)}s: ${problem}.`);
  return verifyReady(engine, plan, inspects, files, wait);
}
