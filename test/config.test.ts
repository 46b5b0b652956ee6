// The config contract: schema ↔ types ↔ defaults agree, examples are accepted as written, defaults are secure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import * as D from "../lib/config/defaults.js";
import { loadStackSchema } from "../lib/config/schema.js";
import { checkConfig, validateConfig } from "../lib/config/validate.js";
import { normalizeConfig, resolveConfig } from "../lib/config/resolve.js";
import { checkSemantics } from "../lib/config/semantic.js";
import { buildStack } from "../lib/generate.js";
import { defineStack } from "../lib/define-stack.js";
import { parseConfigText } from "../lib/config/load.js";
import { SUPPORTED_FLINK_VERSIONS, flinkFeatures, parseFlinkVersion } from "../lib/flink/versions.js";
import { exampleConfigFile } from "./support/examples.js";

interface Schema {
  properties?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
  $ref?: string;
  default?: unknown;
}
const schema = loadStackSchema() as Schema;
const deref = (node: Schema): Schema => (node.$ref ? schema.definitions![node.$ref.split("/").pop()!]! : node);
const at = (...keys: string[]): Schema => keys.reduce((node, key) => deref(deref(node).properties![key]!), schema);

test("lib/generated/ is generated from the schema and the README template (no drift)", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/gen-types.mjs", "--check"], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
});

test("the version constant the planner imports (no file read) is package.json's", async () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { name: string; version: string };
  const version = await import("../lib/version.js");
  assert.equal(version.PACKAGE_NAME, pkg.name);
  assert.equal(version.PACKAGE_VERSION, pkg.version);
  // Importing the planner's modules reads no file: lib/version.ts has no fs, createRequire or package.json read.
  assert.doesNotMatch(readFileSync(new URL("../lib/version.ts", import.meta.url), "utf8"), /node:fs|createRequire|readFile/);
});

test("schema defaults equal the DEFAULT_* constants", () => {
  assert.equal(at("name").default, D.DEFAULT_PROJECT_NAME);
  assert.equal(at("target").default, D.DEFAULT_TARGET);
  assert.equal(at("flink", "reporter", "mode").default, D.DEFAULT_REPORTER_MODE);
  assert.equal(at("flink", "reporter").properties!.interval!.default, D.DEFAULT_REPORTER_INTERVAL);
  assert.deepEqual(at("flink", "reporter", "excludeLabels").default, [...D.DEFAULT_EXCLUDE_LABELS]);
  assert.equal(at("flink", "reporter", "pushgateway", "jobName").default, D.DEFAULT_PUSHGATEWAY_JOB_NAME);
  assert.equal(at("flink", "reporter", "pull").properties!.port!.default, D.DEFAULT_PULL_PORT);
  assert.equal(at("prometheus").properties!.scrapeInterval!.default, D.DEFAULT_SCRAPE_INTERVAL);
  assert.equal(at("prometheus").properties!.scrapeTimeout!.default, D.DEFAULT_SCRAPE_TIMEOUT);
  assert.equal(at("prometheus").properties!.evaluationInterval!.default, D.DEFAULT_EVALUATION_INTERVAL);
  assert.equal(at("prometheus", "retention").properties!.time!.default, D.DEFAULT_RETENTION_TIME);
  assert.equal(at("network", "bindAddress").default, D.DEFAULT_BIND_ADDRESS);
  for (const [service, port] of Object.entries(D.DEFAULT_PORTS)) assert.equal(at("network", "ports").properties![service]!.default, port);
  for (const [key, value] of Object.entries(D.DEFAULT_THRESHOLDS)) {
    assert.equal(at("alerting", "rules", "thresholds").properties![key]!.default, value, key);
  }
  assert.equal(at("alerting", "rules").properties!.for!.default, D.DEFAULT_ALERT_FOR);
  assert.equal(at("grafana", "adminUser").default, D.DEFAULT_GRAFANA_ADMIN_USER);
  for (const [key, value] of Object.entries(D.DEFAULT_PRUNE)) assert.equal(at("pushgateway", "prune").properties![key]!.default, value, key);
});

