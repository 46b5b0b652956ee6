// The CLI as a user runs it: a child process in a temp folder, judged by exit codes, stdout/stderr and the
// files it leaves behind.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { CLI, REPO_ROOT, runCli, stackTraceLines, tempDir, type CliResult } from "./support/cli.js";
import { hashTree, listFiles } from "./support/files.js";

const CONFIG = `name: cli-test
flink:
  version: "1.18"
  reporter:
    mode: pushgateway
    interval: 15s
  clusters:
    - name: prod
      jobmanagers: ["jm1.prod.internal"]
      taskmanagers: ["tm1.prod.internal", "tm2.prod.internal"]
      labels: { env: prod }
prometheus:
  scrapeJobs:
    - name: kafka
      targets: ["kafka1.prod.internal:9308"]
alerting:
  alertmanager:
    receivers:
      - name: ops
        webhook: { url: "http://hook.prod.internal:5001/" }
grafana:
  enabled: true
`;

const SECRET = "secrets/grafana_admin_password";

let scratch: { dir: string; cleanup: () => void };
before(() => {
  scratch = tempDir("fps-cli-");
});
after(() => scratch.cleanup());

/** A fresh folder holding flink-stack.yaml (CONFIG unless given). */
function workdir(name: string, config: string = CONFIG): string {
  const dir = path.join(scratch.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "flink-stack.yaml"), config);
  return dir;
}

function ok(result: CliResult, what: string): void {
  assert.equal(result.code, 0, `${what} exited ${result.code}\n--- stderr\n${result.stderr}\n--- stdout\n${result.stdout}`);
  assert.deepEqual(stackTraceLines(result.stderr), [], `${what}: no stack trace`);
}

