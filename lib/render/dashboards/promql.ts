// Small PromQL helpers shared by the dashboards. Expressions are plain strings assembled from metric
// names of the plan's table (plan.metrics), never hard-coded Flink names.
import type { StackPlan } from "../../plan/types.js";

/** Grafana's rate window: at least four scrape intervals. */
export const RATE_INTERVAL = "$__rate_interval";
/** Window of increase() for counters exported as gauges (restarts, failed checkpoints). */
export const INCREASE_WINDOW = "5m";

export const CLUSTER_MATCHER = 'cluster=~"$cluster"';
export const JOB_NAME_MATCHER = 'job_name=~"$job_name"';
export const INSTANCE_MATCHER = 'instance=~"$instance"';

/** A PromQL double-quoted string literal. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** `metric{m1,m2}`; `metric` when there are no matchers. */
export function selector(metric: string, matchers: readonly string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(",")}}`;
}

/** The label-matcher list as one string, for the metric table's selector helpers (gcTimeSelector…). */
export function matcherList(matchers: readonly string[]): string {
  return matchers.join(",");
}

/** Seconds after which a Pushgateway group counts as stale: N reporter intervals. */
export function pushStaleSeconds(plan: StackPlan): number {
  return plan.alerting.rules.thresholds.pushStaleIntervals * plan.flink.intervalSeconds;
}

/**
 * Hides Pushgateway groups that stopped pushing. The Pushgateway keeps a killed process's last values
 * forever, so in pushgateway mode a Flink series is shown only while its group pushed within N intervals.
 * A group is told apart by `job` (the reporter's jobName, + 32 hex with randomJobNameSuffix), `instance`
 * (grouping key without the random suffix, else "") and `cluster` (grouping key, or relabelled from the
 * job name before Flink 1.10): all three sit on the group's push_time_seconds as on its Flink series.
 * `expr` must still carry the `job`/`instance` labels (apply before aggregating). Pull mode: unchanged,
 * Prometheus marks the series of a dead target stale by itself.
 * The result is an `and` expression, which binds looser than every other operator: put value filters
 * (`x > 0`) inside `expr`, and parenthesize the result before applying another binary operator.
 */
export function fresh(expr: string, plan: StackPlan): string {
  if (plan.flink.mode !== "pushgateway") return expr;
  return `(${expr}) and on(job, instance, cluster) (time() - push_time_seconds < ${pushStaleSeconds(plan)})`;
}

/** `sum by (a, b) (expr)` and friends. */
export function aggregate(op: "sum" | "max" | "min" | "avg" | "count", by: readonly string[], expr: string): string {
  return by.length === 0 ? `${op}(${expr})` : `${op} by (${by.join(", ")}) (${expr})`;
}

/**
 * The configured number of TaskManagers per cluster, as a vector with a `cluster` label, restricted to
 * the clusters selected in `$cluster`. `label_replace` never drops series, so the selection is done by
 * tagging the selected clusters (`selected="1"`) and keeping those. Undefined when no cluster is configured.
 */
export function expectedTaskManagers(plan: StackPlan): string | undefined {
  const clusters = plan.flink.clusters;
  if (clusters.length === 0) return undefined;
  const perCluster = clusters
    .map((cluster) => `label_replace(vector(${cluster.taskmanagers.length}), "cluster", ${promString(cluster.name)}, "", "")`)
    .join(" or ");
  const tagged = `label_replace(${perCluster}, "selected", "1", "cluster", "$cluster")`;
  return `max by (cluster) (${tagged} and on(selected) label_replace(vector(1), "selected", "1", "", ""))`;
}
