// `verify`: every dashboard panel and alert rule expression of a stack, evaluated on a live Prometheus.
export {
  verifyStack,
  builtinVariables,
  dashboardPlan,
  type VerifyOptions,
  type VerifyResult,
  type VerifySummary,
  type VerifyProgress,
  type PanelCheck,
  type PanelStatus,
  type RuleCheck,
  type RuleStatus,
  type VariableCheck,
} from "./verify.js";
export {
  substituteVariables,
  formatVariableValues,
  parseLabelValuesQuery,
  metricRefs,
  selectorsOf,
  type MetricRefs,
  type Selector,
  type LabelMatcher,
  type LabelValuesQuery,
  type Substitution,
} from "./promql.js";
export { HttpRequestError, type FetchFunction } from "./http.js";
