// Property tests: arbitrary VALID stack configs (fast-check) must build without throwing, deterministically,
// into files the real validators accept: promtool (config, rules, rule unit tests), amtool, and the Compose
// Specification schema. Tool runs are batched (all cases first, then one promtool/amtool call per check)
// so the whole file stays well under a minute. A missing tool fails the test; it never skips.
//
// FPS_PROPERTY_SEED=<n> replays a run; FPS_PROPERTY_RUNS=<n> changes the number of cases checked by tools.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import yaml from "js-yaml";
import { buildStack, SUPPORTED_FLINK_VERSIONS, type Artifact } from "../lib/index.js";
import { BUILT_IN_SCRAPE_JOBS } from "../lib/config/semantic.js";
import { tempDir } from "./support/cli.js";
import { validateComposeFile } from "./support/compose-schema.js";
import { judgeStack } from "./support/grafana-judge.js";
import { describeRun, requireTool, runProcess, runTool, type ToolResult } from "./support/tools.js";

const SEED = process.env.FPS_PROPERTY_SEED ? Number(process.env.FPS_PROPERTY_SEED) : Date.now() % 2_147_483_647;
const TOOL_RUNS = process.env.FPS_PROPERTY_RUNS ? Number(process.env.FPS_PROPERTY_RUNS) : 25;
/** Pure checks (build, determinism, escaping) are cheap: more cases. */
const PURE_RUNS = process.env.FPS_PROPERTY_PURE_RUNS ? Number(process.env.FPS_PROPERTY_PURE_RUNS) : 150;
/** promtool test rules evaluates every generated unit test: the costly check, run on the first few configs. */
const RULE_TEST_RUNS = process.env.FPS_PROPERTY_RULE_TEST_RUNS ? Number(process.env.FPS_PROPERTY_RULE_TEST_RUNS) : 6;
/** Debian's docker-compose (Python) takes ~1 s per file: the first few configs. */
const COMPOSE_RUNS = 4;

type Raw = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------
// Arbitraries for the pieces of a config

const FLINK_VARIABLES = ["host", "tm_id", "job_id", "job_name", "task_id", "task_name", "task_attempt_id", "task_attempt_num",
  "subtask_index", "operator_id", "operator_name"];
const RESERVED_LABELS = ["cluster", "job", "instance"];

const atLeast = (version: string, other: string) => {
  const [a, b] = version.split(".").map(Number) as [number, number];
  const [c, d] = other.split(".").map(Number) as [number, number];
  return a !== c ? a > c : b >= d;
};

const seconds = (n: number) => (n % 60 === 0 ? `${n / 60}m` : n > 60 ? `${Math.floor(n / 60)}m${n % 60}s` : `${n}s`);
const durationArb = (min: number, max: number) => fc.integer({ min, max }).map((n) => ({ seconds: n, text: seconds(n) }));

const labelNameArb = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,11}$/)
  .filter((name) => !name.startsWith("__") && !RESERVED_LABELS.includes(name));

/** Characters that must survive every file unchanged: interpolation, templates, quotes, unicode. */
const HOSTILE = ["$", "$$", "${HOME}", "$HOME", "{{", "}}", "{{ $labels.job }}", '"', "'", "\\", "`", "é", "日本", "🚀", "%", "&", "*", "!", "?",
  "@", "[", "]", ",", ":", "|", "<", ">", "~", "^", "(", ")"];
const PLAIN = ["a", "b", "Z", "0", "9", "-", ".", "_", " "];
/** Values a Flink groupingKey carries: pushgateway mode allows only [A-Za-z0-9._:-] there (lib/config/semantic.ts). */
const groupingSafeValueArb = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
/** Label values only Prometheus sees. */
const labelValueArb = fc.array(fc.constantFrom(...PLAIN, ...HOSTILE, ";", "=", "#", "/", "k=v;x=y"), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(""));

const labelsArb = (valueArb: fc.Arbitrary<string>, exclude: readonly string[] = []) =>
  fc.uniqueArray(fc.tuple(labelNameArb.filter((name) => !exclude.includes(name)), valueArb), { maxLength: 3, selector: ([name]) => name })
    .map((entries) => Object.fromEntries(entries));