test("default images are pinned upstream images, never latest", () => {
  for (const image of Object.values(D.DEFAULT_IMAGES)) {
    assert.match(image, /^((prom|grafana)\/[a-z-]+:v?\d+\.\d+\.\d+|node:\d+\.\d+\.\d+-alpine)$/, image);
  }
});

test("the two configs of the issue are accepted exactly as written", () => {
  for (const name of ["pushgateway", "pull"]) {
    const file = exampleConfigFile(name);
    const result = checkConfig(parseConfigText(readFileSync(file, "utf8"), file));
    assert.deepEqual(result.issues, [], name);
    assert.equal(result.valid, true);
  }
});

test("every supported version parses; patch levels are accepted; others are not", () => {
  for (const version of SUPPORTED_FLINK_VERSIONS) assert.equal(parseFlinkVersion(version)?.minor, version);
  assert.equal(parseFlinkVersion("1.20.4")?.patch, 4);
  assert.equal(parseFlinkVersion("1.5"), undefined);
  assert.equal(parseFlinkVersion("3.0"), undefined);
  const features = (v: string) => flinkFeatures(parseFlinkVersion(v)!);
  assert.equal(features("1.10").reporterKey, "class");
  assert.equal(features("1.11").reporterKey, "factory.class");
  assert.equal(features("1.14").pushAddress, "host-port");
  assert.equal(features("1.15").pushAddress, "hostUrl");
  assert.equal(features("1.18").configFile, "flink-conf.yaml");
  assert.equal(features("1.19").configFile, "config.yaml");
  assert.equal(features("1.9").groupingKey, false);
  assert.equal(features("1.10").groupingKey, true);
  assert.equal(features("1.11").intervalFormat, "timeunit");
  assert.equal(features("1.12").intervalFormat, "duration");
});

test("defineStack is typed identity, and its object generates like a file", () => {
  const config = defineStack({ flink: { version: "1.20", clusters: [{ name: "a", jobmanagers: ["jm"] }] } });
  assert.equal(validateConfig(config), config);
  assert.ok(buildStack(config).artifacts.length > 5);
});

test("secure defaults: loopback ports, no admin/admin, honor_labels, named volumes, read-only configs", () => {
  const { plan, artifacts } = buildStack({ flink: { version: "1.20", clusters: [{ name: "a", jobmanagers: ["jm"] }] } });
  const compose = yaml.load(artifacts.find((a) => a.path === "docker-compose.yml")!.contents) as {
    services: Record<
      string,
      { ports: string[]; volumes: string[]; environment?: Record<string, string>; restart: string; healthcheck: object; image: string }
    >;
    volumes: Record<string, unknown>;
  };
  for (const [name, service] of Object.entries(compose.services)) {
    for (const port of service.ports) assert.match(port, /^127\.0\.0\.1:\d+:\d+$/, `${name} publishes on loopback`);
    assert.equal(service.restart, "unless-stopped");
    assert.ok(service.healthcheck, `${name} has a healthcheck`);
    assert.doesNotMatch(service.image, /:latest$/);
    for (const mount of service.volumes) {
      if (mount.startsWith("./") || mount.startsWith("/")) assert.match(mount, /:ro$/, `${name}: ${mount} is read-only`);
    }
  }
  assert.ok(compose.volumes["prometheus-data"] && compose.volumes["grafana-data"]);
  const grafana = compose.services.grafana!.environment!;
  assert.equal(grafana.GF_SECURITY_ADMIN_PASSWORD__FILE, "/run/secrets/grafana_admin_password");
  assert.equal(grafana.GF_SECURITY_ADMIN_PASSWORD, undefined);
  assert.equal(grafana.GF_USERS_ALLOW_SIGN_UP, "false");
  assert.equal(grafana.GF_AUTH_ANONYMOUS_ENABLED, "false");
  const prometheus = yaml.load(artifacts.find((a) => a.path === "prometheus/prometheus.yml")!.contents) as {
    scrape_configs: Array<{ job_name: string; honor_labels?: boolean }>;
  };
  assert.equal(prometheus.scrape_configs.find((job) => job.job_name === "pushgateway")?.honor_labels, true);
  assert.ok(plan.services.find((s) => s.name === "prometheus")!.command.includes("--web.enable-lifecycle"));
  assert.ok(plan.services.find((s) => s.name === "prometheus")!.command.includes("--storage.tsdb.retention.time=15d"));
});

