// Which alert-rule bundles a stack has: a planning decision (plan.ruleFiles, Prometheus's rule_files and the
// renderers all follow it), so it lives below the renderers.
import type { ResolvedStackConfig } from "../config/resolved.js";

export type RuleBundle = "flink" | "pushgateway" | "node" | "stack";

export const RULE_BUNDLES: readonly RuleBundle[] = ["flink", "pushgateway", "node", "stack"];

/** The bundles a config enables, in file order. */
export function enabledRuleBundles(config: ResolvedStackConfig): RuleBundle[] {
  if (!config.alerting.enabled) return [];
  const rules = config.alerting.rules;
  const enabled: Record<RuleBundle, boolean> = {
    flink: rules.flink,
    pushgateway: rules.pushgateway && config.flink.mode === "pushgateway",
    node: rules.node && (config.nodeExporter.enabled || config.nodeExporter.targets.length > 0),
    stack: rules.stack,
  };
  return RULE_BUNDLES.filter((bundle) => enabled[bundle]);
}

/** Output-relative path of a bundle's rule file. */
export function ruleFilePath(bundle: RuleBundle): string {
  return `prometheus/rules/${bundle}.rules.yml`;
}

/** Output-relative path of a bundle's promtool unit-test file. */
export function ruleTestFilePath(bundle: RuleBundle): string {
  return `prometheus/rules/tests/${bundle}.test.yml`;
}