const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const hostNameArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(dnsLabel, fc.constantFrom("", ".prod.internal", ".example.com")).map(([a, b]) => `${a}${b}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `10.${a}.${b}.7`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 0xffff }).map((n) => `[fd00::${n.toString(16)}]`) },
);
const portArb = fc.integer({ min: 1024, max: 65535 });
const nameArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/);

/** A Flink process as the config may write it: "host", "host:port" or { host, port }. */
function processArb(host: string, ports: readonly number[]) {
  return fc.oneof(
    fc.constant(host),
    fc.constantFrom(...ports).map((port) => `${host}:${port}`),
    fc.constantFrom(...ports).map((port) => ({ host, port })),
    fc.constant({ host }),
  );
}

interface Shape {
  readonly version: string;
  readonly mode: "pushgateway" | "pull";
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  version: fc.constantFrom(...SUPPORTED_FLINK_VERSIONS),
  mode: fc.constantFrom("pushgateway" as const, "pull" as const),
});

function clustersArb(shape: Shape, pullPorts: readonly number[]) {
  // Cluster labels must not be named like Flink's own labels (they would overwrite or rename them).
  const excluded = FLINK_VARIABLES;
  const clusterArb = fc.record({
    name: nameArb,
    // Distinct hosts per cluster: the pull reporter needs a port per process on one host, and without the
    // random job-name suffix processes are told apart by host.
    hosts: fc.uniqueArray(hostNameArb, { minLength: 1, maxLength: 5 }),
    jobmanagerCount: fc.integer({ min: 1, max: 2 }),
    // Pull mode: label values are free text (only Prometheus sees them), hostile characters included.
    // Any label value works in both modes: in pushgateway mode Prometheus attaches it, it is never pushed.
    labels: fc.option(labelsArb(labelValueArb, excluded), { nil: undefined }),
  }).chain(({ name, hosts, jobmanagerCount, labels }) => {
    const jm = hosts.slice(0, Math.min(jobmanagerCount, hosts.length));
    const tm = hosts.slice(jm.length);
    return fc.tuple(
      fc.tuple(...jm.map((host) => processArb(host, pullPorts))),
      tm.length > 0 ? fc.tuple(...tm.map((host) => processArb(host, pullPorts))) : fc.constant([] as unknown[]),
      fc.boolean(),
    ).map(([jobmanagers, taskmanagers, omitTaskmanagers]) => ({
      name,
      jobmanagers,
      ...(taskmanagers.length > 0 || !omitTaskmanagers ? { taskmanagers } : {}),
      ...(labels ? { labels } : {}),
    }));
  });
  // Names compared case-insensitively: generated folders flink/<cluster>/ must not differ only in case.
  return fc.uniqueArray(clusterArb, { minLength: 1, maxLength: 4, selector: (cluster) => cluster.name.toLowerCase() });
}

function reporterArb(shape: Shape) {
  const v = shape.version;
  return fc.record({
    interval: fc.option(durationArb(1, 120).map((d) => d.text), { nil: undefined }),
    excludeLabels: atLeast(v, "1.10")
      ? fc.option(fc.subarray(["host", "tm_id", "job_id", "task_id", "task_attempt_id", "task_attempt_num", "operator_id"]), { nil: undefined })
      : fc.constant(undefined),
    filterLabelValueCharacters: atLeast(v, "1.8") ? fc.option(fc.boolean(), { nil: undefined }) : fc.constant(undefined),
    pushgateway: fc.record({
      jobName: fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}$/), { nil: undefined }),
      randomJobNameSuffix: atLeast(v, "1.10") ? fc.option(fc.boolean(), { nil: undefined }) : fc.constant(undefined),
      deleteOnShutdown: fc.option(fc.boolean(), { nil: undefined }),
      groupingKey: atLeast(v, "1.10")
        ? fc.option(labelsArb(groupingSafeValueArb, [...FLINK_VARIABLES]), { nil: undefined })
        : fc.constant(undefined),
      url: fc.option(
        atLeast(v, "1.15")
          ? fc.tuple(fc.constantFrom("http", "https"), hostNameArb, portArb, fc.constantFrom("", "/", "/pushgateway"))
            .map(([scheme, host, port, p]) => `${scheme}://${host}:${port}${p}`)
          : fc.tuple(hostNameArb.filter((host) => !host.startsWith("[")), portArb).map(([host, port]) => `http://${host}:${port}`),
        { nil: undefined },
      ),
    }),
  });
}

function prune<T>(value: T): T {
  if (Array.isArray(value)) return value.map(prune) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, prune(v)])) as T;
  }
  return value;
}

const receiverArb = (name: string) => fc.oneof(
  fc.record({ url: fc.tuple(hostNameArb, portArb).map(([h, p]) => `http://${h}:${p}/hook?x=$1&t={{x}}`), sendResolved: fc.option(fc.boolean(), { nil: undefined }) })
    .map((webhook) => ({ name, webhook })),
  fc.record({
    to: fc.constantFrom("oncall@example.com", "a@example.com,b@example.org"),
    from: fc.constant("alerts@example.com"),
    smarthost: fc.tuple(dnsLabel, fc.constantFrom(25, 465, 587)).map(([h, p]) => `${h}.example.com:${p}`),
    authUsername: fc.option(fc.constantFrom("alerts", "user@example.com"), { nil: undefined }),
    requireTls: fc.option(fc.boolean(), { nil: undefined }),
    sendResolved: fc.option(fc.boolean(), { nil: undefined }),
  }).map((email) => ({ name, email })),
  fc.record({
    apiUrlFile: fc.constantFrom("/etc/secrets/slack-url", "./slack url.txt"),
    channel: fc.constantFrom("#alerts", "@oncall", "flink-ops"),
    sendResolved: fc.option(fc.boolean(), { nil: undefined }),
  }).map((slack) => ({ name, slack })),
  fc.constant({ name }),
);

