// up / down / status for target swarm: the runtime in lib/docker/swarm, printed like the compose target's.
import { printTargetsAndProblems } from "./print-targets.js";
import path from "node:path";
import type { StackPlan } from "../plan/types.js";
import { printJson, say } from "./command.js";

export async function runSwarmUp(plan: StackPlan, options: { outDir: string; wait: boolean; json: boolean; timeoutMs?: number }): Promise<number> {
  const { swarmUp } = await import("../docker/swarm/index.js");
  const result = await swarmUp(plan, {
    outDir: options.outDir,
    wait: options.wait,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.json ? {} : { onProgress: (message: string) => say(`  ${message}`) }),
  });
  if (options.json) {
    printJson(result);
    return 0;
  }
  say(`Swarm stack ${result.project} is up (${(result.durationMs / 1000).toFixed(1)} s).`);
  for (const service of result.services) {
    say(`  ${service.name.padEnd(18)}${`${service.running}/${service.desired}`.padEnd(7)}${service.mode.padEnd(12)}${service.nodes.join(", ")}`);
  }
  if (result.targets)
    say(`Prometheus (${result.prometheusUrl}): ${result.targets.filter((t) => t.health === "up").length}/${result.targets.length} targets up.`);
  if (result.removedObjects.length > 0) say(`Removed ${result.removedObjects.length} config(s)/secret(s) of earlier deploys.`);
  const secret = plan.secrets.find((s) => s.name === "grafana_admin_password");
  if (secret) say(`Grafana password: in ${path.isAbsolute(secret.file) ? secret.file : path.join(options.outDir, secret.file)}`);
  return 0;
}

export async function runSwarmDown(project: string, options: { volumes: boolean; json: boolean }): Promise<number> {
  const { swarmDown } = await import("../docker/swarm/index.js");
  const result = await swarmDown(project, {
    volumes: options.volumes,
    ...(options.json ? {} : { onProgress: (message: string) => say(`  ${message}`) }),
  });
  if (options.json) printJson(result);
  else {
    say(`Removed swarm stack ${project}: ${result.removedServices.length} service(s), ${result.removedVolumes.length} volume(s).`);
    if (result.keptVolumes.length > 0) say(`Kept data volumes on this node: ${result.keptVolumes.join(", ")} (down --volumes removes them).`);
  }
  return 0;
}

export async function runSwarmStatus(stack: string | StackPlan, json: boolean): Promise<number> {
  const { swarmStatus } = await import("../docker/swarm/index.js");
  const status =
    typeof stack === "string"
      ? await swarmStatus(stack)
      : await swarmStatus(
          stack.project,
          stack.services.map((s) => s.name),
        );
  if (json) printJson(status);
  else {
    process.stdout.write(`${"SERVICE".padEnd(18)}${"TASKS".padEnd(8)}${"MODE".padEnd(12)}NODES\n`);
    for (const s of status.services)
      process.stdout.write(`${s.name.padEnd(18)}${`${s.running}/${s.desired}`.padEnd(8)}${s.mode.padEnd(12)}${s.nodes.join(", ")}\n`);
    printTargetsAndProblems(status);
    say(status.ok ? `Swarm stack ${status.project} is healthy.` : `Swarm stack ${status.project} is not healthy.`);
  }
  return status.ok ? 0 : 1;
}
