// The checks of the final documents (lib/check) agree with the real judges: every override the checker refuses
// is one that promtool, amtool or Debian's docker-compose would have refused in the unchecked output, and every
// override it accepts is written and then accepted by the same tool. Also: the judges on the tables the checker
// is built from (Compose interpolation, PromQL), on secret file paths and on webhook urlFile.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import yaml from "js-yaml";
import { checkRenderedStack } from "../lib/check/index.js";
import { invalidInterpolationAt } from "../lib/check/interpolation.js";
import { matchersProblem } from "../lib/check/matchers.js";
import { promqlErrorAt } from "../lib/check/promql.js";
import { resolveConfig } from "../lib/config/resolve.js";
import { ConfigValidationError } from "../lib/errors.js";
import { buildStack, checkStackConfig, generate } from "../lib/generate.js";
import { validateConfig } from "../lib/config/validate.js";
import { planStack } from "../lib/plan/plan.js";
import { renderAlertmanagerConfig } from "../lib/render/alertmanager.js";
import { renderCompose, renderDotEnv } from "../lib/render/compose.js";
import { renderPrometheusConfig } from "../lib/render/prometheus.js";
import type { Artifact } from "../lib/render/artifact.js";
import { runCli, tempDir } from "./support/cli.js";
import { describeRun, runTool, type ToolResult } from "./support/tools.js";

const scratch = tempDir("fps-final-");
after(() => scratch.cleanup());
let counter = 0;
const newDir = () => {
  const dir = path.join(scratch.dir, String(++counter));
  mkdirSync(dir, { recursive: true });
  return dir;
};

const BASE = {
  name: "final-checks",
  flink: { version: "1.18", clusters: [{ name: "prod", jobmanagers: ["jm1.prod.internal"], taskmanagers: ["tm1.prod.internal"] }] },
  alerting: { alertmanager: { receivers: [{ name: "ops", webhook: { url: "http://hook.internal:5001/" } }] } },
};

type Judge = "promtool" | "amtool" | "docker-compose";

/** The judge's run on one written file (or, for Compose, the folder). */
function judge(tool: Judge, dir: string, artifacts: readonly Artifact[]): ToolResult {
  for (const artifact of artifacts) {
    mkdirSync(path.dirname(path.join(dir, artifact.path)), { recursive: true });
    writeFileSync(path.join(dir, artifact.path), artifact.contents);
  }
  if (tool === "promtool") return runTool("promtool", ["check", "config", "--syntax-only", path.join(dir, "prometheus/prometheus.yml")]);
  if (tool === "amtool") return runTool("amtool", ["check-config", path.join(dir, "alertmanager/alertmanager.yml")]);
  return runTool("docker-compose", ["config", "-q"], { cwd: dir });
}

/** What generate would have written without lib/check: the renderers called directly. */
function uncheckedArtifacts(tool: Judge, overrides: object): Artifact[] {
  const plan = planStack(resolveConfig(validateConfig({ ...BASE, overrides })));
  if (tool === "promtool") return [renderPrometheusConfig(plan)];
  if (tool === "amtool") return [renderAlertmanagerConfig(plan)];
  return [renderCompose(plan), renderDotEnv(plan)];
}

interface RefusedCase {
  readonly name: string;
  readonly tool: Judge;
  readonly overrides: object;
  readonly path: string;
  readonly message: string;
}