const configArb: fc.Arbitrary<Raw> = shapeArb.chain((shape) => {
  const pullPorts = [9249, 9250, 9251, 9252];
  return fc.record({
    name: fc.option(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,15}$/), { nil: undefined }),
    patch: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
    reporter: reporterArb(shape),
    pullPort: fc.constantFrom<number | string>("9249-9252", 9249, "9249"),
    clusters: clustersArb(shape, pullPorts),
    prometheus: fc.record({
      scrape: durationArb(5, 120),
      timeoutFraction: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
      evaluation: fc.option(durationArb(5, 120), { nil: undefined }),
      retention: fc.option(fc.record({
        time: fc.option(fc.constantFrom("15d", "2w", "12h", "1y"), { nil: undefined }),
        size: fc.option(fc.constantFrom("512MB", "10GB", "1TB"), { nil: undefined }),
      }), { nil: undefined }),
      externalLabels: fc.option(labelsArb(labelValueArb), { nil: undefined }),
      jobs: fc.uniqueArray(fc.record({
        name: nameArb,
        targets: fc.uniqueArray(fc.tuple(hostNameArb, fc.option(portArb, { nil: undefined })).map(([h, p]) => (p ? `${h}:${p}` : h)), { minLength: 1, maxLength: 3 }),
        labels: fc.option(labelsArb(labelValueArb), { nil: undefined }),
        metricsPath: fc.option(fc.constantFrom("/metrics", "/actuator/prometheus", "/probe;x=1", "/a/b%20c"), { nil: undefined }),
        scheme: fc.option(fc.constantFrom("http", "https"), { nil: undefined }),
        interval: fc.option(durationArb(10, 300), { nil: undefined }),
        honorLabels: fc.option(fc.boolean(), { nil: undefined }),
      }), { maxLength: 3, selector: (job) => job.name }),
      remoteWrite: fc.array(fc.record({
        name: fc.option(nameArb, { nil: undefined }),
        url: fc.tuple(hostNameArb, portArb).map(([h, p]) => `https://${h}:${p}/api/v1/write`),
        basicAuth: fc.option(fc.record({ username: fc.constantFrom("writer", "a b", "us$er"), passwordFile: fc.constantFrom("/etc/secrets/rw", "./rw password") }), { nil: undefined }),
      }), { maxLength: 2 }),
    }),
    pushgateway: fc.record({ enabled: fc.boolean(), persistence: fc.option(fc.boolean(), { nil: undefined }) }),
    nodeExporter: fc.record({
      enabled: fc.option(fc.boolean(), { nil: undefined }),
      targets: fc.option(fc.uniqueArray(fc.tuple(hostNameArb, portArb).map(([h, p]) => `${h}:${p}`), { maxLength: 3 }), { nil: undefined }),
    }),
    alerting: fc.record({
      enabled: fc.option(fc.boolean(), { nil: undefined }),
      rules: fc.option(fc.record({
        flink: fc.option(fc.boolean(), { nil: undefined }),
        pushgateway: fc.option(fc.boolean(), { nil: undefined }),
        node: fc.option(fc.boolean(), { nil: undefined }),
        stack: fc.option(fc.boolean(), { nil: undefined }),
        for: fc.option(fc.constantFrom("0s", "1m", "5m", "90s", "1h"), { nil: undefined }),
        thresholds: fc.option(fc.record({
          checkpointDurationSeconds: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
          backPressureRatio: fc.option(fc.integer({ min: 1, max: 100 }).map((n) => n / 100), { nil: undefined }),
          heapUsageRatio: fc.option(fc.integer({ min: 1, max: 100 }).map((n) => n / 100), { nil: undefined }),
          gcTimeRatio: fc.option(fc.integer({ min: 1, max: 100 }).map((n) => n / 100), { nil: undefined }),
          restartsPerWindow: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
          restartWindow: fc.option(fc.constantFrom("1m", "15m", "1h", "90s"), { nil: undefined }),
          pushStaleIntervals: fc.option(fc.integer({ min: 2, max: 10 }), { nil: undefined }),
          diskFreeRatio: fc.option(fc.integer({ min: 1, max: 100 }).map((n) => n / 100), { nil: undefined }),
          memoryAvailableRatio: fc.option(fc.integer({ min: 1, max: 100 }).map((n) => n / 100), { nil: undefined }),
          cpuUsageRatio: fc.option(fc.integer({ min: 1, max: 100 }).map((n) => n / 100), { nil: undefined }),
        }), { nil: undefined }),
      }), { nil: undefined }),
      alertmanagerEnabled: fc.option(fc.boolean(), { nil: undefined }),
      receivers: fc.uniqueArray(nameArb, { maxLength: 4, selector: (name) => name }).chain((names) =>
        names.length === 0 ? fc.constant([] as Raw[]) : fc.tuple(...names.map(receiverArb))),
      routePick: fc.option(fc.tuple(fc.nat(), fc.option(fc.nat(), { nil: undefined })), { nil: undefined }),
    }),
    grafana: fc.record({
      enabled: fc.option(fc.boolean(), { nil: undefined }),
      adminUser: fc.option(fc.constantFrom("admin", "ops@example.com", "grafana_admin"), { nil: undefined }),
      adminPasswordFile: fc.option(fc.constantFrom("/etc/secrets/grafana", "./my password"), { nil: undefined }),
      dashboards: fc.option(fc.record({
        cluster: fc.option(fc.boolean(), { nil: undefined }),
        job: fc.option(fc.boolean(), { nil: undefined }),
        hosts: fc.option(fc.boolean(), { nil: undefined }),
      }), { nil: undefined }),
    }),
    network: fc.record({
      bindAddress: fc.option(fc.constantFrom("127.0.0.1", "0.0.0.0", "::", "::1", "10.1.2.3"), { nil: undefined }),
      advertisedHost: fc.option(hostNameArb, { nil: undefined }),
      ports: fc.option(fc.uniqueArray(portArb, { minLength: 5, maxLength: 5 }), { nil: undefined }),
    }),
  }).map((parts): Raw => {
    const { reporter } = parts;
    const pushMode = shape.mode === "pushgateway";
    const scrape = parts.prometheus.scrape.seconds;
    const jobs = parts.prometheus.jobs
      .filter((job) => !(BUILT_IN_SCRAPE_JOBS as readonly string[]).includes(job.name) &&
        !(shape.mode === "pull" && parts.clusters.some((cluster) => `flink-${cluster.name}` === job.name)))
      .map((job) => ({ ...job, interval: job.interval?.text, ...(job.interval ? { timeout: seconds(Math.max(1, Math.floor(job.interval.seconds / 2))) } : {}) }));
    const receivers = parts.alerting.receivers as Raw[];
    const names = receivers.map((receiver) => receiver.name as string);
    const route = parts.alerting.routePick && names.length > 0
      ? {
          receiver: names[parts.alerting.routePick[0] % names.length],
          ...(parts.alerting.routePick[1] !== undefined ? { criticalReceiver: names[parts.alerting.routePick[1] % names.length] } : {}),
        }
      : undefined;
    const ports = parts.network.ports;
    return prune({
      name: parts.name,
      flink: {
        version: parts.patch === undefined ? shape.version : `${shape.version}.${parts.patch}`,
        reporter: {
          mode: shape.mode,
          ...reporter,
          pushgateway: pushMode ? reporter.pushgateway : undefined,
          pull: shape.mode === "pull" ? { port: parts.pullPort === 9249 || parts.pullPort === "9249" ? parts.pullPort : "9249-9252" } : undefined,
        },
        clusters: shape.mode === "pull" && (parts.pullPort === 9249 || parts.pullPort === "9249")
          // A single reporter port: every explicit port must be it.
          ? parts.clusters.map((cluster) => ({
              ...cluster,
              jobmanagers: cluster.jobmanagers.map(singlePort),
              ...(cluster.taskmanagers ? { taskmanagers: (cluster.taskmanagers as unknown[]).map(singlePort) } : {}),
            }))
          : parts.clusters,
      },
      prometheus: {
        scrapeInterval: parts.prometheus.scrape.text,
        scrapeTimeout: parts.prometheus.timeoutFraction === undefined
          ? (scrape >= 10 ? undefined : seconds(scrape))
          : seconds(Math.max(1, Math.floor((scrape * parts.prometheus.timeoutFraction) / 100))),
        evaluationInterval: parts.prometheus.evaluation?.text,
        retention: parts.prometheus.retention,
        externalLabels: parts.prometheus.externalLabels,
        scrapeJobs: jobs.length > 0 ? jobs : undefined,
        remoteWrite: parts.prometheus.remoteWrite.length > 0 ? parts.prometheus.remoteWrite : undefined,
      },
      pushgateway: { enabled: pushMode ? true : parts.pushgateway.enabled, persistence: parts.pushgateway.persistence },
      nodeExporter: parts.nodeExporter,
      alerting: {
        enabled: parts.alerting.enabled,
        rules: parts.alerting.rules,
        alertmanager: { enabled: parts.alerting.alertmanagerEnabled, receivers: receivers.length > 0 ? receivers : undefined, route },
      },
      grafana: parts.grafana,
      network: {
        bindAddress: parts.network.bindAddress,
        advertisedHost: parts.network.advertisedHost,
        ports: ports ? { prometheus: ports[0], pushgateway: ports[1], alertmanager: ports[2], grafana: ports[3], nodeExporter: ports[4] } : undefined,
      },
    });
  });
});

