// The no-change path of `up`: when every container of the plan already runs with the current spec, is
// healthy, and has applied its current config files, `up` only has to say so, after the same readiness checks
// (readiness endpoints, Prometheus targets up, rules loaded, Alertmanager found) done once, all at the same
// time. It reads the engine over plain HTTP (engine-http.ts) and never loads dockerode. Anything unusual
// (a container to create, start, reload or remove, an orphan, a check that fails) returns undefined and the
// full path runs, which knows how to act and how to explain.
import path from "node:path";
import type { ServiceName, ServicePlan, StackPlan } from "../plan/types.js";
import { resolveEndpoint } from "./endpoint.js";
import { getText, openEngineReader, type EngineReader } from "./engine-http.js";
import { APPLIED_MARKER_DIR, APPLIED_MARKER_FILE, untarFirstFile } from "./engine.js";
import { buildSpecs, draftImages, missingBindSources, readPlanFiles } from "./inputs.js";
import { LABEL_CONFIG_HASH, LABEL_FILES_HASH, LABEL_ONEOFF, LABEL_SERVICE, networkEngineName, projectFilter, volumeEngineName } from "./labels.js";
import {
  ALERTMANAGERS_PATH,
  RULES_PATH,
  TARGETS_PATH,
  expectedLocalTargets,
  missingLocalTargets,
  rulesSummary,
  targetHealth,
  type AlertmanagersAnswer,
  type RulesAnswer,
  type TargetsAnswer,
} from "./prometheus.js";
import type { ContainerDraft } from "./compose-spec.js";
import type { ContainerSpec } from "./spec.js";
import { httpEndpoint, httpWaits, requireHttpEndpoint, type WaitStrategy } from "../plan/wait.js";
import type { UpOptions, UpResult } from "./types.js";
import { unloadedRuleFiles, type Emit } from "./wait.js";

/** The fields of the engine's container list this path reads. */
export interface ListedContainer {
  readonly Id: string;
  readonly Names: readonly string[];
  readonly Labels: Readonly<Record<string, string>>;
  readonly State: string;
  readonly Status: string;
  readonly Ports?: ReadonlyArray<{ readonly IP?: string; readonly PrivatePort: number; readonly PublicPort?: number; readonly Type?: string }>;
  readonly NetworkSettings?: { readonly Networks?: Readonly<Record<string, unknown>> };
  readonly Mounts?: ReadonlyArray<{ readonly Type?: string; readonly Name?: string }>;
}

function hasHealthcheck(spec: ContainerSpec): boolean {
  return spec.healthTest[0] !== "NONE" && spec.healthTest.length > 0;
}

/**
 * Why the listed containers are not exactly the plan, running and healthy (undefined: they are). `applied`
 * holds the config-files hash each reloadable container has applied (its marker, else its label).
 */
