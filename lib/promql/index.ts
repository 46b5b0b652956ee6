// The one PromQL builder: string literals, regex escaping, label matchers and selectors, and the Pushgateway
// freshness window. Dashboards, alert rules, `verify` and the planner all build expressions with it, so a label
// value is quoted the same way everywhere and the stale window has one formula.
import { formatSeconds } from "../config/duration.js";

/** A PromQL double-quoted string literal. PromQL reads Go escapes, a superset of what JSON.stringify emits. */
export function promString(value: string): string {
  return JSON.stringify(value);
}

/** RE2 (Go regexp) metacharacters escaped, for an exact match inside `=~` (and in relabel regexes). */
export function regexEscape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export type MatchOp = "=" | "!=" | "=~" | "!~";

/** `label="value"`, the value quoted. */
export function matcher(label: string, op: MatchOp, value: string): string {
  return `${label}${op}${promString(value)}`;
}

/** `job="a"` for one name, `job=~"a|b"` for several (anchored by PromQL). */
export function oneOf(label: string, values: readonly string[]): string {
  if (values.length === 1) return matcher(label, "=", values[0]!);
  return matcher(label, "=~", values.map(regexEscape).join("|"));
}

/** `job!~"a|b"` for the names to leave out. */
export function noneOf(label: string, values: readonly string[]): string {
  if (values.length === 1) return matcher(label, "!=", values[0]!);
  return matcher(label, "!~", values.map(regexEscape).join("|"));
}

/** `metric{m1, m2}`, or the bare metric name without matchers. */
export function selector(metric: string, matchers: readonly string[], separator = ", "): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(separator)}}`;
}

/** `job=~"<jobName>.*"`: every Pushgateway group Flink pushes (the job name, plus any random suffix). */
export function pushJobMatcher(jobName: string): string {
  return matcher("job", "=~", `${regexEscape(jobName)}.*`);
}

/** Seconds after which a Pushgateway group counts as stale: `intervals` reporter intervals without a push. */
export function staleWindowSeconds(intervals: number, reporterIntervalSeconds: number): number {
  return intervals * reporterIntervalSeconds;
}

/** The stale window as seconds and as a Prometheus duration. */
export function staleWindow(intervals: number, reporterIntervalSeconds: number): { seconds: number; duration: string } {
  const seconds = staleWindowSeconds(intervals, reporterIntervalSeconds);
  return { seconds, duration: formatSeconds(seconds) };
}
