// generate: load → validate → resolve → plan → render → write, the whole pipeline in one call.
import type { StackConfig } from "./generated/stack-config.js";
import { loadConfig } from "./config/load.js";
import { checkConfig, type ConfigCheckResult } from "./config/validate.js";
import { describeValue } from "./config/plain-data.js";
import { ConfigValidationError, OutputError, StackError, type ConfigIssue, type StackWarning } from "./errors.js";
import { resolveConfig } from "./config/resolve.js";
import { planStack } from "./plan/plan.js";
import type { SecretPlan, StackPlan } from "./plan/types.js";
import type { DeploymentTarget } from "./config/resolved.js";
import { renderStack } from "./render/index.js";
import type { Artifact } from "./render/artifact.js";
import { planWrite, type FileChange } from "./write/changes.js";
import { inspectSecrets, type UserSecretFile } from "./write/secrets.js";
import { userSecretFiles } from "./write/user-secrets.js";
import { secretFiles, secretFolders, withManifest, writeArtifacts, type WriteResult } from "./write/write.js";

/** What generate writes: compose (one Docker host), swarm or kubernetes (config `target`, CLI `--target`). */
export type StackTarget = DeploymentTarget;

export interface BuildResult {
  readonly plan: StackPlan;
  readonly artifacts: readonly Artifact[];
  /** What the config's checks accept but the user probably did not mean (a redundant groupingKey, an unreachable push URL). */
  readonly warnings: readonly StackWarning[];
}

/** Issues at config keys as warnings, each naming the config file (undefined for a config object). */
const warningsIn = (file: string | undefined, issues: readonly ConfigIssue[]): StackWarning[] => issues.map((issue) => ({ ...issue, file }));

/**
 * A config (object or file contents already parsed) to plan, artifacts and warnings; pure. `file` names the
 * config in errors and warnings. Throws ConfigValidationError listing every problem when it is invalid.
 */
export function buildStack(raw: unknown, options: { file?: string; target?: DeploymentTarget | undefined } = {}): BuildResult {
  const { plan, warnings } = planConfig(raw, options);
  try {
    return { plan, artifacts: renderStack(plan), warnings };
  } catch (error) {
    // The final documents' checks (lib/check) know no file name: name the config file like validation does.
    if (error instanceof ConfigValidationError && error.file === undefined && options.file !== undefined) {
      throw new ConfigValidationError(options.file, error.issues);
    }
    throw error;
  }
}

/**
 * The first half of buildStack: the config validated and planned, without rendering. Throws ConfigValidationError
 * listing every problem when it is invalid.
 */
export function planConfig(
  raw: unknown,
  options: { file?: string; target?: DeploymentTarget | undefined } = {},
): { plan: StackPlan; warnings: readonly StackWarning[] } {
  const checked = checkConfig(withTarget(raw, options.target));
  if (!checked.valid || !checked.config) throw new ConfigValidationError(options.file, checked.issues);
  return { plan: planStack(resolveConfig(checked.config)), warnings: warningsIn(options.file, checked.warnings) };
}

/** A --target flag replaces the config's `target` (validated with the rest). */
export function withTarget(raw: unknown, target: DeploymentTarget | undefined): unknown {
  return target !== undefined && raw !== null && typeof raw === "object" && !Array.isArray(raw) ? { ...raw, target } : raw;
}

/**
 * checkConfig plus the checks of the final documents (overrides merged) that generate runs before writing,
 * so `validate` accepts exactly the configs `generate` accepts.
 */
export function checkStackConfig(raw: unknown, options: { target?: StackTarget } = {}): ConfigCheckResult {
  const result = checkConfig(withTarget(raw, options.target));
  if (!result.valid || !result.config) return result;
  try {
    renderStack(planStack(resolveConfig(result.config)));
    return result;
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return { valid: false, config: undefined, issues: error.issues, warnings: result.warnings };
  }
}

export interface GenerateOptions {
  /** A config file to load, or a config object (e.g. from defineStack). */
  readonly config: string | StackConfig;
  readonly outDir: string;
  /** Only compute what would change; write nothing. */
  readonly dryRun?: boolean;
  readonly force?: boolean;
  /** Replaces the config's target (compose, swarm, kubernetes). */
  readonly target?: StackTarget;
}

export interface GenerateResult extends BuildResult {
  readonly outDir: string;
  readonly changes: readonly FileChange[];
  readonly written: boolean;
  readonly secrets: WriteResult["secrets"];
  /**
   * Things the user should fix that do not stop the run: the config's (see BuildResult) and the write's (a secret
   * readable by others; in a dry run, a missing one), each at a config key and naming the config file.
   */
  readonly warnings: readonly StackWarning[];
  /** The config's warnings alone (BuildResult's), without the write's. */
  readonly configWarnings: readonly StackWarning[];
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  assertGenerateOptions(options);
  const { raw, file } =
    typeof options.config === "string"
      ? await loadConfig(options.config).then((loaded) => ({ raw: loaded.raw, file: loaded.file }))
      : { raw: options.config as unknown, file: undefined };
  const built = buildStack(raw, { ...(file === undefined ? {} : { file }), target: options.target });
  const { generatedSecrets, userSecrets } = secretInputs(built.plan);
  if (options.dryRun) {
    const planned = await planWrite(withManifest(built.artifacts), options.outDir, {
      force: options.force ?? false,
      extraFolders: secretFolders(generatedSecrets),
      keep: secretFiles(generatedSecrets, userSecrets),
    });
    const { warnings } = await inspectSecrets(generatedSecrets, userSecrets, planned.guard, { dryRun: true });
    return {
      ...built,
      outDir: options.outDir,
      changes: planned.changes,
      written: false,
      secrets: [],
      warnings: [...built.warnings, ...warningsIn(file, warnings)],
      configWarnings: built.warnings,
    };
  }
  const result = await writeArtifacts(built.artifacts, options.outDir, { force: options.force ?? false, secrets: generatedSecrets, userSecrets });
  return {
    ...built,
    outDir: options.outDir,
    changes: result.changes,
    written: true,
    secrets: result.secrets,
    warnings: [...built.warnings, ...warningsIn(file, result.warnings)],
    configWarnings: built.warnings,
  };
}

/** The secret files a write of the plan creates or checks. */
export function secretInputs(plan: StackPlan): { generatedSecrets: readonly SecretPlan[]; userSecrets: readonly UserSecretFile[] } {
  // The Kubernetes manifests read their secrets from Secrets in the cluster: no secret file is generated for them.
  return { generatedSecrets: plan.target === "kubernetes" ? [] : plan.secrets, userSecrets: userSecretFiles(plan) };
}

/** Callers in plain JavaScript get a clear error for a missing or mistyped option, not a TypeError deep inside. */
function assertGenerateOptions(options: GenerateOptions): void {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the types hold for TypeScript callers only
  if (options === null || typeof options !== "object") {
    throw new StackError("E_CONFIG_INVALID", `generate() takes an options object { config, outDir }, got ${describeValue(options)}`);
  }
  if (typeof options.outDir !== "string") {
    throw new OutputError(`generate() needs outDir, the folder to write the stack into (got ${describeValue(options.outDir)})`);
  }
}

/** Whether `outDir` holds exactly what the config generates (secrets aside); the changes say what differs. */
export async function checkOutput(config: string | StackConfig, outDir: string): Promise<{ upToDate: boolean; changes: FileChange[] }> {
  const result = await generate({ config, outDir, dryRun: true, force: true });
  const changes = result.changes.filter((change) => change.kind !== "unchanged");
  return { upToDate: changes.length === 0, changes };
}
