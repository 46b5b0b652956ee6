// The checks `up` and `waitForStack` end with (see ready.ts): Prometheus's own view of the stack — every target
// of the stack up, the generated rule files loaded, its Alertmanager found. Apart, so that the public
// declarations of ready.ts name no dockerode type.
import type Dockerode from "dockerode";
import type { StackPlan } from "../plan/types.js";
import { requireHttpEndpoint } from "../plan/wait.js";
import type { Engine } from "./connect.js";
import { DockerError } from "./errors.js";
import { expectedLocalTargets, fetchAlertmanagers, fetchRules, fetchTargets, missingLocalTargets } from "./prometheus.js";
import type { ReadyResult, RulesSummary, TargetHealth } from "./types.js";
import { notReady, pollUntil, ruleFilesWithGroups, type Emit, type WaitContext } from "./wait.js";

export async function verifyPrometheusView(
  engine: Engine,
  plan: StackPlan,
  promInfo: Dockerode.ContainerInspectInfo | undefined,
  files: ReadonlyMap<string, Buffer>,
  wait: WaitContext,
): Promise<ReadyResult> {
  const { docker } = engine as { docker: Dockerode };
  const emit: Emit = wait.emit;
  const seconds = `${Math.round(wait.timeoutMs / 1000)}s (timeoutMs ${wait.timeoutMs})`;
  const prometheus = plan.services.find((s) => s.name === "prometheus");
  if (!prometheus || !promInfo) return { targets: undefined, rules: undefined };
  const port = requireHttpEndpoint(prometheus).port;
  let targets: TargetHealth[] | undefined;
  let rules: RulesSummary | undefined;

  // The three questions are independent: asked side by side, the rules and Alertmanager answers arrive while
  // the first scrapes are still pending.
  const expected = expectedLocalTargets(plan);
  emit({ step: "verify", service: "prometheus", message: `Waiting for Prometheus to scrape ${expected.length} target(s) of the stack` });
  const targetsUp = pollUntil(wait, async () => {
    const fetched = await fetchTargets(
      engine,
      promInfo,
      plan.services.map((s) => s.name),
      port,
    );
    if (!fetched.targets) return fetched.error;
    targets = fetched.targets;
    const problems = missingLocalTargets(expected, fetched.raw);
    return problems.length > 0 ? problems.join(", ") : undefined;
  }).then((problem) => {
    if (problem !== undefined) {
      throw new DockerError("E_NOT_READY", `Prometheus does not report all of the stack's own targets up within ${seconds}: ${problem}.`, {
        service: "prometheus",
      });
    }
  });

  const expectedRules = ruleFilesWithGroups(plan, prometheus, files);
  emit({ step: "verify", service: "prometheus", message: `Checking that Prometheus loaded ${expectedRules.length} rule file(s)` });
  const rulesLoaded = pollUntil(wait, async () => {
    const fetched = await fetchRules(engine, promInfo, port);
    if (!fetched.summary) return fetched.error;
    rules = fetched.summary;
    const loaded = new Set(fetched.summary.files);
    const absent = expectedRules.filter((file) => !loaded.has(file));
    return absent.length > 0 ? `not loaded: ${absent.join(", ")}` : undefined;
  }).then(async (problem) => {
    if (problem !== undefined) {
      throw await notReady(docker, prometheus, promInfo.Id, `did not load the generated alert rules within ${seconds} (${problem})`);
    }
  });

  // Prometheus is pointed at an Alertmanager exactly when the stack runs one (render/prometheus.ts).
  const alertmanagerFound = !plan.services.some((s) => s.name === "alertmanager")
    ? Promise.resolve()
    : pollUntil(wait, async () => {
        const urls = await fetchAlertmanagers(engine, promInfo, port);
        return urls && urls.length > 0 ? undefined : "Prometheus has found no Alertmanager";
      }).then((problem) => {
        if (problem !== undefined) {
          throw new DockerError("E_NOT_READY", `${problem} within ${seconds}; check alerting in prometheus.yml.`, { service: "prometheus" });
        }
      });

  const outcomes = await Promise.allSettled([targetsUp, rulesLoaded, alertmanagerFound]);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failed) throw failed.reason;
  return { targets, rules };
}
