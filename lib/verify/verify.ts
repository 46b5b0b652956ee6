// verify: evaluate every generated dashboard query and alert rule expression against a live Prometheus,
// and say which return nothing and why (metric absent, label mismatch, reporter not pushing, target down).
// Dashboard variables are resolved the way Grafana would, from the variable queries themselves.
// The dashboards checked are those the config generates; with grafana.enabled false (planStack plans none then)
// those it would generate with Grafana enabled, so a Grafana-less stack is still proven (dashboardPlan).
import { durationMs, formatSeconds } from "../config/duration.js";
import { StackError } from "../errors.js";
import { PORT_POOL_LABEL, type ScrapeJobKind, type StackPlan } from "../plan/types.js";
import { buildAlertRules } from "../render/alert-rules.js";
import { buildDashboard, listPanelQueries } from "../render/dashboards/index.js";
import { freshnessSelector } from "../promql/index.js";
import { DEFAULT_TIMEOUT_MS, HttpRequestError, mapLimit, normalizeBaseUrl, type FetchFunction } from "./http.js";
import { PrometheusApi, type QueryAnswer } from "./prometheus-api.js";
import {
  formatVariableValues,
  metricRefs,
  parseLabelValuesQuery,
  promString,
  selectorsOf,
  selectorWith,
  substituteVariables,
  type Selector,
} from "./promql.js";

export interface VerifyProgress {
  readonly step: "connect" | "variables" | "panels" | "rules" | "causes";
  readonly message: string;
}

export interface VerifyOptions {
  /** Prometheus base URL; default plan.urls.prometheus (the stack's own, on loopback). */
  readonly prometheusUrl?: string;
  /** Default: the global fetch. */
  readonly fetch?: FetchFunction;
  /** Evaluation time: a Date or Unix seconds; default now. */
  readonly time?: Date | number;
  /** Per HTTP request; default 10 s. */
  readonly timeoutMs?: number;
  /** Requests in flight at once; default 8. */
  readonly concurrency?: number;
  readonly onProgress?: (event: VerifyProgress) => void;
}

export type PanelStatus = "data" | "no-data" | "error";

/** One query (target) of one dashboard panel. */
export interface PanelCheck {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  /** The expression as run: template variables substituted. */
  readonly expr: string;
  /** The expression as generated, with Grafana variables. */
  readonly template: string;
  /** Series the instant query returned. */
  readonly series: number;
  readonly status: PanelStatus;
  /** Why there is no data (or the query error). */
  readonly cause?: string;
  /** Set for panels only some jobs fill (a Kafka source): their lack of data does not fail the check. */
  readonly needs?: string;
}

export type RuleStatus = "ok" | "metric-absent" | "error";

export interface RuleCheck {
  readonly bundle: string;
  readonly group: string;
  readonly alert: string;
  readonly expr: string;
  /** "metric-absent": a metric the rule reads is not in Prometheus, so the rule cannot work as intended. */
  readonly status: RuleStatus;
  /** Series the expression returns now: > 0 means pending or firing (Watchdog always is). */
  readonly firing: number;
  readonly absentMetrics: readonly string[];
  readonly cause?: string;
}

export interface VariableCheck {
  readonly dashboard: string;
  readonly name: string;
  /** The variable query, earlier variables substituted. */
  readonly query: string;
  readonly values: readonly string[];
  /** What `$name` was replaced with. */
  readonly value: string;
  readonly error?: string;
}

export interface VerifySummary {
  /** Distinct panels, and those of them whose every query has data. */
  readonly panels: number;
  readonly panelsWithData: number;
  readonly queries: number;
  readonly data: number;
  readonly noData: number;
  /** Empty panels that only jobs with a certain connector fill (see PanelCheck.needs): they do not fail. */
  readonly noDataOptional: number;
  readonly errors: number;
  readonly rules: number;
  readonly rulesFiring: number;
  readonly rulesWithAbsentMetrics: number;
  readonly ruleErrors: number;
}

export interface VerifyResult {
  /**
   * Every panel query returned data (panels that need a connector the jobs lack aside), and there was at least
   * one panel to check (see problems).
   */
  readonly ok: boolean;
  /** What makes the result not ok besides panels without data, e.g. no panel at all to check. */
  readonly problems: readonly string[];
  /** Worth saying beside the numbers, e.g. that Grafana is disabled and its dashboards were checked nonetheless. */
  readonly notes: readonly string[];
  readonly prometheusUrl: string;
  readonly prometheusVersion: string | undefined;
  /** Evaluation time, Unix seconds. */
  readonly time: number;
  readonly variables: readonly VariableCheck[];
  readonly panels: readonly PanelCheck[];
  readonly rules: readonly RuleCheck[];
  readonly summary: VerifySummary;
}

