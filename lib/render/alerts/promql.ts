// Small PromQL builders, so label values and regexes are always quoted and escaped the same way.
import { durationMs, formatSeconds } from "../../config/duration.js";

/** A PromQL string literal. PromQL reads Go escapes, a superset of what JSON.stringify emits. */
export function str(value: string): string {
  return JSON.stringify(value);
}

/** RE2 (Go regexp) metacharacters escaped, for an exact match inside `=~`. */
export function regexEscape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export type MatchOp = "=" | "!=" | "=~" | "!~";

export function matcher(label: string, op: MatchOp, value: string): string {
  return `${label}${op}${str(value)}`;
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
export function sel(metric: string, ...matchers: readonly string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(", ")}}`;
}

/** True for a selector that names one metric (`name` or `name{…}`), false for `{__name__=~…}`. */
export function namesOneMetric(selector: string): boolean {
  return /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{|$)/.test(selector);
}

/** The metric name of `name{…}`, undefined for `{__name__=~…}`. */
export function metricNameOf(selector: string): string | undefined {
  return /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(selector)?.[1];
}

/** "15m", "1h30m", "90s" → seconds. */
export function durationSeconds(duration: string): number {
  return durationMs(duration) / 1000;
}

/** Seconds → the shortest Prometheus duration (rounded up to whole seconds): 90 → "1m30s", 3600 → "1h". */
export function formatDuration(seconds: number): string {
  return formatSeconds(Math.max(0, Math.ceil(seconds)));
}

/** A ratio for people: 0.5 → "50%", 0.125 → "12.5%". */
export function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(4))}%`;
}

/** A number as written into an expression: no exponent, no float noise. */
export function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}
