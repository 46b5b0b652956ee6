// The PrometheusRule: the Flink alert groups the compose target writes (lib/render/alert-rules.ts builds them),
// plus the same groups as plain rule files with their promtool unit tests under prometheus/rules/, so promtool
// judges exactly what the PrometheusRule carries.
// Left out: the `stack` and `node` bundles. kube-prometheus-stack ships its own rules for Prometheus,
// Alertmanager, scrape targets and nodes (Watchdog, TargetDown, node-exporter mixins) under its own job names;
// ours would select jobs (prometheus, node, alertmanager) that do not exist there, or page twice.
// Also left out: PushgatewayPruneFailing (no prune sidecar runs here), and the `dashboard` and `runbook_url` annotations, which link to the compose stack's Grafana and
// RUNBOOK.md on the Docker host.
import type { StackPlan } from "../../plan/types.js";
import { buildAlertRules, ruleFilePath, ruleTestFilePath, type RuleBundle, type RuleFile, type RuleTestFile } from "../alert-rules.js";
import type { Artifact } from "../artifact.js";
import { GENERATED_BANNER, yamlArtifact } from "../yaml.js";
import { metadata, type Context, type Manifest } from "./meta.js";

export const KUBERNETES_RULE_BUNDLES: readonly RuleBundle[] = ["flink", "pushgateway"];
/** Alerts on what only the Docker target runs (the Pushgateway prune sidecar): they would never fire here. */
const DOCKER_ONLY_ALERTS = new Set(["PushgatewayPruneFailing"]);
const LINK_ANNOTATIONS = new Set(["dashboard", "runbook_url"]);

function withoutLinks<T extends object>(annotations: T): T {
  return Object.fromEntries(Object.entries(annotations).filter(([name]) => !LINK_ANNOTATIONS.has(name))) as T;
}

export interface KubernetesRules {
  readonly bundle: RuleBundle;
  readonly rules: RuleFile;
  readonly tests: RuleTestFile;
}

export function buildKubernetesRules(plan: StackPlan): KubernetesRules[] {
  return buildAlertRules(plan)
    .filter(({ bundle }) => KUBERNETES_RULE_BUNDLES.includes(bundle))
    .map(({ bundle, rules, tests }) => ({
      bundle,
      rules: {
        groups: rules.groups.map((group) => ({
          ...group,
          rules: group.rules
            .filter((rule) => !DOCKER_ONLY_ALERTS.has(rule.alert))
            .map((rule) => ({ ...rule, annotations: withoutLinks(rule.annotations) })),
        })),
      },
      tests: {
        ...tests,
        tests: tests.tests
          .map((test) => ({
            ...test,
            alert_rule_test: test.alert_rule_test
              .filter((check) => !DOCKER_ONLY_ALERTS.has(check.alertname))
              .map((check) => ({
                ...check,
                exp_alerts: check.exp_alerts.map((alert) => ({ ...alert, exp_annotations: withoutLinks(alert.exp_annotations) })),
              })),
          }))
          .filter((test) => test.alert_rule_test.length > 0),
      },
    }));
}

export function buildPrometheusRule(ctx: Context, rules: readonly KubernetesRules[]): Manifest | undefined {
  if (rules.length === 0) return undefined;
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: metadata(ctx, `${ctx.project}-flink`, "alert-rules", { ...ctx.settings.selectorLabels }),
    spec: { groups: rules.flatMap(({ rules: file }) => file.groups) },
  };
}

/** prometheus/rules/<bundle>.rules.yml and tests/<bundle>.test.yml: the PrometheusRule's groups, for promtool. */
export function renderRuleFiles(rules: readonly KubernetesRules[]): Artifact[] {
  return rules.flatMap(({ bundle, rules: file, tests }) => [
    yamlArtifact(ruleFilePath(bundle), file, `${GENERATED_BANNER}\n# The groups of kubernetes/prometheusrule.yaml, for promtool check rules.`),
    yamlArtifact(
      ruleTestFilePath(bundle),
      tests,
      `${GENERATED_BANNER}\n# Unit tests of ../${bundle}.rules.yml; run: promtool test rules prometheus/rules/tests/*.test.yml`,
    ),
  ]);
}
