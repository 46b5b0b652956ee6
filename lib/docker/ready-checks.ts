// The readiness checks `up` and `waitForStack` end with (see ready.ts); apart, so that the public declarations
// of ready.ts name no dockerode type.
import type Dockerode from "dockerode";
import type { ServiceName, StackPlan } from "../plan/types.js";
import type { Engine } from "./connect.js";
import { DockerError } from "./errors.js";
import { requestService } from "./http.js";
import { expectedLocalTargets, fetchAlertmanagers, fetchRules, fetchTargets, missingLocalTargets } from "./prometheus.js";
import type { ReadyResult } from "./ready.js";
import type { RulesSummary, TargetHealth } from "./types.js";
import { notReady, pollUntil, ruleFilesWithGroups, type Emit, type WaitContext } from "./wait.js";

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

  if (plan.alerting.enabled && plan.services.some((s) => s.name === "alertmanager")) {
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