export function steadyProblem(
  plan: StackPlan,
  specs: ReadonlyMap<ServiceName, ContainerSpec>,
  containers: readonly ListedContainer[],
  applied: ReadonlyMap<string, string | undefined>,
  options: { readonly probed: boolean },
): string | undefined {
  const network = networkEngineName(plan.project, plan.networkName);
  const own = containers.filter((c) => c.Labels[LABEL_ONEOFF] !== "True");
  const planned = new Set<string>(plan.services.map((s) => s.name));
  const stray = own.find((c) => !planned.has(c.Labels[LABEL_SERVICE] ?? ""));
  if (stray) return `container ${stray.Names[0] ?? stray.Id} is not in the plan`;
  const volumes = new Set<string>();
  for (const service of plan.services) {
    const spec = specs.get(service.name);
    const candidates = own.filter((c) => c.Labels[LABEL_SERVICE] === service.name);
    if (!spec || candidates.length !== 1) return `${service.name} has ${candidates.length} containers`;
    const container = candidates[0]!;
    if (!container.Names.some((n) => n.replace(/^\//, "") === spec.name)) return `${service.name}'s container is not named ${spec.name}`;
    if (container.Labels[LABEL_CONFIG_HASH] !== spec.configHash) return `${service.name}'s configuration changed`;
    if (container.State !== "running") return `${service.name} is ${container.State}`;
    // Right after a start the engine's first check is still pending ("health: starting"); the readiness probe of
    // the same endpoint (`probed`) then stands in for it, as waitHealthy's own probe does.
    const healthy = container.Status.includes("(healthy)") || (options.probed && container.Status.includes("(health: starting)"));
    if (hasHealthcheck(spec) && !healthy) return `${service.name} is not healthy (${container.Status})`;
    if (spec.filesHash && (applied.get(container.Id) ?? container.Labels[LABEL_FILES_HASH]) !== spec.filesHash) {
      return `${service.name}'s config files changed`;
    }
    if (!Object.keys(container.NetworkSettings?.Networks ?? {}).includes(network)) return `${service.name} is not on network ${network}`;
    for (const mount of container.Mounts ?? []) if (mount.Type === "volume" && mount.Name) volumes.add(mount.Name);
  }
  const unmounted = plan.volumes.map((v) => volumeEngineName(plan.project, v.name)).find((name) => !volumes.has(name));
  return unmounted ? `volume ${unmounted} is not in use` : undefined;
}

/** The loopback base URL of a container port published on this machine. */
export function publishedBase(container: ListedContainer, containerPort: number): string | undefined {
  const port = container.Ports?.find((p) => p.PrivatePort === containerPort && p.PublicPort && (p.Type ?? "tcp") === "tcp");
  if (!port?.PublicPort) return undefined;
  const ip = port.IP ?? "";
  const host = !ip || ip === "0.0.0.0" ? "127.0.0.1" : ip === "::" ? "[::1]" : ip.includes(":") ? `[${ip}]` : ip;
  return `http://${host}:${port.PublicPort}`;
}

function webUrl(container: ListedContainer, service: ServicePlan): string | undefined {
  const endpoint = httpEndpoint(service);
  return endpoint ? publishedBase(container, endpoint.port) : undefined;
}

function hasLogWait(strategy: WaitStrategy): boolean {
  return strategy.kind === "log" || (strategy.kind === "all" && strategy.strategies.some(hasLogWait));
}

function parse<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

async function appliedMarker(reader: EngineReader, id: string): Promise<string | undefined> {
  const answer = await reader.get(`/containers/${id}/archive?path=${encodeURIComponent(`${APPLIED_MARKER_DIR}${APPLIED_MARKER_FILE}`)}`);
  return answer.status === 200 ? untarFirstFile(answer.body)?.trim() || undefined : undefined;
}

/**
 * `up` when nothing is to be done: the result, or undefined when the full path must run. Never throws for the
 * engine's or the stack's state (the full path reports those).
 */
export async function upIfSteady(
  plan: StackPlan,
  drafts: ReadonlyMap<ServiceName, ContainerDraft>,
  options: UpOptions,
  emit: Emit,
  began: number,
): Promise<UpResult | undefined> {
  if (options.pull === "always") return undefined;
  // A log line cannot be judged from one look at the engine: the full path waits for it.
  if (plan.services.some((s) => hasLogWait(s.wait))) return undefined;
  let endpoint;
  try {
    endpoint = resolveEndpoint(options);
  } catch {
    return undefined;
  }
  if (!endpoint.local) return undefined;
  const reader = await openEngineReader(endpoint, options.connectTimeoutMs ?? 10_000);
  if (!reader) return undefined;
  const outDir = path.resolve(options.outDir);
  const images = draftImages(drafts);
  const [files, imageAnswers, listed] = await Promise.all([
    readPlanFiles(plan, outDir),
    Promise.all(images.map((image) => reader.get(`/images/${encodeURIComponent(image)}/json`))),
    reader.get(`/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify(projectFilter(plan.project)))}`),
  ]);
  if (listed.status !== 200 || imageAnswers.some((a) => a.status !== 200)) return undefined;
  const ids = new Map(images.map((image, i) => [image, parse<{ Id?: string }>(imageAnswers[i]?.body.toString("utf8"))?.Id]));
  const specs = buildSpecs(plan, drafts, ids, files);
  if ((await missingBindSources(specs.values())).length > 0) return undefined;
  const containers = parse<ListedContainer[]>(listed.body.toString("utf8")) ?? [];
  const reloadable = containers.filter((c) => specs.get(c.Labels[LABEL_SERVICE] as ServiceName)?.filesHash !== undefined);
  const markers = await Promise.all(reloadable.map((c) => appliedMarker(reader, c.Id)));
  const applied = new Map(reloadable.map((c, i) => [c.Id, markers[i]]));
  if (steadyProblem(plan, specs, containers, applied, { probed: options.wait !== false }) !== undefined) return undefined;

  const byService = new Map(plan.services.map((s) => [s.name, containers.find((c) => c.Labels[LABEL_SERVICE] === s.name)!]));
  let targets: UpResult["targets"];
  let rules: UpResult["rules"];
  if (options.wait !== false) {
    const prometheus = plan.services.find((s) => s.name === "prometheus");
    const promBase = prometheus ? publishedBase(byService.get("prometheus")!, requireHttpEndpoint(prometheus).port) : undefined;
    // Every HTTP wait of every service, through its published port (healthchecks: steadyProblem read them).
    const urls = plan.services.flatMap((s) =>
      httpWaits(s.wait).map((w) => {
        const base = publishedBase(byService.get(s.name)!, w.port);
        return base === undefined ? undefined : `${base}${w.path}`;
      }),
    );
    if (urls.some((u) => u === undefined) || (prometheus && !promBase)) return undefined; // the full path knows other ways in
    const [ready, targetsText, rulesText, amText] = await Promise.all([
      Promise.all(urls.map((url) => getText(url!))),
      promBase ? getText(`${promBase}${TARGETS_PATH}`) : undefined,
      promBase ? getText(`${promBase}${RULES_PATH}`) : undefined,
      promBase ? getText(`${promBase}${ALERTMANAGERS_PATH}`) : undefined,
    ]);
    if (ready.some((r) => r === undefined)) return undefined;
    if (prometheus) {
      const targetsJson = parse<TargetsAnswer>(targetsText);
      const rulesJson = parse<RulesAnswer>(rulesText);
      if (!targetsJson?.data || !rulesJson?.data) return undefined;
      if (missingLocalTargets(expectedLocalTargets(plan), targetsJson).length > 0) return undefined;
      rules = rulesSummary(rulesJson);
      if (unloadedRuleFiles(plan, prometheus, files, new Set(rules.files)).length > 0) return undefined;
      // Prometheus is pointed at an Alertmanager exactly when the stack runs one (render/prometheus.ts).
      if (plan.services.some((s) => s.name === "alertmanager")) {
        if ((parse<AlertmanagersAnswer>(amText)?.data?.activeAlertmanagers ?? []).length === 0) return undefined;
      }
      targets = targetHealth(
        targetsJson,
        plan.services.map((s) => s.name),
      );
    }
  }
  emit({ step: "engine", message: `Docker engine ${reader.serverVersion} at ${endpoint.url} (API ${reader.apiVersion})` });
  const summary = `Stack ${plan.project} is up to date: nothing changed`;
  emit({ step: "done", message: summary });
  return {
    project: plan.project,
    engine: { endpoint: endpoint.url, version: reader.serverVersion, apiVersion: reader.apiVersion },
    network: { name: networkEngineName(plan.project, plan.networkName), created: false },
    volumes: plan.volumes.map((v) => ({ name: volumeEngineName(plan.project, v.name), created: false })),
    pulled: [],
    services: plan.services.map((service) => {
      const container = byService.get(service.name)!;
      return {
        name: service.name,
        container: specs.get(service.name)?.name ?? service.name,
        id: container.Id,
        image: service.image,
        action: "unchanged" as const,
        reason: undefined,
        url: plan.urls[service.name] ?? webUrl(container, service),
      };
    }),
    orphans: [],
    changed: false,
    targets,
    rules,
    durationMs: Date.now() - began,
  };
}
