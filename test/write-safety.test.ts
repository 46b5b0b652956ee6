// Writes only where they belong: never through a symbolic link below the output folder (not even with
// --force), never into "" or "/", secrets checked before anything is written, loose secret modes tightened
// (inside the output folder) or warned about (outside), and filesystem errors reported as the user's
// situation (path + what to do, exit 1), never as an internal error.
//
// Tests run as root, so modes cannot provoke EACCES for the test process itself. Real errors used instead:
// EACCES by running the CLI as uid 65534 (setpriv) against a root-owned folder, EROFS from a read-only tmpfs
// mount, ENOSPC from a 64 KiB tmpfs, EPERM from `chattr +i`, ENOTDIR from a file on the way. Each is skipped
// (with the reason) where the machine does not allow it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { after, describe, it, type TestContext } from "node:test";
import { OutputError, generate, parseConfigText, writeArtifacts } from "../lib/index.js";
import { fsErrorMessage } from "../lib/write/fs-errors.js";
import { CLI, runCli, stackTraceLines, tempDir } from "./support/cli.js";

const scratch = tempDir("fps-write-safety-");
after(() => scratch.cleanup());
let counter = 0;
const fresh = (): string => {
  const dir = path.join(scratch.dir, String(++counter));
  mkdirSync(dir);
  return dir;
};

const MINIMAL = 'flink:\n  version: "1.20"\n  clusters:\n    - { name: local, jobmanagers: [localhost], taskmanagers: [localhost] }\n';
const config = (extra = "") => parseConfigText(MINIMAL + extra) as never;
const slackConfig = (file: string) =>
  config(`alerting:\n  alertmanager:\n    receivers:\n      - name: chat\n        slack: { apiUrlFile: "${file}", channel: "#alerts" }\n`);

/** Every path under `dir` (relative), files and folders, links not followed. */
function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      out.push(child);
      if (entry.isDirectory()) walk(child);
    }
  };
  walk("");
  return out.sort();
}

const mode = (file: string) => statSync(file).mode & 0o777;

async function rejectsOutput(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof OutputError, `expected OutputError, got ${String((error as Error)?.stack ?? error)}`);
    assert.equal(error.exitCode, 1);
    assert.match(error.message, pattern);
    return true;
  });
}

function assertCleanCliError(result: { code: number | null; stderr: string; stdout: string }, pattern: RegExp): void {
  const shown = `stderr:\n${result.stderr}\nstdout:\n${result.stdout}`;
  assert.equal(result.code, 1, shown);
  assert.match(result.stderr, /^error: /m, shown);
  assert.match(result.stderr, pattern, shown);
  assert.deepEqual(stackTraceLines(result.stderr + result.stdout), [], shown);
}

