// The bad-config table: every mistake a person can make in flink-stack.yaml, run through the REAL CLI
// (`generate -c … -o …`) and through the library. Each must exit with the documented code, name the
// path, say what is wrong (and how to fix it where we can), print no stack trace, and write nothing.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  ConfigNotFoundError,
  ConfigParseError,
  ConfigValidationError,
  OutputError,
  buildStack,
  generate,
  loadConfig,
  parseConfigText,
  validateConfig,
} from "../lib/index.js";
import { runCli, stackTraceLines, tempDir } from "./support/cli.js";

// ---------------------------------------------------------------------------------------------------
// Building blocks

/** A valid config; `flinkExtra` goes inside `flink:` (before clusters), `extra` at the top level. */
function config(options: { version?: string; flinkExtra?: string; extra?: string; cluster?: string } = {}): string {
  return [
    "flink:",
    `  version: "${options.version ?? "1.18"}"`,
    ...(options.flinkExtra ? [options.flinkExtra.replace(/\n$/, "")] : []),
    "  clusters:",
    options.cluster ?? '    - { name: prod, jobmanagers: ["jm1.prod.internal"], taskmanagers: ["tm1.prod.internal"] }',
    ...(options.extra ? [options.extra.replace(/\n$/, "")] : []),
    "",
  ].join("\n");
}

/** One cluster (flow style) with the given extra fields. */
const cluster = (fields: string) => `    - { name: prod, ${fields} }`;

/** "Billion laughs": 9 levels of 9 aliases (9^9 ≈ 387 million strings) where the schema accepts anything. */
function aliasBomb(): string {
  const names = "abcdefghi".split("");
  const lines = [`    x-a: &a [${Array(9).fill('"lol"').join(", ")}]`];
  for (let i = 1; i < names.length; i++) {
    lines.push(
      `    x-${names[i]}: &${names[i]} [${Array(9)
        .fill(`*${names[i - 1]}`)
        .join(", ")}]`,
    );
  }
  return config({ extra: `overrides:\n  compose:\n${lines.join("\n")}` });
}

type LibraryExpectation =
  /** parseConfigText throws ConfigParseError (at line/column when given). */
  | { kind: "parse"; line?: number; column?: number }
  /** parseConfigText succeeds, validateConfig throws ConfigValidationError with an issue at `path`. */
  | { kind: "validation" }
  /** validateConfig passes; buildStack (the final documents' checks) throws ConfigValidationError with an issue at `path`. */
  | { kind: "build" }
  | { kind: "not-found" }
  | { kind: "output" }
  | { kind: "none" };

interface Row {
  readonly name: string;
  /** The config file's contents (YAML, or JSON when `file` ends in .json). */
  readonly text?: string;
  readonly file?: string;
  /** CLI arguments; `{config}` and `{out}` are replaced. Default: generate -c {config} -o {out}. */
  readonly args?: readonly string[];
  readonly exit: 1 | 2;
  /** Expected issue path ("" = the root, printed as "(root)"). */
  readonly path?: string;
  readonly message: string;
  readonly hint?: string;
  /** Exactly this many issues (when the mistake should be reported once). */
  readonly count?: number;
  readonly library: LibraryExpectation;
  /** Prepare the temp dir (e.g. make the output path a file). */
  readonly setup?: (dir: string) => void;
  /** The CLI must finish within this many ms. */
  readonly maxMs?: number;
  /** A known lib defect: the row runs and reports, but does not fail the suite until fixed. */
}

const V = { kind: "validation" } as const;
const B = { kind: "build" } as const;

