// Building blocks of the promtool unit tests: input series in expanding notation, a timeline shared by a
// scenario's series and evaluation times, and expected alerts whose annotations are expanded here the way
// Prometheus expands them (only the template forms our rules use).
import { matcher } from "../../promql/index.js";
import { formatDuration } from "./promql.js";
import type { AlertRule, AlertTestCase, ExpectedAlert, InputSeries } from "./types.js";

/** Seconds between input samples and between rule evaluations in the generated tests, unless a window is short. */
export const DEFAULT_TEST_STEP = 60;

/** The test step for rules whose shortest counted window is `shortestWindow` seconds: four samples in it at least. */
export function testStep(shortestWindow: number): number {
  return shortestWindow >= 4 * DEFAULT_TEST_STEP ? DEFAULT_TEST_STEP : Math.max(1, Math.floor(shortestWindow / 4));
}

/** Prometheus' default lookback: a series without samples for longer than this is absent. */
export const LOOKBACK = 300;

export type Labels = Readonly<Record<string, string>>;

/** `metric{a="x", b="y"}`; labels with an empty value are left out, as Prometheus does. */
export function seriesName(metric: string, labels: Labels): string {
  const pairs = Object.entries(labels)
    .filter(([, value]) => value !== "")
    .map(([name, value]) => matcher(name, "=", value));
  return `${metric}{${pairs.join(", ")}}`;
}

/** A run of samples: `count` values from `start` growing by `step`, or `count` missing samples. */
export type Segment = { readonly start: number; readonly step: number; readonly count: number } | { readonly missing: number };

export const hold = (value: number, count: number): Segment => ({ start: value, step: 0, count });
export const ramp = (start: number, step: number, count: number): Segment => ({ start, step, count });
export const missing = (count: number): Segment => ({ missing: count });

function numberText(value: number): string {
  return String(Number(value.toPrecision(15)));
}

/** Expanding notation: `a+bxn` is n+1 samples, `_xn` is n missing ones. */
export function valuesText(segments: readonly Segment[]): string {
  const parts: string[] = [];
  for (const segment of segments) {
    if ("missing" in segment) {
      if (segment.missing > 0) parts.push(segment.missing === 1 ? "_" : `_x${segment.missing}`);
      continue;
    }
    if (segment.count <= 0) continue;
    if (segment.count === 1) {
      parts.push(numberText(segment.start));
      continue;
    }
    const sign = segment.step < 0 ? "-" : "+";
    parts.push(`${numberText(segment.start)}${sign}${numberText(Math.abs(segment.step))}x${segment.count - 1}`);
  }
  return parts.join(" ");
}

/**
 * One scenario's time axis, in samples of `step` seconds: healthy until `problem`, checked quiet at
 * `problem - 1`, checked firing at `fire`, the last sample.
 */
export class Timeline {
  readonly step: number;
  readonly problem: number;
  readonly fire: number;

  /**
   * `windows`: every range or delay (seconds) the rules under test look back over; `forSeconds`: their `for`;
   * `step`: seconds between samples (and rule evaluations).
   */
  constructor(windows: readonly number[], forSeconds: number, step: number) {
    const longest = Math.max(LOOKBACK, ...windows);
    this.step = step;
    this.problem = Math.ceil(longest / step) + 2;
    this.fire = this.problem + Math.ceil((longest + forSeconds) / step) + 2;
  }

  /** Number of samples in every series of the scenario. */
  get samples(): number {
    return this.fire + 1;
  }

  /** Evaluation time of a sample index. */
  at(index: number): string {
    return formatDuration(index * this.step);
  }

  get beforeProblem(): string {
    return this.at(this.problem - 1);
  }

  get firing(): string {
    return this.at(this.fire);
  }

  /** Seconds between the problem's start and the firing check. */
  get problemAge(): number {
    return (this.fire - this.problem) * this.step;
  }

  steady(value: number): string {
    return valuesText([hold(value, this.samples)]);
  }

  /** `before` until the problem starts, `after` from then on. */
  change(before: number, after: number): string {
    return valuesText([hold(before, this.problem), hold(after, this.samples - this.problem)]);
  }

  /** A counter growing by `step` per sample from the start. */
  counter(start: number, step: number): string {
    return valuesText([ramp(start, step, this.samples)]);
  }

  /** Constant `before` until the problem starts, then growing by `step` per sample. */
  counterFromProblem(before: number, step: number): string {
    return valuesText([hold(before, this.problem), ramp(before + step, step, this.samples - this.problem)]);
  }

  /** Present until the problem starts, then gone. */
  endsAtProblem(value: number): string {
    return valuesText([hold(value, this.problem), missing(this.samples - this.problem)]);
  }

  /** Missing until the problem starts, then present. */
  startsAtProblem(value: number): string {
    return valuesText([missing(this.problem), hold(value, this.samples - this.problem)]);
  }

