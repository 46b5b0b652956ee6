// The public API of flink-prometheus-stack. The Docker runtime lives in the "./docker" subpath.
export { defineStack } from "./define-stack.js";
export { loadConfig, parseConfigText } from "./config/load.js";
export { findConfigFile, DEFAULT_CONFIG_FILES } from "./config/find.js";
export { validateConfig, checkConfig, type ConfigCheckResult } from "./config/validate.js";
export { resolveConfig } from "./config/resolve.js";
export { planStack } from "./plan/plan.js";
export { renderStack } from "./render/index.js";
export { renderCompose, renderDotEnv } from "./render/compose.js";
export { renderPrometheusConfig } from "./render/prometheus.js";
export { renderAlertRules } from "./render/alert-rules.js";
export { renderAlertmanagerConfig } from "./render/alertmanager.js";
export { renderGrafanaDatasource, renderGrafanaDashboardProvider } from "./render/grafana-provisioning.js";
export { renderDashboards, listPanelQueries } from "./render/dashboards/index.js";
export { renderFlinkConfig, flinkReporterSettings } from "./render/flink-config.js";
export { renderReadme } from "./render/readme.js";
export { writeArtifacts, type WriteOptions, type WriteResult } from "./write/write.js";
export type { SecretResult, WriteWarning } from "./write/secrets.js";
export { planChanges, type FileChange, type ChangeKind } from "./write/changes.js";
export { checkStack, type CheckStackOptions, type CheckStackResult, type StackCheck, type CheckStatus } from "./judges/check-stack.js";
export {
  buildStack,
  checkStackConfig,
  generate,
  checkOutput,
  type BuildResult,
  type GenerateOptions,
  type GenerateResult,
  type StackTarget,
} from "./generate.js";
export {
  StackError,
  ConfigNotFoundError,
  ConfigParseError,
  ConfigValidationError,
  OutputError,
  formatIssues,
  formatWarnings,
  escapeControl,
  type ConfigIssue,
  type ErrorCode,
  type StackWarning,
} from "./errors.js";
export { SUPPORTED_FLINK_VERSIONS, parseFlinkVersion, flinkFeatures, type FlinkFeatures, type FlinkVersion } from "./flink/versions.js";
export { flinkMetricNames, type FlinkMetricNames } from "./flink/metrics.js";
export {
  verifyStack,
  type VerifyOptions,
  type VerifyResult,
  type VerifySummary,
  type VerifyProgress,
  type PanelCheck,
  type PanelStatus,
  type RuleCheck,
  type RuleStatus,
  type VariableCheck,
} from "./verify/index.js";
export {
  prunePushgateway,
  listPushgatewayGroups,
  findStaleGroups,
  deletePushgatewayGroup,
  groupPath,
  parsePushgatewayGroups,
  runPruneService,
  PruneStats,
  type PushgatewayGroup,
  type StaleGroup,
  type StaleGroupOptions,
  type PruneOptions,
  type PruneResult,
  type PruneFailure,
  type PruneServiceOptions,
} from "./pushgateway/index.js";
export type { Artifact } from "./render/artifact.js";
export type { StackConfig } from "./generated/stack-config.js";
export type * from "./plan/types.js";
export { Wait, describeWait, httpEndpoint, type WaitStrategy, type HttpWait, type HealthCheckWait, type LogWait, type AllWait } from "./plan/wait.js";
export type { ResolvedStackConfig } from "./config/resolved.js";