const REFUSED: readonly RefusedCase[] = [
  {
    name: "global scrape_interval not a duration",
    tool: "promtool",
    overrides: { prometheus: { global: { scrape_interval: "not-a-duration" } } },
    path: "overrides.prometheus.global.scrape_interval",
    message: "must be a Prometheus duration",
  },
  {
    name: "global scrape_interval as a number",
    tool: "promtool",
    overrides: { prometheus: { global: { scrape_interval: 15 } } },
    path: "overrides.prometheus.global.scrape_interval",
    message: "(got 15)",
  },
  {
    name: "units out of order (1m1h)",
    tool: "promtool",
    overrides: { prometheus: { global: { evaluation_interval: "1m1h" } } },
    path: "overrides.prometheus.global.evaluation_interval",
    message: "must be a Prometheus duration",
  },
  {
    name: "global scrape_timeout longer than the interval",
    tool: "promtool",
    overrides: { prometheus: { global: { scrape_timeout: "20s" } } },
    path: "overrides.prometheus.global.scrape_timeout",
    message: "must not exceed global.scrape_interval",
  },
  {
    name: "a job's timeout longer than its interval",
    tool: "promtool",
    overrides: {
      prometheus: { scrape_configs: [{ job_name: "a", scrape_interval: "5s", scrape_timeout: "10s", static_configs: [{ targets: ["a:1"] }] }] },
    },
    path: "overrides.prometheus.scrape_configs[0].scrape_timeout",
    message: "must not exceed the job's scrape interval",
  },
  {
    name: "duplicate job names",
    tool: "promtool",
    overrides: { prometheus: { scrape_configs: [{ job_name: "a" }, { job_name: "a" }] } },
    path: "overrides.prometheus.scrape_configs[1].job_name",
    message: 'duplicate job_name "a"',
  },
  {
    name: "relabel regex that does not compile",
    tool: "promtool",
    overrides: { prometheus: { scrape_configs: [{ job_name: "a", relabel_configs: [{ source_labels: ["x"], regex: "(a" }] }] } },
    path: "overrides.prometheus.scrape_configs[0].relabel_configs[0].regex",
    message: "is not a valid regular expression",
  },
  {
    name: "relabel regex with a look-ahead (RE2 has none)",
    tool: "promtool",
    overrides: { prometheus: { scrape_configs: [{ job_name: "a", metric_relabel_configs: [{ source_labels: ["x"], regex: "(?=a)b" }] }] } },
    path: "overrides.prometheus.scrape_configs[0].metric_relabel_configs[0].regex",
    message: "look-around",
  },
  {
    name: "external label name with a dash",
    tool: "promtool",
    overrides: { prometheus: { global: { external_labels: { "data-center": "eu" } } } },
    path: "overrides.prometheus.global.external_labels.data-center",
    message: '"data-center" is not a valid Prometheus label name',
  },
  {
    name: "target label name starting with a digit",
    tool: "promtool",
    overrides: { prometheus: { scrape_configs: [{ job_name: "a", static_configs: [{ targets: ["a:1"], labels: { "1x": "y" } }] }] } },
    path: "overrides.prometheus.scrape_configs[0].static_configs[0].labels.1x",
    message: "is not a valid Prometheus label name",
  },
  {
    name: "a route matcher without an operator",
    tool: "amtool",
    overrides: { alertmanager: { route: { routes: [{ receiver: "ops", matchers: ["team db"] }] } } },
    path: "overrides.alertmanager.route.routes[0].matchers[0]",
    message: "is not a matcher",
  },
  {
    name: "an inhibit matcher with a broken regex",
    tool: "amtool",
    overrides: { alertmanager: { inhibit_rules: [{ source_matchers: ['severity=~"(crit"'], target_matchers: ['severity="warning"'] }] } },
    path: "overrides.alertmanager.inhibit_rules[0].source_matchers[0]",
    message: "the regular expression",
  },
  {
    name: "nested route to an unknown receiver",
    tool: "amtool",
    overrides: { alertmanager: { route: { routes: [{ receiver: "ops", routes: [{ receiver: "pager", matchers: ['team="db"'] }] }] } } },
    path: "overrides.alertmanager.route.routes[0].routes[0].receiver",
    message: 'no receiver is named "pager"',
  },
  {
    name: "root route to an unknown receiver",
    tool: "amtool",
    overrides: { alertmanager: { route: { receiver: "nobody" } } },
    path: "overrides.alertmanager.route.receiver",
    message: 'no receiver is named "nobody"',
  },
  {
    name: "group_interval not a duration",
    tool: "amtool",
    overrides: { alertmanager: { route: { group_interval: "5 minutes" } } },
    path: "overrides.alertmanager.route.group_interval",
    message: "must be a duration",
  },
  {
    name: "repeat_interval zero",
    tool: "amtool",
    overrides: { alertmanager: { route: { repeat_interval: "0s" } } },
    path: "overrides.alertmanager.route.repeat_interval",
    message: "must not be zero",
  },
  {
    name: "two receivers with one name",
    tool: "amtool",
    overrides: { alertmanager: { receivers: [{ name: "ops" }, { name: "ops" }, { name: "null" }] } },
    path: "overrides.alertmanager.receivers[1].name",
    message: 'duplicate receiver name "ops"',
  },
  {
    name: "route muted by an undefined time interval",
    tool: "amtool",
    overrides: { alertmanager: { route: { routes: [{ receiver: "ops", mute_time_intervals: ["nights"] }] } } },
    path: "overrides.alertmanager.route.routes[0].mute_time_intervals[0]",
    message: 'no time interval is named "nights"',
  },
  {
    name: "environment value with $1",
    tool: "docker-compose",
    overrides: { compose: { services: { grafana: { environment: { GF_X: "a$1" } } } } },
    path: "overrides.compose.services.grafana.environment.GF_X",
    message: "is not a valid Compose interpolation",
  },
  {
    name: "a raw trailing $",
    tool: "docker-compose",
    overrides: { compose: { services: { prometheus: { labels: { price: "5$" } } } } },
    path: "overrides.compose.services.prometheus.labels.price",
    message: "is not a valid Compose interpolation",
  },
  {
    name: "an unclosed ${",
    tool: "docker-compose",
    overrides: { compose: { services: { prometheus: { command: ["--x=${HOME"] } } } },
    path: "overrides.compose.services.prometheus.command[0]",
    message: "is not a valid Compose interpolation",
  },
  {
    name: "${VAR:+x} (Compose v2 only)",
    tool: "docker-compose",
    overrides: { compose: { services: { grafana: { environment: { GF_X: "${A:+x}" } } } } },
    path: "overrides.compose.services.grafana.environment.GF_X",
    message: "is not a valid Compose interpolation",
  },
  {
    name: "unknown service key",
    tool: "docker-compose",
    overrides: { compose: { services: { grafana: { restrat: "always" } } } },
    path: "overrides.compose.services.grafana.restrat",
    message: 'unknown key "restrat"',
  },
  {
    name: "a value of the wrong type",
    tool: "docker-compose",
    overrides: { compose: { services: { grafana: { restart: 5 } } } },
    path: "overrides.compose.services.grafana.restart",
    message: "must be string",
  },
];