/** Grafana's built-in interval variables for a dashboard with time range `rangeSeconds`. */
export function builtinVariables(plan: StackPlan, rangeSeconds: number, time: number): Map<string, string> {
  const scrapeSeconds = Math.max(1, durationMs(plan.prometheus.scrapeInterval) / 1000);
  // Grafana: max($__interval + scrape interval, 4 × scrape interval); $__interval is the scrape interval
  // (the datasource's timeInterval) for an hour on a normal screen. At least 1m, like the dashboards expect.
  const rateSeconds = Math.max(60, 4 * scrapeSeconds);
  return new Map([
    ["__rate_interval", formatSeconds(Math.ceil(rateSeconds))],
    ["__interval", formatSeconds(Math.ceil(scrapeSeconds))],
    ["__interval_ms", String(Math.round(scrapeSeconds * 1000))],
    ["__range", formatSeconds(rangeSeconds)],
    ["__range_s", String(rangeSeconds)],
    ["__range_ms", String(rangeSeconds * 1000)],
    ["__from", String(Math.round((time - rangeSeconds) * 1000))],
    ["__to", String(Math.round(time * 1000))],
  ]);
}

function rangeOf(from: string): number {
  const match = /^now-(\w+)$/.exec(from);
  const ms = match ? durationMs(match[1]!) : 0;
  return ms > 0 ? Math.round(ms / 1000) : 3600;
}

function toSeconds(time: Date | number | undefined): number {
  if (time === undefined) return Date.now() / 1000;
  return time instanceof Date ? time.getTime() / 1000 : time;
}

/** Scrape-job kinds whose targets deliver a metric (for "target down"). */
function sourceKinds(plan: StackPlan, metric: string): ScrapeJobKind[] {
  if (metric.startsWith("flink_")) return plan.flink.mode === "pushgateway" ? ["pushgateway"] : ["flink"];
  if (metric.startsWith("node_")) return ["node"];
  if (metric === "push_time_seconds" || metric === "push_failure_time_seconds" || metric.startsWith("pushgateway_")) return ["pushgateway"];
  if (metric.startsWith("prometheus_")) return ["prometheus"];
  if (metric.startsWith("alertmanager_")) return ["alertmanager"];
  if (metric.startsWith("grafana_")) return ["grafana"];
  return [];
}

function isFlink(metric: string): boolean {
  return metric.startsWith("flink_");
}

function quoteList(values: readonly string[], max = 5): string {
  const shown = values.slice(0, max).map((v) => JSON.stringify(v));
  return `${shown.join(", ")}${values.length > max ? `, … (${values.length} in all)` : ""}`;
}

/**
 * The plan whose dashboards verify checks: `plan` itself when Grafana is enabled, else `plan` with the dashboards
 * the same config plans with Grafana enabled (planStack plans none without Grafana, and verify would check
 * nothing). Only the dashboard list changes: services, scrape jobs and URLs stay the stack's own.
 */
export function dashboardPlan(plan: StackPlan): StackPlan {
  if (plan.grafana.enabled) return plan;
  return { ...plan, dashboards: plan.grafana.verifiableDashboards };
}

function noPanelProblem(plan: StackPlan, dashboards: number): string {
  if (dashboards > 0) return "no dashboard panel was checked: the generated dashboards have no query panel";
  const d = plan.grafana.switches;
  const off = [
    d.cluster ? undefined : "cluster",
    d.job ? undefined : "job",
    d.taskmanager ? undefined : "taskmanager",
    d.hosts ? undefined : "hosts",
  ].filter((x) => x !== undefined);
  const hostsWithoutNodes = d.hosts && !plan.scrapeJobs.some((job) => job.kind === "node") ? " (hosts: no node_exporter is scraped)" : "";
  return `no dashboard panel was checked: the config generates no dashboard${off.length > 0 ? ` (grafana.dashboards.${off.join(", .")} off)` : ""}${hostsWithoutNodes}; turn one on to verify it`;
}