test("--web.enable-lifecycle only while Prometheus is bound to loopback", () => {
  const { plan } = buildStack({ flink: { version: "1.20", clusters: [{ name: "a", jobmanagers: ["jm"] }] }, network: { bindAddress: "0.0.0.0" } });
  assert.equal(plan.services.find((s) => s.name === "prometheus")!.command.includes("--web.enable-lifecycle"), false);
});

test("pull mode: one scrape job per cluster with cluster label and the configured or first port", () => {
  const file = exampleConfigFile("pull");
  const { artifacts } = buildStack(parseConfigText(readFileSync(file, "utf8"), file));
  const prometheus = yaml.load(artifacts.find((a) => a.path === "prometheus/prometheus.yml")!.contents) as {
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[]; labels?: Record<string, string> }> }>;
  };
  const prod = prometheus.scrape_configs.find((job) => job.job_name === "flink-prod")!;
  assert.deepEqual(prod.static_configs, [
    { targets: ["jm.prod.internal:9249"], labels: { env: "prod", cluster: "prod", role: "jobmanager" } },
    { targets: ["tm1.prod.internal:9249", "tm2.prod.internal:9250"], labels: { env: "prod", cluster: "prod", role: "taskmanager" } },
  ]);
  assert.equal(
    prometheus.scrape_configs.some((job) => job.job_name === "pushgateway"),
    false,
  );
});

test("resolveConfig fills every default", () => {
  const resolved = resolveConfig(validateConfig({ flink: { version: "2.1", clusters: [{ name: "a", jobmanagers: ["jm:9250"] }] } }));
  assert.equal(resolved.name, "flink-monitoring");
  assert.equal(resolved.flink.mode, "pushgateway");
  assert.equal(resolved.flink.intervalSeconds, 15);
  assert.equal(resolved.flink.pushgateway.url, "http://127.0.0.1:9091");
  assert.equal(resolved.flink.clusters[0]!.jobmanagers[0]!.port, 9250);
  assert.equal(resolved.alerting.alertmanager.route.receiver, "default");
});

// The one-place rule: a default lives in lib/config/defaults.ts, normalizeConfig applies it, and both the semantic
// checks and the resolved config read that one normalized value.
const SMALL = { flink: { version: "1.20", clusters: [{ name: "a", jobmanagers: ["jm"], taskmanagers: ["tm"] }] } };

/** Changes one field of a default object for the duration of `body` (the objects are `as const`, not frozen). */
function withDefault<T extends object, K extends keyof T>(target: T, key: K, value: string | number, body: () => void): void {
  const mutable = target as Record<K, unknown>;
  const before = mutable[key];
  mutable[key] = value;
  try {
    body();
  } finally {
    mutable[key] = before;
  }
}

test("a default changed in defaults.ts reaches both the semantic checks and the resolved config", () => {
  // A default port: Grafana on Prometheus's port is a clash the check reports, and the port the stack publishes.
  withDefault(D.DEFAULT_PORTS, "grafana", D.DEFAULT_PORTS.prometheus, () => {
    assert.deepEqual(
      checkConfig(SMALL).issues.map((issue) => issue.path),
      ["network.ports.grafana"],
    );
    assert.equal(normalizeConfig(SMALL).network.ports.grafana, 9090);
  });
  // The prune sidecar's olderThan: too short for the stale window by default, and the value the sidecar gets.
  const prune = { ...SMALL, pushgateway: { prune: { sidecar: true } } };
  assert.deepEqual(checkConfig(prune).issues, []);
  withDefault(D.DEFAULT_PRUNE, "olderThan", "30s", () => {
    const [issue, ...more] = checkConfig(prune).issues;
    assert.deepEqual(more, []);
    assert.equal(issue?.path, "pushgateway.prune.olderThan");
    assert.match(issue.message, /\(got 30s\)/);
    assert.equal(resolveConfig(prune).pushgateway.prune.olderThan, "30s");
  });
  // The stale window's intervals feed the same check and the resolved alert thresholds.
  withDefault(D.DEFAULT_THRESHOLDS, "pushStaleIntervals", 1000, () => {
    assert.deepEqual(
      checkConfig(prune).issues.map((issue) => issue.path),
      ["pushgateway.prune.olderThan"],
    );
    assert.equal(resolveConfig(prune).alerting.rules.thresholds.pushStaleIntervals, 1000);
  });
});

