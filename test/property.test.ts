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
import { buildStack, type Artifact } from "../lib/index.js";
import { atLeast, configArb } from "./support/config-arbitraries.js";
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

/** The same config with every user label value replaced by a plain word. */
function withPlainLabelValues(raw: Raw): Raw {
  const copy = structuredClone(raw);
  const plain = (labels: Record<string, string> | undefined) => {
    if (labels) for (const key of Object.keys(labels)) labels[key] = "plain";
  };
  const flink = copy.flink as {
    clusters: Array<{ labels?: Record<string, string> }>;
    reporter?: { pushgateway?: { groupingKey?: Record<string, string> } };
  };
  for (const cluster of flink.clusters) plain(cluster.labels);
  plain(flink.reporter?.pushgateway?.groupingKey);
  const prometheus = copy.prometheus as
    { externalLabels?: Record<string, string>; scrapeJobs?: Array<{ labels?: Record<string, string> }> } | undefined;
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

interface RelabelRule {
  source_labels: string[];
  regex: string;
  target_label: string;
  replacement: string;
}

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
          scrape_configs: Array<{ job_name: string; static_configs: Array<{ labels?: Record<string, string> }> }>;
        };
        for (const job of ((raw.prometheus as Raw | undefined)?.scrapeJobs as Array<{ name: string; labels?: Record<string, string> }> | undefined) ??
          []) {
          const rendered = prometheus.scrape_configs.find((config) => config.job_name === job.name);
          assert.ok(rendered, `scrape job ${job.name}`);
          assert.deepEqual(rendered.static_configs[0]!.labels ?? {}, job.labels ?? {});
        }
        const flinkRaw = raw.flink as { reporter: { mode: string }; clusters: Array<{ name: string; labels?: Record<string, string> }> };
        if (flinkRaw.reporter.mode === "pull") {
          for (const cluster of flinkRaw.clusters) {
            const rendered = prometheus.scrape_configs.find((config) => config.job_name === `flink-${cluster.name}`);
            assert.ok(rendered, `scrape job flink-${cluster.name}`);
            for (const group of rendered.static_configs) {
              // port_range_processes: on a one-box host, every port of the range with the number of processes sharing it.
              const { port_range_processes: _pool, ...labels } = group.labels ?? {};
              assert.deepEqual({ ...labels, cluster: undefined, role: undefined }, { ...cluster.labels, cluster: undefined, role: undefined });
              assert.equal(group.labels?.cluster, cluster.name);
            }
          }
        }

        // The Flink reporter's groupingKey, read back the way Flink reads it, carries the cluster and the user's keys
        // (and the host where groups are per process); Prometheus attaches the other cluster labels by `cluster`.
        const flink = raw.flink as {
          version: string;
          reporter: { mode: string; pushgateway?: { groupingKey?: Record<string, string> } };
          clusters: Array<{ name: string; labels?: Record<string, string> }>;
        };
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
          const pushgateway = (prometheus.scrape_configs as unknown as Array<{ job_name: string; metric_relabel_configs?: RelabelRule[] }>).find(
            (config) => config.job_name === "pushgateway",
          )!;
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
  const cases: Array<{ dir: string; raw: Raw; files: Set<string> }> = [];

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
    const failures = perCase
      .filter((entry) => entry.files.length > 0)
      .map((entry) => ({ entry, result: run(entry.files) }))
      .filter(({ result: single }) => single.status !== 0)
      .map(({ entry, result: single }) => `${describeRun(`${what} ${entry.c.dir}`, single)}\n${show(entry.c.raw)}`);
    assert.fail(failures.length > 0 ? failures.join("\n\n") : describeRun(what, result));
  }

  it("prometheus.yml: promtool check config --syntax-only (rule files are checked on their own below)", () => {
    checkAll(
      "promtool check config",
      () => ["prometheus/prometheus.yml"],
      (files) => runTool("promtool", ["check", "config", "--syntax-only", ...files]),
    );
  });

  it("alert rules: promtool check rules", () => {
    checkAll(
      "promtool check rules",
      (files) => [...files].filter((file) => /^prometheus\/rules\/[^/]+\.yml$/.test(file)),
      (files) => runTool("promtool", ["check", "rules", ...files]),
    );
  });

  it(`alert rules: promtool test rules (the generated unit tests pass; first ${RULE_TEST_RUNS} configs)`, async () => {
    // Evaluating the unit tests costs ~1-2 s of CPU per config: a subset, two promtool processes at once.
    const promtool = requireTool("promtool");
    const chosen = cases.slice(0, RULE_TEST_RUNS);
    const results = await Promise.all(
      [0, 1].map(async (half) => {
        const mine = chosen.filter((_, index) => index % 2 === half);
        const files = mine.flatMap((c) =>
          [...c.files].filter((file) => /^prometheus\/rules\/tests\/[^/]+\.yml$/.test(file)).map((file) => path.join(c.dir, file)),
        );
        return { mine, result: files.length === 0 ? undefined : await runProcess(promtool, ["test", "rules", ...files], { timeoutMs: 120_000 }) };
      }),
    );
    for (const { mine, result } of results) {
      if (!result || result.status === 0) continue;
      const failing = mine.filter((c) => result.stdout.includes(c.dir) || result.stderr.includes(c.dir));
      assert.fail(`${describeRun("promtool test rules", result)}\n${(failing.length > 0 ? failing : mine).map((c) => show(c.raw)).join("\n")}`);
    }
  });

  it("alertmanager.yml: amtool check-config", () => {
    checkAll(
      "amtool check-config",
      (files) => [...files].filter((file) => file === "alertmanager/alertmanager.yml"),
      (files) => runTool("amtool", ["check-config", ...files]),
    );
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
    results.forEach((result, index) =>
      assert.equal(result.status, 0, `${describeRun("docker-compose config -q", result)}\n${show(chosen[index]!.raw)}`),
    );
  });

  it("the cases cover both modes and several versions", () => {
    const modes = new Set(cases.map((c) => ((c.raw.flink as Raw).reporter as Raw).mode));
    const versions = new Set(cases.map((c) => (c.raw.flink as Raw).version));
    assert.ok(TOOL_RUNS < 10 || (modes.size === 2 && versions.size >= 5), `modes ${[...modes].join(",")}, versions ${[...versions].join(",")}`);
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
    const text = file.path.endsWith("config.yaml")
      ? (yaml.load(file.contents) as Record<string, string>)[key]!
      : readLegacyFlinkConf(file.contents, key)!;
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
        scrape_configs: Array<{ job_name: string; metric_relabel_configs?: RelabelRule[] }>;
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
        (raw.flink as Raw).reporter ??= { mode };
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
    const prometheus = yaml.load(artifacts.find((a) => a.path === "prometheus/prometheus.yml")!.contents) as {
      global: { external_labels: Record<string, string> };
    };
    assert.equal(prometheus.global.external_labels.site, "eu$$HOME");
  });
});
