// The bin's no-change path of `generate` (lib/cli/fast-generate.ts, render-cache.ts): with the same inputs it says
// and leaves exactly what the full command does, and any changed input (config, target, a generated file, the
// generator's build) runs the full command. Whether the full command ran is seen from outside: a preloaded hook
// reports whether the CLI's bundle was loaded (the compile cache is off, so the bundle is a plain require).
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { CLI, REPO_ROOT, tempDir } from "./support/cli.js";
import { runProcess } from "./support/tools.js";

const BIN = path.join(REPO_ROOT, "dist/cli/main.cjs");

const CONFIG = (cluster: string) =>
  [
    "flink:",
    '  version: "1.20"',
    "  reporter:",
    "    pushgateway:",
    // Redundant (the stack pushes cluster=<name> already): a config warning the no-change path must repeat.
    `      groupingKey: { cluster: ${cluster} }`,
    "  clusters:",
    `    - { name: ${cluster}, jobmanagers: ["jm1.${cluster}.internal"], taskmanagers: ["tm1.${cluster}.internal", "tm2.${cluster}.internal"] }`,
    "",
  ].join("\n");

let scratch: { dir: string; cleanup: () => void };
let hook: string;
let tmp: string;

before(() => {
  assert.equal(CLI.kind, "dist", "these tests run the built bin: npm run build first");
  scratch = tempDir("fps-render-cache-");
  hook = path.join(scratch.dir, "bundle-loaded-hook.cjs");
  writeFileSync(
    hook,
    'process.on("exit", () => require("node:fs").writeFileSync(process.env.FPS_HOOK_OUT, String(Object.keys(require.cache).some((k) => k.endsWith("bundle.cjs")))));\n',
  );
  // A TMPDIR of the test's own: the records it makes stay apart from the machine's.
  tmp = path.join(scratch.dir, "tmp");
  mkdirSync(tmp);
});
after(() => scratch.cleanup());

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the full CLI (its bundle) ran. */
  readonly full: boolean;
}

async function generate(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return bin(cwd, ["generate", ...args], env);
}

