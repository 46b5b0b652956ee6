// Shapes of Prometheus rule files and promtool unit-test files, as the objects we serialize.

export type { RuleBundle } from "../../plan/rule-bundles.js";

export type Severity = "critical" | "warning" | "info";

export interface AlertAnnotations {
  readonly summary: string;
  readonly description: string;
  /** The dashboard panel to open first, with the alert's labels as variables (when the stack runs Grafana). */
  readonly dashboard?: string;
  /** The alert's section of the generated RUNBOOK.md. */
  readonly runbook_url?: string;
}

/** One alerting rule. Annotations are Go templates, kept literal ({{ $labels.cluster }}). */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>> & { readonly severity: Severity };
  readonly annotations: AlertAnnotations;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

export interface RuleFile {
  readonly groups: readonly RuleGroup[];
}

// promtool test rules (https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/)

export interface InputSeries {
  /** `metric{label="value", ...}` */
  readonly series: string;
  /** Expanding notation: `a+bxn` (n+1 samples), `_xn` (n missing samples). */
  readonly values: string;
}

export interface ExpectedAlert {
  readonly exp_labels: Readonly<Record<string, string>>;
  readonly exp_annotations: Readonly<Record<string, string>>;
}

export interface AlertTestCase {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: readonly ExpectedAlert[];
}

export interface TestGroup {
  readonly name: string;
  readonly interval: string;
  readonly input_series: readonly InputSeries[];
  readonly alert_rule_test: readonly AlertTestCase[];
}

export interface RuleTestFile {
  readonly rule_files: readonly string[];
  readonly evaluation_interval: string;
  readonly tests: readonly TestGroup[];
}

/** What each bundle module builds: its rule group and the promtool test groups that exercise it. */
export interface BundleOutput {
  readonly group: RuleGroup;
  readonly tests: readonly TestGroup[];
  /** Seconds between samples and rule evaluations in the tests (the test file's evaluation_interval). */
  readonly testStep: number;
}
