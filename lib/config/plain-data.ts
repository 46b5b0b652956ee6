// What a config handed to the library must be before the schema looks at it: plain, finite JSON-like data.
// A config file can only produce such data (and the loader caps its size); an object built in code can hold
// cycles, 100k-deep nesting, functions, NaN or class instances, which would overflow the stack or render
// nonsense later. These become ordinary config issues.
import type { ConfigIssue } from "../errors.js";

/** Deeper nesting is no config a person wrote (the overrides of a real stack stay below 15 levels). */
const MAX_CONFIG_DEPTH = 100;
/** Values walked at most: the same bound the YAML loader puts on alias expansion. */
const MAX_CONFIG_VALUES = 500_000;
/** At most this many shape issues are listed: the rest are usually the same mistake again. */
const MAX_ISSUES = 20;

/** What kind of value `value` is, for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case "number":
      return `the number ${String(value)}`;
    case "boolean":
      return String(value);
    case "bigint":
      return `the bigint ${String(value)}n`;
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default: {
      const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
      if (prototype === null || prototype === Object.prototype) return "a mapping";
      const name = typeof prototype.constructor?.name === "string" && prototype.constructor.name ? prototype.constructor.name : "an object";
      return name === "an object" ? "an instance of a class" : `a ${name} object`;
    }
  }
}

function keyPath(parent: string, key: string): string {
  const shown = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return parent === "" ? shown : `${parent}.${shown}`;
}

/**
 * Issues that make `raw` unusable as a config before any schema check: not a mapping at the top, cycles,
 * nesting deeper than MAX_CONFIG_DEPTH, more than MAX_CONFIG_VALUES values, and values JSON or YAML cannot
 * hold (functions, symbols, bigints, NaN, Infinity, Dates, class instances, symbol keys). Never throws.
 */
export function plainDataIssues(raw: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || !isPlainObject(raw)) {
    return [
      {
        path: "",
        message: `the config must be a mapping (an object) of settings, got ${describeValue(raw)}`,
        hint: 'e.g. { flink: { version: "1.20", clusters: [...] } }; parseConfigText or loadConfig read one from YAML or JSON',
      },
    ];
  }
  let budget = MAX_CONFIG_VALUES;
  const ancestors = new Set<object>();
  const report = (issue: ConfigIssue) => {
    if (issues.length < MAX_ISSUES) issues.push(issue);
  };

  // Recursion is safe: it stops at MAX_CONFIG_DEPTH.
  const walk = (value: unknown, path: string, depth: number): boolean => {
    if (--budget < 0) {
      report({
        path,
        message: `holds more than ${MAX_CONFIG_VALUES} values; a stack config is far smaller`,
        hint: "shared sub-objects count once per place they appear",
      });
      return false;
    }
    switch (typeof value) {
      case "string":
      case "boolean":
      case "undefined": // The schema says what belongs there instead.
        return true;
      case "number":
        if (!Number.isFinite(value))
          report({ path, message: `must be a finite number (got ${String(value)})`, hint: "JSON and YAML configs cannot hold NaN or Infinity" });
        return true;
      case "bigint":
      case "symbol":
      case "function":
        report({
          path,
          message: `must be plain data (a mapping, list, string, number, true/false or null), got ${describeValue(value)}`,
          hint: "a config is what JSON or YAML can hold",
        });
        return true;
    }
    if (value === null) return true;
    const object = value as object;
    if (ancestors.has(object)) {
      report({
        path,
        message: "refers back to a mapping or list that contains it (a cycle)",
        hint: "a config is a tree: copy the shared part instead",
      });
      return true;
    }
    if (depth >= MAX_CONFIG_DEPTH) {
      report({
        path,
        message: `is nested more than ${MAX_CONFIG_DEPTH} levels deep`,
        hint: "a stack config is a few levels deep; is the object built in a loop?",
      });
      return false;
    }
    if (!Array.isArray(object) && !isPlainObject(object)) {
      report({
        path,
        message: `must be plain data (a mapping, list, string, number, true/false or null), got ${describeValue(object)}`,
        hint:
          object instanceof Date ? "write dates and times as strings" : "a config is what JSON or YAML can hold: convert the object to a plain one",
      });
      return true;
    }
    if (Object.getOwnPropertySymbols(object).length > 0) {
      report({ path, message: "has a symbol key; only string keys can be written to a config file" });
    }
    ancestors.add(object);
    try {
      if (Array.isArray(object)) {
        for (let index = 0; index < object.length; index++) if (!walk(object[index], `${path}[${index}]`, depth + 1)) return false;
      } else {
        for (const key of Object.keys(object)) {
          if (!walk((object as Record<string, unknown>)[key], keyPath(path, key), depth + 1)) return false;
        }
      }
    } finally {
      ancestors.delete(object);
    }
    return true;
  };

  try {
    walk(raw, "", 0);
  } catch (error) {
    // A getter or a Proxy that throws while being read.
    report({
      path: "",
      message: `could not be read: ${error instanceof Error ? error.message : String(error)}`,
      hint: "pass plain data, not objects with getters or proxies",
    });
  }
  return issues;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === null || prototype === Object.prototype;
}
