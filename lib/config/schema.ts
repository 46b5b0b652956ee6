// The one Ajv instance that checks a stack config against schemas/stack.schema.json.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { StackConfig } from "../generated/stack-config.js";

export const STACK_SCHEMA_URL = new URL("../../schemas/stack.schema.json", import.meta.url);

let compiled: ValidateFunction<StackConfig> | undefined;

export function loadStackSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(STACK_SCHEMA_URL, "utf8")) as Record<string, unknown>;
}

/** Compiled lazily on first use and kept: commands that never validate never pay for it. */
export function stackSchemaValidator(): ValidateFunction<StackConfig> {
  // verbose: errors carry their parentSchema, which names what was expected (title, allowed keys).
  compiled ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile<StackConfig>(loadStackSchema());
  return compiled;
}

export type SchemaError = ErrorObject;