describe("symbolic links below the output folder", () => {
  it("a folder link (out/grafana -> elsewhere) is refused, with and without --force; nothing under it changes", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    await generate({ config: config(), outDir: out });
    const elsewhere = path.join(dir, "elsewhere");
    renameSync(path.join(out, "grafana"), elsewhere);
    writeFileSync(path.join(elsewhere, "dashboards/flink-cluster.json"), "precious\n");
    symlinkSync(elsewhere, path.join(out, "grafana"));
    const before = listTree(elsewhere).map((file) => [file, lstatSync(path.join(elsewhere, file)).mtimeMs]);
    for (const force of [false, true]) {
      await rejectsOutput(
        generate({ config: config(), outDir: out, force }),
        new RegExp(`${out}/grafana is a symbolic link .*not even with --force`),
      );
    }
    assert.equal(readFileSync(path.join(elsewhere, "dashboards/flink-cluster.json"), "utf8"), "precious\n");
    assert.deepEqual(
      listTree(elsewhere).map((file) => [file, lstatSync(path.join(elsewhere, file)).mtimeMs]),
      before,
    );
    // A dry run (and --check) names the link the same way instead of reading through it.
    await rejectsOutput(generate({ config: config(), outDir: out, dryRun: true, force: true }), /grafana is a symbolic link/);
    const cli = await runCli(["generate", "-c", writeConfig(dir), "-o", out, "--force"]);
    assertCleanCliError(cli, /out\/grafana is a symbolic link \(to .*elsewhere\)/);
  });

  it("a stale file in a linked folder is not removed through the link", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    await generate({ config: config(), outDir: out });
    // The next config drops Grafana: its files become stale, but grafana/ now points elsewhere.
    const elsewhere = path.join(dir, "elsewhere");
    renameSync(path.join(out, "grafana"), elsewhere);
    symlinkSync(elsewhere, path.join(out, "grafana"));
    await rejectsOutput(generate({ config: config("grafana: { enabled: false }\n"), outDir: out }), /grafana is a symbolic link/);
    assert.ok(existsSync(path.join(elsewhere, "dashboards/flink-cluster.json")));
  });

  it("a dangling file link where a generated file belongs is foreign: refused without --force, the link itself replaced with it", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    mkdirSync(out);
    const target = path.join(dir, "target-never-created.yml");
    symlinkSync(target, path.join(out, "docker-compose.yml"));
    await rejectsOutput(
      generate({ config: config(), outDir: out }),
      /would overwrite 1 file\(s\) that flink-prometheus-stack did not generate: docker-compose\.yml/,
    );
    assert.equal(readlinkSync(path.join(out, "docker-compose.yml")), target);
    assert.deepEqual(listTree(out), ["docker-compose.yml"], "nothing else written");
    await generate({ config: config(), outDir: out, force: true });
    assert.ok(lstatSync(path.join(out, "docker-compose.yml")).isFile(), "the link was replaced by a real file");
    assert.equal(existsSync(target), false, "the link's target was never written");
  });

  it("a link to an existing file outside is replaced (with --force), its target untouched", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    await generate({ config: config(), outDir: out });
    const target = path.join(dir, "my-readme.md");
    writeFileSync(target, "mine\n");
    rmSync(path.join(out, "README.md"));
    symlinkSync(target, path.join(out, "README.md"));
    // Even though README.md is in the manifest: a link is never ours.
    await rejectsOutput(generate({ config: config(), outDir: out }), /did not generate: README\.md/);
    await generate({ config: config(), outDir: out, force: true });
    assert.equal(readFileSync(target, "utf8"), "mine\n");
    assert.ok(lstatSync(path.join(out, "README.md")).isFile());
  });

  it("a linked secrets/ folder never receives the secret", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    const elsewhere = path.join(dir, "elsewhere");
    mkdirSync(out);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(out, "secrets"));
    for (const force of [false, true]) {
      await rejectsOutput(generate({ config: config(), outDir: out, force }), /secrets is a symbolic link/);
    }
    assert.deepEqual(readdirSync(elsewhere), []);
    assert.deepEqual(listTree(out), ["secrets"], "refused before anything was written");
  });

  it("a dangling link at secrets/grafana_admin_password is refused (CLI: one paragraph, exit 1)", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    mkdirSync(path.join(out, "secrets"), { recursive: true });
    const target = path.join(dir, "planted-password");
    symlinkSync(target, path.join(out, "secrets/grafana_admin_password"));
    await rejectsOutput(
      generate({ config: config(), outDir: out, force: true }),
      /grafana_admin_password is a symbolic link .*never written through a link/,
    );
    const cli = await runCli(["generate", "-c", writeConfig(dir), "-o", out]);
    assertCleanCliError(cli, /secrets\/grafana_admin_password is a symbolic link \(to .*planted-password\)/);
    assert.equal(existsSync(target), false);
    assert.deepEqual(listTree(out), ["secrets", "secrets/grafana_admin_password"]);
  });
});

function writeConfig(dir: string, text = MINIMAL): string {
  const file = path.join(dir, "flink-stack.yaml");
  writeFileSync(file, text);
  return file;
}

describe('the output folder "" and "/" are refused', () => {
  for (const outDir of ["", "  ", "/", "/.", "//"]) {
    it(`library: ${JSON.stringify(outDir)}`, async () => {
      const pattern = outDir.trim() === "" ? /output folder is empty/ : /refusing to write the stack into the filesystem root/;
      await rejectsOutput(generate({ config: config(), outDir }), pattern);
      await rejectsOutput(generate({ config: config(), outDir, dryRun: true }), pattern);
      await rejectsOutput(writeArtifacts([], outDir), pattern);
    });
  }
  it('CLI: -o "" and -o / exit 1 and write nothing', async () => {
    const dir = fresh();
    const file = writeConfig(dir);
    for (const [outDir, pattern] of [
      ["", /output folder is empty/],
      ["/", /filesystem root/],
    ] as const) {
      const before = readdirSync(dir);
      assertCleanCliError(await runCli(["generate", "-c", file, "-o", outDir], { cwd: dir }), pattern);
      assert.deepEqual(readdirSync(dir), before);
    }
    assert.equal(existsSync("/docker-compose.yml"), false);
  });
});