const ROWS: readonly Row[] = [
  // --- YAML itself ------------------------------------------------------------------------------
  {
    name: "YAML syntax error (unclosed flow list)",
    text: 'flink:\n  version: "1.18"\n  clusters: [\n',
    exit: 1,
    message: "flink-stack.yaml:4:1: invalid YAML: unexpected end of the stream within a flow collection",
    library: { kind: "parse", line: 4, column: 1 },
  },
  {
    name: "YAML syntax error in the middle of a file (bad indentation)",
    text: 'flink:\n  version: "1.18"\n clusters: []\n',
    exit: 1,
    message: "flink-stack.yaml:3:",
    library: { kind: "parse", line: 3 },
  },
  {
    name: "tab indentation",
    text: 'flink:\n\tversion: "1.18"\n',
    exit: 1,
    message: "flink-stack.yaml:2:1: invalid YAML: tab characters must not be used in indentation",
    library: { kind: "parse", line: 2, column: 1 },
  },
  {
    name: "duplicate YAML key",
    text: 'flink:\n  version: "1.18"\n  version: "1.17"\n  clusters: []\n',
    exit: 1,
    message: "flink-stack.yaml:3:3: invalid YAML: duplicated mapping key",
    library: { kind: "parse", line: 3, column: 3 },
  },
  {
    name: "empty file",
    text: "",
    exit: 1,
    message: "is empty",
    library: { kind: "parse" },
  },
  {
    name: "a YAML alias bomb fails fast",
    text: aliasBomb(),
    exit: 1,
    message: "expands to more than 500000 values (YAML aliases referring to aliases?); refusing to read it",
    library: { kind: "parse" },
    maxMs: 45_000, // generous: process start-up on a loaded machine; the library check below is 5 s
  },
  {
    name: "JSON config with a syntax error",
    file: "flink-stack.json",
    text: '{"flink": {"version": "1.18",, "clusters": []}}',
    exit: 1,
    message: "flink-stack.json:1:30: invalid JSON",
    library: { kind: "parse", line: 1, column: 30 },
  },
  {
    name: "JSON config with an unknown key",
    file: "flink-stack.json",
    text: JSON.stringify({ flink: { version: "1.18", clusters: [{ name: "a", jobmanagers: ["jm"] }] }, grafna: { enabled: false } }),
    exit: 1,
    path: "grafna",
    message: 'unknown key "grafna"',
    hint: 'did you mean "grafana"?',
    count: 1,
    library: V,
  },

  // --- structure ----------------------------------------------------------------------------------
  {
    name: "unknown top-level key with did-you-mean",
    text: config({ extra: "prometeus:\n  scrapeInterval: 15s" }),
    exit: 1,
    path: "prometeus",
    message: 'unknown key "prometeus"',
    hint: 'did you mean "prometheus"?',
    count: 1,
    library: V,
  },
  {
    name: "unknown nested key with did-you-mean",
    text: config({ extra: "prometheus:\n  scrapeIntervl: 15s" }),
    exit: 1,
    path: "prometheus.scrapeIntervl",
    message: 'unknown key "scrapeIntervl"',
    hint: 'did you mean "scrapeInterval"?',
    count: 1,
    library: V,
  },
  {
    name: "missing flink key",
    text: "prometheus:\n  scrapeInterval: 15s\n",
    exit: 1,
    path: "",
    message: 'missing required key "flink"',
    count: 1,
    library: V,
  },
  {
    name: "flink.clusters missing",
    text: 'flink:\n  version: "1.18"\n',
    exit: 1,
    path: "flink",
    message: 'missing required key "clusters"',
    count: 1,
    library: V,
  },
  {
    name: "flink.clusters is a mapping, not a list",
    text: 'flink:\n  version: "1.18"\n  clusters: { name: prod, jobmanagers: [jm1] }\n',
    exit: 1,
    path: "flink.clusters",
    message: "must be a list (got a mapping)",
    count: 1,
    library: V,
  },
  {
    name: "jobmanagers is an empty list",
    text: config({ cluster: cluster("jobmanagers: []") }),
    exit: 1,
    path: "flink.clusters[0].jobmanagers",
    message: "must not be empty",
    count: 1,
    library: V,
  },
  {
    name: "__proto__ as a top-level key",
    text: `__proto__:\n  polluted: yes\n${config()}`,
    exit: 1,
    path: "__proto__",
    message: 'unknown key "__proto__"',
    count: 1,
    library: V,
  },
  {
    name: "__proto__ as a label name",
    text: config({ cluster: cluster("jobmanagers: [jm1], labels: { __proto__: x, env: prod }") }),
    exit: 1,
    path: "flink.clusters[0].labels.__proto__",
    message: '"__proto__" is not a valid Prometheus label name',
    count: 1,
    library: V,
  },
  {
    name: "__proto__ keys in a JSON config",
    file: "flink-stack.json",
    text: '{"__proto__": {"polluted": true}, "flink": {"version": "1.18", "clusters": [{"name": "a", "jobmanagers": ["jm"], "labels": {"__proto__": "x"}}]}}',
    exit: 1,
    path: "__proto__",
    message: 'unknown key "__proto__"',
    count: 2,
    library: V,
  },

  // --- Flink version and reporter -----------------------------------------------------------------
  {
    name: "version 1.10 unquoted (YAML reads the number 1.1)",
    text: config().replace('version: "1.18"', "version: 1.10"),
    exit: 1,
    path: "flink.version",
    message: "must be a string (got number 1.1)",
    hint: 'put the version in quotes, e.g. version: "1.10"',
    count: 1,
    library: V,
  },
  {
    name: "unsupported Flink version 1.5",
    text: config({ version: "1.5" }),
    exit: 1,
    path: "flink.version",
    message: "Flink 1.5 is not supported",
    hint: "supported: 1.6 to",
    count: 1,
    library: V,
  },
  {
    name: "unsupported Flink version 3.0",
    text: config({ version: "3.0" }),
    exit: 1,
    path: "flink.version",
    message: "Flink 3.0 is not supported",
    hint: "2.1",
    count: 1,
    library: V,
  },
  {
    name: 'Flink version "latest"',
    text: config({ version: "latest" }),
    exit: 1,
    path: "flink.version",
    message: '(got the string "latest")',
    count: 1,
    library: V,
  },
  {
    name: "reporter mode typo with did-you-mean",
    text: config({ flinkExtra: "  reporter: { mode: pushgatway }" }),
    exit: 1,
    path: "flink.reporter.mode",
    message: 'must be one of "pushgateway", "pull"',
    hint: 'did you mean "pushgateway"?',
    count: 1,
    library: V,
  },
  {
    name: "reporter interval of 500ms",
    text: config({ flinkExtra: "  reporter: { interval: 500ms }" }),
    exit: 1,
    path: "flink.reporter.interval",
    message: "must be a whole number of seconds, at least 1s (got 500ms)",
    hint: "SECONDS",
    count: 1,
    library: V,
  },
  {
    name: "groupingKey on Flink 1.9",
    text: config({ version: "1.9", flinkExtra: "  reporter:\n    pushgateway:\n      groupingKey: { dc: eu }" }),
    exit: 1,
    path: "flink.reporter.pushgateway.groupingKey",
    message: "needs Flink 1.10 or newer (configured: 1.9)",
    hint: "set flink.version to 1.10 or newer",
    count: 1,
    library: V,
  },
  {
    name: "excludeLabels on Flink 1.9",
    text: config({ version: "1.9", flinkExtra: "  reporter:\n    excludeLabels: [host]" }),
    exit: 1,
    path: "flink.reporter.excludeLabels",
    message: "needs Flink 1.10 or newer (configured: 1.9)",
    count: 1,
    library: V,
  },
  {
    name: "https Pushgateway URL on Flink 1.14",
    text: config({ version: "1.14", flinkExtra: "  reporter:\n    pushgateway:\n      url: https://pushgateway.example.internal:9091" }),
    exit: 1,
    path: "flink.reporter.pushgateway.url",
    message: "Flink 1.14 pushes to host:port over plain http only",
    hint: "needs Flink 1.15 or newer",
    count: 1,
    library: V,
  },
  {
    name: "prune sidecar deleting groups before FlinkMetricsPushStale could fire",
    text: config({ extra: "pushgateway:\n  prune: { sidecar: true, olderThan: 5m }" }),
    exit: 1,
    path: "pushgateway.prune.olderThan",
    message: "must be longer than 6m (got 5m)",
    hint: "deleting it sooner would silence that alert for a dead process",
    count: 1,
    library: V,
  },
  {
    name: "prune sidecar without a Pushgateway (pull mode)",
    text: config({ flinkExtra: "  reporter: { mode: pull }", extra: "pushgateway:\n  prune: { sidecar: true }" }),
    exit: 1,
    path: "pushgateway.prune.sidecar",
    message: "the prune sidecar needs the Pushgateway, which is off",
    hint: "enable pushgateway.enabled",
    count: 1,
    library: V,
  },
  {
    name: "randomJobNameSuffix false on Flink 1.9",
    text: config({ version: "1.9", flinkExtra: "  reporter:\n    pushgateway:\n      randomJobNameSuffix: false" }),
    exit: 1,
    path: "flink.reporter.pushgateway.randomJobNameSuffix",
    message: "would make every Flink process overwrite the others' metrics",
    hint: "keep randomJobNameSuffix: true",
    count: 1,
    library: V,
  },
  {
    name: "groupingKey key job_name (a Flink variable)",
    text: config({ flinkExtra: "  reporter:\n    pushgateway:\n      groupingKey: { job_name: x }" }),
    exit: 1,
    path: "flink.reporter.pushgateway.groupingKey.job_name",
    message: '"job_name" cannot be a grouping-key label',
    hint: "hiding Flink's own value",
    count: 1,
    library: V,
  },
  {
    name: "groupingKey cluster that differs from the cluster's name",
    text: config({ flinkExtra: "  reporter:\n    pushgateway:\n      groupingKey: { cluster: x }" }),
    exit: 1,
    path: "flink.reporter.pushgateway.groupingKey.cluster",
    message: 'cluster=x conflicts with the cluster\'s name "prod", which the stack pushes as cluster',
    hint: "the cluster label is flink.clusters[].name",
    count: 1,
    library: V,
  },
  {
    name: "groupingKey cluster with several clusters",
    text: config({
      flinkExtra: "  reporter:\n    pushgateway:\n      groupingKey: { cluster: prod }",
      cluster: "    - { name: prod, jobmanagers: [jm1] }\n    - { name: staging, jobmanagers: [jm2] }",
    }),
    exit: 1,
    path: "flink.reporter.pushgateway.groupingKey.cluster",
    message: "one cluster=prod cannot name 2 clusters (prod, staging); the stack pushes each cluster's name as cluster",
    count: 1,
    library: V,
  },
  {
    name: "groupingKey key job",
    text: config({ flinkExtra: "  reporter:\n    pushgateway:\n      groupingKey: { job: x }" }),
    exit: 1,
    path: "flink.reporter.pushgateway.groupingKey.job",
    message: "it is the Pushgateway group's job name",
    hint: "set flink.reporter.pushgateway.jobName instead",
    count: 1,
    library: V,
  },
  {
    name: "pull port range reversed (9300-9200)",
    text: config({ flinkExtra: '  reporter:\n    mode: pull\n    pull: { port: "9300-9200" }' }),
    exit: 1,
    path: "flink.reporter.pull.port",
    message: "must be a port or a range low-high within 1-65535 (got 9300-9200)",
    library: V,
  },
  {
    name: "pushgateway disabled in pushgateway mode",
    text: config({ extra: "pushgateway:\n  enabled: false" }),
    exit: 1,
    path: "pushgateway.enabled",
    message: "the Pushgateway is off, but flink.reporter.mode is pushgateway",
    hint: "use flink.reporter.mode: pull",
    count: 1,
    library: V,
  },

  // --- clusters, hosts, labels -------------------------------------------------------------------------
  {
    name: "host with a space",
    text: config({ cluster: cluster('jobmanagers: [jm1], taskmanagers: ["tm 1"]') }),
    exit: 1,
    path: "flink.clusters[0].taskmanagers[0]",
    message: 'must be a host name or IP address, optionally with :port (got the string "tm 1")',
    hint: "no scheme, no path, no spaces",
    count: 1,
    library: V,
  },
  {
    name: "host given as a URL",
    text: config({ cluster: cluster('jobmanagers: ["http://tm1:9249"]') }),
    exit: 1,
    path: "flink.clusters[0].jobmanagers[0]",
    message: '(got the string "http://tm1:9249")',
    hint: "no scheme",
    count: 1,
    library: V,
  },
  {
    name: "host with _ and !",
    text: config({ cluster: cluster('jobmanagers: ["tm_1!"]') }),
    exit: 1,
    path: "flink.clusters[0].jobmanagers[0]",
    message: "must be a host name or IP address",
    count: 1,
    library: V,
  },
  {
    name: "duplicate cluster names",
    text: config({ cluster: "    - { name: prod, jobmanagers: [jm1] }\n    - { name: prod, jobmanagers: [jm2] }" }),
    exit: 1,
    path: "flink.clusters[1].name",
    message: 'duplicate cluster name "prod" (also flink.clusters[0])',
    hint: "must be unique",
    count: 1,
    library: V,
  },
  {
    name: "cluster name with $ (compose interpolation)",
    text: config({ cluster: '    - { name: "prod$HOME", jobmanagers: [jm1] }' }),
    exit: 1,
    path: "flink.clusters[0].name",
    message: "must start with a letter or digit and use only letters, digits",
    count: 1,
    library: V,
  },
  {
    name: "cluster name with {{ (template syntax)",
    text: config({ cluster: '    - { name: "{{ $labels.job }}", jobmanagers: [jm1] }' }),
    exit: 1,
    path: "flink.clusters[0].name",
    message: "must start with a letter or digit",
    count: 1,
    library: V,
  },
  {
    name: "cluster name with quotes",
    text: config({ cluster: "    - { name: 'prod\"x''y', jobmanagers: [jm1] }" }),
    exit: 1,
    path: "flink.clusters[0].name",
    message: "use only letters, digits, '.', '_' and '-'",
    count: 1,
    library: V,
  },
  {
    name: "label name starting with a digit",
    text: config({ cluster: cluster("jobmanagers: [jm1], labels: { 1bad: x }") }),
    exit: 1,
    path: "flink.clusters[0].labels.1bad",
    message: '"1bad" is not a valid Prometheus label name',
    hint: "[a-zA-Z_][a-zA-Z0-9_]*",
    count: 1,
    library: V,
  },
  {
    name: "label name starting with __ (reserved)",
    text: config({ cluster: cluster("jobmanagers: [jm1], labels: { __reserved: x }") }),
    exit: 1,
    path: "flink.clusters[0].labels.__reserved",
    message: '"__reserved" is not a valid Prometheus label name',
    hint: "names starting with __ are reserved",
    count: 1,
    library: V,
  },
  {
    name: "label name with a dash",
    text: config({ extra: "prometheus:\n  externalLabels: { with-dash: x }" }),
    exit: 1,
    path: "prometheus.externalLabels.with-dash",
    message: '"with-dash" is not a valid Prometheus label name',
    count: 1,
    library: V,
  },
  {
    name: "label value with a newline",
    text: config({ extra: 'prometheus:\n  externalLabels: { env: "prod\\nstaging" }' }),
    exit: 1,
    path: "prometheus.externalLabels.env",
    message: '(got the string "prod\\nstaging")',
    count: 1,
    library: V,
  },
  {
    name: "cluster label named cluster",
    text: config({ cluster: cluster("jobmanagers: [jm1], labels: { cluster: x }") }),
    exit: 1,
    path: "flink.clusters[0].labels.cluster",
    message: '"cluster" is set by the stack itself',
    hint: "choose another label name",
    count: 1,
    library: V,
  },

  // --- Prometheus ----------------------------------------------------------------------------------
  {
    name: 'duration "15 seconds"',
    text: config({ extra: "prometheus:\n  scrapeInterval: 15 seconds" }),
    exit: 1,
    path: "prometheus.scrapeInterval",
    message: "must be a duration such as 15s, 1m30s, 2h or 15d",
    hint: "units: ms, s, m, h, d, w, y",
    count: 1,
    library: V,
  },
  {
    name: "duration without a unit (15)",
    text: config({ extra: "prometheus:\n  scrapeInterval: 15" }),
    exit: 1,
    path: "prometheus.scrapeInterval",
    message: "must be a string (got number 15)",
    count: 1,
    library: V,
  },
  {
    name: "scrapeTimeout longer than scrapeInterval",
    text: config({ extra: "prometheus:\n  scrapeInterval: 10s\n  scrapeTimeout: 20s" }),
    exit: 1,
    path: "prometheus.scrapeTimeout",
    message: "must not exceed prometheus.scrapeInterval (10s)",
    count: 1,
    library: V,
  },
  {
    name: "image without a tag",
    text: config({ extra: "prometheus:\n  image: prom/prometheus" }),
    exit: 1,
    path: "prometheus.image",
    message: "must be an image reference pinned to a tag or digest",
    hint: "never an untagged image",
    count: 1,
    library: V,
  },
  {
    name: "scrape target port 99999",
    text: config({ extra: 'prometheus:\n  scrapeJobs:\n    - { name: kafka, targets: ["kafka1:9308", "kafka2:99999"] }' }),
    exit: 1,
    path: "prometheus.scrapeJobs[0].targets[1]",
    message: "port 99999 is out of range 1-65535",
    count: 1,
    library: V,
  },
  {
    name: "duplicate scrape job names",
    text: config({ extra: "prometheus:\n  scrapeJobs:\n    - { name: kafka, targets: [k1] }\n    - { name: kafka, targets: [k2] }" }),
    exit: 1,
    path: "prometheus.scrapeJobs[1].name",
    message: 'duplicate scrape job name "kafka" (also prometheus.scrapeJobs[0])',
    count: 1,
    library: V,
  },
  {
    name: "scrape job named pushgateway (built in)",
    text: config({ extra: "prometheus:\n  scrapeJobs:\n    - { name: pushgateway, targets: [k1] }" }),
    exit: 1,
    path: "prometheus.scrapeJobs[0].name",
    message: '"pushgateway" is the name of a scrape job the stack defines itself',
    hint: 'rename it, e.g. "pushgateway-extra"',
    count: 1,
    library: V,
  },
  {
    name: "scrape job named prometheus (built in)",
    text: config({ extra: "prometheus:\n  scrapeJobs:\n    - { name: kafka, targets: [k1] }\n    - { name: prometheus, targets: [k2] }" }),
    exit: 1,
    path: "prometheus.scrapeJobs[1].name",
    message: '"prometheus" is the name of a scrape job the stack defines itself',
    count: 1,
    library: V,
  },
  {
    name: "scrape job named flink-prod in pull mode (built in for cluster prod)",
    text: config({ flinkExtra: "  reporter: { mode: pull }", extra: "prometheus:\n  scrapeJobs:\n    - { name: flink-prod, targets: [k1] }" }),
    exit: 1,
    path: "prometheus.scrapeJobs[0].name",
    message: '"flink-prod" is the name of a scrape job the stack defines itself',
    count: 1,
    library: V,
  },

  // --- network, alerting -----------------------------------------------------------------------------
  {
    name: "published port out of range (grafana 70000)",
    text: config({ extra: "network:\n  ports: { grafana: 70000 }" }),
    exit: 1,
    path: "network.ports.grafana",
    message: "must be <= 65535 (got 70000)",
    count: 1,
    library: V,
  },
  {
    name: "two services on one published port",
    text: config({ extra: "network:\n  ports: { grafana: 9090 }" }),
    exit: 1,
    path: "network.ports.grafana",
    message: "port 9090 is already published for prometheus",
    hint: "give each service its own port",
    count: 1,
    library: V,
  },
  {
    name: "route.receiver names an unknown receiver",
    text: config({
      extra: "alerting:\n  alertmanager:\n    receivers: [{ name: ops, webhook: { url: 'http://hook.internal/' } }]\n    route: { receiver: opz }",
    }),
    exit: 1,
    path: "alerting.alertmanager.route.receiver",
    message: 'no receiver is named "opz"',
    hint: "receivers: ops",
    count: 1,
    library: V,
  },

  // --- overrides ------------------------------------------------------------------------------------------
  {
    name: "__proto__ inside overrides.prometheus",
    text: config({ extra: "overrides:\n  prometheus:\n    __proto__: { polluted: yes }" }),
    exit: 1,
    path: "overrides.prometheus.__proto__",
    message: "not allowed",
    library: V,
  },
  {
    name: "constructor key inside overrides.compose",
    text: config({ extra: "overrides:\n  compose:\n    services:\n      constructor: { image: x }" }),
    exit: 1,
    path: "overrides.compose.services.constructor",
    message: "not allowed",
    library: V,
  },
  {
    name: "overriding the datasource uid the dashboards reference",
    text: config({ extra: "overrides:\n  grafanaDatasource:\n    uid: mine" }),
    exit: 1,
    path: "overrides.grafanaDatasource.uid",
    message: "reference the Prometheus datasource by its uid",
    hint: "remove overrides.grafanaDatasource.uid",
    library: V,
  },
  {
    name: "overriding the datasource type the dashboards reference",
    text: config({ extra: "overrides:\n  grafanaDatasource:\n    type: loki" }),
    exit: 1,
    path: "overrides.grafanaDatasource.type",
    message: "reference the Prometheus datasource by its type",
    library: V,
  },

  // --- files and folders ----------------------------------------------------------------------------
  {
    name: "config file that does not exist",
    args: ["generate", "-c", "{dir}/nope.yaml", "-o", "{out}"],
    exit: 1,
    message: "nope.yaml: no such config file",
    library: { kind: "not-found" },
  },
  {
    name: "output path is a file",
    text: config(),
    setup: (dir) => writeFileSync(path.join(dir, "out"), "precious, not a folder\n"),
    exit: 1,
    message: "the output path is a file, not a directory",
    library: { kind: "output" },
  },

  // --- usage ------------------------------------------------------------------------------------------
  {
    name: "unknown flag",
    text: config(),
    args: ["generate", "-c", "{config}", "-o", "{out}", "--frobnicate"],
    exit: 2,
    message: "--frobnicate",
    library: { kind: "none" },
  },
  {
    name: "--check and --stdout together",
    text: config(),
    args: ["generate", "-c", "{config}", "-o", "{out}", "--check", "--stdout"],
    exit: 2,
    message: "--check and --stdout cannot be combined",
    library: { kind: "none" },
  },
  {
    name: "unknown command",
    text: config(),
    args: ["generat", "-c", "{config}", "-o", "{out}"],
    exit: 2,
    message: 'unknown command "generat"',
    library: { kind: "none" },
  },

  // --- final documents (lib/check) and secrets in paths and URLs -----------------------------------------
  {
    name: "override: scrape_interval that is not a duration (promtool would refuse)",
    text: config({ extra: "overrides:\n  prometheus:\n    global: { scrape_interval: not-a-duration }" }),
    exit: 1,
    path: "overrides.prometheus.global.scrape_interval",
    message: 'must be a Prometheus duration such as 15s (got "not-a-duration")',
    count: 1,
    library: B,
  },
  {
    name: "override: nested route to an unknown receiver (amtool would refuse)",
    text: config({ extra: "overrides:\n  alertmanager:\n    route:\n      routes: [{ receiver: pager, matchers: ['team=\"db\"'] }]" }),
    exit: 1,
    path: "overrides.alertmanager.route.routes[0].receiver",
    message: 'no receiver is named "pager"',
    count: 1,
    library: B,
  },
  {
    name: "override: compose environment value with $1 (invalid interpolation)",
    text: config({ extra: "overrides:\n  compose:\n    services:\n      grafana:\n        environment: { GF_X: 'a$1' }" }),
    exit: 1,
    path: "overrides.compose.services.grafana.environment.GF_X",
    message: "is not a valid Compose interpolation",
    hint: "write $$ for a literal $",
    count: 1,
    library: B,
  },
  {
    name: "override: compose value with a raw trailing $",
    text: config({ extra: "overrides:\n  compose:\n    services:\n      prometheus:\n        labels: { price: '5$' }" }),
    exit: 1,
    path: "overrides.compose.services.prometheus.labels.price",
    message: "is not a valid Compose interpolation",
    count: 1,
    library: B,
  },
  {
    name: "override: unknown compose service key (Compose Specification)",
    text: config({ extra: "overrides:\n  compose:\n    services:\n      grafana: { restrat: always }" }),
    exit: 1,
    path: "overrides.compose.services.grafana.restrat",
    message: 'unknown key "restrat" in the Compose file',
    count: 1,
    library: B,
  },
  {
    name: "override: two scrape configs with one job_name",
    text: config({ extra: "overrides:\n  prometheus:\n    scrape_configs: [{ job_name: a }, { job_name: a }]" }),
    exit: 1,
    path: "overrides.prometheus.scrape_configs[1].job_name",
    message: 'duplicate job_name "a"',
    count: 1,
    library: B,
  },
  {
    name: "override: relabel regex that does not compile",
    text: config({
      extra: "overrides:\n  prometheus:\n    scrape_configs: [{ job_name: a, relabel_configs: [{ source_labels: [x], regex: '(a' }] }]",
    }),
    exit: 1,
    path: "overrides.prometheus.scrape_configs[0].relabel_configs[0].regex",
    message: "is not a valid regular expression",
    count: 1,
    library: B,
  },
  {
    name: "override: Grafana datasource without a url",
    text: config({ extra: "overrides:\n  grafanaDatasource: { url: '' }" }),
    exit: 1,
    path: "overrides.grafanaDatasource.url",
    message: "must be a non-empty string",
    count: 1,
    library: B,
  },
  {
    name: "':' in a secret file path (would mount another file)",
    text: config({
      extra:
        "alerting:\n  alertmanager:\n    receivers: [{ name: s, slack: { apiUrlFile: '/etc/passwd:/etc/alertmanager/alertmanager.yml:rw', channel: '#a' } }]",
    }),
    exit: 1,
    path: "alerting.alertmanager.receivers[0].slack.apiUrlFile",
    message: "must not contain ':'",
    hint: "rename or link the file",
    count: 1,
    library: V,
  },
  {
    name: "',' in a password file path",
    text: config({ extra: "prometheus:\n  remoteWrite: [{ url: 'https://rw.example/api', basicAuth: { username: u, passwordFile: 'a,b' } }]" }),
    exit: 1,
    path: "prometheus.remoteWrite[0].basicAuth.passwordFile",
    message: "must not contain ','",
    count: 1,
    library: V,
  },
  {
    name: "~user/ secret file path",
    text: config({ extra: "grafana:\n  adminPasswordFile: '~bob/grafana-password'" }),
    exit: 1,
    path: "grafana.adminPasswordFile",
    message: "~user paths are not expanded",
    hint: "~/",
    count: 1,
    library: V,
  },
  {
    name: "receiver named null (the internal Watchdog sink)",
    text: config({ extra: "alerting:\n  alertmanager:\n    receivers: [{ name: 'null', webhook: { url: 'http://hook.internal/' } }]" }),
    exit: 1,
    path: "alerting.alertmanager.receivers[0].name",
    message: '"null" is reserved',
    hint: 'name a receiver "watchdog"',
    count: 1,
    library: V,
  },
  {
    name: "remote_write URL with user:password@",
    text: config({ extra: "prometheus:\n  remoteWrite: [{ url: 'https://user:secret@rw.example/api/v1/write' }]" }),
    exit: 1,
    path: "prometheus.remoteWrite[0].url",
    message: "must not carry user:password@",
    hint: "basicAuth { username, passwordFile }",
    count: 1,
    library: V,
  },
  {
    name: "webhook URL with user:password@",
    text: config({ extra: "alerting:\n  alertmanager:\n    receivers: [{ name: w, webhook: { url: 'https://u:p@hook.example/' } }]" }),
    exit: 1,
    path: "alerting.alertmanager.receivers[0].webhook.url",
    message: "must not carry user:password@",
    hint: "webhook.urlFile",
    count: 1,
    library: V,
  },
  {
    name: "Pushgateway URL with user:password@",
    text: config({ flinkExtra: "  reporter:\n    pushgateway: { url: 'http://u:p@pushgateway.internal:9091' }" }),
    exit: 1,
    path: "flink.reporter.pushgateway.url",
    message: "must not carry user:password@",
    count: 1,
    library: V,
  },
  {
    name: "webhook with both url and urlFile",
    text: config({ extra: "alerting:\n  alertmanager:\n    receivers: [{ name: w, webhook: { url: 'http://hook/', urlFile: /etc/hook-url } }]" }),
    exit: 1,
    path: "alerting.alertmanager.receivers[0].webhook",
    message: "give url or urlFile, not both",
    count: 1,
    library: V,
  },
  {
    name: "webhook urlFile with an Alertmanager older than 0.26",
    text: config({
      extra: "alerting:\n  alertmanager:\n    image: prom/alertmanager:v0.25.0\n    receivers: [{ name: w, webhook: { urlFile: /etc/hook-url } }]",
    }),
    exit: 1,
    path: "alerting.alertmanager.receivers[0].webhook.urlFile",
    message: "needs Alertmanager 0.26 or newer",
    count: 1,
    library: V,
  },
  {
    name: "override: remote_write URL with user:password@",
    text: config({ extra: "overrides:\n  prometheus:\n    remote_write: [{ url: 'https://u:secret@rw.example/api/v1/write' }]" }),
    exit: 1,
    path: "overrides.prometheus.remote_write[0].url",
    message: "a URL with user:password@",
    hint: "password_file",
    count: 1,
    library: B,
  },
  {
    name: "override: inline basic_auth password",
    text: config({
      extra: "overrides:\n  prometheus:\n    remote_write: [{ url: 'https://rw.example/', basic_auth: { username: u, password: secret } }]",
    }),
    exit: 1,
    path: "overrides.prometheus.remote_write[0].basic_auth.password",
    message: "an inline secret",
    hint: "use password_file",
    count: 1,
    library: B,
  },
  // --- issue 9: addresses, hosts and URLs that crashed the renderers ---------------------------------
  {
    name: "network.bindAddress 999.1.2.3 (not an IPv4 address)",
    text: config({ extra: "network:\n  bindAddress: 999.1.2.3" }),
    exit: 1,
    path: "network.bindAddress",
    message: "must be an IP address of this machine such as 127.0.0.1, 0.0.0.0, ::1 or ::",
    hint: "an IPv4 address is four numbers from 0 to 255",
    count: 1,
    library: V,
  },
  {
    name: "network.bindAddress a host name with a space",
    text: config({ extra: 'network:\n  bindAddress: "monitoring host"' }),
    exit: 1,
    path: "network.bindAddress",
    message: "must be an IP address of this machine such as 127.0.0.1, 0.0.0.0, ::1 or ::",
    hint: "not a host name",
    count: 1,
    library: V,
  },
  {
    name: "network.bindAddress an IPv6 address that is not one (1::2::3)",
    text: config({ extra: 'network:\n  bindAddress: "1::2::3"' }),
    exit: 1,
    path: "network.bindAddress",
    message: "must be an IP address",
    count: 1,
    library: V,
  },
  {
    name: "network.advertisedHost with a port",
    text: config({ extra: "network:\n  advertisedHost: monitoring.example.com:9091" }),
    exit: 1,
    path: "network.advertisedHost",
    message: "must be a host name or address without a port",
    hint: "set flink.reporter.pushgateway.url",
    count: 1,
    library: V,
  },
  {
    name: "network.advertisedHost 999.1.2.3",
    text: config({ extra: "network:\n  advertisedHost: 999.1.2.3" }),
    exit: 1,
    path: "network.advertisedHost",
    message: "999.1.2.3 is not an IPv4 address",
    count: 1,
    library: V,
  },
  {
    name: "a scrape target whose last part is a number (kafka.123)",
    text: config({ extra: 'prometheus:\n  scrapeJobs:\n    - { name: kafka, targets: ["kafka.123:9308"] }' }),
    exit: 1,
    path: "prometheus.scrapeJobs[0].targets[0]",
    message: "kafka.123 is neither a host name nor an IPv4 address",
    count: 1,
    library: V,
  },
  {
    name: "a node_exporter target 300.0.0.1",
    text: config({ extra: 'nodeExporter:\n  targets: ["300.0.0.1:9100"]' }),
    exit: 1,
    path: "nodeExporter.targets[0]",
    message: "300.0.0.1 is not an IPv4 address",
    count: 1,
    library: V,
  },
  {
    name: "a Flink process host 256.1.1.1",
    text: config({ cluster: cluster('jobmanagers: ["256.1.1.1"], taskmanagers: [{ host: "10.0.0.2" }]') }),
    exit: 1,
    path: "flink.clusters[0].jobmanagers[0]",
    message: "256.1.1.1 is not an IPv4 address",
    count: 1,
    library: V,
  },
  {
    name: "a Flink process host that is a bad IPv6 address in brackets",
    text: config({ cluster: cluster('jobmanagers: ["jm"], taskmanagers: [{ host: "[fd00::1::2]" }]') }),
    exit: 1,
    path: "flink.clusters[0].taskmanagers[0].host",
    message: "[fd00::1::2] is not an IPv6 address",
    count: 1,
    library: V,
  },
  {
    name: "flink.reporter.pushgateway.url that no URL parser accepts (http://[::1)",
    text: config({ flinkExtra: '  reporter:\n    pushgateway: { url: "http://[::1:9091" }' }),
    exit: 1,
    path: "flink.reporter.pushgateway.url",
    message: "is not a URL a client can use",
    count: 1,
    library: V,
  },
  {
    name: "flink.reporter.pushgateway.url with a host 999.0.0.1 (Flink 1.7: host and port are split from it)",
    text: config({ version: "1.7", flinkExtra: '  reporter:\n    pushgateway: { url: "http://999.0.0.1:9091" }' }),
    exit: 1,
    path: "flink.reporter.pushgateway.url",
    message: "is not a URL a client can use",
    count: 1,
    library: V,
  },
  {
    name: "flink.reporter.pushgateway.url with a fragment (flink-conf.yaml cuts the line at '#')",
    text: config({ flinkExtra: '  reporter:\n    pushgateway: { url: "http://pgw.example.com:9091/#x" }' }),
    exit: 1,
    path: "flink.reporter.pushgateway.url",
    message: "must not have a query (?…) or fragment (#…)",
    count: 1,
    library: V,
  },
  {
    name: "a remote-write URL with a host that is not one",
    text: config({ extra: 'prometheus:\n  remoteWrite:\n    - { url: "https://metrics.123/api/v1/write" }' }),
    exit: 1,
    path: "prometheus.remoteWrite[0].url",
    message: "is not a URL a client can use",
    count: 1,
    library: V,
  },
  {
    name: "a webhook URL that is not one",
    text: config({ extra: 'alerting:\n  alertmanager:\n    receivers:\n      - { name: hook, webhook: { url: "http://[fe80::1%25eth0]/x" } }' }),
    exit: 1,
    path: "alerting.alertmanager.receivers[0].webhook.url",
    message: "is not a URL a client can use",
    count: 1,
    library: V,
  },

  // --- issue 9 / 11: pull mode and hosts with several processes -------------------------------------
  {
    name: "pull: one-box Flink with an explicit single port (the range cannot fit 2 processes)",
    text: config({
      flinkExtra: "  reporter: { mode: pull, pull: { port: 9249 } }",
      cluster: cluster('jobmanagers: ["localhost"], taskmanagers: ["localhost"]'),
    }),
    exit: 1,
    path: "flink.clusters[0]",
    message: "2 Flink processes on localhost but the reporter port range has only 1 port",
    hint: 'widen flink.reporter.pull.port, e.g. "9249-9250"',
    count: 1,
    library: V,
  },
  {
    name: "pull: one host:port listed for two processes",
    text: config({
      flinkExtra: '  reporter: { mode: pull, pull: { port: "9249-9250" } }',
      cluster: cluster('jobmanagers: ["box:9250"], taskmanagers: ["box:9250"]'),
    }),
    exit: 1,
    path: "flink.clusters[0].taskmanagers[0]",
    message: "box:9250 is also listed at flink.clusters[0].jobmanagers[0]",
    count: 1,
    library: V,
  },
  {
    name: "pull: two clusters on one host without ports",
    text: config({
      flinkExtra: '  reporter: { mode: pull, pull: { port: "9249-9250" } }',
      cluster: '    - { name: a, jobmanagers: ["box"] }\n    - { name: b, jobmanagers: ["box"] }',
    }),
    exit: 1,
    path: "flink.clusters[0].jobmanagers[0]",
    message: "box runs Flink processes of clusters a, b",
    count: 1,
    library: V,
  },
  {
    name: "pull: a 1000-port range on a shared host",
    text: config({
      flinkExtra: '  reporter: { mode: pull, pull: { port: "9000-9999" } }',
      cluster: cluster('jobmanagers: ["box"], taskmanagers: ["box"]'),
    }),
    exit: 1,
    path: "flink.reporter.pull.port",
    message: "the range 9000-9999 has 1000 ports",
    hint: '"9000-9001"',
    count: 1,
    library: V,
  },

  // --- issue 9: control bytes are escaped in every message ------------------------------------------
  {
    name: "an ESC sequence in an unknown key is printed escaped",
    text: config({ extra: '"x\\e]0;owned\\a": 1' }),
    exit: 1,
    message: 'unknown key "x\\u001b]0;owned\\u0007"',
    library: { kind: "none" },
  },
  {
    name: "an ESC sequence in a value is printed escaped",
    text: config({ cluster: cluster('jobmanagers: ["jm"], labels: { env: "\\e[2J\\e[31mprod" }') }),
    exit: 1,
    message: "\\u001b[2J\\u001b[31mprod",
    library: { kind: "none" },
  },
  {
    name: "a C1 control (CSI, U+009B) and a bidi override in a key are printed escaped",
    text: config({ extra: '"a\\u009b2J\\u202eb": 1' }),
    exit: 1,
    message: 'unknown key "a\\u009b2J\\u202eb"',
    library: { kind: "none" },
  },
  {
    name: "raw ESC bytes in a YAML syntax error snippet are printed escaped",
    text: 'flink:\n  version: "1.18"\n  clusters: [ \u001b[31m\n',
    exit: 1,
    message: "\\u001b[31m",
    library: { kind: "parse", line: 3 },
  },
  // --- where the stack is written, secrets, filesystem errors (test/write-safety.test.ts has the library side) ---
  {
    name: 'output folder "" (would be the current folder)',
    text: config(),
    args: ["generate", "-c", "{config}", "-o", ""],
    exit: 1,
    message: 'the output folder is empty (""). Name a folder for the stack',
    library: { kind: "none" },
  },
  {
    name: "output folder / (the filesystem root)",
    text: config(),
    args: ["generate", "-c", "{config}", "-o", "/"],
    exit: 1,
    message: "/: refusing to write the stack into the filesystem root",
    library: { kind: "none" },
  },
  {
    name: "a folder link inside the output folder (with --force)",
    text: config(),
    setup: (dir) => {
      mkdirSync(path.join(dir, "o2"));
      mkdirSync(path.join(dir, "elsewhere"));
      symlinkSync(path.join(dir, "elsewhere"), path.join(dir, "o2/grafana"));
    },
    args: ["generate", "-c", "{config}", "-o", "{dir}/o2", "--force"],
    exit: 1,
    message: "o2/grafana is a symbolic link",
    hint: "Replace the link by a real folder",
    library: { kind: "none" },
  },
  {
    name: "a dangling link at secrets/grafana_admin_password",
    text: config(),
    setup: (dir) => {
      mkdirSync(path.join(dir, "o3/secrets"), { recursive: true });
      symlinkSync(path.join(dir, "nowhere"), path.join(dir, "o3/secrets/grafana_admin_password"));
    },
    args: ["generate", "-c", "{config}", "-o", "{dir}/o3"],
    exit: 1,
    message: "secrets/grafana_admin_password is a symbolic link",
    library: { kind: "none" },
  },
  {
    name: "a Slack apiUrlFile that does not exist",
    text: config({
      extra: 'alerting:\n  alertmanager:\n    receivers:\n      - { name: chat, slack: { apiUrlFile: /nonexistent/slack-url, channel: "#a" } }',
    }),
    exit: 1,
    message: "alerting.alertmanager.receivers[0].slack.apiUrlFile: /nonexistent/slack-url does not exist",
    hint: "install -D -m 600 /dev/null /nonexistent/slack-url",
    library: { kind: "none" },
  },
  {
    name: "a remote-write passwordFile that does not exist (relative: in the output folder)",
    text: config({
      extra:
        'prometheus:\n  remoteWrite:\n    - { url: "https://metrics.example.com/api/v1/write", basicAuth: { username: u, passwordFile: rw-password } }',
    }),
    exit: 1,
    message: "prometheus.remoteWrite[0].basicAuth.passwordFile: rw-password (in the output folder:",
    library: { kind: "none" },
  },
  {
    name: "output folder below a file (ENOTDIR)",
    text: config(),
    setup: (dir) => writeFileSync(path.join(dir, "plain"), "x\n"),
    args: ["generate", "-c", "{config}", "-o", "{dir}/plain/out"],
    exit: 1,
    message: "is a file where a folder belongs",
    library: { kind: "none" },
  },
  {
    name: "init below a file (ENOTDIR)",
    setup: (dir) => writeFileSync(path.join(dir, "plain"), "x\n"),
    args: ["init", "{dir}/plain/flink-stack.yaml"],
    exit: 1,
    message: "plain is a file where a folder belongs",
    library: { kind: "none" },
  },
];