/** Verifies a stack against a live Prometheus. Throws StackError E_VERIFY when Prometheus cannot be reached. */
export async function verifyStack(plan: StackPlan, options: VerifyOptions = {}): Promise<VerifyResult> {
  const given = options.prometheusUrl ?? plan.urls.prometheus;
  if (given === undefined) throw new StackError("E_VERIFY", "the stack has no Prometheus URL: give one (--prometheus-url)");
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(given);
  } catch (error) {
    throw new StackError("E_VERIFY", `invalid Prometheus URL: ${(error as Error).message}`);
  }
  const api = new PrometheusApi(baseUrl, options.fetch ?? ((input, init) => fetch(input, init)), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const progress = (step: VerifyProgress["step"], message: string): void => options.onProgress?.({ step, message });
  const time = toSeconds(options.time);
  const dashPlan = dashboardPlan(plan);
  const notes: string[] = [];
  if (dashPlan !== plan && dashPlan.dashboards.length > 0) {
    notes.push(
      `grafana.enabled is false: checked the ${dashPlan.dashboards.length} dashboard(s) the config generates with Grafana enabled (${dashPlan.dashboards.map((d) => d.title).join(", ")})`,
    );
  }

  progress("connect", `connecting to Prometheus at ${baseUrl}`);
  let prometheusVersion: string | undefined;
  try {
    prometheusVersion = await api.buildVersion();
  } catch (error) {
    const why = error instanceof HttpRequestError ? error.message : String(error);
    throw new StackError(
      "E_VERIFY",
      `cannot reach Prometheus at ${baseUrl} (${why}). Is the stack running? Start it with "flink-prometheus-stack up", or pass --prometheus-url.`,
      { cause: error },
    );
  }

  // Every expression is run once, however many panels share it.
  const cache = new Map<string, Promise<QueryAnswer>>();
  const run = (expr: string): Promise<QueryAnswer> => {
    let answer = cache.get(expr);
    if (!answer) {
      answer = api.query(expr, time).catch((error: unknown) => ({ ok: false as const, error: (error as Error).message }));
      cache.set(expr, answer);
    }
    return answer;
  };
  const count = async (expr: string): Promise<number> => {
    const answer = await run(`count(${expr})`);
    return answer.ok ? (answer.samples[0]?.value ?? 0) : 0;
  };

  // 1. Dashboard variables, per dashboard, in the order Grafana resolves them.
  progress("variables", "resolving dashboard variables");
  const variables: VariableCheck[] = [];
  const valuesByDashboard = new Map<string, Map<string, string>>();
  for (const d of dashPlan.dashboards) {
    const built = buildDashboard(dashPlan, d);
    const range = rangeOf(built.time.from);
    const values = builtinVariables(dashPlan, range, time);
    for (const variable of built.templating.list) {
      const query = substituteVariables(variable.query.query, values).expr;
      const parsed = parseLabelValuesQuery(query);
      let found: string[] = [];
      let error: string | undefined;
      if (!parsed) error = "not a label_values(…) query: substituted with the All value";
      else {
        try {
          found = (await api.labelValues(parsed.label, parsed.match, time - range, time)).filter((v) => v !== "").sort();
        } catch (err) {
          error = (err as Error).message;
        }
      }
      const value = formatVariableValues(found, variable.allValue);
      values.set(variable.name, value);
      variables.push({ dashboard: built.title, name: variable.name, query, values: found, value, ...(error ? { error } : {}) });
    }
    valuesByDashboard.set(built.title, values);
  }

  // 2. Panel queries.
  const queries = listPanelQueries(dashPlan);
  progress("panels", `running ${queries.length} panel queries`);
  const panelRuns = await mapLimit(queries, concurrency, async (q) => {
    const substituted = substituteVariables(q.expr, valuesByDashboard.get(q.dashboard) ?? new Map());
    return { q, substituted, answer: await run(substituted.expr) };
  });

  // 3. Alert rules.
  const ruleList = buildAlertRules(plan).flatMap(({ bundle, rules }) =>
    rules.groups.flatMap((group) => group.rules.map((rule) => ({ bundle, group: group.name, rule }))),
  );
  progress("rules", `running ${ruleList.length} alert rule expressions`);
  const ruleRuns = await mapLimit(ruleList, concurrency, async (r) => ({ ...r, answer: await run(r.rule.expr) }));

  // 4. Which metrics exist at all (for every rule, and for panels without data).
  const names = new Set<string>();
  const patterns = new Set<string>();
  const noteRefs = (expr: string): void => {
    const refs = metricRefs(expr);
    refs.names.forEach((n) => names.add(n));
    refs.patterns.forEach((p) => patterns.add(p));
  };
  for (const r of ruleRuns) noteRefs(r.rule.expr);
  for (const p of panelRuns) if (!(p.answer.ok && p.answer.series > 0)) noteRefs(p.substituted.expr);
  const present = new Set<string>();
  const nameList = [...names].filter((n) => /^[A-Za-z_:][\w:]*$/.test(n));
  for (let i = 0; i < nameList.length; i += 100) {
    const chunk = nameList.slice(i, i + 100);
    const answer = await run(`count by (__name__) ({__name__=~${promString(chunk.join("|"))}})`);
    if (answer.ok) answer.samples.forEach((s) => s.metric.__name__ && present.add(s.metric.__name__));
  }
  await mapLimit([...patterns], concurrency, async (pattern) => {
    if ((await count(`{__name__=~${promString(pattern)}}`)) > 0) present.add(pattern);
  });
  const absentOf = (expr: string): string[] => {
    const refs = metricRefs(expr);
    return [...refs.names, ...refs.patterns].filter((n) => !present.has(n));
  };

  // 5. Likely causes of the queries without data.
  const absentNames = [...names, ...patterns].filter((n) => !present.has(n));
  const families = new Set<string>();
  for (const prefix of ["flink_", "node_"]) {
    if (!absentNames.some((n) => n.startsWith(prefix))) continue;
    if ([...present].some((n) => n.startsWith(prefix)) || (await count(`{__name__=~"${prefix}.+"}`)) > 0) families.add(prefix);
  }
  const diagnose = causeFinder(plan, run, count, families);
  const needCauses = panelRuns.filter((p) => p.answer.ok && p.answer.series === 0).length;
  if (needCauses > 0) progress("causes", `looking for the causes of ${needCauses} empty queries`);
  const panels: PanelCheck[] = await mapLimit(panelRuns, concurrency, async ({ q, substituted, answer }) => {
    const base = {
      dashboard: q.dashboard,
      panel: q.panel,
      refId: q.refId,
      expr: substituted.expr,
      template: q.expr,
      ...(q.needs ? { needs: q.needs } : {}),
    };
    const unresolved = substituted.unresolved.length > 0 ? ` (unresolved variables: ${substituted.unresolved.map((n) => `$${n}`).join(", ")})` : "";
    if (!answer.ok) return { ...base, series: 0, status: "error" as const, cause: `query failed: ${answer.error}${unresolved}` };
    if (answer.series > 0) return { ...base, series: answer.series, status: "data" as const };
    if (q.needs) return { ...base, series: 0, status: "no-data" as const, cause: `needs ${q.needs}; no job reports it` };
    return { ...base, series: 0, status: "no-data" as const, cause: `${await diagnose(substituted.expr, absentOf(substituted.expr))}${unresolved}` };
  });

  const rules: RuleCheck[] = ruleRuns.map(({ bundle, group, rule, answer }) => {
    const base = { bundle, group, alert: rule.alert, expr: rule.expr };
    const absent = absentOf(rule.expr);
    if (!answer.ok) return { ...base, status: "error" as const, firing: 0, absentMetrics: absent, cause: `query failed: ${answer.error}` };
    if (absent.length > 0) {
      return { ...base, status: "metric-absent" as const, firing: answer.series, absentMetrics: absent, cause: diagnose.absentText(absent) };
    }
    return { ...base, status: "ok" as const, firing: answer.series, absentMetrics: [] };
  });

  const panelKeys = new Map<string, boolean>();
  for (const p of panels) {
    const key = `${p.dashboard}\u0000${p.panel}`;
    panelKeys.set(key, (panelKeys.get(key) ?? true) && p.status === "data");
  }
  const summary: VerifySummary = {
    panels: panelKeys.size,
    panelsWithData: [...panelKeys.values()].filter(Boolean).length,
    queries: panels.length,
    data: panels.filter((p) => p.status === "data").length,
    noData: panels.filter((p) => p.status === "no-data").length,
    noDataOptional: panels.filter((p) => p.status === "no-data" && p.needs).length,
    errors: panels.filter((p) => p.status === "error").length,
    rules: rules.length,
    rulesFiring: rules.filter((r) => r.firing > 0).length,
    rulesWithAbsentMetrics: rules.filter((r) => r.status === "metric-absent").length,
    ruleErrors: rules.filter((r) => r.status === "error").length,
  };
  const problems = summary.queries === 0 ? [noPanelProblem(plan, dashPlan.dashboards.length)] : [];
  return {
    ok: summary.noData === summary.noDataOptional && summary.errors === 0 && problems.length === 0,
    problems,
    notes,
    prometheusUrl: baseUrl,
    prometheusVersion,
    time,
    variables,
    panels,
    rules,
    summary,
  };
}

