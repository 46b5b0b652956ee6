// --target of generate / up / down / status: replaces the config's `target` (compose, swarm, kubernetes).
import { existsSync } from "node:fs";
import path from "node:path";
import type { StackPlan } from "../plan/types.js";
import { STACK_FILE } from "../render/swarm/names.js";
import type { DeploymentTarget } from "../config/resolved.js";
import { StackError } from "../errors.js";
import { UsageError } from "./command.js";

export const TARGET_OPTION = { type: "string" } as const;
const TARGETS: readonly DeploymentTarget[] = ["compose", "swarm", "kubernetes"];

export function parseTarget(value: string | undefined, usage: string): DeploymentTarget | undefined {
  if (value === undefined) return undefined;
  if (!(TARGETS as readonly string[]).includes(value)) throw new UsageError(`--target must be compose, swarm or kubernetes (got ${value})`, usage);
  return value as DeploymentTarget;
}

/**
 * The Docker target `up`, `down` and `status` act on: the flag, else the config's target; without a config, swarm
 * when the generated folder holds a stack file. Kubernetes has no runtime here: the cluster's own tools apply it.
 */
export function dockerTarget(
  command: string,
  flag: DeploymentTarget | undefined,
  stack: string | StackPlan,
  outDir?: string,
): Exclude<DeploymentTarget, "kubernetes"> {
  const folderTarget = outDir !== undefined && existsSync(path.join(outDir, STACK_FILE)) ? "swarm" : "compose";
  const target = flag ?? (typeof stack !== "string" ? stack.target : folderTarget);
  if (target === "kubernetes") {
    throw new StackError(
      "E_CONFIG_INVALID",
      `target kubernetes: ${command} acts on Docker stacks only; apply the manifests with "kubectl apply -k ${outDir ?? "out"}/kubernetes" and use kubectl for the rest (see its README.md)`,
    );
  }
  return target;
}
