// `check`: the real tools (promtool, amtool, Docker Compose) on a written stack. It passes on every example and
// on configs with secret files at container paths, fails on a corrupted output, reports missing tools, and the
// generated README's "Check it" commands run as written.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import yaml from "js-yaml";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { checkStack } from "../lib/judges/check-stack.js";
import { mapContainerPaths, serviceMappings } from "../lib/judges/container-paths.js";
import { generate } from "../lib/generate.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import { exampleConfigFile, exampleNames } from "./support/examples.js";
import { CLI, runCli, stackTraceLines, tempDir } from "./support/cli.js";
import { fencedBlocks } from "./support/flink-parsers.js";
import { requireTool } from "./support/tools.js";

let scratch: { dir: string; cleanup: () => void };
before(() => {
  // A missing tool fails these tests, never skips them.
  for (const tool of ["promtool", "amtool", "docker-compose"]) requireTool(tool);
  scratch = tempDir("fps-checktest-");
});
after(() => scratch.cleanup());

let counter = 0;
function outDir(): string {
  const dir = path.join(scratch.dir, `out${counter++}`);
  mkdirSync(dir);
  return dir;
}

/** Secret files a config names, created in the output folder before generate (relative paths are relative to it). */
const SECRETS_CONFIG = {
  name: "check-secrets",
  flink: { version: "1.20", clusters: [{ name: "prod", jobmanagers: ["jm1.prod.internal"], taskmanagers: ["tm1.prod.internal"] }] },
  prometheus: {
    remoteWrite: [
      { url: "https://metrics.example.org/api/v1/write", basicAuth: { username: "flink", passwordFile: "secrets/remote_write_password" } },
    ],
  },
  alerting: {
    alertmanager: {
      receivers: [
        { name: "chat", slack: { apiUrlFile: "secrets/slack_url", channel: "#flink" } },
        {
          name: "mail",
          email: {
            to: "oncall@example.org",
            from: "am@example.org",
            smarthost: "smtp.example.org:587",
            authUsername: "am",
            authPasswordFile: "secrets/smtp_password",
          },
        },
      ],
      route: { receiver: "chat", criticalReceiver: "mail" },
    },
  },
  network: { bindAddress: "0.0.0.0", advertisedHost: "monitoring.example.org" },
};

async function generateWithSecrets(): Promise<string> {
  const dir = outDir();
  mkdirSync(path.join(dir, "secrets"), { mode: 0o700 });
  for (const [file, value] of [
    ["remote_write_password", "pw"],
    ["slack_url", "https://hooks.slack.com/services/T/B/X"],
    ["smtp_password", "pw"],
  ]) {
    writeFileSync(path.join(dir, "secrets", file!), `${value}\n`, { mode: 0o600 });
  }
  await generate({ config: SECRETS_CONFIG, outDir: dir });
  return dir;
}

const report = (result: Awaited<ReturnType<typeof checkStack>>) =>
  result.checks.map((check) => `${check.status} ${check.command}\n${check.output}`).join("\n");

