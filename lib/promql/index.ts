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

/**
 * How a query tells live Pushgateway groups from stale ones (pushgateway mode; undefined in pull mode, where
 * Prometheus marks the series of a dead target stale by itself). Planned once; `fresh` applies it.
 */
export interface FreshnessSelector {
  /** `push_time_seconds{job=~"<jobName>.*"}`: the push times of Flink's groups. */
  readonly pushTime: string;
  /** `job=~"<jobName>.*"`. */
  readonly pushJobMatcher: string;
  /** A group whose last push is older than this many seconds is stale. */
  readonly staleSeconds: number;
  /** The labels that name one group on its push_time_seconds and on its Flink series alike. */
  readonly groupLabels: readonly string[];
}

export function freshnessSelector(jobName: string, staleSeconds: number): FreshnessSelector {
  const jobMatcher = pushJobMatcher(jobName);
  return {
    pushTime: selector("push_time_seconds", [jobMatcher]),
    pushJobMatcher: jobMatcher,
    staleSeconds,
    groupLabels: ["job", "instance", "cluster"],
  };
}

/**
 * `expr` without the series of Pushgateway groups that stopped pushing: the Pushgateway keeps serving a dead
 * process's last values forever, which would mask or fake problems. A group is told apart by `job` (the reporter's
 * jobName, + 32 hex with randomJobNameSuffix), `instance` and `cluster`; `expr` must still carry them (apply before
 * aggregating). Stale means older than the window, as FlinkMetricsPushStale says. Identity without a selector
 * (pull mode). The result is an `unless` expression, which binds looser than every other operator: put value
 * filters inside `expr`, and parenthesize the result before applying another binary operator.
 */
export function fresh(expr: string, freshness: FreshnessSelector | undefined): string {
  if (!freshness) return expr;
  return `(${expr}) unless on(${freshness.groupLabels.join(", ")}) (time() - ${freshness.pushTime} > ${freshness.staleSeconds})`;
}