function singlePort(process: unknown): unknown {
  if (typeof process === "string") return process.replace(/:\d+$/, ":9249");
  const object = process as { host: string; port?: number };
  return object.port === undefined ? object : { ...object, port: 9249 };
}

// ---------------------------------------------------------------------------------------------------
// Helpers

/** Every string in a parsed YAML/JSON document. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      strings(item, out);
    }
  }
  return out;
}

/** Label values the config gives, anywhere. */
function userLabelValues(raw: Raw): string[] {
  const values: string[] = [];
  const flink = raw.flink as { clusters: { labels?: Record<string, string> }[]; reporter?: { pushgateway?: { groupingKey?: Record<string, string> } } };
  for (const cluster of flink.clusters) values.push(...Object.values(cluster.labels ?? {}));
  values.push(...Object.values(flink.reporter?.pushgateway?.groupingKey ?? {}));
  const prometheus = raw.prometheus as { externalLabels?: Record<string, string>; scrapeJobs?: { labels?: Record<string, string> }[] } | undefined;
  values.push(...Object.values(prometheus?.externalLabels ?? {}));
  for (const job of prometheus?.scrapeJobs ?? []) values.push(...Object.values(job.labels ?? {}));
  return values;
}

/** The same config with every user label value replaced by a plain word. */
function withPlainLabelValues(raw: Raw): Raw {
  const copy = structuredClone(raw);
  const plain = (labels: Record<string, string> | undefined) => {
    if (labels) for (const key of Object.keys(labels)) labels[key] = "plain";
  };
  const flink = copy.flink as { clusters: { labels?: Record<string, string> }[]; reporter?: { pushgateway?: { groupingKey?: Record<string, string> } } };
  for (const cluster of flink.clusters) plain(cluster.labels);
  plain(flink.reporter?.pushgateway?.groupingKey);
  const prometheus = copy.prometheus as { externalLabels?: Record<string, string>; scrapeJobs?: { labels?: Record<string, string> }[] } | undefined;
  plain(prometheus?.externalLabels);
  for (const job of prometheus?.scrapeJobs ?? []) plain(job.labels);
  return copy;
}