describe("checkStack on generated stacks", () => {
  for (const name of exampleNames()) {
    it(`examples/${name}: every tool accepts the written stack`, async () => {
      const dir = outDir();
      await generate({ config: exampleConfigFile(name), outDir: dir });
      const result = await checkStack(dir);
      assert.ok(result.ok, report(result));
      const ran = result.checks.map((check) => `${check.name}: ${check.status}`);
      assert.deepEqual(ran, [
        "promtool check config: ok",
        "promtool check rules: ok",
        "promtool test rules: ok",
        "amtool check-config: ok",
        existsSync(path.join(dir, "docker-stack.yml")) ? "docker stack config: ok" : "compose config: ok",
      ]);
    });
  }

  it("secret files at container paths (remote_write password, Slack URL, SMTP password) are checked through the mounts", async () => {
    const dir = await generateWithSecrets();
    const prometheus = readFileSync(path.join(dir, "prometheus/prometheus.yml"), "utf8");
    assert.match(prometheus, /password_file: \/etc\/prometheus-secrets\//, "the written file names the container path");
    const result = await checkStack(dir);
    assert.ok(result.ok, report(result));
    // Every container path the two files name maps through docker-compose.yml to an existing file of the folder.
    const compose = yaml.load(readFileSync(path.join(dir, "docker-compose.yml"), "utf8")) as Parameters<typeof serviceMappings>[0];
    for (const [service, file, keys] of [
      ["prometheus", "prometheus/prometheus.yml", ["password_file", "rule_files"]],
      ["alertmanager", "alertmanager/alertmanager.yml", ["api_url_file", "auth_password_file"]],
    ] as const) {
      const mappings = serviceMappings(compose, service, dir);
      const mapped = JSON.stringify(mapContainerPaths(yaml.load(readFileSync(path.join(dir, file), "utf8")), mappings));
      for (const key of keys) assert.ok(mapped.includes(`"${key}"`), `${file} has ${key}`);
      const paths = [...mapped.matchAll(/"(\/[^"]+)"/g)].map((match) => match[1]!).filter((value) => /^\/(etc|run|tmp|home|work)\//.test(value));
      assert.ok(paths.length >= 2, mapped);
      for (const value of paths) {
        assert.ok(value.startsWith(`${dir}/`), `${value} is mapped into the output folder`);
        assert.ok(existsSync(value), `${value} exists`);
      }
    }
  });

  it("a stack without alert rules or Alertmanager skips those checks and passes", async () => {
    const dir = outDir();
    await generate({
      config: {
        flink: { version: "2.1", reporter: { mode: "pull" }, clusters: [{ name: "a", jobmanagers: ["jm.a"] }] },
        alerting: { enabled: false },
      },
      outDir: dir,
    });
    const result = await checkStack(dir);
    assert.ok(result.ok, report(result));
    assert.deepEqual(
      result.checks.map((check) => `${check.name}: ${check.status}`),
      ["promtool check config: ok", "promtool check rules: skipped", "promtool test rules: skipped", "compose config: ok"],
    );
  });

  it("a corrupted output fails the check of the broken file, with the tool's own words", async () => {
    const dir = outDir();
    await generate({ config: exampleConfigFile("minimal"), outDir: dir });
    const rules = path.join(dir, "prometheus/rules/flink.rules.yml");
    chmodSync(rules, 0o644);
    writeFileSync(rules, readFileSync(rules, "utf8").replace(/expr: .*/, "expr: sum(rate(flink_x[5m]) by"));
    const alertmanager = path.join(dir, "alertmanager/alertmanager.yml");
    chmodSync(alertmanager, 0o644);
    writeFileSync(alertmanager, readFileSync(alertmanager, "utf8").replace('receiver: "null"', "receiver: nobody"));
    const result = await checkStack(dir);
    assert.equal(result.ok, false);
    const status = Object.fromEntries(result.checks.map((check) => [check.name, check]));
    assert.equal(status["promtool check rules"]!.status, "failed");
    assert.match(status["promtool check rules"]!.output, /flink\.rules\.yml/);
    assert.equal(status["promtool check config"]!.status, "failed", "prometheus.yml loads the broken rule file");
    assert.doesNotMatch(status["promtool check config"]!.output, /fps-check-/, "tool output names the real file, not the temp copy");
    assert.equal(status["amtool check-config"]!.status, "failed");
    assert.match(status["amtool check-config"]!.output, /nobody/);
    assert.equal(status["compose config"]!.status, "ok");
  });

  it("a prometheus.yml that does not parse fails promtool check config and the check as a whole", async () => {
    const dir = outDir();
    await generate({ config: exampleConfigFile("minimal"), outDir: dir });
    const file = path.join(dir, "prometheus/prometheus.yml");
    chmodSync(file, 0o644);
    writeFileSync(file, "global: [\n");
    const result = await checkStack(dir);
    assert.equal(result.ok, false);
    const config = result.checks.find((check) => check.name === "promtool check config")!;
    assert.equal(config.status, "failed");
    assert.match(config.output, /prometheus\/prometheus\.yml/);
    assert.match(result.checks.find((check) => check.name === "promtool check rules")!.output, /does not parse/);
  });

  it("a missing tool is reported with what to install, and fails unless skipMissing", async () => {
    const dir = outDir();
    await generate({ config: exampleConfigFile("minimal"), outDir: dir });
    const empty = path.join(scratch.dir, "empty-bin");
    mkdirSync(empty, { recursive: true });
    const result = await checkStack(dir, { searchPath: empty });
    assert.equal(result.ok, false);
    assert.ok(
      result.checks.every((check) => check.status === "missing"),
      report(result),
    );
    assert.match(result.checks[0]!.output, /^not found: install promtool \(Debian: apt install prometheus\)$/);
    assert.match(result.checks.find((check) => check.name === "amtool check-config")!.output, /apt install prometheus-alertmanager/);
    assert.ok((await checkStack(dir, { searchPath: empty, skipMissing: true })).ok);
  });
});

describe("flink-prometheus-stack check (CLI)", () => {
  let dir: string;
  before(async () => {
    dir = outDir();
    await generate({ config: exampleConfigFile("pushgateway"), outDir: dir });
  });

  it("prints ok per check and exits 0", async () => {
    const run = await runCli(["check", "-o", dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^ok +promtool check config prometheus\/prometheus\.yml/m);
    assert.match(run.stderr, /^ok +amtool check-config/m);
    assert.match(run.stderr, /every check passed/);
  });

  it("--json prints the result on stdout", async () => {
    const run = await runCli(["check", "-o", dir, "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { ok: boolean; checks: Array<{ status: string }> };
    assert.equal(result.ok, true);
    assert.equal(result.checks.length, 5);
  });

  it("missing tools: exit 1 with the install hint; --skip-missing exits 0", async () => {
    const empty = path.join(scratch.dir, "no-tools");
    mkdirSync(empty, { recursive: true });
    const run = await runCli(["check", "-o", dir], { env: { PATH: empty } });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^missing +promtool check config/m);
    assert.match(run.stderr, /not found: install promtool \(Debian: apt install prometheus\)/);
    const skipped = await runCli(["check", "-o", dir, "--skip-missing"], { env: { PATH: empty } });
    assert.equal(skipped.code, 0, skipped.stderr);
  });

  it("a broken rule file: exit 1, the failed check and promtool's output", async () => {
    const broken = outDir();
    await generate({ config: exampleConfigFile("minimal"), outDir: broken });
    const rules = path.join(broken, "prometheus/rules/node.rules.yml");
    chmodSync(rules, 0o644);
    writeFileSync(rules, "groups: [\n");
    const run = await runCli(["check", "-o", broken]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^failed +promtool check rules/m);
    assert.match(run.stderr, /node\.rules\.yml/);
    assert.deepEqual(stackTraceLines(run.stderr), []);
  });

  it("a folder that is not a generated stack: exit 1, one clear line, no stack trace", async () => {
    const run = await runCli(["check", "-o", path.join(scratch.dir, "nothing-here")]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /not a generated stack/);
    assert.deepEqual(stackTraceLines(run.stderr), []);
  });

  it("unknown options are usage errors (exit 2)", async () => {
    const run = await runCli(["check", "--frobnicate"]);
    assert.equal(run.code, 2);
  });
});

describe("the generated README's check commands run as written", () => {
  const NO_ALERTING: StackConfig = {
    flink: { version: "2.1", reporter: { mode: "pull" }, clusters: [{ name: "a", jobmanagers: ["jm.a"] }] },
    alerting: { enabled: false },
  };
  for (const [name, config] of [
    ...["minimal", "pull", "flink-1.7-seed"].map((example) => [example, exampleConfigFile(example)] as const),
    ["no-alerting", NO_ALERTING] as const,
  ]) {
    it(`${name}: every command of "Check it" succeeds in the output folder`, async () => {
      const dir = outDir();
      await generate({ config, outDir: dir });
      const readme = readFileSync(path.join(dir, "README.md"), "utf8");
      const section = readme.slice(readme.indexOf("## Check it"), readme.indexOf("\n## ", readme.indexOf("## Check it") + 1));
      const commands = fencedBlocks(section)
        .filter((block) => block.info === "sh")
        .flatMap((block) => block.body.split("\n"))
        .filter(Boolean);
      assert.ok(
        commands.some((line) => line.startsWith("flink-prometheus-stack check")),
        section,
      );
      assert.ok(commands.length >= (name === "no-alerting" ? 2 : 5), section);
      // `flink-prometheus-stack` is this checkout's CLI; `docker compose` falls back to the alternative the line names
      // when the Docker CLI has no compose plugin (as on this machine's Debian docker-compose).
      const bin = path.join(scratch.dir, `bin-${name}`);
      mkdirSync(bin);
      writeFileSync(
        path.join(bin, "flink-prometheus-stack"),
        `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${CLI.args.map((arg) => JSON.stringify(arg)).join(" ")} "$@"\n`,
        { mode: 0o755 },
      );
      const plugin = spawnSync("docker", ["compose", "version"]).status === 0;
      for (const line of commands) {
        const alternative = /#\s*or:\s*(.+)$/.exec(line)?.[1];
        const command = !plugin && line.startsWith("docker compose") && alternative ? alternative : line;
        const run = spawnSync("bash", ["-c", command], {
          cwd: dir,
          encoding: "utf8",
          env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NODE_OPTIONS: "" },
          timeout: 120_000,
        });
        assert.equal(run.status, 0, `${command}\n${run.stdout}\n${run.stderr}`);
      }
    });
  }
});
