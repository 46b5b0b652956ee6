// Small PromQL helpers shared by the dashboards. Expressions are plain strings assembled from metric
// names of the plan's table (plan.metrics), never hard-coded Flink names.
import type { StackPlan } from "../../plan/types.js";
import { fresh as freshOnly, promString } from "../../promql/index.js";

/** Grafana's rate window: at least four scrape intervals. */
export const RATE_INTERVAL = "$__rate_interval";
/** Window of increase() for counters exported as gauges (restarts, failed checkpoints). */
export const INCREASE_WINDOW = "5m";

export const CLUSTER_MATCHER = 'cluster=~"$cluster"';
export const JOB_NAME_MATCHER = 'job_name=~"$job_name"';
export const INSTANCE_MATCHER = 'instance=~"$instance"';

export { promString } from "../../promql/index.js";

/** `metric{m1,m2}`; `metric` when there are no matchers. */
export function selector(metric: string, matchers: readonly string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(",")}}`;
}

/** The label-matcher list as one string, for the metric table's selector helpers (gcTimeSelector…). */
export function matcherList(matchers: readonly string[]): string {
  return matchers.join(",");
}

/** `expr` without stale Pushgateway groups (lib/promql `fresh` with the plan's freshness selector). */
export function fresh(expr: string, plan: StackPlan): string {
  return freshOnly(expr, plan.freshness);
}

/** `sum by (a, b) (expr)` and friends. */
export function aggregate(op: "sum" | "max" | "min" | "avg" | "count", by: readonly string[], expr: string): string {
  return by.length === 0 ? `${op}(${expr})` : `${op} by (${by.join(", ")}) (${expr})`;
}

/**
 * The expected number of TaskManagers per cluster (plan.expectedTaskManagers), as a vector with a `cluster` label, restricted to
 * the clusters selected in `$cluster`. `label_replace` never drops series, so the selection is done by
 * tagging the selected clusters (`selected="1"`) and keeping those. Undefined when no cluster is configured.
 */
export function expectedTaskManagers(plan: StackPlan): string | undefined {
  const clusters = plan.flink.clusters;
  if (clusters.length === 0) return undefined;
  const perCluster = clusters
    .map((cluster) => `label_replace(vector(${plan.expectedTaskManagers[cluster.name]!}), "cluster", ${promString(cluster.name)}, "", "")`)
    .join(" or ");
  const tagged = `label_replace(${perCluster}, "selected", "1", "cluster", "$cluster")`;
  return `max by (cluster) (${tagged} and on(selected) label_replace(vector(1), "selected", "1", "", ""))`;
}