/** Flink's PrometheusPushGatewayReporter.parseGroupingKey: split on ';', then on the first '='. */
function parseFlinkGroupingKey(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of text.split(";")) {
    const at = entry.indexOf("=");
    if (at <= 0 || at === entry.length - 1) continue;
    result[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return result;
}

/** The value of `key` in a legacy flink-conf.yaml as Flink ≤ 1.18 reads it (comments after '#', "key: value"). */
function readLegacyFlinkConf(text: string, key: string): string | undefined {
  let value: string | undefined;
  for (const line of text.split("\n")) {
    const conf = line.split("#", 1)[0]!.trim();
    const at = conf.indexOf(": ");
    if (at > 0 && conf.slice(0, at).trim() === key) value = conf.slice(at + 2).trim();
  }
  return value;
}

function build(raw: Raw): readonly Artifact[] {
  return buildStack(structuredClone(raw)).artifacts;
}

function show(raw: Raw): string {
  return `seed ${SEED} (replay: FPS_PROPERTY_SEED=${SEED})\nconfig:\n${yaml.dump(raw, { lineWidth: -1 })}`;
}

// ---------------------------------------------------------------------------------------------------

interface RelabelRule { source_labels: string[]; regex: string; target_label: string; replacement: string }

/** The labels `replace` rules add to a series with `labels`, as Prometheus applies them (anchored regex, `$$` → `$`). */
function relabeledLabels(rules: readonly RelabelRule[], labels: Record<string, string>): Record<string, string> {
  const added: Record<string, string> = {};
  for (const rule of rules) {
    const source = rule.source_labels.map((name) => labels[name] ?? "").join(";");
    if (!new RegExp(`^(?:${rule.regex})$`).test(source)) continue;
    assert.doesNotMatch(rule.replacement.replaceAll("$$", ""), /\$/, `a lone $ in replacement ${JSON.stringify(rule.replacement)}`);
    added[rule.target_label] = rule.replacement.replaceAll("$$", "$");
  }
  return added;
}

describe(`property: arbitrary valid configs (seed ${SEED})`, () => {
  it("build without throwing, deterministically, with $ escaped for compose and templates left alone, dashboards Grafana accepts", () => {
    fc.assert(
      fc.property(configArb, (raw) => {
        const first = build(raw);
        const second = build(raw);
        assert.deepEqual(second, first, "same input → identical artifacts");
        const paths = first.map((artifact) => artifact.path);
        assert.equal(new Set(paths).size, paths.length, `no artifact path twice: ${paths.join(", ")}`);
        for (const artifact of first) {
          assert.ok(!artifact.path.startsWith("/") && !artifact.path.split("/").includes(".."), `path inside the folder: ${artifact.path}`);
          assert.ok(artifact.contents.endsWith("\n"), `${artifact.path} ends with a newline`);
          if (artifact.path.endsWith(".json")) JSON.parse(artifact.contents);
          // flink-conf.yaml is Flink's legacy flat "key: value" format, read by Flink's own line parser, not YAML.
          if (/\.ya?ml$/.test(artifact.path) && !artifact.path.endsWith("/flink-conf.yaml")) yaml.load(artifact.contents);
        }

        // Compose interpolates $VAR: every '$' in a value of the compose file is doubled.
        const compose = first.find((artifact) => artifact.path === "docker-compose.yml")!;
        for (const text of strings(yaml.load(compose.contents))) {
          assert.match(text, /^(?:[^$]|\$\$)*$/, `a lone $ in docker-compose.yml: ${JSON.stringify(text)}`);
        }

        // A label value with {{ … }} is data: the alert rules (expressions, labels, annotation templates)
        // are the same as with plain label values.
        const plain = build(withPlainLabelValues(raw));
        const rules = (artifacts: readonly Artifact[]) => artifacts.filter((a) => /^prometheus\/rules\/[^/]+\.rules\.yml$/.test(a.path));
        assert.deepEqual(rules(first), rules(plain), "alert rules do not depend on label values");
        // …and neither does any Grafana dashboard (legends such as {{job_name}} are templates too).
        const dashboards = (artifacts: readonly Artifact[]) => artifacts.filter((a) => a.path.startsWith("grafana/dashboards/"));
        assert.deepEqual(dashboards(first), dashboards(plain), "dashboards do not depend on label values");
        // Every dashboard passes the types of the Grafana release the stack runs (test/grafana-judge.test.ts).
        assert.deepEqual(judgeStack(first), [], "dashboards pass the Grafana judge");

        // User label values reach prometheus.yml unchanged (Prometheus does not expand static labels).
        const prometheus = yaml.load(first.find((a) => a.path === "prometheus/prometheus.yml")!.contents) as {
          scrape_configs: { job_name: string; static_configs: { labels?: Record<string, string> }[] }[];
        };
        for (const job of ((raw.prometheus as Raw | undefined)?.scrapeJobs as { name: string; labels?: Record<string, string> }[] | undefined) ?? []) {
          const rendered = prometheus.scrape_configs.find((config) => config.job_name === job.name);
          assert.ok(rendered, `scrape job ${job.name}`);
          assert.deepEqual(rendered.static_configs[0]!.labels ?? {}, job.labels ?? {});
        }
        const flinkRaw = raw.flink as { reporter: { mode: string }; clusters: { name: string; labels?: Record<string, string> }[] };
        if (flinkRaw.reporter.mode === "pull") {
          for (const cluster of flinkRaw.clusters) {
            const rendered = prometheus.scrape_configs.find((config) => config.job_name === `flink-${cluster.name}`);
            assert.ok(rendered, `scrape job flink-${cluster.name}`);
            for (const group of rendered.static_configs) {
              assert.deepEqual({ ...group.labels, cluster: undefined, role: undefined }, { ...cluster.labels, cluster: undefined, role: undefined });
              assert.equal(group.labels?.cluster, cluster.name);
            }
          }
        }

        // The Flink reporter's groupingKey, read back the way Flink reads it, carries the cluster and the user's keys
        // (and the host where groups are per process); Prometheus attaches the other cluster labels by `cluster`.
        const flink = raw.flink as { version: string; reporter: { mode: string; pushgateway?: { groupingKey?: Record<string, string> } }; clusters: { name: string; labels?: Record<string, string> }[] };
        if (flink.reporter.mode === "pushgateway" && atLeast(flink.version, "1.10")) {
          for (const cluster of flink.clusters) {
            const files = first.filter((a) => a.path.startsWith(`flink/${cluster.name}/`) && /(flink-conf|config)\.yaml$/.test(a.path));
            assert.ok(files.length > 0, `Flink config for ${cluster.name}`);
            for (const file of files) {
              const key = "metrics.reporter.promgateway.groupingKey";
              const text = file.path.endsWith("config.yaml")
                ? (yaml.load(file.contents) as Record<string, string>)[key]
                : readLegacyFlinkConf(file.contents, key);
              assert.ok(text !== undefined, `${file.path} has ${key}`);
              const parsed = parseFlinkGroupingKey(text);
              const expected = { cluster: cluster.name, ...flink.reporter.pushgateway?.groupingKey };
              assert.deepEqual({ ...parsed, instance: undefined }, { ...expected, instance: undefined }, file.path);
            }
          }
          const pushgateway = (prometheus.scrape_configs as unknown as { job_name: string; metric_relabel_configs?: RelabelRule[] }[])
            .find((config) => config.job_name === "pushgateway")!;
          for (const cluster of flink.clusters) {
            const attached = relabeledLabels(pushgateway.metric_relabel_configs ?? [], { cluster: cluster.name });
            const pushedKeys = Object.keys(flink.reporter.pushgateway?.groupingKey ?? {});
            const expected = Object.fromEntries(Object.entries(cluster.labels ?? {}).filter(([name]) => !pushedKeys.includes(name)));
            assert.deepEqual(attached, expected, `labels Prometheus attaches to cluster ${cluster.name}`);
          }
        }
      }),
      { numRuns: PURE_RUNS, seed: SEED, includeErrorInReport: true },
    );
  });
});

describe(`property: generated files pass the real validators (${TOOL_RUNS} configs, seed ${SEED})`, () => {
  let scratch: { dir: string; cleanup: () => void };
  const cases: { dir: string; raw: Raw; files: Set<string> }[] = [];

  before(() => {
    // Fail (never skip) when a validator is missing.
    requireTool("promtool");
    requireTool("amtool");
    scratch = tempDir("fps-property-");
    const samples = fc.sample(configArb, { numRuns: TOOL_RUNS, seed: SEED });
    samples.forEach((raw, index) => {
      const dir = path.join(scratch.dir, `case-${String(index).padStart(2, "0")}`);
      const artifacts = build(raw);
      for (const artifact of artifacts) {
        mkdirSync(path.dirname(path.join(dir, artifact.path)), { recursive: true });
        writeFileSync(path.join(dir, artifact.path), artifact.contents);
      }
      writeFileSync(path.join(dir, "flink-stack.input.yaml"), yaml.dump(raw, { lineWidth: -1 }));
      cases.push({ dir, raw, files: new Set(artifacts.map((artifact) => artifact.path)) });
    });
  });
  after(() => scratch?.cleanup());

  /**
   * One tool call over every case's files; when it fails, each case is re-run alone so the message names
   * the configs that broke it.
   */
  function checkAll(what: string, relativeFiles: (files: Set<string>) => string[], run: (files: string[]) => ToolResult): void {
    const perCase = cases.map((c) => ({ c, files: relativeFiles(c.files).map((file) => path.join(c.dir, file)) }));
    const all = perCase.flatMap((entry) => entry.files);
    if (all.length === 0) return;
    const result = run(all);
    if (result.status === 0) return;
    const failures = perCase.filter((entry) => entry.files.length > 0).map((entry) => ({ entry, result: run(entry.files) }))
      .filter(({ result: single }) => single.status !== 0)
      .map(({ entry, result: single }) => `${describeRun(`${what} ${entry.c.dir}`, single)}\n${show(entry.c.raw)}`);
    assert.fail(failures.length > 0 ? failures.join("\n\n") : describeRun(what, result));
  }

  it("prometheus.yml: promtool check config --syntax-only (rule files are checked on their own below)", () => {
    checkAll("promtool check config", () => ["prometheus/prometheus.yml"],
      (files) => runTool("promtool", ["check", "config", "--syntax-only", ...files]));
  });

  it("alert rules: promtool check rules", () => {
    checkAll("promtool check rules", (files) => [...files].filter((file) => /^prometheus\/rules\/[^/]+\.yml$/.test(file)),
      (files) => runTool("promtool", ["check", "rules", ...files]));
  });

  it(`alert rules: promtool test rules (the generated unit tests pass; first ${RULE_TEST_RUNS} configs)`, async () => {
    // Evaluating the unit tests costs ~1-2 s of CPU per config: a subset, two promtool processes at once.
    const promtool = requireTool("promtool");
    const chosen = cases.slice(0, RULE_TEST_RUNS);
    const results = await Promise.all([0, 1].map(async (half) => {
      const mine = chosen.filter((_, index) => index % 2 === half);
      const files = mine.flatMap((c) => [...c.files].filter((file) => /^prometheus\/rules\/tests\/[^/]+\.yml$/.test(file)).map((file) => path.join(c.dir, file)));
      return { mine, result: files.length === 0 ? undefined : await runProcess(promtool, ["test", "rules", ...files], { timeoutMs: 120_000 }) };
    }));
    for (const { mine, result } of results) {
      if (!result || result.status === 0) continue;
      const failing = mine.filter((c) => result.stdout.includes(c.dir) || result.stderr.includes(c.dir));
      assert.fail(`${describeRun("promtool test rules", result)}\n${(failing.length > 0 ? failing : mine).map((c) => show(c.raw)).join("\n")}`);
    }
  });

  it("alertmanager.yml: amtool check-config", () => {
    checkAll("amtool check-config", (files) => [...files].filter((file) => file === "alertmanager/alertmanager.yml"),
      (files) => runTool("amtool", ["check-config", ...files]));
  });

  it("docker-compose.yml: the Compose Specification schema", () => {
    for (const c of cases) {
      const problems = validateComposeFile(readFileSync(path.join(c.dir, "docker-compose.yml"), "utf8"));
      assert.deepEqual(problems, [], show(c.raw));
    }
  });

  it(`docker-compose.yml: Debian's docker-compose config -q (first ${COMPOSE_RUNS} configs)`, async () => {
    const compose = requireTool("docker-compose");
    const chosen = cases.slice(0, COMPOSE_RUNS);
    const results = await Promise.all(chosen.map((c) => runProcess(compose, ["config", "-q"], { cwd: c.dir, timeoutMs: 60_000 })));
    results.forEach((result, index) => assert.equal(result.status, 0, `${describeRun("docker-compose config -q", result)}\n${show(chosen[index]!.raw)}`));
  });

  it("the cases cover both modes and several versions", () => {
    const modes = new Set(cases.map((c) => ((c.raw.flink as Raw).reporter as Raw).mode));
    const versions = new Set(cases.map((c) => (c.raw.flink as Raw).version));
    assert.ok(TOOL_RUNS < 10 || (modes.size === 2 && versions.size >= 5), `modes ${[...modes]}, versions ${[...versions]}`);
  });
});

// Escaping defects these properties once found, kept as regressions.
describe("escaping defects (lib)", () => {
  const base = (labels: Record<string, string>, version = "1.18"): Raw => ({
    flink: { version, clusters: [{ name: "prod", jobmanagers: ["jm1"], labels }] },
  });
  const groupingKeyOf = (artifacts: readonly Artifact[]) => {
    const file = artifacts.find((a) => /^flink\/prod\/(flink-conf|config)\.yaml$/.test(a.path))!;
    const key = "metrics.reporter.promgateway.groupingKey";
    const text = file.path.endsWith("config.yaml") ? (yaml.load(file.contents) as Record<string, string>)[key]! : readLegacyFlinkConf(file.contents, key)!;
    return parseFlinkGroupingKey(text);
  };

  // Cluster labels never travel in Flink's k1=v1;k2=v2 groupingKey (nor flink-conf.yaml, where '#' starts a
  // comment): the key carries the cluster only, and Prometheus attaches the labels by cluster.
  it("cluster label values with ';', '=', '#', '$' or spaces are accepted and attached by Prometheus, not pushed", () => {
    for (const version of ["1.18", "1.20"]) {
      const labels = { env: "prod;evil=1", team: "data#1", owner: "data platform", cost: "$HOME {{ $labels.job }}" };
      const artifacts = build(base(labels, version));
      assert.deepEqual({ ...groupingKeyOf(artifacts), instance: undefined }, { cluster: "prod", instance: undefined }, version);
      const prometheus = yaml.load(artifacts.find((a) => a.path === "prometheus/prometheus.yml")!.contents) as {
        scrape_configs: { job_name: string; metric_relabel_configs?: RelabelRule[] }[];
      };
      const rules = prometheus.scrape_configs.find((job) => job.job_name === "pushgateway")!.metric_relabel_configs ?? [];
      assert.deepEqual(relabeledLabels(rules, { cluster: "prod" }), labels, version);
      assert.deepEqual(relabeledLabels(rules, { cluster: "prod2" }), {}, "anchored to the cluster's name");
    }
  });

  // Pushgateway mode: the label joins the grouping key and overwrites Flink's own `host` on every series.
  // Pull mode: it becomes a target label, so Prometheus renames Flink's scraped `host` to `exported_host`.
  it("a cluster label named like a Flink variable (host, job_name, tm_id) is rejected, in both modes", () => {
    for (const mode of ["pushgateway", "pull"]) {
      for (const name of ["host", "job_name", "tm_id"]) {
        const raw = base({ [name]: "x" });
        ((raw.flink as Raw).reporter as Raw | undefined) ?? ((raw.flink as Raw).reporter = { mode });
        assert.throws(() => build(raw), `${mode}: cluster label ${name}`);
      }
    }
  });

  // A relative path without "./" in a short-syntax volume is a NAMED volume to Compose: docker-compose rejects
  // the file ("Named volume \"slack.txt:…\" is used … but no declaration was found").
  it("relative secret file paths (slack.apiUrlFile, remoteWrite passwordFile) become bind mounts Compose accepts", () => {
    const { dir, cleanup } = tempDir("fps-relpath-");
    try {
      const artifacts = build({
        ...base({}),
        alerting: { alertmanager: { receivers: [{ name: "s", slack: { apiUrlFile: "slack.txt", channel: "#a" } }] } },
        prometheus: { remoteWrite: [{ url: "https://rw.example.com/api/v1/write", basicAuth: { username: "u", passwordFile: "rw.txt" } }] },
      });
      for (const artifact of artifacts) {
        mkdirSync(path.dirname(path.join(dir, artifact.path)), { recursive: true });
        writeFileSync(path.join(dir, artifact.path), artifact.contents);
      }
      const result = runTool("docker-compose", ["config", "-q"], { cwd: dir });
      assert.equal(result.status, 0, describeRun("docker-compose config -q", result));
    } finally {
      cleanup();
    }
  });

  it("an external label value with '$' is escaped for Prometheus 3 (which expands $VAR in external_labels)", () => {
    const artifacts = build({ ...base({}), prometheus: { externalLabels: { site: "eu$HOME" } } });
    const prometheus = yaml.load(artifacts.find((a) => a.path === "prometheus/prometheus.yml")!.contents) as { global: { external_labels: Record<string, string> } };
    assert.equal(prometheus.global.external_labels.site, "eu$$HOME");
  });
});