type Diagnose = ((expr: string, absent: readonly string[]) => Promise<string>) & {
  absentText(absent: readonly string[]): string;
};

/** The heuristics behind `cause`, sharing the few facts they need (computed once, on demand). */
function causeFinder(
  plan: StackPlan,
  run: (expr: string) => Promise<QueryAnswer>,
  count: (expr: string) => Promise<number>,
  /** Metric-name prefixes (flink_, node_) of which some metric exists. */
  families: ReadonlySet<string>,
): Diagnose {
  const push = plan.flink.mode === "pushgateway";
  const staleSeconds = plan.pushgateway.staleWindow.seconds;
  const { pushTime, pushJobMatcher: groups } = plan.freshness ?? freshnessSelector(plan.flink.pushgateway.jobName, staleSeconds);
  const once = <T>(compute: () => Promise<T>): (() => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => (value ??= compute());
  };
  const targets = once(async () => {
    const answer = await run("up");
    return answer.ok
      ? answer.samples.map((s) => ({
          job: s.metric.job ?? "",
          instance: s.metric.instance ?? "",
          up: s.value === 1,
          pool: s.metric[PORT_POOL_LABEL],
        }))
      : [];
  });
  const newestPushAge = once(async () => {
    const answer = await run(`time() - max(${pushTime})`);
    return answer.ok && answer.samples.length > 0 ? answer.samples[0]!.value : undefined;
  });

  const absentText = (all: readonly string[], reporterDown = false): string => {
    // With "reporter not pushing" said, a missing push_time_seconds needs no second mention.
    const shown = reporterDown ? all.filter((n) => !n.startsWith("push_")) : all;
    const absent = shown.length > 0 ? shown : all;
    const first = absent[0]!;
    const more = absent.length > 1 ? ` (also absent: ${absent.slice(1, 4).join(", ")}${absent.length > 4 ? ", …" : ""})` : "";
    let why: string | undefined;
    if (reporterDown) why = undefined;
    else if (isFlink(first)) {
      why = families.has("flink_")
        ? "not reported by this Flink version or job (other Flink metrics are present)"
        : push
          ? "not reported by this Flink version/job, or the reporter is not pushing"
          : "not reported by this Flink version/job, or Prometheus does not scrape the Flink reporter";
    } else if (first.startsWith("node_")) {
      why = families.has("node_") ? "not exported by the node_exporter (collector disabled?)" : "no node_exporter data (is a node_exporter scraped?)";
    } else why = "no series of it in Prometheus";
    return `metric ${first} absent${why ? `: ${why}` : ""}${more}`;
  };

  const downTargets = async (metrics: readonly string[]): Promise<string[]> => {
    const kinds = new Set(metrics.flatMap((m) => sourceKinds(plan, m)));
    const jobs = new Set(plan.scrapeJobs.filter((j) => kinds.has(j.kind)).map((j) => j.name));
    if (jobs.size === 0) return [];
    const all = await targets();
    const relevant = all.filter((t) => jobs.has(t.job));
    const down = relevant.filter((t) => !t.up && t.pool === undefined).map((t) => `target down: ${t.job} ${t.instance}`);
    // Ports of a shared reporter range: some are bound by nobody; only fewer answering ports than processes is news.
    const pools = new Map<string, { size: number; up: number; ports: string[] }>();
    for (const t of relevant.filter((candidate) => candidate.pool !== undefined)) {
      const host = t.instance.replace(/:\d+$/, "");
      const pool = pools.get(`${t.job} ${host}`) ?? { size: Number(t.pool), up: 0, ports: [] };
      if (t.up) pool.up++;
      pool.ports.push(t.instance.slice(host.length + 1));
      pools.set(`${t.job} ${host}`, pool);
    }
    for (const [where, pool] of pools) {
      if (pool.up < pool.size) down.push(`target down: ${where}: ${pool.up} of ${pool.size} processes answer on ports ${pool.ports.join(", ")}`);
    }
    return down;
  };

  const mismatch = async (selector: Selector): Promise<string | undefined> => {
    if ((await count(selector.text)) > 0) return undefined;
    const failing: string[] = [];
    for (const m of selector.matchers) {
      if ((await count(selectorWith(selector, [m]))) > 0) continue;
      const answer = await run(`count by (${m.label}) (${selectorWith(selector, [])})`);
      const seen = answer.ok ? answer.samples.map((s) => s.metric[m.label] ?? "").sort() : [];
      failing.push(`${m.text} (${m.label} values: ${seen.length === 0 ? "none" : quoteList(seen)})`);
    }
    if (failing.length === 0)
      return `label mismatch: ${selector.display} exists, but no series has all of ${selector.matchers.map((m) => m.text).join(", ")}`;
    return `label mismatch: ${selector.display} exists, but not with ${failing.join("; ")}`;
  };

  const staleness = async (selector: Selector): Promise<string | undefined> => {
    const answer = await run(
      `min(time() - (push_time_seconds and on (job, instance, cluster) group by (job, instance, cluster) (${selector.text})))`,
    );
    if (!answer.ok) return undefined;
    const age = answer.samples[0]?.value;
    if (age === undefined)
      return `the series of ${selector.display} have no push_time_seconds with the same job, instance and cluster labels (are they pushed through the Pushgateway?)`;
    if (age >= staleSeconds) {
      return `reporter not pushing: the Pushgateway groups holding ${selector.display} were last pushed ${Math.round(age)}s ago; the dashboards hide groups older than ${staleSeconds}s`;
    }
    return undefined;
  };

  /** rate() / increase() need two samples in their window. */
  const fewSamples = async (expr: string, selector: Selector): Promise<string | undefined> => {
    const at = expr.indexOf(`${selector.text}[`);
    if (at < 0) return undefined;
    const range = /^\[(\d+(?:ms|[smhdwy]))+\]/.exec(expr.slice(at + selector.text.length))?.[0];
    if (range === undefined) return undefined;
    const answer = await run(`max(count_over_time(${selector.text}${range}))`);
    if (!answer.ok) return undefined;
    const samples = answer.samples[0]?.value ?? 0;
    if (samples >= 2) return undefined;
    return `too few samples: ${selector.display} has ${samples} sample(s) in the last ${range.slice(1, -1)}, rate() and increase() need two (is its target still scraped?)`;
  };

  const diagnose = (async (expr: string, absent: readonly string[]): Promise<string> => {
    const refs = metricRefs(expr);
    const metrics = [...refs.names, ...refs.patterns];
    const findings: string[] = [];
    findings.push(...(await downTargets(metrics)).slice(0, 3));
    const flinkMetrics = metrics.some(isFlink);
    if (absent.length > 0) {
      let reporterDown = false;
      if (push && absent.some(isFlink)) {
        const age = await newestPushAge();
        if (age === undefined) findings.push(`reporter not pushing: the Pushgateway has no group with ${groups} (no push_time_seconds)`);
        else if (age > staleSeconds) findings.push(`reporter not pushing: the newest push of a ${groups} group was ${Math.round(age)}s ago`);
        reporterDown = age === undefined || age > staleSeconds;
      }
      findings.push(absentText(absent, reporterDown));
      return findings.join("; ");
    }
    const seen = new Set<string>();
    const selectors = selectorsOf(expr).filter((s) => !seen.has(s.text) && seen.add(s.text));
    for (const selector of selectors) {
      const found = await mismatch(selector);
      if (found) findings.push(found);
    }
    if (findings.length === 0 && push && flinkMetrics) {
      for (const selector of selectors.filter((s) => isFlink(s.display))) {
        const found = await staleness(selector);
        if (found) {
          findings.push(found);
          break;
        }
      }
    }
    if (findings.length === 0) {
      for (const selector of selectors) {
        const found = await fewSamples(expr, selector);
        if (found) {
          findings.push(found);
          break;
        }
      }
    }
    if (findings.length === 0) {
      findings.push(
        "the series exist and match, but the expression as a whole returns nothing (a value filter such as `>= 0`, or a join without partners)",
      );
    }
    return findings.join("; ");
  }) as Diagnose;
  diagnose.absentText = absentText;
  return diagnose;
}
