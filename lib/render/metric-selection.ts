// Which Flink metrics the stack keeps (flink.metrics): one derivation from the expressions the generated
// dashboards and alert rules run, so a new panel or rule keeps its metric without a list to update by hand.
// The Flink reporter filter (flink-config.ts) and Prometheus's metric_relabel_configs (prometheus.ts) both read it.
import { flinkFilterIncludes, keptNamesRegex, regexToGlob, supportsReporterFilters } from "../flink/metric-filter.js";
import type { RelabelPlan, StackPlan } from "../plan/types.js";
import { metricRefs } from "../verify/promql.js";
import { buildAlertRules } from "./alert-rules.js";
import { buildDashboard } from "./dashboards/index.js";

export interface FlinkMetricSelection {
  /** flink_* names the expressions read. */
  readonly names: readonly string[];
  /** `__name__` regexes of the expressions that can match flink_* names. */
  readonly patterns: readonly string[];
  /** The user's flink.metrics.keep globs. */
  readonly keep: readonly string[];
}

/** Every PromQL expression of a built object: `expr` (targets, annotations, rules) and `query` (variables) strings. */
function expressions(value: unknown, out: string[]): string[] {
  if (Array.isArray(value)) for (const item of value) expressions(item, out);
  else if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if ((key === "expr" || key === "query") && typeof inner === "string") out.push(inner);
      else expressions(inner, out);
    }
  }
  return out;
}

/**
 * Every PromQL expression the stack runs: each panel target, variable and annotation of the dashboards the config
 * generates (with grafana.enabled false, those it would generate, as `verify` checks them) and each alert rule.
 */
export function stackExpressions(plan: StackPlan): string[] {
  const out: string[] = [];
  // With Grafana on, the plan's dashboards are the verifiable ones: the same plan, so the built ones are shared.
  const withDashboards: StackPlan =
    plan.dashboards === plan.grafana.verifiableDashboards ? plan : { ...plan, dashboards: plan.grafana.verifiableDashboards };
  for (const d of withDashboards.dashboards) expressions(buildDashboard(withDashboards, d), out);
  for (const { rules } of buildAlertRules(plan)) expressions(rules, out);
  return out;
}

const cache = new WeakMap<StackPlan, FlinkMetricSelection | undefined>();

/** What flink.metrics keeps; undefined for `select: all` (nothing is filtered). Computed once per plan. */
export function flinkMetricSelection(plan: StackPlan): FlinkMetricSelection | undefined {
  if (cache.has(plan)) return cache.get(plan);
  const metrics = plan.flink.metrics;
  let selection: FlinkMetricSelection | undefined;
  if (metrics.select === "used") {
    const names = new Set<string>();
    const patterns = new Set<string>();
    for (const expr of stackExpressions(plan.metricBasis ?? plan)) {
      const refs = metricRefs(expr);
      for (const name of refs.names) if (name.startsWith("flink_")) names.add(name);
      for (const pattern of refs.patterns) if (/^(flink|\.|\[)/.test(pattern)) patterns.add(pattern);
    }
    selection = { names: [...names].sort(), patterns: [...patterns].sort(), keep: [...metrics.keep] };
  }
  cache.set(plan, selection);
  return selection;
}

/** metrics.reporter.<name>.filter.includes entries, or undefined when the version has no filters or all are kept. */
const includesCache = new WeakMap<StackPlan, string[] | undefined>();

/** Computed once per plan: every per-process Flink config file carries the same list. */
export function flinkFilterIncludesOf(plan: StackPlan): string[] | undefined {
  if (includesCache.has(plan)) return includesCache.get(plan);
  const selection = flinkMetricSelection(plan);
  const includes =
    !selection || !supportsReporterFilters(plan.flink.version)
      ? undefined
      : flinkFilterIncludes(selection.names, [...selection.patterns.map(regexToGlob), ...selection.keep]);
  includesCache.set(plan, includes);
  return includes;
}

/** A label no series keeps: set on flink_* series, cleared on kept ones, and what is still marked is dropped. */
export const UNUSED_MARK_LABEL = "__tmp_flink_unused";

/**
 * metric_relabel_configs for a job that scrapes Flink series (a flink-<cluster> job, or the Pushgateway's):
 * flink_* series whose name is not kept are dropped; every other series (push_time_seconds, the Pushgateway's
 * own metrics) is left alone. Empty with `select: all`.
 */
export function flinkKeepRelabelings(plan: StackPlan): RelabelPlan[] {
  const selection = flinkMetricSelection(plan);
  if (!selection) return [];
  return [
    { sourceLabels: ["__name__"], regex: "flink_.+", targetLabel: UNUSED_MARK_LABEL, replacement: "1" },
    {
      sourceLabels: ["__name__"],
      regex: keptNamesRegex(selection.names, selection.patterns, selection.keep),
      targetLabel: UNUSED_MARK_LABEL,
      replacement: "",
    },
    { action: "drop", sourceLabels: [UNUSED_MARK_LABEL], regex: "1", targetLabel: undefined, replacement: undefined },
  ];
}