// ---------------------------------------------------------------------------------------------------

function issuePaths(error: unknown): string[] {
  assert.ok(error instanceof ConfigValidationError, `expected ConfigValidationError, got ${String(error)}`);
  return error.issues.map((issue) => issue.path);
}

const scratch = tempDir("fps-bad-");
after(() => scratch.cleanup());

describe("bad configs through the real CLI", { concurrency: 3 }, () => {
  ROWS.forEach((row, index) => {
    it(`${index + 1}. ${row.name}`, async () => {
      const dir = path.join(scratch.dir, String(index + 1));
      mkdirSync(dir);
      const configFile = path.join(dir, row.file ?? "flink-stack.yaml");
      const out = path.join(dir, "out");
      if (row.text !== undefined) writeFileSync(configFile, row.text);
      row.setup?.(dir);
      const outBefore = existsSync(out) ? readFileSync(out, "utf8") : undefined;

      const args = (row.args ?? ["generate", "-c", "{config}", "-o", "{out}"]).map((arg) =>
        arg.replace("{config}", configFile).replace("{out}", out).replace("{dir}", dir),
      );
      const started = Date.now();
      const result = await runCli(args, { cwd: dir });
      const elapsed = Date.now() - started;
      const shown = `stderr:\n${result.stderr}\nstdout:\n${result.stdout}`;

      assert.equal(result.code, row.exit, `exit code\n${shown}`);
      assert.ok(result.stderr.includes(row.message), `stderr should contain ${JSON.stringify(row.message)}\n${shown}`);
      if (row.path !== undefined) {
        const printed = row.path === "" ? "(root)" : row.path;
        assert.match(result.stderr, new RegExp(`^\\s+${printed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s`, "m"), `path ${printed}\n${shown}`);
      }
      if (row.hint !== undefined) assert.ok(result.stderr.includes(`hint: ${row.hint}`) || result.stderr.includes(row.hint), `hint\n${shown}`);
      if (row.count !== undefined) {
        assert.match(result.stderr, new RegExp(`: ${row.count} problems?\\b`), `exactly ${row.count} problem(s)\n${shown}`);
      }
      assert.deepEqual(stackTraceLines(result.stderr + result.stdout), [], `no stack trace\n${shown}`);
      // eslint-disable-next-line no-control-regex -- raw control characters are what it looks for
      assert.doesNotMatch(result.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, `no raw control characters reach the terminal\n${shown}`);
      // Warnings (e.g. about bindAddress) may come first; the error itself is one "error: " line.
      assert.match(result.stderr, /^error: \S/m, `a clear error line\n${shown}`);
      if (row.exit === 2) assert.match(result.stderr, /Usage: flink-prometheus-stack/, "usage errors show the usage");
      if (outBefore === undefined) assert.equal(existsSync(out), false, `nothing written: ${out} must not exist\n${shown}`);
      else assert.equal(readFileSync(out, "utf8"), outBefore, "the file at the output path is unchanged");
      if (row.maxMs !== undefined) assert.ok(elapsed < row.maxMs, `took ${elapsed} ms (limit ${row.maxMs})`);
    });
  });
});