// Independent groups run side by side (each in its own folder); inside a group, tests run in order.
describe("cli", { concurrency: 3 }, () => {
  describe(`help (CLI via ${CLI.kind})`, { concurrency: 4 }, () => {
    it("--help prints the command list; no command is a usage error", async () => {
      const help = await runCli(["--help"]);
      ok(help, "--help");
      assert.match(help.stdout, /^Usage: flink-prometheus-stack <command>/);
      for (const command of ["init", "validate", "generate", "example"]) assert.match(help.stdout, new RegExp(`^  ${command}\\s+\\S`, "m"));
      const none = await runCli([]);
      assert.equal(none.code, 2);
      assert.match(none.stdout + none.stderr, /Usage: flink-prometheus-stack/);
    });

    it("--version prints the package version", async () => {
      const result = await runCli(["--version"]);
      ok(result, "--version");
      const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
      assert.equal(result.stdout.trim(), pkg.version);
    });

    // Every command the top-level help lists.
    const commands = ["init", "validate", "generate", "example", "up", "down", "status"];
    for (const command of commands) {
      for (const flag of ["--help", "-h"]) {
        it(`${command} ${flag}`, async () => {
          const result = await runCli([command, flag], { cwd: scratch.dir });
          ok(result, `${command} ${flag}`);
          assert.match(result.stdout, new RegExp(`^Usage: flink-prometheus-stack ${command}\\b`), result.stdout);
          assert.ok(result.stdout.trim().split("\n").length >= 3, "usage explains the options");
          assert.equal(result.stderr, "", "help goes to stdout only");
        });
      }
    }
  });

  describe("init", () => {
    it("writes a starter with a schema modeline that validates, and refuses to overwrite it", async () => {
      const dir = path.join(scratch.dir, "init");
      mkdirSync(dir);
      const file = path.join(dir, "flink-stack.yaml");
      ok(await runCli(["init"], { cwd: dir }), "init");
      const text = readFileSync(file, "utf8");
      const firstLine = text.split("\n")[0]!;
      assert.match(firstLine, /^# yaml-language-server: \$schema=\S+stack\.schema\.json$/);
      // The modeline points at the schema the package ships: not installed here, so the running copy's, absolute.
      const target = firstLine.slice(firstLine.indexOf("=") + 1);
      assert.ok(path.isAbsolute(target), target);
      assert.equal(readFileSync(target, "utf8"), readFileSync(path.join(REPO_ROOT, "schemas/stack.schema.json"), "utf8"));

      const validate = await runCli(["validate"], { cwd: dir });
      ok(validate, "validate the starter");
      assert.match(validate.stderr, /flink-stack\.yaml: valid/);

      writeFileSync(file, `${text}# my edit\n`);
      const again = await runCli(["init"], { cwd: dir });
      assert.equal(again.code, 1, again.stderr);
      assert.match(again.stderr, /exists.*--force/);
      assert.equal(readFileSync(file, "utf8"), `${text}# my edit\n`, "the user's file is untouched");

      ok(await runCli(["init", "--force"], { cwd: dir }), "init --force");
      assert.equal(readFileSync(file, "utf8"), text);

      ok(await runCli(["init", "other.yaml"], { cwd: dir }), "init other.yaml");
      ok(await runCli(["validate", "-c", "other.yaml"], { cwd: dir }), "validate other.yaml");
      // The starter generates a stack, too.
      ok(await runCli(["generate", "-o", "out"], { cwd: dir }), "generate from the starter");
      assert.ok(existsSync(path.join(dir, "out/docker-compose.yml")));
    });
  });

  describe("init's schema modeline", () => {
    it("is ./node_modules/… (relative to the file) when the package is installed next to the config or above", async () => {
      const project = path.join(scratch.dir, "installed");
      mkdirSync(path.join(project, "node_modules"), { recursive: true });
      symlinkSync(REPO_ROOT, path.join(project, "node_modules/flink-prometheus-stack"), "dir");
      mkdirSync(path.join(project, "monitoring"));
      ok(await runCli(["init"], { cwd: project }), "init");
      ok(await runCli(["init", "monitoring/flink-stack.yaml"], { cwd: project }), "init in a subfolder");
      const modeline = (file: string) => readFileSync(path.join(project, file), "utf8").split("\n")[0];
      assert.equal(modeline("flink-stack.yaml"), "# yaml-language-server: $schema=./node_modules/flink-prometheus-stack/schemas/stack.schema.json");
      assert.equal(
        modeline("monitoring/flink-stack.yaml"),
        "# yaml-language-server: $schema=../node_modules/flink-prometheus-stack/schemas/stack.schema.json",
      );
    });
  });

  describe("validate", () => {
    it("a valid config exits 0 (default file name and -c)", async () => {
      const dir = workdir("validate");
      const result = await runCli(["validate"], { cwd: dir });
      ok(result, "validate");
      assert.match(result.stderr, /flink-stack\.yaml: valid/);
      assert.equal(result.stdout, "");
      const json = await runCli(["validate", "-c", path.join(dir, "flink-stack.yaml"), "--json"], { cwd: scratch.dir });
      ok(json, "validate --json");
      const parsed = JSON.parse(json.stdout) as { valid: boolean; issues: unknown[] };
      assert.equal(parsed.valid, true);
      assert.deepEqual(parsed.issues, []);
    });
  });

  describe("generate", { concurrency: 1 }, () => {
    let dir: string;
    let out: string;
    const printed: string[] = [];
    const run = async (args: string[]) => {
      const result = await runCli(args, { cwd: dir });
      printed.push(result.stdout, result.stderr);
      return result;
    };

    before(() => {
      dir = workdir("generate");
      out = path.join(dir, "out");
    });

    it("--dry-run lists what it would write and writes nothing", async () => {
      const result = await run(["generate", "-o", "out", "--dry-run"]);
      ok(result, "generate --dry-run");
      assert.match(result.stderr, /would create docker-compose\.yml/);
      assert.match(result.stderr, /would create prometheus\/prometheus\.yml/);
      assert.equal(existsSync(out), false, "nothing written");
    });

    it("--stdout prints every file and writes nothing", async () => {
      const result = await run(["generate", "-o", "out", "--stdout"]);
      ok(result, "generate --stdout");
      for (const file of ["docker-compose.yml", "prometheus/prometheus.yml", "alertmanager/alertmanager.yml", "README.md"]) {
        assert.ok(result.stdout.includes(`==> ${file} <==\n`), `${file} printed`);
      }
      assert.equal(existsSync(out), false, "nothing written");
    });

    it("writes the stack, creates the secret 0600 in a 0700 folder, and --check passes", async () => {
      const result = await run(["generate", "-o", "out"]);
      ok(result, "generate");
      for (const file of [
        "docker-compose.yml",
        ".env",
        "prometheus/prometheus.yml",
        "alertmanager/alertmanager.yml",
        "README.md",
        "grafana/provisioning/datasources/prometheus.yml",
        "grafana/provisioning/dashboards/provider.yml",
      ]) {
        assert.ok(existsSync(path.join(out, file)), `${file} written`);
      }
      assert.ok(
        listFiles(out).some((file) => /^prometheus\/rules\/.+\.yml$/.test(file)),
        "rule files written",
      );
      assert.ok(
        listFiles(out).some((file) => /^grafana\/dashboards\/.+\.json$/.test(file)),
        "dashboards written",
      );
      assert.ok(
        listFiles(out).some((file) => /^flink\/prod\/(.+\/)?flink-conf\.yaml$/.test(file)),
        "Flink 1.18 reads flink-conf.yaml",
      );
      assert.ok(
        listFiles(out).some((file) => /^flink\/prod\/(.+\/)?FLINK_PROPERTIES$/.test(file)),
        "and FLINK_PROPERTIES for the official image",
      );

      const secret = path.join(out, SECRET);
      assert.equal(statSync(secret).mode & 0o777, 0o600, "secret is 0600");
      assert.equal(statSync(path.dirname(secret)).mode & 0o777, 0o700, "secrets/ is 0700");
      assert.ok(readFileSync(secret, "utf8").trim().length >= 16, "a real password");
      assert.match(result.stderr, /secret grafana_admin_password.*not printed/);

      const check = await run(["generate", "-o", "out", "--check"]);
      ok(check, "generate --check");
      assert.equal(check.stdout, "", "no diff when up to date");
    });

    it("re-running is byte-identical and keeps the secret", async () => {
      const first = hashTree(out);
      const result = await run(["generate", "-o", "out"]);
      ok(result, "generate again");
      assert.deepEqual(hashTree(out), first);
      assert.match(result.stderr, /0 created, 0 updated, 0 removed/);
      assert.match(result.stderr, /Kept secret grafana_admin_password/);
    });

    it("--json prints a parseable result listing the files", async () => {
      const result = await run(["generate", "-o", "out", "--json"]);
      ok(result, "generate --json");
      const parsed = JSON.parse(result.stdout) as { outDir: string; files: Array<{ path: string; change: string }>; upToDate: boolean };
      assert.equal(parsed.outDir, "out");
      assert.equal(parsed.upToDate, true);
      const files = parsed.files.map((file) => file.path);
      assert.ok(files.includes("docker-compose.yml") && files.includes("prometheus/prometheus.yml"), JSON.stringify(files));
      assert.ok(
        parsed.files.every((file) => file.change === "unchanged"),
        "nothing changed",
      );
      // Every generated file exists on disk.
      for (const file of files) assert.ok(existsSync(path.join(out, file)), file);
    });

    it("--check exits 1 with a diff on stdout when a generated file was edited, and restores nothing", async () => {
      const file = path.join(out, "prometheus/prometheus.yml");
      const original = readFileSync(file, "utf8");
      const edited = original.replace(/scrape_interval: \S+/, "scrape_interval: 99s");
      assert.notEqual(edited, original);
      writeFileSync(file, edited);
      const check = await run(["generate", "-o", "out", "--check"]);
      assert.equal(check.code, 1, check.stderr);
      assert.match(check.stdout, /^--- a\/prometheus\/prometheus\.yml/m);
      assert.match(check.stdout, /^\+\+\+ b\/prometheus\/prometheus\.yml/m);
      assert.match(check.stdout, /^-\s+scrape_interval: 99s/m);
      assert.match(check.stderr, /out of date/);
      assert.equal(readFileSync(file, "utf8"), edited, "--check writes nothing");

      const dry = await run(["generate", "-o", "out", "--dry-run"]);
      ok(dry, "generate --dry-run");
      assert.match(dry.stderr, /would update prometheus\/prometheus\.yml/);
      assert.equal(readFileSync(file, "utf8"), edited, "--dry-run writes nothing");

      ok(await run(["generate", "-o", "out"]), "generate repairs it");
      assert.equal(readFileSync(file, "utf8"), original);
      ok(await run(["generate", "-o", "out", "--check"]), "--check after repair");
    });

    it("--check on a folder that does not exist exits 1", async () => {
      const check = await run(["generate", "-o", "missing-out", "--check"]);
      assert.equal(check.code, 1, check.stderr);
      assert.equal(existsSync(path.join(dir, "missing-out")), false);
    });

    it("never prints the secret", async () => {
      await run(["generate", "-o", "out", "--stdout"]);
      await run(["generate", "-o", "out", "--json"]);
      await run(["generate", "-o", "out", "--dry-run"]);
      const secret = readFileSync(path.join(out, SECRET), "utf8").trim();
      assert.ok(printed.length >= 10);
      for (const text of printed) assert.ok(!text.includes(secret), "the secret appears in CLI output");
      // Nor in any generated file.
      for (const file of listFiles(out).filter((name) => name !== SECRET)) {
        assert.ok(!readFileSync(path.join(out, file), "utf8").includes(secret), `secret leaked into ${file}`);
      }
    });
  });

  describe("generate over an existing folder", { concurrency: 2 }, () => {
    it("removes stale generated files but keeps the user's own files and the secret", async () => {
      const dir = workdir("stale");
      const out = path.join(dir, "out");
      ok(await runCli(["generate"], { cwd: dir }), "generate (default -o out)");
      const grafanaFiles = listFiles(out).filter((file) => file.startsWith("grafana/"));
      assert.ok(grafanaFiles.length >= 3, JSON.stringify(grafanaFiles));
      const secret = readFileSync(path.join(out, SECRET), "utf8");
      writeFileSync(path.join(out, "NOTES.md"), "mine\n");
      writeFileSync(path.join(out, "grafana/dashboards/my-dashboard.json"), "{}\n");

      writeFileSync(path.join(dir, "flink-stack.yaml"), CONFIG.replace("grafana:\n  enabled: true", "grafana:\n  enabled: false"));
      const result = await runCli(["generate"], { cwd: dir });
      ok(result, "generate without grafana");
      for (const file of grafanaFiles) {
        assert.equal(existsSync(path.join(out, file)), false, `${file} removed`);
        assert.match(result.stderr, new RegExp(`remove ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      }
      assert.equal(readFileSync(path.join(out, "NOTES.md"), "utf8"), "mine\n", "a foreign file is kept");
      assert.equal(readFileSync(path.join(out, "grafana/dashboards/my-dashboard.json"), "utf8"), "{}\n", "a foreign dashboard is kept");
      assert.equal(readFileSync(path.join(out, SECRET), "utf8"), secret, "the secret is never removed");
      assert.ok(!readFileSync(path.join(out, "docker-compose.yml"), "utf8").includes("grafana:"), "no grafana service");
      ok(await runCli(["generate", "--check"], { cwd: dir }), "--check after removal");
    });

    it("refuses to overwrite a foreign file with the name of a generated one, unless --force", async () => {
      const dir = workdir("foreign");
      const out = path.join(dir, "out");
      mkdirSync(out);
      writeFileSync(path.join(out, "docker-compose.yml"), "services: {}  # mine\n");
      const refused = await runCli(["generate", "-o", "out"], { cwd: dir });
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, /docker-compose\.yml/);
      assert.match(refused.stderr, /did not generate/);
      assert.match(refused.stderr, /--force/);
      assert.deepEqual(stackTraceLines(refused.stderr), []);
      assert.deepEqual(listFiles(out), ["docker-compose.yml"], "nothing else written");
      assert.equal(readFileSync(path.join(out, "docker-compose.yml"), "utf8"), "services: {}  # mine\n");

      const dry = await runCli(["generate", "-o", "out", "--dry-run"], { cwd: dir });
      assert.equal(dry.code, 1, "--dry-run reports the same refusal");

      ok(await runCli(["generate", "-o", "out", "--force"], { cwd: dir }), "generate --force");
      assert.notEqual(readFileSync(path.join(out, "docker-compose.yml"), "utf8"), "services: {}  # mine\n");
      ok(await runCli(["generate", "-o", "out"], { cwd: dir }), "generate again: the file is ours now");
    });
  });

  describe("example", { concurrency: 1 }, () => {
    it("lists the bundled examples", async () => {
      const result = await runCli(["example"], { cwd: scratch.dir });
      ok(result, "example");
      const names = readdirSync(path.join(REPO_ROOT, "examples"), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
      for (const name of ["minimal", "pull", "pushgateway", "flink-1.7-seed", "stable-groups"]) assert.ok(names.includes(name), name);
      for (const name of names) {
        assert.match(result.stdout, new RegExp(`^${name}\\s+\\S`, "m"), `${name} listed with a summary (examples/${name}/README.md)`);
      }
    });

    it("example pull -o dir writes the config and its generated stack", async () => {
      const dir = path.join(scratch.dir, "example-pull");
      const result = await runCli(["example", "pull", "-o", dir], { cwd: scratch.dir });
      ok(result, "example pull");
      assert.equal(
        readFileSync(path.join(dir, "flink-stack.yaml"), "utf8"),
        readFileSync(path.join(REPO_ROOT, "examples/pull/flink-stack.yaml"), "utf8"),
      );
      for (const file of ["docker-compose.yml", "prometheus/prometheus.yml", "flink/prod/config.yaml", "flink/staging/config.yaml", "README.md"]) {
        assert.ok(existsSync(path.join(dir, "out", file)), `${file} generated`);
      }
      ok(await runCli(["generate", "-c", "flink-stack.yaml", "-o", "out", "--check"], { cwd: dir }), "the copied stack is up to date");

      const again = await runCli(["example", "pull", "-o", dir], { cwd: scratch.dir });
      assert.equal(again.code, 1, "refuses to overwrite the copied config: an output problem, not a usage error");
      assert.match(again.stderr, /flink-stack\.yaml exists already; choose another folder with -o/);
      const unknown = await runCli(["example", "nope"], { cwd: scratch.dir });
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /no example named "nope"/);
    });

    it("example <name> defaults to ./<name>", async () => {
      const dir = path.join(scratch.dir, "example-default");
      mkdirSync(dir);
      ok(await runCli(["example", "minimal"], { cwd: dir }), "example minimal");
      assert.ok(existsSync(path.join(dir, "minimal/flink-stack.yaml")));
      assert.ok(existsSync(path.join(dir, "minimal/out/docker-compose.yml")));
    });
  });

  describe("options and exit codes mean the same in every command", () => {
    it("shared options come from one table, and every accepted option is documented in the command's usage", async () => {
      const { SHARED_OPTIONS } = await import("../lib/cli/command.js");
      const dir = path.join(REPO_ROOT, "lib/cli/commands");
      const names = readdirSync(dir)
        .filter((file) => file.endsWith(".ts"))
        .map((file) => file.slice(0, -3));
      assert.ok(names.length >= 10, names.join(", "));
      const accepted = new Map<string, Record<string, { type: string; short?: string }>>();
      for (const name of names) {
        const command = (
          (await import(path.join(dir, `${name}.ts`))) as { default: { usage: string; options?: Record<string, { type: string; short?: string }> } }
        ).default;
        assert.ok(command.options, `${name} exports its options`);
        accepted.set(name, command.options);
        for (const [option, definition] of Object.entries(command.options)) {
          const shared = (SHARED_OPTIONS as Record<string, unknown>)[option];
          if (shared) assert.deepEqual(definition, shared, `${name} --${option} is the shared definition`);
          else assert.ok(!["c", "o"].includes(definition.short ?? ""), `${name} --${option} must not reuse -${definition.short}`);
          assert.match(command.usage, new RegExp(`--${option}\\b`), `${name} documents --${option}`);
          if (definition.short)
            assert.match(command.usage, new RegExp(`-${definition.short}, --${option}\\b`), `${name} documents -${definition.short}`);
        }
      }
      for (const name of ["generate", "up", "down", "status"]) {
        for (const option of ["config", "out", "json"]) assert.ok(option in accepted.get(name)!, `${name} accepts --${option}`);
      }
      for (const name of ["down", "status"]) assert.ok("project" in accepted.get(name)!, `${name} accepts --project`);
    });

    it("down -c x.yaml -o out is accepted like up and status (no usage error)", async () => {
      const dir = path.join(scratch.dir, "down-options");
      mkdirSync(dir);
      const result = await runCli(["down", "-c", "x.yaml", "-o", "out"], { cwd: dir });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /x\.yaml: no such config file/);
      assert.doesNotMatch(result.stderr, /unknown option/);
    });

    it("down -o out without a config finds the project in the generated folder", async () => {
      const dir = path.join(scratch.dir, "down-out");
      mkdirSync(path.join(dir, "out"), { recursive: true });
      writeFileSync(path.join(dir, "out/.env"), "# Generated by flink-prometheus-stack.\nCOMPOSE_PROJECT_NAME=from-out-dir\n");
      const result = await runCli(["down", "-o", "out", "--json"], { cwd: dir, env: { DOCKER_HOST: `unix://${path.join(dir, "no-docker.sock")}` } });
      assert.equal(result.code, 3, `reaches Docker (exit 3), not "no config" (1):\n${result.stderr}`);
      const parsed = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; exitCode: number } };
      assert.equal(parsed.ok, false);
      assert.equal(parsed.error.exitCode, 3);
    });

    it("init over an existing file exits 1 (an output problem), like generate over a foreign file", async () => {
      const dir = path.join(scratch.dir, "init-exists");
      mkdirSync(dir);
      writeFileSync(path.join(dir, "flink-stack.yaml"), "# mine\n");
      const result = await runCli(["init"], { cwd: dir });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^error: flink-stack\.yaml exists; pass --force to overwrite it\./m);
      assert.equal(readFileSync(path.join(dir, "flink-stack.yaml"), "utf8"), "# mine\n");
      const viaC = await runCli(["init", "-c", "other.yaml"], { cwd: dir });
      ok(viaC, "init -c other.yaml");
      assert.ok(existsSync(path.join(dir, "other.yaml")));
    });

    it("--json prints a JSON error object when the config does not exist, does not parse or is invalid", async () => {
      const dir = path.join(scratch.dir, "json-errors");
      mkdirSync(dir);
      writeFileSync(path.join(dir, "broken.yaml"), 'flink:\n  version: "1.18"\n  clusters: [\n');
      writeFileSync(path.join(dir, "invalid.yaml"), 'flink:\n  version: "1.18"\n');
      const cases = [
        { args: ["validate", "-c", "missing.yaml"], code: "E_CONFIG_NOT_FOUND" },
        { args: ["generate", "-c", "missing.yaml", "-o", "out"], code: "E_CONFIG_NOT_FOUND" },
        { args: ["validate", "-c", "broken.yaml"], code: "E_CONFIG_PARSE" },
        { args: ["generate", "-c", "broken.yaml", "-o", "out"], code: "E_CONFIG_PARSE" },
        { args: ["generate", "-c", "invalid.yaml", "-o", "out"], code: "E_CONFIG_INVALID" },
        { args: ["verify", "-c", "missing.yaml"], code: "E_CONFIG_NOT_FOUND" },
        { args: ["status", "-c", "missing.yaml"], code: "E_CONFIG_NOT_FOUND" },
      ];
      for (const { args, code } of cases) {
        const result = await runCli([...args, "--json"], { cwd: dir });
        assert.equal(result.code, 1, `${args.join(" ")}: ${result.stderr}`);
        assert.deepEqual(stackTraceLines(result.stderr), []);
        const parsed = JSON.parse(result.stdout) as {
          ok: boolean;
          error: { code: string; exitCode: number; message: string; file?: string; line?: number; issues?: unknown[] };
        };
        assert.equal(parsed.ok, false, args.join(" "));
        assert.equal(parsed.error.code, code, args.join(" "));
        assert.equal(parsed.error.exitCode, 1);
        assert.ok(parsed.error.message.length > 0);
        if (code === "E_CONFIG_PARSE") assert.equal(parsed.error.line, 4);
        if (code === "E_CONFIG_INVALID") assert.ok(Array.isArray(parsed.error.issues) && parsed.error.issues.length === 1);
      }
      const usage = await runCli(["generate", "--bogus", "--json"], { cwd: dir });
      assert.equal(usage.code, 2);
      assert.equal((JSON.parse(usage.stdout) as { error: { code: string } }).error.code, "E_USAGE");
    });

    it("with flink-stack.yaml, .yml and .json present, says which one it uses", async () => {
      const dir = workdir("three-configs");
      writeFileSync(path.join(dir, "flink-stack.yml"), CONFIG);
      writeFileSync(path.join(dir, "flink-stack.json"), "{}");
      const result = await runCli(["validate"], { cwd: dir });
      ok(result, "validate");
      assert.match(result.stderr, /note: using flink-stack\.yaml; ignoring flink-stack\.yml and flink-stack\.json in this folder/);
      const one = await runCli(["validate"], { cwd: workdir("one-config") });
      assert.doesNotMatch(one.stderr, /note: using/);
    });

    it("demo --help takes its Flink versions from the one version table", async () => {
      const { SUPPORTED_FLINK_VERSIONS } = await import("../lib/flink/versions.js");
      const { DEMO_FLINK_VERSIONS } = await import("../lib/demo/demo.js");
      const help = await runCli(["demo", "--help"]);
      ok(help, "demo --help");
      const first = SUPPORTED_FLINK_VERSIONS[0]!;
      const last = SUPPORTED_FLINK_VERSIONS[SUPPORTED_FLINK_VERSIONS.length - 1]!;
      assert.equal(last, "2.3");
      assert.match(help.stdout.replace(/\s+/g, " "), new RegExp(`every version from ${first} to ${last.replace(".", "\\.")}`));
      assert.match(help.stdout, new RegExp(DEMO_FLINK_VERSIONS.join(", ").replaceAll(".", "\\.")));
      for (const version of DEMO_FLINK_VERSIONS) assert.ok(SUPPORTED_FLINK_VERSIONS.includes(version), version);
    });
  });
});
