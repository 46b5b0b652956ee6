// Metric selection in the two languages that enforce it: Flink's reporter filter (`<scope>:<name>` specs, 1.16+)
// and a Prometheus regex over metric names. Both are built from the same Prometheus names and `*` globs.
//
// Flink's syntax (FLINK-21585, 1.16; flink-runtime DefaultMetricFilter, 2.x DefaultReporterFilters):
//   metrics.reporter.<name>.filter.includes: <scope>[:<name>[,<name>…][:<type>[,<type>…]]], a list (`;` in a string)
// A metric passes when its logical scope (`taskmanager.job.task.operator`, generic groups such as
// `Status.JVM.Memory.Heap` appended, key groups by key only, e.g. `latency.source_id`) matches the scope pattern and
// its own name (`Used`, `numRecordsInPerSecond`) one of the name patterns; both must match entirely. In a pattern
// `*` becomes `.*`, `,` separates alternatives and `:` the parts; everything else goes to java.util.regex as is
// (the `.` escape is a no-op: a `.` matches any character). We write only letters, digits, `.`, `*`, `,` and `:`.
import { regexEscape } from "../promql/index.js";
import { atLeast, type FlinkVersion } from "./versions.js";

/** Flink 1.16+ reads metrics.reporter.<name>.filter.includes / .excludes. */
export function supportsReporterFilters(version: FlinkVersion): boolean {
  return atLeast(version, "1.16");
}

const PREFIX = "flink_";

/** The component scopes, in order below their root: each is a scope level, joined by a real `.`. */
const COMPONENT_CHAIN: Readonly<Record<string, readonly string[]>> = {
  jobmanager: ["job", "operator"],
  taskmanager: ["job", "task", "operator"],
};

/** A `*` glob over Prometheus metric names as an RE2 regex (Prometheus anchors relabel regexes itself). */
export function globToRegex(glob: string): string {
  return glob
    .split("*")
    .map((part) => regexEscape(part))
    .join(".*");
}

/**
 * A `__name__` regex of a generated query as a glob that matches at least what the regex matches: character
 * classes and `.` repeated become `*`; past anything else the rest of the name becomes `*`.
 */
export function regexToGlob(regex: string): string {
  const simplified = regex.replace(/\[[^\]]*\][+*]|\.[+*]/g, "*").replace(/\\([._:])/g, "$1");
  const meta = simplified.search(/[\\[\](){}|?+^$.]/);
  return (meta === -1 ? simplified : `${simplified.slice(0, meta)}*`).replace(/\*+/g, "*");
}

/**
 * One Flink filter spec per (scope, name) reading of a Prometheus name glob. Flink forms the name as
 * `flink_` + scope with `_` for `.` + `_` + name, every character outside [A-Za-z0-9_:] turned into `_`, so an `_`
 * may have been a scope `.`, an `_`, a space or a `-`: past the component scopes, each becomes `*`. The metric's
 * own name is the last segment; Kafka-style lower-case names (`records_lag_max`) may span up to three, and a
 * segment with a `*` may hide the split, so those readings are added. The union is a superset; the Prometheus
 * keep-list is exact.
 */
function specsOfGlob(glob: string): Array<[scope: string, name: string]> {
  const squeeze = (text: string): string => text.replace(/\*+/g, "*");
  const segments = glob.slice(PREFIX.length).replaceAll(":", "*").split("_");
  if (segments.length < 2) return [["*", squeeze(`*${segments[0]}`)]];
  // The component scopes at the start are joined by a real `.` (taskmanager.job.task.operator.<group>).
  const chain = COMPONENT_CHAIN[segments[0]!];
  let rootLength = chain ? 1 : 0;
  while (chain && rootLength < segments.length - 1 && segments[rootLength] === chain[rootLength - 1]) rootLength++;
  const scopeOf = (end: number): string => {
    const root = segments.slice(0, Math.min(rootLength, end)).join(".");
    const groups = segments.slice(Math.min(rootLength, end), end).join("*");
    // The first group below a component scope follows a real `.` too.
    return squeeze(root && groups ? `${root}.${groups}` : root || groups);
  };
  const readings: Array<[string, string]> = [];
  const last = segments.length - 1;
  for (let split = last; split >= 1; split--) {
    // Only lower-case segments past the component scopes can belong to a multi-part name (at most three).
    if (split < last && (split < rootLength || last - split >= 3 || !/^[a-z0-9*]+$/.test(segments[split]!))) break;
    const name = segments.slice(split).join("*");
    // A `*` at the split may hide it: the scope may go on into the star, or the name start inside it.
    const scope = name.startsWith("*") ? `${scopeOf(split)}*` : scopeOf(split);
    readings.push([squeeze(scope), squeeze(segments[split - 1]!.endsWith("*") ? `*${name}` : name)]);
  }
  return readings;
}

/**
 * Flink `filter.includes` entries that let through every metric whose Prometheus name is one of `names` or matches
 * one of `globs` (`*` wildcards). One entry per scope pattern, names joined by `,`, sorted: stable output.
 */
export function flinkFilterIncludes(names: readonly string[], globs: readonly string[]): string[] {
  const byScope = new Map<string, Set<string>>();
  for (const glob of [...names, ...globs]) {
    if (!glob.startsWith(PREFIX)) continue;
    for (const [scope, name] of specsOfGlob(glob)) {
      const set = byScope.get(scope) ?? new Set<string>();
      set.add(name);
      byScope.set(scope, set);
    }
  }
  return [...byScope].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([scope, set]) => `${scope}:${[...set].sort().join(",")}`);
}

/**
 * The Prometheus regex (anchored by Prometheus) of every kept flink_* name: exact names escaped, `__name__`
 * regexes of the queries as they are, globs with `*` as `.*`.
 */
export function keptNamesRegex(names: readonly string[], patterns: readonly string[], globs: readonly string[]): string {
  const alternatives = [...[...names].sort().map((name) => regexEscape(name)), ...[...patterns].sort(), ...[...globs].sort().map(globToRegex)];
  return alternatives.join("|");
}
