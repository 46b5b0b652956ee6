// Prometheus alerting rules, one file per bundle, each with a promtool unit-test file next to it:
//   prometheus/rules/<bundle>.rules.yml
//   prometheus/rules/tests/<bundle>.test.yml     (promtool test rules prometheus/rules/tests/*.test.yml)
// Rules and tests are built as objects from the same plan; annotations are Go templates kept literal.
import { ruleFilePath, ruleTestFilePath } from "../plan/rule-bundles.js";
import type { StackPlan } from "../plan/types.js";
import { alertContext } from "./alerts/context.js";
import { flinkBundle } from "./alerts/flink.js";
import { nodeBundle } from "./alerts/node.js";
import { pushgatewayBundle } from "./alerts/pushgateway.js";
import { stackBundle } from "./alerts/stack.js";
import type { BundleOutput, RuleBundle, RuleFile, RuleTestFile } from "./alerts/types.js";
import type { Artifact } from "./artifact.js";
import { GENERATED_BANNER, yamlArtifact } from "./yaml.js";

export type { AlertRule, RuleBundle, RuleFile, RuleGroup, RuleTestFile } from "./alerts/types.js";

export { RULE_BUNDLES, enabledRuleBundles, ruleFilePath, ruleTestFilePath } from "../plan/rule-bundles.js";

const BUILDERS: Record<RuleBundle, typeof flinkBundle> = {
  flink: flinkBundle,
  pushgateway: pushgatewayBundle,
  node: nodeBundle,
  stack: stackBundle,
};

export interface BuiltRuleBundle {
  readonly bundle: RuleBundle;
  readonly rules: RuleFile;
  readonly tests: RuleTestFile;
}

// The metric selection, the rule files and the runbook all read the rules of one plan: built once per plan.
const builtRules = new WeakMap<StackPlan, readonly BuiltRuleBundle[]>();

/** Rule and test objects per enabled bundle (what renderAlertRules serializes). Shared: never mutate them. */
export function buildAlertRules(plan: StackPlan): readonly BuiltRuleBundle[] {
  const cached = builtRules.get(plan);
  if (cached) return cached;
  const bundles = plan.ruleBundles;
  const ctx = alertContext(plan, bundles);
  const built = bundles.map((bundle): BuiltRuleBundle => {
    const output: BundleOutput = BUILDERS[bundle](ctx);
    const tests: RuleTestFile = {
      rule_files: [`../${bundle}.rules.yml`],
      evaluation_interval: `${output.testStep}s`,
      tests: output.tests,
    };
    return { bundle, rules: { groups: [output.group] }, tests };
  });
  builtRules.set(plan, built);
  return built;
}

export function renderAlertRules(plan: StackPlan): Artifact[] {
  return buildAlertRules(plan).flatMap(({ bundle, rules, tests }) => [
    yamlArtifact(ruleFilePath(bundle), rules),
    yamlArtifact(
      ruleTestFilePath(bundle),
      tests,
      `${GENERATED_BANNER}\n# Unit tests of ../${bundle}.rules.yml; run: promtool test rules prometheus/rules/tests/*.test.yml`,
    ),
  ]);
}
