// Small PromQL builders, so label values and regexes are always quoted and escaped the same way.
import { durationMs, formatSeconds } from "../../config/duration.js";
import { selector } from "../../promql/index.js";

export { matcher, noneOf, oneOf, regexEscape, promString as str, type MatchOp } from "../../promql/index.js";

/** `metric{m1, m2}`, or the bare metric name without matchers. */
export function sel(metric: string, ...matchers: readonly string[]): string {
  return selector(metric, matchers);
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