  /** A clock in seconds (value = sample time), as push_time_seconds of a group pushed every step. */
  clock(): string {
    return valuesText([ramp(0, this.step, this.samples)]);
  }

  /** A clock that stops before the problem starts, and then the series is gone (a deleted group). */
  clockEndingAtProblem(): string {
    return valuesText([ramp(0, this.step, this.problem), missing(this.samples - this.problem)]);
  }

  /** A clock that stops at the problem's start. */
  clockStoppingAtProblem(): string {
    return valuesText([ramp(0, this.step, this.problem + 1), hold(this.problem * this.step, this.samples - this.problem - 1)]);
  }

  /** A clock that starts at the problem's start (a group that appears then). */
  clockStartingAtProblem(): string {
    return valuesText([missing(this.problem), ramp(this.problem * this.step, this.step, this.samples - this.problem)]);
  }
}

/** Collects a scenario's input series; the same series twice is a bug in the generator. */
export class SeriesSet {
  private readonly list: InputSeries[] = [];
  private readonly seen = new Set<string>();

  add(metric: string, labels: Labels, values: string): this {
    const series = seriesName(metric, labels);
    if (this.seen.has(series)) throw new Error(`duplicate test series ${series}`);
    this.seen.add(series);
    this.list.push({ series, values });
    return this;
  }

  has(metric: string, labels: Labels): boolean {
    return this.seen.has(seriesName(metric, labels));
  }

  get series(): readonly InputSeries[] {
    return this.list;
  }
}

// ---- template expansion (the subset our annotations use) ----

function goG4(value: number): string {
  // Go's %.4g for the magnitudes our tests produce (no exponent form needed below 1e4).
  return String(Number(value.toPrecision(4)));
}

/** Prometheus' humanizeDuration for values of at least one second, or zero. */
export function humanizeDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  if (seconds < 1) throw new Error("humanizeDuration below one second is not needed by the tests");
  const whole = Math.trunc(seconds);
  const s = whole % 60;
  const m = Math.trunc(whole / 60) % 60;
  const h = Math.trunc(whole / 3600) % 24;
  const d = Math.trunc(whole / 86400);
  if (d !== 0) return `${d}d ${h}h ${m}m ${s}s`;
  if (h !== 0) return `${h}h ${m}m ${s}s`;
  if (m !== 0) return `${m}m ${s}s`;
  return `${goG4(seconds)}s`;
}

/** Prometheus' humanizePercentage. */
export function humanizePercentage(ratio: number): string {
  return `${goG4(ratio * 100)}%`;
}

const LABEL_REF = /\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}/g;
const VALUE_REF = /\{\{ (?:\$value(?: \| [a-zA-Z]+)?|printf "%\.0f" \$value) \}\}/g;

/**
 * Expands `{{ $labels.x }}` with `labels` and every `{{ $value… }}` form with `value` (already formatted
 * by the caller the way the template formats it). Anything else in `{{ }}` is refused.
 */
export function expandTemplate(template: string, labels: Labels, value: string | undefined): string {
  const out = template
    .replace(LABEL_REF, (_, name: string) => labels[name] ?? "")
    .replace(VALUE_REF, () => {
      if (value === undefined) throw new Error(`template needs a value: ${template}`);
      return value;
    });
  if (out.includes("{{")) throw new Error(`template form not supported by the test generator: ${template}`);
  return out;
}

/** The alert `rule` raises for a series with `labels` and value text `value`. */
export function expectAlert(rule: AlertRule, labels: Labels, value?: string): ExpectedAlert {
  const sample = withoutEmpty(labels);
  const annotations: Record<string, string> = {};
  // `$labels` in annotations are the sample's labels, without the rule's own.
  for (const [key, template] of Object.entries(rule.annotations) as Array<[string, string | undefined]>) {
    if (template !== undefined) annotations[key] = expandTemplate(template, sample, value);
  }
  return { exp_labels: { ...sample, ...rule.labels }, exp_annotations: annotations };
}

function withoutEmpty(labels: Labels): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([, value]) => value !== ""));
}

export function pick(labels: Labels, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (labels[name] ? [[name, labels[name]]] : [])));
}

export function quiet(alertname: string, evalTime: string): AlertTestCase {
  return { eval_time: evalTime, alertname, exp_alerts: [] };
}

export function firing(alertname: string, evalTime: string, alerts: readonly ExpectedAlert[]): AlertTestCase {
  return { eval_time: evalTime, alertname, exp_alerts: alerts };
}

/** A ratio clearly past `threshold` towards `limit` (above or below), rounded to whole percent when possible. */
export function pastThreshold(threshold: number, direction: "above" | "below"): number {
  const target = direction === "above" ? (threshold + 1) / 2 : threshold / 2;
  const rounded = Math.round(target * 100) / 100;
  const ok = direction === "above" ? rounded > threshold && rounded <= 1 : rounded < threshold && rounded >= 0;
  return ok ? rounded : target;
}