describe("overrides the checker refuses are refused by the real tool too", () => {
  for (const row of REFUSED) {
    it(`${row.tool}: ${row.name}`, () => {
      assert.throws(
        () => buildStack({ ...BASE, overrides: row.overrides }, { file: "flink-stack.yaml" }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigValidationError, String(error));
          const issue = error.issues.find((candidate) => candidate.path === row.path);
          assert.ok(issue, `an issue at ${row.path}; got ${JSON.stringify(error.issues)}`);
          assert.ok(issue.message.includes(row.message), issue.message);
          return true;
        },
      );
      const verdict = judge(row.tool, newDir(), uncheckedArtifacts(row.tool, row.overrides));
      assert.notEqual(verdict.status, 0, describeRun(`${row.tool} on the unchecked output`, verdict));
    });
  }
});

const ACCEPTED: ReadonlyArray<{ readonly name: string; readonly tool: Judge; readonly overrides: object }> = [
  {
    name: "global intervals and an extra job with relabeling",
    tool: "promtool",
    overrides: {
      prometheus: {
        global: { scrape_interval: "30s", scrape_timeout: "20s", evaluation_interval: "1m30s" },
        scrape_configs: [
          {
            job_name: "kafka",
            scrape_interval: "1m",
            static_configs: [{ targets: ["kafka1:9308"] }],
            relabel_configs: [{ source_labels: ["__address__"], regex: "([^:]+):\\d+", target_label: "host", replacement: "$1" }],
          },
        ],
      },
    },
  },
  {
    name: "a job without its own timeout, shorter than the global timeout (Prometheus shortens it)",
    tool: "promtool",
    overrides: {
      prometheus: {
        scrape_configs: [{ job_name: "fast", scrape_interval: "5s", static_configs: [{ targets: ["a:1"] }] }],
      },
    },
  },
  {
    name: "nested routes with a muting time interval",
    tool: "amtool",
    overrides: {
      alertmanager: {
        time_intervals: [{ name: "nights", time_intervals: [{ times: [{ start_time: "22:00", end_time: "23:59" }] }] }],
        route: {
          group_wait: "10s",
          routes: [{ receiver: "ops", matchers: ['team="db"'], mute_time_intervals: ["nights"], routes: [{ matchers: ['x="y"'] }] }],
        },
      },
    },
  },
  {
    name: "literal $$, ${VAR:-default} and $VAR",
    tool: "docker-compose",
    overrides: {
      compose: {
        services: {
          grafana: {
            environment: { GF_A: "cost 5$$", GF_B: "${TZ:-UTC}", GF_C: "$HOME/x", GF_D: "${LANG-en}" },
          },
        },
      },
    },
  },
];

