// Turns Ajv's errors into issues a person can act on: where, what was expected, and a hint.
import type { ConfigIssue } from "../errors.js";
import type { SchemaError } from "./schema.js";
import { describeValue } from "./plain-data.js";

/** "/prometheus/scrapeJobs/1/interval" → "prometheus.scrapeJobs[1].interval" */
function displayPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((out, segment) => {
      if (/^\d+$/.test(segment)) return `${out}[${segment}]`;
      const key = /^[A-Za-z_$][\w$]*$/.test(segment) ? segment : JSON.stringify(segment);
      return out === "" ? key : `${out}.${key}`;
    }, "");
}

const EXPECTATIONS: Record<string, { message: string; hint?: string }> = {
  Duration: { message: "must be a duration such as 15s, 1m30s, 2h or 15d", hint: "units: ms, s, m, h, d, w, y" },
  Host: {
    message: "must be a host name or IP address, optionally with :port",
    hint: "e.g. tm1.prod.internal, 10.0.0.5:9250 or [fd00::5]:9250; no scheme, no path, no spaces",
  },
  IpAddress: {
    message: "must be an IP address of this machine such as 127.0.0.1, 0.0.0.0, ::1 or ::",
    hint: "Docker publishes ports on an address, not a host name; IPv6 without brackets",
  },
  Name: { message: "must start with a letter or digit and use only letters, digits, '.', '_' and '-'" },
  Url: { message: "must be an http:// or https:// URL without spaces or quotes" },
  Image: { message: "must be an image reference pinned to a tag or digest", hint: "e.g. prom/prometheus:v3.5.0 (never an untagged image)" },
  FilePath: { message: "must be a file path without control characters or '$'" },
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return describeValue(value);
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = levenshtein(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function issueFor(error: SchemaError): ConfigIssue {
  const path = displayPath(error.instancePath);
  const parent = (error.parentSchema ?? {}) as { title?: string; description?: string; properties?: Record<string, unknown> };
  const data = error.data;
  switch (error.keyword) {
    case "required": {
      const key = (error.params as { missingProperty: string }).missingProperty;
      return { path, message: `missing required key "${key}"` };
    }
    case "additionalProperties": {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(parent.properties ?? {});
      const suggestion = closest(key, known);
      return {
        path: path ? `${path}.${key}` : key,
        message: `unknown key "${key}"`,
        hint: suggestion ? `did you mean "${suggestion}"?` : `allowed here: ${known.join(", ")}`,
      };
    }
    case "type": {
      const expected = (error.params as { type: string }).type;
      const issue: ConfigIssue = { path, message: `must be ${article(expected)} (got ${describe(data)})` };
      if (expected === "string" && typeof data === "number") {
        if (path === "flink.version") {
          return { ...issue, hint: `put the version in quotes, e.g. version: "1.10"; unquoted, YAML reads 1.10 as the number 1.1` };
        }
        if (parent.title === "Duration") return { ...issue, hint: `add a unit, e.g. ${data}s` };
        return { ...issue, hint: `put the value in quotes: "${data}"` };
      }
      return issue;
    }
    case "enum": {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      const suggestion = typeof data === "string" ? closest(data, allowed.map(String)) : undefined;
      return {
        path,
        message: `must be one of ${allowed.map((value) => JSON.stringify(value)).join(", ")} (got ${describe(data)})`,
        ...(suggestion ? { hint: `did you mean "${suggestion}"?` } : {}),
      };
    }
    case "pattern": {
      const known = parent.title ? EXPECTATIONS[parent.title] : undefined;
      if (known) return { path, message: `${known.message} (got ${describe(data)})`, ...(known.hint ? { hint: known.hint } : {}) };
      // Every patterned field describes its format in the schema; a regular expression is no message for a person.
      return { path, message: `is not valid (got ${describe(data)})`, ...(parent.description ? { hint: parent.description } : {}) };
    }
    case "propertyNames":
      return { path, message: error.message ?? "has an invalid key" };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const limit = (error.params as { limit: number }).limit;
      const relation = { minimum: ">=", maximum: "<=", exclusiveMinimum: ">", exclusiveMaximum: "<" }[error.keyword];
      return { path, message: `must be ${relation} ${limit} (got ${String(data)})` };
    }
    case "minItems": {
      const limit = (error.params as { limit: number }).limit;
      return { path, message: limit === 1 ? "must not be empty" : `must have at least ${limit} items` };
    }
    case "maxItems":
      return { path, message: `must have at most ${(error.params as { limit: number }).limit} items` };
    case "maxLength":
      return { path, message: `must be at most ${(error.params as { limit: number }).limit} characters long` };
    case "minLength":
      return { path, message: "must not be empty" };
    case "uniqueItems":
      return { path, message: "must not list the same value twice" };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

function article(type: string): string {
  const words: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    integer: "a whole number",
    number: "a number",
    boolean: "true or false",
  };
  return words[type] ?? type;
}

/**
 * Ajv reports every branch of a failed `oneOf`. Keep the branch that fits the value's type
 * (its other branches fail on `type` at the same spot), so one mistake gives one message.
 */
function collapseOneOf(errors: readonly SchemaError[]): SchemaError[] {
  const oneOfs = errors.filter((error) => error.keyword === "oneOf");
  let kept = errors.filter((error) => error.keyword !== "oneOf");
  for (const oneOf of oneOfs) {
    const at = oneOf.instancePath;
    const inside = (error: SchemaError) => error.instancePath === at || error.instancePath.startsWith(`${at}/`);
    const typeMisses = kept.filter((error) => error.keyword === "type" && error.instancePath === at);
    const rest = kept.filter((error) => inside(error) && !typeMisses.includes(error));
    if (rest.length > 0) {
      kept = kept.filter((error) => !typeMisses.includes(error));
    } else if (typeMisses.length > 0) {
      const types = typeMisses.map((error) => (error.params as { type: string }).type);
      const merged: SchemaError = { ...typeMisses[0]!, params: { type: [...new Set(types)].map(article).join(" or ") } };
      kept = [...kept.filter((error) => !typeMisses.includes(error)), merged];
    }
  }
  return kept;
}

export function schemaIssues(errors: readonly SchemaError[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  // A propertyNames failure is followed by a generic "property name is invalid" error; the pattern error says more.
  for (const error of collapseOneOf(errors)) {
    let issue = issueFor(error);
    if (error.propertyName !== undefined && error.keyword === "pattern") {
      issue = {
        path: issue.path ? `${issue.path}.${error.propertyName}` : error.propertyName,
        message: `"${error.propertyName}" is not a valid Prometheus label name`,
        hint: "label names match [a-zA-Z_][a-zA-Z0-9_]* and names starting with __ are reserved",
      };
    } else if (error.keyword === "propertyNames") {
      continue;
    }
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}