describe("bad configs through the library", () => {
  ROWS.forEach((row, index) => {
    if (row.library.kind === "none") return;
    it(`${index + 1}. ${row.name}`, async () => {
      const file = row.file ?? "flink-stack.yaml";
      const expectation = row.library;
      switch (expectation.kind) {
        case "parse": {
          const started = Date.now();
          assert.throws(
            () => parseConfigText(row.text!, file),
            (error: unknown) => {
              assert.ok(error instanceof ConfigParseError, String(error));
              assert.equal(error.code, "E_CONFIG_PARSE");
              assert.equal(error.exitCode, 1);
              if (expectation.line !== undefined) assert.equal(error.line, expectation.line, error.message);
              if (expectation.column !== undefined) assert.equal(error.column, expectation.column, error.message);
              assert.ok(error.message.includes(row.message.replace(/^flink-stack\.(yaml|json)/, file)), error.message);
              return true;
            },
          );
          assert.ok(Date.now() - started < 5000, "parsing stays fast");
          break;
        }
        case "validation": {
          const raw = parseConfigText(row.text!, file);
          assert.throws(
            () => validateConfig(raw, { file }),
            (error: unknown) => {
              const paths = issuePaths(error);
              assert.ok(paths.includes(row.path!), `issue at ${JSON.stringify(row.path)}; got ${JSON.stringify(paths)}`);
              const issue = (error as ConfigValidationError).issues.find((candidate) => candidate.path === row.path)!;
              assert.ok(
                issue.message.includes(row.message),
                `message ${JSON.stringify(issue.message)} should contain ${JSON.stringify(row.message)}`,
              );
              if (row.hint !== undefined) assert.ok(issue.hint?.includes(row.hint), `hint ${JSON.stringify(issue.hint)}`);
              if (row.count !== undefined) assert.equal(paths.length, row.count, JSON.stringify((error as ConfigValidationError).issues, null, 2));
              assert.equal((error as ConfigValidationError).exitCode, 1);
              return true;
            },
          );
          break;
        }
        case "build": {
          const raw = parseConfigText(row.text!, file);
          validateConfig(raw, { file });
          assert.throws(
            () => buildStack(raw, { file }),
            (error: unknown) => {
              const paths = issuePaths(error);
              assert.ok(paths.includes(row.path!), `issue at ${JSON.stringify(row.path)}; got ${JSON.stringify(paths)}`);
              const issue = (error as ConfigValidationError).issues.find((candidate) => candidate.path === row.path)!;
              assert.ok(
                issue.message.includes(row.message),
                `message ${JSON.stringify(issue.message)} should contain ${JSON.stringify(row.message)}`,
              );
              if (row.count !== undefined) assert.equal(paths.length, row.count, JSON.stringify((error as ConfigValidationError).issues, null, 2));
              assert.ok((error as Error).message.startsWith(`${file}: `), "the config file is named");
              return true;
            },
          );
          break;
        }
        case "not-found":
          await assert.rejects(loadConfig(path.join(scratch.dir, "does-not-exist.yaml")), (error: unknown) => {
            assert.ok(error instanceof ConfigNotFoundError, String(error));
            assert.match(error.message, /does-not-exist\.yaml: no such config file/);
            return true;
          });
          break;
        case "output": {
          const { dir, cleanup } = tempDir();
          try {
            const out = path.join(dir, "out");
            writeFileSync(out, "precious\n");
            await assert.rejects(generate({ config: parseConfigText(row.text!) as never, outDir: out }), (error: unknown) => {
              assert.ok(error instanceof OutputError, String(error));
              return true;
            });
            assert.equal(readFileSync(out, "utf8"), "precious\n");
          } finally {
            cleanup();
          }
          break;
        }
      }
    });
  });
});