describe("overrides the checker accepts are written and accepted by the real tool", () => {
  for (const row of ACCEPTED) {
    it(`${row.tool}: ${row.name}`, async () => {
      const dir = newDir();
      await generate({ config: { ...BASE, overrides: row.overrides }, outDir: dir });
      const verdict = judge(row.tool, dir, []);
      assert.equal(verdict.status, 0, describeRun(row.tool, verdict));
    });
  }
});

describe("the tables the checker is built from, against the judges", () => {
  // [value, what Debian's docker-compose 1.29 does]; "stricter" = v1 takes it but v2 reads it differently.
  const INTERPOLATION: ReadonlyArray<[string, "accepts" | "refuses" | "stricter"]> = [
    ["a$1", "refuses"],
    ["a$", "refuses"],
    ["${", "refuses"],
    ["${A", "refuses"],
    ["$ x", "refuses"],
    ["${1}", "refuses"],
    ["${}", "refuses"],
    ["${A B}", "refuses"],
    ["a$-", "refuses"],
    ["${A:+x}", "refuses"],
    ["${A+x}", "refuses"],
    ["$$", "accepts"],
    ["${A:-x}", "accepts"],
    ["${A-x}", "accepts"],
    ["${A:?e}", "accepts"],
    ["${A?e}", "accepts"],
    ["$A", "accepts"],
    ["${_a}", "accepts"],
    ["$_a", "accepts"],
    ["${A:-}", "accepts"],
    ["plain", "accepts"],
    ["a$$b$$", "accepts"],
    ["${A:-${B}}", "stricter"],
    ["${A:-a$b}", "stricter"],
  ];
  it("Compose interpolation: the checker and docker-compose agree (stricter only where v1 and v2 differ)", () => {
    const dir = newDir();
    const compose = (values: readonly string[]) =>
      yaml.dump({ services: { s: { image: "busybox:1", environment: Object.fromEntries(values.map((value, index) => [`X${index}`, value])) } } });
    const env = { ...process.env, A: "1", B: "2" };
    // Everything docker-compose accepts, in one run (it stops at the first invalid value, so those run one by one).
    const accepted = INTERPOLATION.filter(([, verdict]) => verdict !== "refuses").map(([value]) => value);
    writeFileSync(path.join(dir, "docker-compose.yml"), compose(accepted));
    const run = runTool("docker-compose", ["-p", "interp", "config", "-q"], { cwd: dir, env });
    assert.equal(run.status, 0, describeRun("docker-compose on the accepted values", run));
    for (const [value, verdict] of INTERPOLATION) {
      if (verdict === "refuses") {
        writeFileSync(path.join(dir, "docker-compose.yml"), compose([value]));
        const refused = runTool("docker-compose", ["-p", "interp", "config", "-q"], { cwd: dir, env });
        assert.notEqual(refused.status, 0, describeRun(`docker-compose on ${value}`, refused));
        assert.match(refused.stderr, /Invalid interpolation format/, value);
      }
      assert.equal(invalidInterpolationAt(value) === -1, verdict === "accepts", `checker on ${value}`);
    }
  });

  const MATCHERS: readonly string[] = [
    'team="db"',
    "team=db",
    'team = "db"',
    "team db",
    'team=~"a.*"',
    'team!~"(a"',
    '1team="x"',
    'team="a", x="b"',
    '{team="db"}',
    'team=""',
    'tea-m="x"',
    'team="a"b"',
    'team="a\\"b"',
    'team="unclosed',
    'team!="x"',
  ];
  it("Alertmanager matchers: the checker and amtool agree", () => {
    const dir = newDir();
    for (const matcher of MATCHERS) {
      const file = path.join(dir, "alertmanager.yml");
      writeFileSync(file, yaml.dump({ route: { receiver: "a", routes: [{ receiver: "a", matchers: [matcher] }] }, receivers: [{ name: "a" }] }));
      const run = runTool("amtool", ["check-config", file]);
      const accepted = matchersProblem(matcher) === undefined;
      assert.equal(
        accepted,
        run.status === 0,
        `${JSON.stringify(matcher)}: checker ${accepted ? "accepts" : "refuses"}\n${describeRun("amtool", run)}`,
      );
    }
  });

  const PROMQL: readonly string[] = [
    "up == 0",
    'sum by (cluster) (rate(flink_x_total{cluster="a\\"b"}[5m])) > 0',
    "histogram_quantile(0.9, sum by (le) (rate(a_bucket[5m])))",
    'absent(up{job="a"})',
    "x offset 5m",
    'up{job=~"a.*"} > bool 1',
    "time() - x > 3 * 60",
    'up{a="b"',
    "foo bar",
    "rate(x[5m)",
    "sum(x) by",
    "up ==",
    'up{job="a" "b"}',
    "(up",
    "",
  ];
  it("PromQL: the lezer parser and promtool agree on which expressions parse", () => {
    const dir = newDir();
    for (const [index, expr] of PROMQL.entries()) {
      const file = path.join(dir, `r${index}.yml`);
      writeFileSync(file, yaml.dump({ groups: [{ name: "g", rules: [{ alert: "A", expr }] }] }));
      const run = runTool("promtool", ["check", "rules", file]);
      const parses = promqlErrorAt(expr) === undefined;
      assert.equal(parses, run.status === 0, `${JSON.stringify(expr)}: lezer ${parses ? "parses" : "refuses"}\n${describeRun("promtool", run)}`);
    }
  });
});

