// The stack a command acts on. loadStack: from the config file, its warnings said. stackTarget, for `down` and
// `status`: --project, else the config (-c or the default file), else the project a generated folder (-o) names
// in its .env, so `down -o out` works where `up -o out` did.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../config/load.js";
import { buildStack, type BuildResult } from "../generate.js";
import type { StackPlan } from "../plan/types.js";
import type { DeploymentTarget } from "../config/resolved.js";
import { chooseConfigFile, sayWarnings } from "./command.js";

export interface StackTargetOptions {
  readonly config?: string | undefined;
  readonly project?: string | undefined;
  readonly out?: string | undefined;
}

export async function stackTarget(values: StackTargetOptions): Promise<string | StackPlan> {
  if (values.project !== undefined) return values.project;
  const file = chooseConfigFile(values.config);
  if (values.config === undefined && values.out !== undefined && !existsSync(file)) {
    const project = projectOfOutDir(values.out);
    if (project) return project;
  }
  return (await loadStack(file)).plan;
}

/**
 * The stack the config file (-c, else the default one in this folder) describes, its warnings said on stderr
 * (stdout stays data): every command that reads a config names its file in problems and warnings alike.
 */
export async function loadStack(config: string | undefined, target?: DeploymentTarget): Promise<BuildResult> {
  const file = chooseConfigFile(config);
  const built = buildStack((await loadConfig(file)).raw, { file, target });
  sayWarnings(built.warnings);
  return built;
}

/** COMPOSE_PROJECT_NAME from the .env that generate writes into the folder, if any. */
function projectOfOutDir(outDir: string): string | undefined {
  try {
    const env = readFileSync(path.join(outDir, ".env"), "utf8");
    return /^COMPOSE_PROJECT_NAME=([a-z0-9][a-z0-9_-]*)$/m.exec(env)?.[1];
  } catch {
    return undefined;
  }
}
