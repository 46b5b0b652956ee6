// --target of generate / up / down / status: replaces the config's `target` (compose, swarm, kubernetes).
import { existsSync } from "node:fs";
import path from "node:path";
import type { StackPlan } from "../plan/types.js";
import { STACK_FILE } from "../render/swarm/names.js";
import type { DeploymentTarget } from "../config/resolved.js";
import { UsageError } from "./command.js";

export const TARGET_OPTION = { type: "string" } as const;
const TARGETS: readonly DeploymentTarget[] = ["compose", "swarm", "kubernetes"];

export function parseTarget(value: string | undefined, usage: string): DeploymentTarget | undefined {
  if (value === undefined) return undefined;
  if (!(TARGETS as readonly string[]).includes(value)) throw new UsageError(`--target must be compose, swarm or kubernetes (got ${value})`, usage);
  return value as DeploymentTarget;
}

/** The flag, else the config's target; without a config, swarm when the generated folder holds a stack file. */
export function effectiveTarget(flag: DeploymentTarget | undefined, stack: string | StackPlan, outDir?: string): DeploymentTarget {
  if (flag) return flag;
  if (typeof stack !== "string") return stack.target;
  return outDir !== undefined && existsSync(path.join(outDir, STACK_FILE)) ? "swarm" : "compose";
}
