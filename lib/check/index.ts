// checkRenderedStack: the final, merged documents (overrides included) read back as the real tools read them,
// before anything is written. A value the tools would refuse is a config issue naming the override that wrote
// it (or the generated file and path when the generator did).
import yaml from "js-yaml";
import type { ConfigIssue } from "../errors.js";
import type { StackPlan } from "../plan/types.js";
import type { Artifact } from "../render/artifact.js";
import { ALERTMANAGER_CONFIG_PATH } from "../render/alertmanager.js";
import { checkAlertmanagerConfig } from "./alertmanager.js";
import { checkCompose } from "./compose.js";
import { checkInlineSecrets } from "./credentials.js";
import { checkGrafanaDatasources } from "./grafana.js";
import type { DocSource } from "./locate.js";
import { checkPrometheusConfig } from "./prometheus.js";
import { checkRuleFile } from "./promql.js";
import type { CheckedDocument } from "./report.js";

const COMPOSE_PATH = "docker-compose.yml";
const PROMETHEUS_CONFIG_PATH = "prometheus/prometheus.yml";
const GRAFANA_DATASOURCE_PATH = "grafana/provisioning/datasources/prometheus.yml";

export function checkRenderedStack(plan: StackPlan, artifacts: readonly Artifact[]): ConfigIssue[] {
  const overrides = plan.overrides;
  const byPath = new Map(artifacts.map((artifact) => [artifact.path, artifact]));
  const issues: ConfigIssue[] = [];
  const check = (source: DocSource, checker: (doc: CheckedDocument) => void) => {
    const artifact = byPath.get(source.file);
    if (!artifact) return;
    const doc: CheckedDocument = { source, value: readYaml(artifact), issues };
    checker(doc);
  };
  check({ file: COMPOSE_PATH, override: overrides.compose, overridePath: "overrides.compose", prefix: [] }, (doc) => {
    checkCompose(doc);
    checkInlineSecrets(doc, "other");
  });
  check({ file: PROMETHEUS_CONFIG_PATH, override: overrides.prometheus, overridePath: "overrides.prometheus", prefix: [] }, (doc) => {
    checkPrometheusConfig(doc);
    checkInlineSecrets(doc, "prometheus");
  });
  for (const file of plan.ruleFiles) check({ file, override: undefined, overridePath: "", prefix: [] }, checkRuleFile);
  check({ file: ALERTMANAGER_CONFIG_PATH, override: overrides.alertmanager, overridePath: "overrides.alertmanager", prefix: [] }, (doc) => {
    checkAlertmanagerConfig(doc);
    checkInlineSecrets(doc, "alertmanager");
  });
  check(
    { file: GRAFANA_DATASOURCE_PATH, override: overrides.grafanaDatasource, overridePath: "overrides.grafanaDatasource", prefix: ["datasources", 0] },
    (doc) => {
      checkGrafanaDatasources(doc);
      checkInlineSecrets(doc, "grafana");
    },
  );
  return issues;
}

function readYaml(artifact: Artifact): unknown {
  // Our own serialization: it always parses; the checks then see exactly what the tools will read.
  return yaml.load(artifact.contents, { filename: artifact.path });
}
