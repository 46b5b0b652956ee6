// After the demo is up: wait until Prometheus holds the demo cluster's series (JobManager and TaskManager), i.e.
// the reporter → (Pushgateway →) Prometheus path works. Asks Prometheus on its published URL.
import type { StackPlan } from "../plan/types.js";
import { DEMO_CLUSTER } from "./demo.js";

/** One JobManager and one TaskManager series of the demo cluster; both exist in every Flink version. */
export const DEMO_PROBE_SERIES = ["flink_jobmanager_numRegisteredTaskManagers", "flink_taskmanager_Status_JVM_Memory_Heap_Used"] as const;

export interface DemoMetricsResult {
  readonly ok: boolean;
  /** Series found (of DEMO_PROBE_SERIES). */
  readonly found: readonly string[];
  /** Why not, when not ok. */
  readonly problem: string | undefined;
}

async function present(prometheusUrl: string, name: string): Promise<boolean> {
  const query = encodeURIComponent(`count(${name}{cluster="${DEMO_CLUSTER}"})`);
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${query}`, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = (await response.json()) as { data?: { result?: unknown[] } };
  return (body.data?.result?.length ?? 0) > 0;
}

/** Polls until every probe series is in Prometheus, or `timeoutMs` passes (never throws). */
export async function waitForDemoMetrics(plan: StackPlan, timeoutMs: number, signal?: AbortSignal): Promise<DemoMetricsResult> {
  const prometheusUrl = plan.urls.prometheus;
  if (!prometheusUrl) return { ok: false, found: [], problem: "the stack has no Prometheus URL" };
  const deadline = Date.now() + timeoutMs;
  let found: string[] = [];
  let problem = "no answer yet";
  for (;;) {
    try {
      found = [];
      for (const name of DEMO_PROBE_SERIES) if (await present(prometheusUrl, name)) found.push(name);
      if (found.length === DEMO_PROBE_SERIES.length) return { ok: true, found, problem: undefined };
      problem = `Prometheus at ${prometheusUrl} has no ${DEMO_PROBE_SERIES.filter((n) => !found.includes(n)).join(", ")}{cluster="${DEMO_CLUSTER}"} yet`;
    } catch (error) {
      problem = `cannot query Prometheus at ${prometheusUrl}: ${(error as Error).cause ? String((error as Error).cause) : String(error)}`;
    }
    if (signal?.aborted || Date.now() > deadline) return { ok: false, found, problem };
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