describe("secret file paths and URLs", () => {
  it("a ':' in a secret file path makes a volume string that docker-compose misreads; the config is refused", () => {
    const dir = newDir();
    const volume = "/etc/passwd:/etc/alertmanager/alertmanager.yml:rw:/etc/alertmanager-secrets/s-slack-url:ro";
    writeFileSync(path.join(dir, "docker-compose.yml"), yaml.dump({ services: { s: { image: "busybox:1", volumes: [volume] } } }));
    const run = runTool("docker-compose", ["-p", "colon", "config", "-q"], { cwd: dir });
    assert.notEqual(run.status, 0, describeRun("docker-compose", run));
    const result = checkStackConfig({
      ...BASE,
      alerting: {
        alertmanager: { receivers: [{ name: "s", slack: { apiUrlFile: "/etc/passwd:/etc/alertmanager/alertmanager.yml:rw", channel: "#a" } }] },
      },
    });
    assert.deepEqual(
      result.issues.map((issue) => issue.path),
      ["alerting.alertmanager.receivers[0].slack.apiUrlFile"],
    );
  });

  it("~/ is the home folder of the user running generate, in the compose file and the plan alike", async () => {
    const dir = newDir();
    const config = {
      ...BASE,
      alerting: { alertmanager: { receivers: [{ name: "s", slack: { apiUrlFile: "~/secrets/slack-url", channel: "#a" } }] } },
      grafana: { adminPasswordFile: "~/secrets/grafana" },
    };
    // A home of its own, holding the Slack URL file that generate requires to exist.
    const home = newDir();
    mkdirSync(path.join(home, "secrets"), { mode: 0o700 });
    writeFileSync(path.join(home, "secrets/slack-url"), "https://hooks.slack.example/x\n", { mode: 0o600 });
    const savedHome = process.env.HOME;
    process.env.HOME = home;
    const result = await generate({ config: config, outDir: dir }).finally(() => {
      process.env.HOME = savedHome;
    });
    const expected = path.join(home, "secrets/slack-url");
    assert.ok(result.plan.services.find((s) => s.name === "alertmanager")!.mounts.some((m) => m.source === expected));
    assert.equal(result.plan.secrets[0]!.file, path.join(home, "secrets/grafana"));
    const run = runTool("docker-compose", ["config"], { cwd: dir });
    assert.equal(run.status, 0, describeRun("docker-compose config", run));
    assert.ok(run.stdout.includes(`${expected}:/etc/alertmanager-secrets/s-slack-url:ro`) || run.stdout.includes(`source: ${expected}`), run.stdout);
    assert.doesNotMatch(readFileSync(path.join(dir, "docker-compose.yml"), "utf8"), /~/);
  });

  it("webhook.urlFile: url_file with a read-only mount; amtool 0.25 (before url_file) refuses it, as the config check does for 0.25 images", async () => {
    const dir = newDir();
    const hookUrl = path.join(newDir(), "hook-url");
    writeFileSync(hookUrl, "http://hook.internal/?token=x\n", { mode: 0o600 });
    const receivers = [{ name: "ops", webhook: { urlFile: hookUrl } }];
    const result = await generate({ config: { ...BASE, alerting: { alertmanager: { receivers } } }, outDir: dir });
    const am = yaml.load(readFileSync(path.join(dir, "alertmanager/alertmanager.yml"), "utf8")) as {
      receivers: Array<{ name: string; webhook_configs?: object[] }>;
    };
    assert.deepEqual(am.receivers.find((r) => r.name === "ops")!.webhook_configs, [
      { url_file: "/etc/alertmanager-secrets/ops-webhook-url", send_resolved: true },
    ]);
    const mount = result.plan.services
      .find((s) => s.name === "alertmanager")!
      .mounts.find((m) => m.target === "/etc/alertmanager-secrets/ops-webhook-url");
    assert.deepEqual(mount, { type: "bind", source: hookUrl, target: "/etc/alertmanager-secrets/ops-webhook-url", readOnly: true });
    // The judge on this machine is amtool 0.25, older than url_file (Alertmanager 0.26): it refuses the key itself…
    const version = runTool("amtool", ["--version"]);
    assert.match(version.stdout + version.stderr, /version 0\.25\./, "this test knows the judge's version");
    const refused = runTool("amtool", ["check-config", path.join(dir, "alertmanager/alertmanager.yml")]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stdout + refused.stderr, /field url_file not found/);
    // …so the config check refuses urlFile for an Alertmanager image of that version,
    const old = checkStackConfig({ ...BASE, alerting: { alertmanager: { image: "local/alertmanager:debian-0.25", receivers } } });
    assert.deepEqual(
      old.issues.map((issue) => issue.path),
      ["alerting.alertmanager.receivers[0].webhook.urlFile"],
    );
    // …and everything else in the file is what amtool accepts (url in place of url_file).
    const text = readFileSync(path.join(dir, "alertmanager/alertmanager.yml"), "utf8").replace(
      "url_file: /etc/alertmanager-secrets/ops-webhook-url",
      "url: http://hook.internal/",
    );
    const swapped = path.join(dir, "alertmanager-url.yml");
    writeFileSync(swapped, text);
    const accepted = runTool("amtool", ["check-config", swapped]);
    assert.equal(accepted.status, 0, describeRun("amtool", accepted));
  });

  it("a webhook URL with a token in its query string is accepted with a warning pointing at urlFile", () => {
    const result = checkStackConfig({
      ...BASE,
      alerting: { alertmanager: { receivers: [{ name: "ops", webhook: { url: "https://hooks.example/x?token=abc" } }] } },
    });
    assert.equal(result.valid, true, JSON.stringify(result.issues));
    const warning = result.warnings.find((candidate) => candidate.path === "alerting.alertmanager.receivers[0].webhook.url");
    assert.ok(warning, JSON.stringify(result.warnings));
    assert.match(warning.message, /"token"/);
    assert.match(warning.hint ?? "", /urlFile/);
  });
});

