// The stack config's schema check: Ajv's standalone code compiled from schemas/stack.schema.json at build
// time (scripts/gen-types.mjs), so no command pays for compiling the schema at start-up.
import { readFileSync } from "node:fs";
import type { ErrorObject } from "ajv";
import type { StackConfig } from "../generated/stack-config.js";
import { validate } from "../generated/validate-stack.js";

const STACK_SCHEMA_URL = new URL("../../schemas/stack.schema.json", import.meta.url);

export function loadStackSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(STACK_SCHEMA_URL, "utf8")) as Record<string, unknown>;
}

export interface StackSchemaValidator {
  (data: unknown): data is StackConfig;
  errors?: ErrorObject[] | null;
}

export function stackSchemaValidator(): StackSchemaValidator {
  return validate as StackSchemaValidator;
}

export type SchemaError = ErrorObject;
