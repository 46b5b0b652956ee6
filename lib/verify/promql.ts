// Pure PromQL text helpers for `verify`: Grafana variable substitution, the metric names an expression
// reads, and its selectors with their label matchers. Deliberately small: the expressions are our own
// generated PromQL, not arbitrary user input, and Prometheus itself judges them when they run.

/** Grafana's `$name`, `${name}`, `${name:format}` and `[[name]]` forms. */
const VARIABLE_REF = /\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::\w+)?\]\]|\$(\w+)/g;

export interface Substitution {
  readonly expr: string;
  /** `$names` that look like variables but have no value (left as they were, like Grafana does). */
  readonly unresolved: readonly string[];
}

/**
 * Replaces the variables that have a value; leaves every other `$x` alone (regex replacements such as
 * label_replace's "$1" are no variables, and Grafana leaves unknown names alone too).
 */
export function substituteVariables(expr: string, values: ReadonlyMap<string, string>): Substitution {
  const unresolved = new Set<string>();
  const out = expr.replace(VARIABLE_REF, (whole, braced?: string, bracketed?: string, plain?: string) => {
    const name = (braced ?? bracketed ?? plain)!;
    const value = values.get(name);
    if (value !== undefined) return value;
    if (/^[A-Za-z_]/.test(name)) unresolved.add(name);
    return whole;
  });
  return { expr: out, unresolved: [...unresolved] };
}

/** RE2 metacharacters escaped as Grafana does for a multi-value Prometheus variable, for use inside "…". */
export function grafanaRegexEscape(value: string): string {
  // Grafana's prometheusSpecialRegexEscape: the escape is itself escaped for the PromQL string literal.
  return value
    .replace(/\\/g, "\\\\\\\\")
    .replace(/[$^*{}[\]'+?.()|]/g, "\\\\$&")
    .replace(/"/g, '\\"');
}

/**
 * The text a multi-value "include All" variable becomes: `v` for one value, `(v1|v2)` for several,
 * and the All value `.*` when the variable query found none.
 */
export function formatVariableValues(values: readonly string[], allValue = ".*"): string {
  if (values.length === 0) return allValue;
  const escaped = values.map(grafanaRegexEscape);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join("|")})`;
}

export interface LabelValuesQuery {
  readonly label: string;
  /** The series selector (`metric{…}`), or undefined for `label_values(label)`. */
  readonly match: string | undefined;
}

/** Parses Grafana's `label_values(selector, label)` / `label_values(label)`; undefined for anything else. */
export function parseLabelValuesQuery(query: string): LabelValuesQuery | undefined {
  const text = query.trim();
  const two = /^label_values\(\s*([\s\S]+?)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(text);
  if (two) return { label: two[2]!, match: two[1]! };
  const one = /^label_values\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(text);
  if (one) return { label: one[1]!, match: undefined };
  return undefined;
}

const STRING_LITERAL = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
  "inf",
  "nan",
  "atan2",
  "start",
  "end",
]);

/** The value of a PromQL string literal (Go escapes; JSON's are a subset, which is all we generate). */
export function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === "`") return body;
  try {
    return JSON.parse(`"${body.replace(/\\'/g, "'").replace(/(?<!\\)"/g, '\\"')}"`) as string;
  } catch {
    return body;
  }
}

export interface MetricRefs {
  /** Metric names the expression reads, by name (`name`, `name{…}` or `{__name__="name"}`). */
  readonly names: readonly string[];
  /** Regexes of `{__name__=~"…"}` selectors. */
  readonly patterns: readonly string[];
}

/**
 * The metrics an expression reads: identifiers that are neither functions, keywords, label names, nor
 * durations, plus `__name__` matchers. E.g. `rate(x{job="a"}[5m]) / on (job) y` → names [x, y].
 */
export function metricRefs(expr: string): MetricRefs {
  const names = new Set<string>();
  const patterns = new Set<string>();
  for (const match of expr.matchAll(/__name__\s*(=~|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g)) {
    const value = unquote(match[2]!);
    if (match[1] === "=") names.add(value);
    else patterns.add(value);
  }
  let text = expr.replace(STRING_LITERAL, '""');
  text = text.replace(/\{[^{}]*\}/g, "{}").replace(/\[[^\]]*\]/g, "[]");
  text = text.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)/g, " ");
  for (const match of text.matchAll(/(?<![\w:.])([A-Za-z_:][\w:]*)(?![\w:])/g)) {
    const name = match[1]!;
    if (KEYWORDS.has(name.toLowerCase())) continue;
    const after = text.slice(match.index + name.length).trimStart();
    if (after.startsWith("(")) continue; // a function or an aggregation
    names.add(name);
  }
  return { names: [...names].sort(), patterns: [...patterns].sort() };
}

export interface LabelMatcher {
  readonly label: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  /** The unquoted value. */
  readonly value: string;
  /** The matcher as written, e.g. `cluster=~"demo"`. */
  readonly text: string;
}

export interface Selector {
  /** The metric name, or undefined for `{__name__=~"…"}`. */
  readonly name: string | undefined;
  /** A name for people: the metric name, or the `__name__` regex. */
  readonly display: string;
  /** Matchers other than `__name__`. */
  readonly matchers: readonly LabelMatcher[];
  /** `__name__` matchers as written (kept whenever the selector is rebuilt). */
  readonly nameMatchers: readonly string[];
  /** The selector as written in the expression. */
  readonly text: string;
}

/** Every vector selector with at least one label matcher, in order of appearance. */
export function selectorsOf(expr: string): Selector[] {
  const selectors: Selector[] = [];
  const pattern = /([A-Za-z_:][\w:]*)?\s*\{((?:[^{}"'`]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)*)\}/g;
  for (const match of expr.matchAll(pattern)) {
    const name = match[1] !== undefined && !KEYWORDS.has(match[1].toLowerCase()) ? match[1] : undefined;
    const matchers: LabelMatcher[] = [];
    const nameMatchers: string[] = [];
    let namePattern: string | undefined;
    let exactName = name;
    for (const m of match[2]!.matchAll(/([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g)) {
      const label = m[1]!;
      const op = m[2] as LabelMatcher["op"];
      const value = unquote(m[3]!);
      if (label === "__name__") {
        nameMatchers.push(m[0]);
        if (op === "=") exactName = value;
        else if (op === "=~") namePattern = value;
        continue;
      }
      matchers.push({ label, op, value, text: m[0] });
    }
    const display = exactName ?? namePattern;
    if (display === undefined || matchers.length === 0) continue;
    selectors.push({ name: exactName, display, matchers, nameMatchers, text: `${name ?? ""}{${match[2]}}` });
  }
  return selectors;
}

/** A selector with only some of its label matchers (the `__name__` matchers always kept). */
export function selectorWith(selector: Selector, matchers: readonly LabelMatcher[]): string {
  const parts = [...selector.nameMatchers, ...matchers.map((m) => m.text)];
  if (selector.nameMatchers.length > 0 || selector.name === undefined) return `{${parts.join(",")}}`;
  return parts.length === 0 ? selector.name : `${selector.name}{${parts.join(",")}}`;
}

export { promString, regexEscape } from "../promql/index.js";
