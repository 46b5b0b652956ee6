// What Prometheus itself says about the stack: its targets, loaded rules and Alertmanagers.
import type Dockerode from "dockerode";
import { PORT_POOL_LABEL, type StackPlan } from "../plan/types.js";
import type { Engine } from "./connect.js";
import { requestJson } from "./http.js";
import type { RulesSummary, TargetHealth } from "./types.js";

export const PROMETHEUS_PORT = 9090;

export interface TargetsAnswer {
  data?: {
    activeTargets?: Array<{
      scrapePool?: string;
      scrapeUrl?: string;
      lastError?: string;
      health?: string;
      labels?: Record<string, string>;
      discoveredLabels?: Record<string, string>;
    }>;
  };
}

export interface RulesAnswer {
  data?: { groups?: Array<{ name?: string; file?: string; rules?: unknown[] }> };
}

export interface AlertmanagersAnswer {
  data?: { activeAlertmanagers?: Array<{ url?: string }> };
}

function hostOf(address: string): string {
  const withoutScheme = address.replace(/^[a-z]+:\/\//i, "");
  const hostPort = withoutScheme.split("/")[0] ?? "";
  if (hostPort.startsWith("[")) return hostPort.slice(1, hostPort.indexOf("]"));
  return hostPort.split(":")[0] ?? "";
}

/** Hosts that mean "a service of this stack" inside the stack's network. */
export function localHosts(serviceNames: Iterable<string>): Set<string> {
  return new Set(["localhost", "127.0.0.1", ...serviceNames]);
}

/** The targets in the plan that are services of this stack: `job → targets` (they must be up). */
export function expectedLocalTargets(plan: StackPlan): Array<{ job: string; target: string }> {
  const hosts = localHosts(plan.services.map((s) => s.name));
  const expected: Array<{ job: string; target: string }> = [];
  for (const job of plan.scrapeJobs) {
    // Flink processes are not the stack's: they may be down, or (ports of a shared range) bound by nobody.
    if (job.kind === "flink") continue;
    for (const group of job.targetGroups) {
      for (const target of group.targets) if (hosts.has(hostOf(target))) expected.push({ job: job.name, target });
    }
  }
  return expected;
}

export async function fetchTargets(
  engine: Engine,
  prometheus: Dockerode.ContainerInspectInfo,
  serviceNames: Iterable<string>,
  port = PROMETHEUS_PORT,
): Promise<{ targets: TargetHealth[] | undefined; error: string | undefined; raw: TargetsAnswer | undefined }> {
  const { answer, json } = await requestJson<TargetsAnswer>(engine, prometheus, port, TARGETS_PATH);
  if (!json?.data)
    return {
      targets: undefined,
      error: `${answer.via}: ${answer.ok ? "unexpected answer" : answer.body.slice(0, 200) || "no answer"}`,
      raw: undefined,
    };
  return { targets: targetHealth(json, serviceNames), error: undefined, raw: json };
}

export const TARGETS_PATH = "/api/v1/targets?state=active";
export const RULES_PATH = "/api/v1/rules";
export const ALERTMANAGERS_PATH = "/api/v1/alertmanagers";

/** The targets of an /api/v1/targets answer, with what `up` and `status` need to judge them. */
export function targetHealth(json: TargetsAnswer, serviceNames: Iterable<string>): TargetHealth[] {
  const hosts = localHosts(serviceNames);
  return (json.data?.activeTargets ?? []).map((t): TargetHealth => {
    const address = t.discoveredLabels?.__address__ ?? t.scrapeUrl ?? "";
    return {
      job: t.scrapePool ?? t.labels?.job ?? "",
      instance: t.labels?.instance ?? address,
      health: t.health === "up" ? "up" : t.health === "down" ? "down" : "unknown",
      lastError: t.lastError ?? "",
      // A port of a shared reporter range may be bound by nobody: never a problem of the stack itself.
      local: hosts.has(hostOf(address)) && t.labels?.[PORT_POOL_LABEL] === undefined,
      ...(t.labels?.[PORT_POOL_LABEL] === undefined ? {} : { sharedBy: Number(t.labels[PORT_POOL_LABEL]) }),
    };
  });
}

/**
 * What the targets' health means for `status`: a stack service down is a problem, anything else down a warning.
 * Ports of a shared reporter range count per host: a port nobody bound is down by design, fewer answering
 * ports than processes sharing the range is a warning.
 */
export function targetFindings(targets: readonly TargetHealth[]): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const t of targets.filter((t) => t.health !== "up" && t.sharedBy === undefined)) {
    (t.local ? problems : warnings).push(`Prometheus target ${t.job}/${t.instance} is ${t.health}${t.lastError ? `: ${t.lastError}` : ""}`);
  }
  const pools = new Map<string, { size: number; up: number }>();
  for (const t of targets) {
    if (t.sharedBy === undefined) continue;
    const key = `${t.job}/${t.instance.replace(/:\d+$/, "")}`;
    const pool = pools.get(key) ?? { size: t.sharedBy, up: 0 };
    if (t.health === "up") pool.up++;
    pools.set(key, pool);
  }
  for (const [where, pool] of pools) {
    if (pool.up < pool.size)
      warnings.push(`Prometheus targets ${where}: ${pool.up} of the ${pool.size} Flink processes sharing its port range answer`);
  }
  return { problems, warnings };
}

/** Which expected local targets are not (yet) up, as `job/target (health: error)`. */
export function missingLocalTargets(expected: ReadonlyArray<{ job: string; target: string }>, raw: TargetsAnswer | undefined): string[] {
  const active = raw?.data?.activeTargets ?? [];
  const problems: string[] = [];
  for (const { job, target } of expected) {
    const found = active.find((t) => (t.scrapePool ?? t.labels?.job) === job && (t.discoveredLabels?.__address__ ?? "") === target);
    if (!found) problems.push(`${job}/${target} (not among Prometheus's targets)`);
    else if (found.health !== "up") problems.push(`${job}/${target} (${found.health ?? "unknown"}${found.lastError ? `: ${found.lastError}` : ""})`);
  }
  return problems;
}

export async function fetchRules(
  engine: Engine,
  prometheus: Dockerode.ContainerInspectInfo,
  port = PROMETHEUS_PORT,
): Promise<{ summary: RulesSummary | undefined; error: string | undefined }> {
  const { answer, json } = await requestJson<RulesAnswer>(engine, prometheus, port, RULES_PATH);
  if (!json?.data) return { summary: undefined, error: `${answer.via}: ${answer.body.slice(0, 200) || "no answer"}` };
  return { summary: rulesSummary(json), error: undefined };
}

export function rulesSummary(json: RulesAnswer): RulesSummary {
  const groups = json.data?.groups ?? [];
  return {
    groups: groups.length,
    rules: groups.reduce((n, g) => n + (g.rules?.length ?? 0), 0),
    files: [...new Set(groups.map((g) => g.file ?? ""))].filter(Boolean).sort(),
  };
}

export async function fetchAlertmanagers(
  engine: Engine,
  prometheus: Dockerode.ContainerInspectInfo,
  port = PROMETHEUS_PORT,
): Promise<string[] | undefined> {
  const { json } = await requestJson<AlertmanagersAnswer>(engine, prometheus, port, ALERTMANAGERS_PATH);
  return json?.data ? (json.data.activeAlertmanagers ?? []).map((a) => a.url ?? "") : undefined;
}