describe("secrets", () => {
  it("a missing secret file the config names is an error naming the config path, before anything is written", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    const missing = path.join(dir, "slack-url");
    await rejectsOutput(
      generate({ config: slackConfig(missing), outDir: out }),
      new RegExp(
        `alerting\\.alertmanager\\.receivers\\[0\\]\\.slack\\.apiUrlFile: ${missing} does not exist\\n\\s+hint: .*install -D -m 600 /dev/null ${missing}`,
      ),
    );
    assert.equal(existsSync(out), false, "nothing written");
    // Relative paths are relative to the output folder.
    await rejectsOutput(
      generate({ config: slackConfig("secrets/slack-url"), outDir: out }),
      new RegExp(`secrets/slack-url \\(in the output folder: ${out}/secrets/slack-url\\) does not exist`),
    );
    // A dry run (--check in CI, where secrets do not live) warns instead.
    const dry = await generate({ config: slackConfig(missing), outDir: out, dryRun: true });
    assert.deepEqual(
      dry.warnings.map((warning) => warning.path),
      ["alerting.alertmanager.receivers[0].slack.apiUrlFile"],
    );
    const cli = await runCli([
      "generate",
      "-c",
      writeConfig(
        dir,
        `${MINIMAL}alerting:\n  alertmanager:\n    receivers:\n      - name: chat\n        slack: { apiUrlFile: "${missing}", channel: "#a" }\n`,
      ),
      "-o",
      out,
    ]);
    assertCleanCliError(cli, /slack\.apiUrlFile: .*slack-url does not exist/);
    assert.equal(existsSync(out), false);
    // Once it exists, generate goes through and the file is left as it is (0600 outside the folder: no warning).
    writeFileSync(missing, "https://hooks.slack.com/services/x\n", { mode: 0o600 });
    const done = await generate({ config: slackConfig(missing), outDir: out });
    assert.deepEqual(done.warnings, []);
  });

  it("a dangling link as a user secret counts as missing", async () => {
    const dir = fresh();
    const link = path.join(dir, "smtp-password");
    symlinkSync(path.join(dir, "nowhere"), link);
    const text = `${MINIMAL}alerting:\n  alertmanager:\n    receivers:\n      - name: mail\n        email: { to: a@b.c, from: m@b.c, smarthost: "smtp.b.c:587", authUsername: m, authPasswordFile: "${link}" }\n`;
    await rejectsOutput(
      generate({ config: parseConfigText(text) as never, outDir: path.join(dir, "out") }),
      /email\.authPasswordFile: .*smtp-password does not exist/,
    );
  });

  it("grafana.adminPasswordFile that does not exist is created like the generated one (random, 0600 in a 0700 folder)", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    const file = path.join(dir, "private/grafana-password");
    const result = await generate({ config: config(`grafana: { adminPasswordFile: "${file}" }\n`), outDir: out });
    assert.equal(mode(file), 0o600);
    assert.equal(mode(path.dirname(file)), 0o700);
    assert.match(readFileSync(file, "utf8"), /^[A-Za-z0-9_-]{32}\n$/);
    const [secret] = result.secrets;
    assert.equal(secret?.created, true);
    assert.match(secret?.note ?? "", /grafana\.adminPasswordFile named it and it did not exist/);
    const password = readFileSync(file, "utf8");
    await generate({ config: config(`grafana: { adminPasswordFile: "${file}" }\n`), outDir: out });
    assert.equal(readFileSync(file, "utf8"), password, "created once, never replaced");
  });

  it("loose modes: tightened inside the output folder (and said), warned about outside (CLI prints the warning)", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    await generate({ config: config(), outDir: out });
    const generated = path.join(out, "secrets/grafana_admin_password");
    const password = readFileSync(generated, "utf8");
    chmodSync(generated, 0o644);
    chmodSync(path.dirname(generated), 0o755);
    const inside = await generate({ config: config(), outDir: out });
    assert.equal(mode(generated), 0o600);
    assert.equal(mode(path.dirname(generated)), 0o700);
    assert.equal(readFileSync(generated, "utf8"), password);
    assert.match(inside.secrets[0]?.note ?? "", /tightened to 0600 in a 0700 folder/);

    // A user secret inside the output folder is tightened too.
    writeFileSync(path.join(out, "slack-url"), "https://hooks.slack.com/services/x\n", { mode: 0o644 });
    chmodSync(path.join(out, "slack-url"), 0o644);
    const user = await generate({ config: slackConfig("slack-url"), outDir: out });
    assert.equal(mode(path.join(out, "slack-url")), 0o600);
    assert.ok(
      user.secrets.some(
        (secret) => secret.name === "alerting.alertmanager.receivers[0].slack.apiUrlFile" && (secret.note ?? "").includes("tightened"),
      ),
    );

    // Outside: never changed, warned with the chmod command.
    const outside = path.join(dir, "slack-url-outside");
    writeFileSync(outside, "https://hooks.slack.com/services/y\n");
    chmodSync(outside, 0o644);
    const warned = await generate({ config: slackConfig(outside), outDir: out });
    assert.equal(mode(outside), 0o644);
    assert.deepEqual(warned.warnings, [
      {
        file: undefined, // a config object, not a file
        path: "alerting.alertmanager.receivers[0].slack.apiUrlFile",
        message: `${outside} holds a secret but is readable by others (mode 0644)`,
        hint: `chmod 600 ${outside}`,
      },
    ]);
    const configFile = writeConfig(
      dir,
      `${MINIMAL}alerting:\n  alertmanager:\n    receivers:\n      - name: chat\n        slack: { apiUrlFile: "${outside}", channel: "#a" }\n`,
    );
    const cli = await runCli(["generate", "-c", configFile, "-o", out]);
    assert.equal(cli.code, 0, cli.stderr);
    // Headed by the config file, as every warning is: the key is the config's.
    assert.ok(cli.stderr.includes(`${configFile}: 1 warning\n`), cli.stderr);
    assert.match(
      cli.stderr,
      /1 warning\n\s+alerting\.alertmanager\.receivers\[0\]\.slack\.apiUrlFile\s+.*slack-url-outside holds a secret but is readable by others \(mode 0644\)\n\s+hint: chmod 600 /,
    );
    assert.ok(!cli.stderr.includes("hooks.slack.com") && !cli.stdout.includes("hooks.slack.com"), "the secret is never printed");
  });

  it("an empty generated secret (a crash of an older version) is recreated, and said so", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    await generate({ config: config(), outDir: out });
    const file = path.join(out, "secrets/grafana_admin_password");
    writeFileSync(file, "");
    const result = await generate({ config: config(), outDir: out });
    assert.match(readFileSync(file, "utf8"), /^[A-Za-z0-9_-]{32}\n$/);
    assert.equal(mode(file), 0o600);
    assert.equal(result.secrets[0]?.created, true);
    assert.match(result.secrets[0]?.note ?? "", /it was empty/);
    assert.deepEqual(readdirSync(path.dirname(file)), ["grafana_admin_password"], "no temp file left");
  });

  it("a tampered manifest that lists the secret does not get it removed", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    await generate({ config: config(), outDir: out });
    const manifestFile = path.join(out, ".flink-prometheus-stack.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { files: string[] };
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, files: [...manifest.files, "secrets/grafana_admin_password"] }));
    const password = readFileSync(path.join(out, "secrets/grafana_admin_password"), "utf8");
    const result = await generate({ config: config(), outDir: out });
    assert.ok(
      !result.changes.some((change) => change.path.startsWith("secrets/")),
      JSON.stringify(result.changes.filter((c) => c.kind !== "unchanged")),
    );
    assert.equal(readFileSync(path.join(out, "secrets/grafana_admin_password"), "utf8"), password);
  });

  it("an orphan temp file of the secret writer is cleaned by the next run, never taken for the secret", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    await generate({ config: config(), outDir: out });
    const password = readFileSync(path.join(out, "secrets/grafana_admin_password"), "utf8");
    writeFileSync(path.join(out, "secrets/.grafana_admin_password.0123456789ab.tmp"), "");
    const check = await generate({ config: config(), outDir: out, dryRun: true, force: true });
    assert.deepEqual(
      check.changes.filter((c) => c.kind !== "unchanged").map((c) => [c.kind, c.path]),
      [["remove", "secrets/.grafana_admin_password.0123456789ab.tmp"]],
    );
    await generate({ config: config(), outDir: out });
    assert.deepEqual(readdirSync(path.join(out, "secrets")), ["grafana_admin_password"]);
    assert.equal(readFileSync(path.join(out, "secrets/grafana_admin_password"), "utf8"), password);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Filesystem errors, real ones

function trySh(command: string): boolean {
  return spawnSync("sh", ["-c", command], { stdio: "ignore" }).status === 0;
}

/** A precondition this machine lacks: skipped on a developer's machine, a failure under CI=true (never a silent skip). */
function unavailable(t: TestContext, reason: string): void {
  if (process.env.CI === "true") assert.fail(`${reason} (CI=true: .ci/run runs as root with setpriv, tmpfs mounts and chattr)`);
  t.skip(reason);
}

describe("filesystem errors are the user's situation: path, what to do, exit 1", () => {
  it("ENOTDIR: -o below a file", async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, "a-file"), "x\n");
    const out = path.join(dir, "a-file/out");
    await rejectsOutput(generate({ config: config(), outDir: out }), /a-file\/out: a part of .* is a file where a folder belongs/);
    assertCleanCliError(await runCli(["generate", "-c", writeConfig(dir), "-o", out]), /a-file\/out.*is a file where a folder belongs/);
  });

  it("EACCES: -o in a folder the user cannot write (CLI run as uid 65534 via setpriv)", async (t) => {
    if (process.getuid?.() !== 0 || !trySh("command -v setpriv")) {
      unavailable(t, "needs root and setpriv");
      return;
    }
    const dir = fresh();
    chmodSync(scratch.dir, 0o755);
    chmodSync(dir, 0o755);
    const file = writeConfig(dir);
    chmodSync(file, 0o644);
    const out = path.join(dir, "out");
    const result = spawnSync(
      "setpriv",
      ["--reuid", "65534", "--regid", "65534", "--clear-groups", process.execPath, ...CLI.args, "generate", "-c", file, "-o", out],
      { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    if (/Cannot find (module|package)|EACCES: permission denied, open .*(tsx|node_modules)/.test(result.stderr)) {
      unavailable(t, "the CLI is not readable by uid 65534 here");
      return;
    }
    assertCleanCliError(
      { code: result.status, stderr: result.stderr, stdout: result.stdout },
      new RegExp(`permission denied for ${out}\\. Check its owner and mode .*choose a folder you can write with -o`),
    );
    assert.equal(existsSync(out), false);
    // Reading an unreadable config is the same kind of message (exit 1), not an internal error.
    chmodSync(file, 0o600);
    const unreadable = spawnSync(
      "setpriv",
      ["--reuid", "65534", "--regid", "65534", "--clear-groups", process.execPath, ...CLI.args, "validate", "-c", file],
      { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    assertCleanCliError(
      { code: unreadable.status, stderr: unreadable.stderr, stdout: unreadable.stdout },
      new RegExp(`${file}: cannot read it: permission denied for ${file}`),
    );
  });

  it("EROFS: a read-only output folder (a read-only tmpfs mount)", async (t) => {
    const dir = fresh();
    const out = path.join(dir, "ro");
    mkdirSync(out);
    if (!trySh(`mount -t tmpfs -o ro,size=1m tmpfs ${out}`)) {
      unavailable(t, "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
      return;
    }
    try {
      await rejectsOutput(generate({ config: config(), outDir: out }), /is on a read-only file system\. Choose an output folder on a writable disk/);
      assertCleanCliError(await runCli(["generate", "-c", writeConfig(dir), "-o", out]), /read-only file system/);
    } finally {
      trySh(`umount ${out}`);
    }
  });

  it("ENOSPC: a full disk leaves nothing half-written; the next run (with space) finishes", async (t) => {
    const dir = fresh();
    const out = path.join(dir, "small");
    mkdirSync(out);
    if (!trySh(`mount -t tmpfs -o size=64k tmpfs ${out}`)) {
      unavailable(t, "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
      return;
    }
    try {
      await rejectsOutput(generate({ config: config(), outDir: out }), /no space left on the device holding .*small/);
      const cli = await runCli(["generate", "-c", writeConfig(dir), "-o", out]);
      assertCleanCliError(cli, /no space left on the device/);
      const left = listTree(out);
      assert.ok(left.includes(".flink-prometheus-stack.pending.json"), `the journal marks the run unfinished: ${left.join(", ")}`);
      assert.deepEqual(
        left.filter((file) => file.endsWith(".tmp")),
        [],
        "no temp file left",
      );
      assert.equal(
        (await generate({ config: config(), outDir: out, dryRun: true, force: true })).changes.some((c) => c.kind !== "unchanged"),
        true,
        "not up to date",
      );
      assert.ok(trySh(`mount -o remount,size=16m ${out}`));
      await generate({ config: config(), outDir: out });
      const check = await generate({ config: config(), outDir: out, dryRun: true, force: true });
      assert.deepEqual(
        check.changes.filter((c) => c.kind !== "unchanged"),
        [],
      );
      assert.equal(existsSync(path.join(out, ".flink-prometheus-stack.pending.json")), false);
    } finally {
      trySh(`umount ${out}`);
    }
  });

  it("EPERM: an immutable output folder (chattr +i)", async (t) => {
    const dir = fresh();
    const out = path.join(dir, "frozen");
    mkdirSync(out);
    if (!trySh(`chattr +i ${out}`)) {
      unavailable(t, "chattr +i is not supported here");
      return;
    }
    try {
      await rejectsOutput(generate({ config: config(), outDir: out }), /the system refused the operation on .*frozen/);
      assertCleanCliError(await runCli(["generate", "-c", writeConfig(dir), "-o", out]), /refused the operation .*lsattr/);
    } finally {
      trySh(`chattr -i ${out}`);
    }
  });

  it("init sub/dir/x.yaml creates the missing folders; init below a file is a clear error", async () => {
    const dir = fresh();
    const created = await runCli(["init", "sub/dir/x.yaml"], { cwd: dir });
    assert.equal(created.code, 0, created.stderr);
    assert.match(readFileSync(path.join(dir, "sub/dir/x.yaml"), "utf8"), /flink:/);
    const again = await runCli(["init", "sub/dir/x.yaml"], { cwd: dir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists; pass --force/);
    writeFileSync(path.join(dir, "plain"), "x\n");
    assertCleanCliError(await runCli(["init", "plain/x.yaml"], { cwd: dir }), /plain.*is a file where a folder belongs/);
  });

  it("a folder where none can be made (/proc) is an error, not a hang (Node's recursive mkdir loops there)", async () => {
    const dir = fresh();
    const file = writeConfig(dir);
    for (const args of [
      ["generate", "-c", file, "-o", "/proc/fps-out/x"],
      ["example", "minimal", "-o", "/proc/fps-out"],
      ["init", "/proc/fps-out/x.yaml"],
    ]) {
      const result = await runCli(args, { cwd: dir, timeoutMs: 20_000 });
      assertCleanCliError(result, /\/proc\/fps-out cannot be created: .*Choose another path/);
    }
  });

  it("example -o below a file is a clear error", async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, "plain"), "x\n");
    assertCleanCliError(await runCli(["example", "minimal", "-o", "plain/ex"], { cwd: dir }), /plain\/ex.*is a file where a folder belongs/);
  });

  it("every errno we name gets its advice (EACCES, ENOSPC … as Node reports them)", () => {
    const error = (code: string) => Object.assign(new Error(`${code}: x`), { code, errno: -1, syscall: "open", path: "/x/y" }) as never;
    assert.match(fsErrorMessage(error("EACCES"), "write"), /^cannot write \/x\/y: permission denied for \/x\/y\. Check its owner and mode/);
    assert.match(fsErrorMessage(error("ENOSPC")), /no space left on the device holding \/x\/y/);
    assert.match(fsErrorMessage(error("EMFILE")), /ulimit -n/);
  });
});
