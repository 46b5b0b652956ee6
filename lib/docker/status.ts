// `status`: each service's container state and health (found by Compose labels, so a docker-compose stack is
// seen too), whether it matches the current files, and Prometheus's view of its targets.
import path from "node:path";
import type Dockerode from "dockerode";
import type { StackPlan } from "../plan/types.js";
import { connect } from "./connect.js";
import { bareName, dockerFailure, listProjectContainers, listProjectNetworks, listProjectVolumes, readAppliedMarker } from "./engine.js";
import { buildSpecs, draftImages, imageIds, readPlanFiles } from "./inputs.js";
import { containerDrafts } from "./spec.js";
import { httpEndpoint } from "../plan/wait.js";
import {
  LABEL_CONFIG_HASH,
  LABEL_CONTAINER_NUMBER,
  LABEL_FILES_HASH,
  LABEL_ONEOFF,
  LABEL_SERVICE,
  networkEngineName,
  volumeEngineName,
} from "./labels.js";
import { expectedLocalTargets, fetchTargets, PROMETHEUS_PORT, targetFindings } from "./prometheus.js";
import type { ContainerState, HealthState, ServiceStatus, StackStatus, StatusOptions, TargetHealth } from "./types.js";

const STATES: readonly ContainerState[] = ["running", "created", "restarting", "paused", "exited", "dead", "removing"];

function portsOf(info: Dockerode.ContainerInspectInfo): string[] {
  const ports = info.NetworkSettings?.Ports ?? {};
  return Object.entries(ports).flatMap(([containerPort, bindings]) =>
    ((bindings as Array<{ HostIp: string; HostPort: string }> | null) ?? []).map((b) => `${b.HostIp || "0.0.0.0"}:${b.HostPort}->${containerPort}`),
  );
}

