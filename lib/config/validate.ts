// validateConfig: schema first (every problem at once), then normalize (defaults), then the semantic checks.
import { ConfigValidationError, type ConfigIssue } from "../errors.js";
import type { StackConfig } from "../generated/stack-config.js";
import { stackSchemaValidator } from "./schema.js";
import { schemaIssues } from "./schema-issues.js";
import { checkSemantics } from "./semantic.js";
import { normalizeConfig } from "./resolve.js";
import { plainDataIssues } from "./plain-data.js";

export interface ConfigCheckResult {
  readonly valid: boolean;
  readonly config: StackConfig | undefined;
  readonly issues: readonly ConfigIssue[];
  /** Accepted, but probably not what the user wants. */
  readonly warnings: readonly ConfigIssue[];
}

export function checkConfig(raw: unknown): ConfigCheckResult {
  // Cycles, runaway nesting and values no config file can hold stop here, before any recursive walk.
  const shape = plainDataIssues(raw);
  if (shape.length > 0) return { valid: false, config: undefined, issues: shape, warnings: [] };
  const validate = stackSchemaValidator();
  if (!validate(raw)) {
    return { valid: false, config: undefined, issues: schemaIssues(validate.errors ?? []), warnings: [] };
  }
  // Defaults once (normalizeConfig is total on any schema-valid config), then the checks on the normalized value.
  const { issues, warnings } = checkSemantics(raw, normalizeConfig(raw));
  return { valid: issues.length === 0, config: issues.length === 0 ? raw : undefined, issues, warnings };
}

/** Returns the config typed, or throws ConfigValidationError listing every problem. */
export function validateConfig(raw: unknown, options: { file?: string } = {}): StackConfig {
  const result = checkConfig(raw);
  if (!result.valid || !result.config) throw new ConfigValidationError(options.file, result.issues);
  return result.config;
}
