// Warnings (accepted, probably not meant) come back from the library with the config file they are about, and
// every command that reads a config names that file in its warnings and problems (not "config: 1 problem").
// No external tool: the commands that go on to reach Docker, Prometheus or a Pushgateway are pointed at
// addresses where nothing listens, after the config was read.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { buildStack, formatWarnings, generate, parseConfigText } from "../lib/index.js";
import { ConfigValidationError } from "../lib/errors.js";
import { runCli, stackTraceLines, tempDir } from "./support/cli.js";

const config = (groupingKey: string) =>
  [
    "flink:",
    '  version: "1.20"',
    "  reporter:",
    "    pushgateway:",
    `      groupingKey: { cluster: ${groupingKey}, dc: eu-1 }`,
    "  clusters:",
    '    - { name: prod, jobmanagers: ["jm1.prod.internal"], taskmanagers: ["tm1.prod.internal"] }',
    "",
  ].join("\n");
/** Accepted with two warnings: the stack pushes cluster=prod already; the Pushgateway is on loopback only. */
const REDUNDANT = config("prod");
/** Refused: the stack pushes the cluster's name as cluster. */
const CONFLICTING = config("production");
const REDUNDANT_AT = "flink.reporter.pushgateway.groupingKey.cluster";
const UNREACHABLE_AT = "network.bindAddress";
/** Both warnings, under one head naming the file. */
const warnedIn = (file: string) =>
  new RegExp(
    `${file.replace(".", "\\.")}: 2 warnings\n {2}flink\\.reporter\\.pushgateway\\.groupingKey\\.cluster +redundant[^]*\n {2}network\\.bindAddress +the Pushgateway is published on 127\\.0\\.0\\.1 only`,
  );

let scratch: { dir: string; cleanup: () => void };
before(() => {
  scratch = tempDir("fps-warnings-");
  writeFileSync(path.join(scratch.dir, "redundant.yaml"), REDUNDANT);
  writeFileSync(path.join(scratch.dir, "conflicting.yaml"), CONFLICTING);
});
after(() => scratch.cleanup());

describe("the library returns warnings naming the config file", () => {
  it("buildStack: the config's warnings, with the file it was given, or none for an object", () => {
    const raw = parseConfigText(REDUNDANT, "redundant.yaml");
    const built = buildStack(raw, { file: "redundant.yaml" });
    assert.deepEqual(
      built.warnings.map((warning) => [warning.file, warning.path]),
      [
        ["redundant.yaml", REDUNDANT_AT],
        ["redundant.yaml", UNREACHABLE_AT],
      ],
    );
    assert.match(built.warnings[0]!.message, /redundant: the stack already pushes cluster=prod/);
    assert.ok(buildStack(raw).warnings.every((warning) => warning.file === undefined));
    assert.match(formatWarnings(built.warnings), warnedIn("redundant.yaml"));
  });

  it("buildStack: an invalid config throws naming the file", () => {
    assert.throws(
      () => buildStack(parseConfigText(CONFLICTING, "conflicting.yaml"), { file: "conflicting.yaml" }),
      (error: unknown) =>
        error instanceof ConfigValidationError && error.file === "conflicting.yaml" && error.message.startsWith("conflicting.yaml: 1 problem"),
    );
  });

  it("generate: config and write warnings alike carry the file; a dry run too", async () => {
    const file = path.join(scratch.dir, "redundant.yaml");
    for (const dryRun of [true, false]) {
      const result = await generate({ config: file, outDir: path.join(scratch.dir, `lib-out-${dryRun}`), dryRun });
      assert.deepEqual(
        result.warnings.map((warning) => [warning.file, warning.path]),
        [
          [file, REDUNDANT_AT],
          [file, UNREACHABLE_AT],
        ],
      );
    }
    // A password file the config names, readable by others: the write's warning, at its config key.
    const secret = path.join(scratch.dir, "smtp-password");
    writeFileSync(secret, "s3cret\n", { mode: 0o644 });
    const withSecret = path.join(scratch.dir, "with-secret.yaml");
    writeFileSync(
      withSecret,
      `${REDUNDANT}alerting:\n  alertmanager:\n    receivers:\n      - name: mail\n        email: { to: ops@example.com, from: fps@example.com, smarthost: "smtp.example.com:587", authUsername: fps, authPasswordFile: ${secret} }\n`,
    );
    const result = await generate({ config: withSecret, outDir: path.join(scratch.dir, "lib-out-secret") });
    const loose = result.warnings.find((warning) => warning.message.includes("readable by others"));
    assert.ok(loose, `no warning about the loose secret: ${JSON.stringify(result.warnings)}`);
    assert.equal(loose.file, withSecret);
    assert.ok(result.warnings.every((warning) => warning.file === withSecret));
  });
});

describe("every command that reads a config names its file in warnings and problems", () => {
  // Each goes on (and fails) past the config: no engine, Prometheus or Pushgateway listens at these addresses.
  const unreachable = "http://127.0.0.1:1";
  const noEngine = { DOCKER_HOST: "unix:///nonexistent/docker.sock" };
  const commands: ReadonlyArray<{ name: string; args: (file: string) => string[]; env?: NodeJS.ProcessEnv }> = [
    { name: "validate", args: (file) => ["validate", "-c", file] },
    { name: "generate", args: (file) => ["generate", "-c", file, "-o", path.join(scratch.dir, "cli-out"), "--dry-run"] },
    { name: "generate --stdout", args: (file) => ["generate", "-c", file, "--stdout"] },
    { name: "verify", args: (file) => ["verify", "-c", file, "--prometheus-url", unreachable] },
    { name: "status", args: (file) => ["status", "-c", file], env: noEngine },
    { name: "down", args: (file) => ["down", "-c", file], env: noEngine },
    { name: "prune-pushgateway", args: (file) => ["prune-pushgateway", "-c", file, "--pushgateway-url", unreachable] },
    { name: "up", args: (file) => ["up", "-c", file, "-o", path.join(scratch.dir, "cli-up")], env: noEngine },
  ];
  for (const command of commands) {
    it(command.name, async () => {
      const options = { cwd: scratch.dir, ...(command.env ? { env: command.env } : {}) };
      const warned = await runCli(command.args("redundant.yaml"), options);
      assert.match(warned.stderr, warnedIn("redundant.yaml"), warned.stderr);
      assert.deepEqual(stackTraceLines(warned.stderr), []);

      const refused = await runCli(command.args("conflicting.yaml"), options);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(
        refused.stderr,
        /conflicting\.yaml: 1 problem\n {2}flink\.reporter\.pushgateway\.groupingKey\.cluster +cluster=production conflicts/,
        refused.stderr,
      );
      assert.doesNotMatch(refused.stderr, /^config:/m);
    });
  }
});