test("the semantic checks take defaulted values (reporter mode, Pushgateway on) from the normalized config", () => {
  const normalized = normalizeConfig(SMALL);
  assert.equal(normalized.flink.mode, D.DEFAULT_REPORTER_MODE);
  assert.equal(normalized.pushgateway.enabled, true);
  assert.deepEqual(checkSemantics(SMALL, normalized).issues, []);
  // The raw config says nothing about either: what the checks see is what normalizeConfig decided.
  const off = checkSemantics(SMALL, { ...normalized, pushgateway: { ...normalized.pushgateway, enabled: false } });
  assert.deepEqual(
    off.issues.map((issue) => issue.message),
    ["the Pushgateway is off, but flink.reporter.mode is pushgateway"],
  );
  const pull = checkSemantics(SMALL, { ...normalized, flink: { ...normalized.flink, mode: "pull" } });
  assert.ok(
    pull.issues.every((issue) => !issue.message.includes("Pushgateway is off")),
    "in pull mode a Pushgateway that is off is fine",
  );
  // resolveConfig is normalizeConfig plus the version-derived fields: the same defaults, not a second copy.
  const resolved = resolveConfig(SMALL);
  const { version, features, excludeLabels, pushgateway, ...flink } = resolved.flink;
  const { randomJobNameSuffix, stableGroupsBlocker, ...push } = pushgateway;
  assert.deepEqual({ ...resolved, flink: { ...flink, pushgateway: push } }, normalized);
  assert.ok(version && features && excludeLabels && typeof randomJobNameSuffix === "boolean" && stableGroupsBlocker === undefined);
});

test("the semantic-check modules hold no default: they import nothing from defaults.ts and write no fallback", () => {
  for (const file of ["semantic.ts", "kubernetes-checks.ts", "secret-inputs.ts", "reachability.ts", "hosts.ts"]) {
    const source = readFileSync(`lib/config/${file}`, "utf8");
    assert.doesNotMatch(source, /from "\.\/defaults\.js"/, `${file} imports defaults`);
    // A counter's `(map.get(key) ?? 0)` is no default; any other `?? <literal>` is.
    assert.doesNotMatch(source, /(?<!\)) \?\? (["'`\d]|true|false|mode)/, `${file} applies a default with ??`);
  }
});

test("normalizeConfig never throws on a schema-valid config the checks refuse", () => {
  const refused = [
    { flink: { version: "1.5", clusters: [{ name: "a", jobmanagers: ["jm"] }] } },
    { flink: { version: "1.20", reporter: { mode: "pull", pull: { port: "9300-9250" } }, clusters: [{ name: "a", jobmanagers: ["h", "h"] }] } },
    { flink: { version: "1.20", reporter: { mode: "pull", pull: { port: "9249" } }, clusters: [{ name: "a", jobmanagers: ["h:9249", "h"] }] } },
  ];
  for (const raw of refused) {
    assert.equal(checkConfig(raw).valid, false, JSON.stringify(raw));
    const normalized = normalizeConfig(raw as Parameters<typeof normalizeConfig>[0]);
    for (const cluster of normalized.flink.clusters) {
      for (const process of [...cluster.jobmanagers, ...cluster.taskmanagers]) assert.equal(typeof process.port, "number");
    }
  }
});