describe("hostile input does not pollute prototypes", () => {
  it("__proto__ keys in YAML and JSON stay data", () => {
    for (const text of [
      `__proto__:\n  polluted: yes\n${config()}`,
      '{"__proto__": {"polluted": true}, "flink": {"version": "1.18", "clusters": []}}',
      config({ cluster: cluster("jobmanagers: [jm1], labels: { __proto__: { polluted: yes } }") }),
    ]) {
      const raw = parseConfigText(text);
      assert.throws(() => validateConfig(raw), ConfigValidationError);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"), false);
    }
  });
});

describe("every problem at once", () => {
  let dir: string;
  let cleanup: () => void;
  before(() => ({ dir, cleanup } = tempDir()));
  after(() => cleanup());

  it("validate lists every schema problem of a config in one run", async () => {
    const file = path.join(dir, "schema-errors.yaml");
    writeFileSync(
      file,
      [
        "name: Bad Name",
        "flink:",
        "  version: 1.10",
        "  reporter: { mode: pushgatway, interval: 15 seconds }",
        "  clusters:",
        '    - name: "a$b"',
        '      jobmanagers: ["http://jm:8081"]',
        "      labels: { with-dash: x }",
        "prometeus: {}",
        "network: { ports: { grafana: 70000 } }",
        "",
      ].join("\n"),
    );
    const expected = [
      "name",
      "flink.version",
      "flink.reporter.mode",
      "flink.reporter.interval",
      "flink.clusters[0].name",
      "flink.clusters[0].jobmanagers[0]",
      "flink.clusters[0].labels.with-dash",
      "prometeus",
      "network.ports.grafana",
    ];
    const result = await runCli(["validate", "-c", file], { cwd: dir });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`: ${expected.length} problems`), result.stderr);
    for (const issuePath of expected) assert.ok(result.stderr.includes(`  ${issuePath} `), `${issuePath} in\n${result.stderr}`);
    assert.deepEqual(stackTraceLines(result.stderr), []);

    const json = await runCli(["validate", "-c", file, "--json"], { cwd: dir });
    assert.equal(json.code, 1);
    const parsed = JSON.parse(json.stdout) as { valid: boolean; issues: Array<{ path: string; message: string }> };
    assert.equal(parsed.valid, false);
    assert.deepEqual(parsed.issues.map((issue) => issue.path).sort(), [...expected].sort());
  });

  it("validate lists every semantic problem of a config in one run", async () => {
    const file = path.join(dir, "semantic-errors.yaml");
    writeFileSync(
      file,
      config({
        cluster: "    - { name: prod, jobmanagers: [jm1], labels: { cluster: x } }\n    - { name: prod, jobmanagers: [jm2] }",
        flinkExtra: "  reporter:\n    interval: 1500ms\n    pushgateway:\n      groupingKey: { host: x }",
        extra: [
          "prometheus:",
          "  scrapeInterval: 10s",
          "  scrapeTimeout: 20s",
          "  scrapeJobs:",
          "    - { name: kafka, targets: [k1] }",
          '    - { name: kafka, targets: ["k2:70000"] }',
          "    - { name: grafana, targets: [g] }",
          "alerting:",
          "  alertmanager:",
          "    receivers: [{ name: ops, webhook: { url: 'http://hook/' } }]",
          "    route: { receiver: ops, criticalReceiver: pager }",
          "network:",
          "  ports: { alertmanager: 9090 }",
        ].join("\n"),
      }),
    );
    const expected = [
      "flink.reporter.interval",
      "flink.clusters[0].labels.cluster",
      "flink.clusters[1].name",
      "prometheus.scrapeTimeout",
      "prometheus.scrapeJobs[1].name",
      "prometheus.scrapeJobs[1].targets[0]",
      "prometheus.scrapeJobs[2].name",
      "network.ports.alertmanager",
      "alerting.alertmanager.route.criticalReceiver",
      "flink.reporter.pushgateway.groupingKey.host",
    ];
    const result = await runCli(["validate", "-c", file], { cwd: dir });
    assert.equal(result.code, 1, result.stderr);
    for (const issuePath of expected) assert.ok(result.stderr.includes(`  ${issuePath} `), `${issuePath} in\n${result.stderr}`);
    const raw = parseConfigText(readFileSync(file, "utf8"));
    assert.throws(
      () => validateConfig(raw),
      (error: unknown) => {
        assert.deepEqual(issuePaths(error).sort(), [...expected].sort());
        return true;
      },
    );
  });
});