describe("generated files the checker refuses name the file and the rule", () => {
  it("a rule whose PromQL does not parse is reported at its place in the rule file, and promtool refuses it too", () => {
    const { plan, artifacts } = buildStack(BASE);
    const file = plan.ruleFiles[0]!;
    const broken = artifacts.map((artifact) =>
      artifact.path === file ? { ...artifact, contents: artifact.contents.replace(/expr: (.*)/, 'expr: $1 {cluster="a"') } : artifact,
    );
    const issues = checkRenderedStack(plan, broken);
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.match(issues[0]!.path, new RegExp(`^${file.replaceAll(".", "\\.")}:groups\\[0\\]\\.rules\\[0\\]\\.expr$`));
    assert.match(issues[0]!.message, /^(alert|record) \S+: PromQL syntax error at offset \d+/);
    const dir = newDir();
    writeFileSync(path.join(dir, "rules.yml"), broken.find((artifact) => artifact.path === file)!.contents);
    const run = runTool("promtool", ["check", "rules", path.join(dir, "rules.yml")]);
    assert.notEqual(run.status, 0, describeRun("promtool check rules", run));
  });
});

describe("validate reports what generate would refuse", () => {
  it("an override promtool would refuse fails `validate` with its path, and `generate` writes nothing", async () => {
    const dir = newDir();
    const file = path.join(dir, "flink-stack.yaml");
    writeFileSync(file, yaml.dump({ ...BASE, overrides: { prometheus: { global: { scrape_interval: "not-a-duration" } } } }));
    const validate = await runCli(["validate", "-c", file], { cwd: dir });
    assert.equal(validate.code, 1, validate.stderr + validate.stdout);
    assert.match(validate.stdout + validate.stderr, /overrides\.prometheus\.global\.scrape_interval\s+must be a Prometheus duration/);
    const generated = await runCli(["generate", "-c", file, "-o", path.join(dir, "out")], { cwd: dir });
    assert.equal(generated.code, 1, generated.stderr);
    assert.match(
      generated.stderr,
      /^error: \S*flink-stack\.yaml: 1 problem\n\s+overrides\.prometheus\.global\.scrape_interval /m,
      "names the config file and the override",
    );
    assert.throws(() => readFileSync(path.join(dir, "out/prometheus/prometheus.yml")), /ENOENT/);
  });
});
