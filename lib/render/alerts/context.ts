// What every rule bundle reads from the plan, computed once: thresholds, windows, job names, and the
// Pushgateway freshness filter.
import type { AlertThresholds } from "../../config/resolved.js";
import { fresh, freshnessSelector } from "../../promql/index.js";
import type { FlinkMetricNames } from "../../flink/metrics.js";
import type { ScrapeJobKind, ScrapeJobPlan, StackPlan } from "../../plan/types.js";
import type { FlinkRole } from "../../flink/metrics.js";
import { alertLinks, type AlertLinks } from "./links.js";
import { durationSeconds, formatDuration } from "./promql.js";
import { testStep } from "./testing.js";
import type { RuleBundle } from "./types.js";

export interface AlertContext {
  readonly plan: StackPlan;
  readonly metrics: FlinkMetricNames;
  readonly bundles: readonly RuleBundle[];
  readonly thresholds: AlertThresholds;
  /** The configured `for` of every alert except Watchdog. */
  readonly for: string;
  readonly forSeconds: number;
  /** Window of the event-count alerts (restarts, failed checkpoints). */
  readonly eventWindow: string;
  readonly eventWindowSeconds: number;
  /** Window of rate() / avg_over_time(): at least 5m and four samples. */
  readonly rateWindow: string;
  readonly rateWindowSeconds: number;
  /** Flink metrics reach Prometheus through the Pushgateway. */
  readonly push: boolean;
  /** A Pushgateway group is stale after this many seconds without a push. */
  readonly staleSeconds: number;
  /** `push_time_seconds{job=~"<jobName>.*"}`: the push times of Flink's groups. */
  readonly pushTime: string;
  readonly pushJobMatcher: string;
  /** Seconds between samples and evaluations in the generated unit tests of the event-window rules. */
  readonly eventTestStep: number;
  /** Scrape job names by kind (what the `job` label says). */
  jobs(kind: ScrapeJobKind): readonly ScrapeJobPlan[];
  jobNames(kind: ScrapeJobKind): readonly string[];
  /**
   * `expr` without the series of Pushgateway groups that stopped pushing: the Pushgateway keeps serving
   * their last values forever, which would mask or fake problems. Identity in pull mode.
   * The result is parenthesized, so it can be an operand anywhere.
   */
  live(expr: string): string;
  /** The `dashboard` and `runbook_url` annotations of an alert (links.ts). */
  links(alert: string, role?: FlinkRole): AlertLinks;
}

export function alertContext(plan: StackPlan, bundles: readonly RuleBundle[]): AlertContext {
  const rules = plan.alerting.rules;
  const flink = plan.flink;
  const push = flink.mode === "pushgateway";
  const staleSeconds = plan.pushgateway.staleWindow.seconds;
  const freshness = plan.freshness ?? freshnessSelector(flink.pushgateway.jobName, staleSeconds);
  const { pushJobMatcher, pushTime } = freshness;
  const sampleSeconds = Math.max(flink.intervalSeconds, plan.prometheus.scrapeIntervalSeconds);
  const rateWindowSeconds = Math.max(300, 4 * sampleSeconds);
  const jobs = (kind: ScrapeJobKind) => plan.scrapeJobs.filter((job) => job.kind === kind);
  return {
    plan,
    metrics: plan.metrics,
    bundles,
    thresholds: rules.thresholds,
    for: rules.for,
    forSeconds: durationSeconds(rules.for),
    eventWindow: rules.thresholds.restartWindow,
    eventWindowSeconds: durationSeconds(rules.thresholds.restartWindow),
    rateWindow: formatDuration(rateWindowSeconds),
    rateWindowSeconds,
    push,
    staleSeconds,
    pushTime,
    pushJobMatcher,
    eventTestStep: testStep(durationSeconds(rules.thresholds.restartWindow)),
    jobs,
    jobNames: (kind) => jobs(kind).map((job) => job.name),
    links: (alert, role) => alertLinks(plan, alert, role),
    live: (expr) => {
      if (push) return `(${fresh(expr, freshness)})`;
      return /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?$/.test(expr) ? expr : `(${expr})`;
    },
  };
}