/** The state of a stack: by plan (expected services, drift with `outDir`) or by project name alone. */
export async function getStackStatus(target: StackPlan | string, options: StatusOptions = {}): Promise<StackStatus> {
  const plan = typeof target === "string" ? undefined : target;
  const project = plan ? plan.project : (target as string);
  const engine = await connect(options);
  const { docker } = engine;

  const containers = (
    await listProjectContainers(docker, project).catch((error) => {
      throw dockerFailure(`Listing the containers of ${project}`, error);
    })
  ).filter((c) => c.Labels[LABEL_ONEOFF] !== "True");
  const inspects = new Map<string, Dockerode.ContainerInspectInfo>();
  await Promise.all(
    containers.map(async (c) => {
      try {
        inspects.set(c.Id, await docker.getContainer(c.Id).inspect());
      } catch {
        // removed meanwhile
      }
    }),
  );

  // Drift against the current files, when the output directory is given.
  let specs: ReturnType<typeof buildSpecs> | undefined;
  if (plan && options.outDir) {
    const outDir = path.resolve(options.outDir);
    let drafts: ReturnType<typeof containerDrafts> | undefined;
    try {
      drafts = containerDrafts(plan, { project: plan.project, outDir });
    } catch {
      // overrides.compose that `up` refuses: nothing to compare the containers with
    }
    if (drafts) specs = buildSpecs(plan, drafts, await imageIds(docker, draftImages(drafts)), await readPlanFiles(plan, outDir));
  }

  const expectedNames = plan ? plan.services.map((s) => s.name as string) : [];
  const foundNames = [...new Set(containers.map((c) => c.Labels[LABEL_SERVICE] ?? "?"))];
  const names = [...expectedNames, ...foundNames.filter((n) => !expectedNames.includes(n)).sort()];

  const services: ServiceStatus[] = [];
  for (const name of names) {
    const candidates = containers.filter((c) => c.Labels[LABEL_SERVICE] === name);
    const info = candidates.find((c) => c.Labels[LABEL_CONTAINER_NUMBER] === "1") ?? candidates[0];
    const detail = info ? inspects.get(info.Id) : undefined;
    const expected = expectedNames.includes(name);
    if (!info || !detail) {
      services.push({
        name,
        container: undefined,
        id: undefined,
        image: undefined,
        state: "missing",
        health: "none",
        exitCode: undefined,
        startedAt: undefined,
        restartCount: 0,
        ports: [],
        upToDate: expected && specs ? false : undefined,
        expected,
        healthLog: undefined,
      });
      continue;
    }
    const state = STATES.includes(detail.State.Status as ContainerState) ? (detail.State.Status as ContainerState) : "dead";
    const health = (detail.State as { Health?: { Status?: string; Log?: Array<{ Output?: string }> } }).Health;
    const healthState: HealthState =
      health?.Status === "healthy" || health?.Status === "unhealthy" || health?.Status === "starting" ? health.Status : "none";
    let upToDate: boolean | undefined;
    const spec = specs?.get(name as never);
    if (spec) {
      upToDate = info.Labels[LABEL_CONFIG_HASH] === spec.configHash;
      if (upToDate && spec.filesHash) {
        const applied = (await readAppliedMarker(docker.getContainer(info.Id))) ?? info.Labels[LABEL_FILES_HASH];
        upToDate = applied === spec.filesHash;
      }
    }
    services.push({
      name,
      container: bareName(detail.Name),
      id: detail.Id,
      image: detail.Config.Image,
      state,
      health: healthState,
      exitCode: state === "running" ? undefined : detail.State.ExitCode,
      startedAt: detail.State.StartedAt,
      restartCount: detail.RestartCount,
      ports: portsOf(detail),
      upToDate,
      expected,
      healthLog: healthState === "unhealthy" ? health?.Log?.at(-1)?.Output?.trim() : undefined,
    });
  }

  // Network and volumes (by plan names, else by label).
  let network: StackStatus["network"];
  const volumes: Array<{ name: string; exists: boolean }> = [];
  if (plan) {
    const name = networkEngineName(plan.project, plan.networkName);
    const exists = await docker
      .getNetwork(name)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    network = { name, exists };
    for (const volume of plan.volumes) {
      const vname = volumeEngineName(plan.project, volume.name);
      volumes.push({
        name: vname,
        exists: await docker
          .getVolume(vname)
          .inspect()
          .then(
            () => true,
            () => false,
          ),
      });
    }
  } else {
    const networks = await listProjectNetworks(docker, project);
    network = networks[0] ? { name: networks[0].Name, exists: true } : undefined;
    for (const volume of await listProjectVolumes(docker, project)) volumes.push({ name: volume.Name, exists: true });
  }

  // Prometheus's targets.
  let targets: TargetHealth[] | undefined;
  let targetsError: string | undefined;
  const prometheus = services.find((s) => s.name === "prometheus");
  const planned = plan?.services.find((s) => s.name === "prometheus");
  const promPort = (planned && httpEndpoint(planned)?.port) ?? PROMETHEUS_PORT;
  if (prometheus?.id && prometheus.state === "running") {
    const detail = [...inspects.values()].find((i) => i.Id === prometheus.id)!;
    const fetched = await fetchTargets(engine, detail, names, promPort);
    targets = fetched.targets;
    targetsError = fetched.error;
  } else if (prometheus || plan?.services.some((s) => s.name === "prometheus")) {
    targetsError = "Prometheus is not running";
  }

  const problems: string[] = [];
  const warnings: string[] = [];
  for (const s of services) {
    if (!s.expected) {
      warnings.push(`${s.container ?? s.name} belongs to project ${project} but its service is not configured (an orphan)`);
      continue;
    }
    if (s.state === "missing") problems.push(`${s.name} has no container (run up)`);
    else if (s.state !== "running") problems.push(`${s.name} is ${s.state}${s.exitCode !== undefined ? ` (exit code ${s.exitCode})` : ""}`);
    else if (s.health === "unhealthy") problems.push(`${s.name} is unhealthy${s.healthLog ? `: ${s.healthLog}` : ""}`);
    if (s.upToDate === false && s.state !== "missing") {
      warnings.push(`${s.name} does not match the generated files, or was created by docker-compose (up recreates it)`);
    }
  }
  if (plan && network && !network.exists) problems.push(`network ${network.name} does not exist`);
  if (targets) {
    const findings = targetFindings(targets);
    problems.push(...findings.problems);
    warnings.push(...findings.warnings);
    if (plan) {
      const seen = new Set(targets.map((t) => `${t.job}/${t.instance}`));
      for (const e of expectedLocalTargets(plan)) {
        if (!seen.has(`${e.job}/${e.target}`)) problems.push(`Prometheus has no target ${e.job}/${e.target}`);
      }
    }
  } else if (targetsError && services.some((s) => s.expected && s.name === "prometheus" && s.state === "running")) {
    problems.push(`Prometheus's targets are unknown: ${targetsError}`);
  }
  const ok = problems.length === 0 && (plan !== undefined || services.length > 0);

  return {
    project,
    engine: { endpoint: engine.endpoint.url, version: engine.serverVersion, apiVersion: engine.apiVersion },
    services,
    network,
    volumes,
    targets,
    targetsError,
    ok,
    problems,
    warnings,
  };
}
