// docker-compose.yml as Compose reads it: the Compose Specification schema (precompiled, see
// scripts/gen-types.mjs) and Compose's interpolation syntax in every string value.
import type { ErrorObject } from "ajv";
import { validate } from "../generated/validate-compose.js";
import { INTERPOLATION_HINT, invalidInterpolationAt } from "./interpolation.js";
import { refuse, shown, type CheckedDocument } from "./report.js";

interface ComposeValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** At most this many schema problems: one wrong value can fail every branch of a oneOf. */
const MAX_SCHEMA_ISSUES = 5;

export function checkCompose(doc: CheckedDocument): void {
  checkInterpolation(doc, doc.value, []);
  const validator = validate as ComposeValidator;
  if (validator(doc.value)) return;
  const seen = new Set<string>();
  for (const error of schemaErrorsDeepestFirst(validator.errors ?? [])) {
    const path = pointerToPath(error.instancePath);
    if (error.keyword === "additionalProperties") path.push((error.params as { additionalProperty: string }).additionalProperty);
    const key = path.join("\u0000");
    if (seen.has(key)) continue;
    seen.add(key);
    refuse(doc, path, composeMessage(error), "the Compose Specification (schemas/vendor/compose-spec.json) does not allow this");
    if (seen.size >= MAX_SCHEMA_ISSUES) break;
  }
}

function checkInterpolation(doc: CheckedDocument, value: unknown, path: Array<string | number>): void {
  if (typeof value === "string") {
    const at = invalidInterpolationAt(value);
    if (at !== -1) {
      refuse(doc, path, `${shown(value)} is not a valid Compose interpolation (the "$" at offset ${at})`, INTERPOLATION_HINT);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => checkInterpolation(doc, item, [...path, index]));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) checkInterpolation(doc, child, [...path, key]);
  }
}

/** The most specific errors first: a value's own error says more than "must match exactly one schema in oneOf". */
function schemaErrorsDeepestFirst(errors: readonly ErrorObject[]): ErrorObject[] {
  const combinators = new Set(["oneOf", "anyOf", "if", "not"]);
  const specific = errors.filter((error) => !combinators.has(error.keyword));
  return (specific.length > 0 ? specific : [...errors]).sort((a, b) => b.instancePath.length - a.instancePath.length);
}

function composeMessage(error: ErrorObject): string {
  if (error.keyword === "additionalProperties") {
    return `unknown key "${(error.params as { additionalProperty: string }).additionalProperty}" in the Compose file`;
  }
  return `Compose file: ${error.message ?? "is invalid"}`;
}

function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => {
      const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
      return /^\d+$/.test(key) ? Number(key) : key;
    });
}