// Messages that once read badly (a regular expression as the hint, negative port counts): kept as regressions.
describe("messages read well", () => {
  it("a reversed pull port range is reported once, without negative port counts", () => {
    const raw = parseConfigText(config({ flinkExtra: '  reporter:\n    mode: pull\n    pull: { port: "9300-9200" }' }));
    assert.throws(
      () => validateConfig(raw),
      (error: unknown) => {
        const issues = (error as ConfigValidationError).issues;
        assert.deepEqual(
          issues.map((issue) => issue.path),
          ["flink.reporter.pull.port"],
          JSON.stringify(issues, null, 2),
        );
        return true;
      },
    );
  });

  it('a duration without a unit (15) is told to add a unit, not to quote "15"', () => {
    const raw = parseConfigText(config({ extra: "prometheus:\n  scrapeInterval: 15" }));
    assert.throws(
      () => validateConfig(raw),
      (error: unknown) => {
        const issue = (error as ConfigValidationError).issues[0]!;
        assert.match(issue.hint ?? "", /15s/, JSON.stringify(issue));
        return true;
      },
    );
  });

  // Schema patterns without a titled definition fall back to "has an invalid format … expected to match <regex>".
  const REGEX_LEAKS: Record<string, string> = {
    'flink.version "latest"': config({ version: "latest" }),
    'name "Bad Name"': `name: Bad Name\n${config()}`,
    'flink.reporter.pull.port "92a"': config({ flinkExtra: '  reporter: { mode: pull, pull: { port: "92a" } }' }),
    'flink.reporter.pushgateway.jobName "a b"': config({ flinkExtra: '  reporter: { pushgateway: { jobName: "a b" } }' }),
    'prometheus.retention.size "10G"': config({ extra: "prometheus:\n  retention: { size: 10G }" }),
    'scrapeJobs[0].metricsPath "metrics"': config({ extra: "prometheus:\n  scrapeJobs: [{ name: k, targets: [k1], metricsPath: metrics }]" }),
    'network.bindAddress "localhost"': config({ extra: "network:\n  bindAddress: localhost" }),
    'grafana.adminUser "a b"': config({ extra: 'grafana:\n  adminUser: "a b"' }),
    'email.to "bob"': config({
      extra: "alerting:\n  alertmanager:\n    receivers: [{ name: r, email: { to: bob, from: a@b.c, smarthost: 'smtp:25' } }]",
    }),
    'route.groupBy "a-b"': config({ extra: "alerting:\n  alertmanager:\n    route: { groupBy: [a-b] }" }),
  };
  for (const [what, text] of Object.entries(REGEX_LEAKS)) {
    it(`${what}: a readable message, not a regular expression`, () => {
      assert.throws(
        () => validateConfig(parseConfigText(text)),
        (error: unknown) => {
          const issue = (error as ConfigValidationError).issues[0]!;
          assert.doesNotMatch(`${issue.message} ${issue.hint ?? ""}`, /expected to match|\^.*\$/, JSON.stringify(issue));
          return true;
        },
      );
    });
  }

  it("a label value with a newline is told about control characters, not shown a regular expression", () => {
    const raw = parseConfigText(config({ extra: 'prometheus:\n  externalLabels: { env: "prod\\nstaging" }' }));
    assert.throws(
      () => validateConfig(raw),
      (error: unknown) => {
        const issue = (error as ConfigValidationError).issues[0]!;
        assert.doesNotMatch(`${issue.message} ${issue.hint ?? ""}`, /\\u0000/, JSON.stringify(issue));
        return true;
      },
    );
  });
});