async function bin(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out = path.join(scratch.dir, "hook-out");
  rmSync(out, { force: true });
  const result = await runProcess(process.execPath, ["-r", hook, BIN, ...args], {
    cwd,
    env: { ...process.env, NODE_OPTIONS: "", NO_COLOR: "1", NODE_DISABLE_COMPILE_CACHE: "1", TMPDIR: tmp, FPS_HOOK_OUT: out, ...env },
    timeoutMs: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, full: readFileSync(out, "utf8") === "true" };
}

const FULL = { FLINK_PROMETHEUS_STACK_NO_RENDER_CACHE: "1" };

/** Every file of a folder, relative path → contents. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files.set(path.relative(dir, path.join(entry.parentPath, entry.name)), readFileSync(path.join(entry.parentPath, entry.name), "utf8"));
  }
  return files;
}

function project(name: string, cluster = "prod"): string {
  const dir = path.join(scratch.dir, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, "flink-stack.yaml"), CONFIG(cluster));
  return dir;
}

describe("generate with nothing to change (the bin's no-change path)", () => {
  it("says and leaves exactly what the full command does, without loading the CLI's bundle", async () => {
    const dir = project("same");
    const first = await generate(dir, ["-o", "out"]);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(first.full);
    const files = snapshot(path.join(dir, "out"));

    const fast = await generate(dir, ["-o", "out"]);
    const full = await generate(dir, ["-o", "out"], FULL);
    assert.equal(fast.full, false, "the second run rendered again");
    assert.equal(full.full, true);
    assert.deepEqual([fast.code, fast.stdout, fast.stderr], [full.code, full.stdout, full.stderr]);
    assert.match(fast.stderr, /flink-stack\.yaml: 2 warnings\n {2}flink\.reporter\.pushgateway\.groupingKey\.cluster +redundant/);
    assert.match(fast.stderr, /Wrote out: 0 created, 0 updated, 0 removed, \d+ unchanged\.\nKept secret grafana_admin_password/);
    assert.deepEqual(snapshot(path.join(dir, "out")), files);
  });

  it("renders again when the config, the target or a generated file changed", async () => {
    const dir = project("changes");
    assert.equal((await generate(dir, ["-o", "out"])).code, 0);

    writeFileSync(path.join(dir, "flink-stack.yaml"), CONFIG("prod").replace("tm2.prod.internal", "tm3.prod.internal"));
    const edited = await generate(dir, ["-o", "out"]);
    assert.equal(edited.code, 0, edited.stderr);
    assert.ok(edited.full);
    assert.match(edited.stderr, /create flink\/prod\/taskmanager-tm3\.prod\.internal\/config\.yaml\n/);

    const targeted = await generate(dir, ["-o", "out", "--target", "compose"]);
    assert.ok(targeted.full, "--target is part of the key");
    assert.match(targeted.stderr, /0 created, 0 updated, 0 removed/);

    const compose = path.join(dir, "out/docker-compose.yml");
    writeFileSync(compose, `${readFileSync(compose, "utf8")}# edited\n`);
    const restored = await generate(dir, ["-o", "out"]);
    assert.ok(restored.full);
    assert.match(restored.stderr, /update docker-compose\.yml\n/);
    assert.doesNotMatch(readFileSync(compose, "utf8"), /# edited/);

    writeFileSync(path.join(dir, "flink-stack.yaml"), "flink: {}\n");
    const invalid = await generate(dir, ["-o", "out"]);
    assert.equal(invalid.code, 1);
    assert.ok(invalid.full);
    assert.match(invalid.stderr, /flink +missing required key "clusters"/);
  });

  it("creates a deleted secret as the full command does, and keeps --check, --dry-run and --json on the full path", async () => {
    const dir = project("secret");
    assert.equal((await generate(dir, ["-o", "out"])).code, 0);
    const secret = path.join(dir, "out/secrets/grafana_admin_password");
    unlinkSync(secret);
    const fast = await generate(dir, ["-o", "out"]);
    assert.equal(fast.code, 0, fast.stderr);
    assert.equal(fast.full, false);
    assert.match(fast.stderr, /Created secret grafana_admin_password in secrets\/grafana_admin_password \(not printed\)\./);
    assert.equal(statSync(secret).mode & 0o777, 0o600);
    for (const flag of ["--check", "--dry-run", "--json"]) {
      const run = await generate(dir, ["-o", "out", flag]);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.full, flag);
    }
  });

  it("trusts no record it did not make: a rebuilt bundle or a cache folder others can write renders again", async () => {
    const dir = project("trust");
    assert.equal((await generate(dir, ["-o", "out"])).code, 0);
    // The bundle with another mtime: another build (put back afterwards, so the code cache stays valid).
    const bundle = path.join(REPO_ROOT, "dist/cli/bundle.cjs");
    const { atime, mtime } = statSync(bundle);
    utimesSync(bundle, atime, new Date(mtime.getTime() + 1000));
    try {
      const rebuilt = await generate(dir, ["-o", "out"]);
      assert.equal(rebuilt.code, 0, rebuilt.stderr);
      assert.ok(rebuilt.full, "another build's record was trusted");
    } finally {
      utimesSync(bundle, atime, mtime);
    }

    const open = path.join(scratch.dir, "open-tmp");
    mkdirSync(open);
    const uid = process.getuid?.() ?? 0;
    mkdirSync(path.join(open, `flink-prometheus-stack-${uid}`), { mode: 0o777 });
    chmodSync(path.join(open, `flink-prometheus-stack-${uid}`), 0o777);
    const first = await generate(dir, ["-o", "out"], { TMPDIR: open });
    const second = await generate(dir, ["-o", "out"], { TMPDIR: open });
    assert.ok(first.full && second.full, "a record in a folder others can write is never read");
  });

  it("up reuses the render too: it only plans the config, and says and leaves what a full generate step does", async () => {
    const dir = project("up");
    // No engine listens there: up stops after its generate step (exit 3), which is what is compared.
    const env = { DOCKER_HOST: "unix:///nonexistent/docker.sock", FLINK_PROMETHEUS_STACK_DEBUG: "render" };
    const first = await bin(dir, ["up", "-o", "out", "--no-wait"], env);
    const files = snapshot(path.join(dir, "out"));
    const second = await bin(dir, ["up", "-o", "out", "--no-wait"], env);
    assert.equal(first.code, 3, first.stderr);
    assert.match(first.stderr, /^debug: render record: not reused: none for this folder$/m);
    assert.match(second.stderr, /^debug: render record: reused \(\d+ files\)$/m);
    const withoutDebug = (text: string) => text.replace(/^debug: .*\n/gm, "");
    assert.equal(second.code, first.code);
    assert.equal(withoutDebug(second.stderr), withoutDebug(first.stderr).replace(/\(\d+ file\(s\) changed\)/, "(0 file(s) changed)"));
    assert.match(second.stderr, /flink-stack\.yaml: 2 warnings/);
    assert.deepEqual(snapshot(path.join(dir, "out")), files);
  });

  it("the bin's own code holds no third-party module: the YAML parser, validator and renderers load only with the bundle", () => {
    const bin = readFileSync(BIN, "utf8");
    assert.doesNotMatch(bin, /node_modules\//);
    assert.ok(bin.length < 100_000, `dist/cli/main.cjs is ${bin.length} bytes`);
  });
});
