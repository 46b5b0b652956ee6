// A run is all-or-nothing as the next run sees it. The real CLI generates a large per-process stack (2,000
// TaskManagers, ~4,000 files) and is killed with SIGKILL at random points, several times, switching between two
// configs; after each kill `--check` must fail (unless the kill came before the first write), and the next
// `generate` must leave exactly the files of its config plus the secret: no temp files, no journal, no orphans
// of the killed run, a manifest that lists them, and a `--check` that passes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { perProcessConfigYaml } from "../bench/per-process.js";
import { buildStack, parseConfigText } from "../lib/index.js";
import { CLI, runCli, tempDir } from "./support/cli.js";

const TASK_MANAGERS = 2000;
const JOURNAL = ".flink-prometheus-stack.pending.json";
const MANIFEST = ".flink-prometheus-stack.json";
const SECRET = "secrets/grafana_admin_password";

const scratch = tempDir("fps-crash-");
after(() => scratch.cleanup());

/** Every file (and empty folder, marked with a trailing /) under `dir`. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    if (entries.length === 0 && rel !== "") out.push(`${rel}/`);
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk("");
  return out.sort();
}

/** A seeded generator, so a failing sequence of kill points can be replayed (FPS_CRASH_SEED). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Killed {
  readonly journalSeen: boolean;
  readonly finished: boolean;
}

/** Starts `generate`, then SIGKILLs it: `delayMs` after start, or (`afterJournal`) that long after the journal appears. */
async function generateAndKill(config: string, out: string, delayMs: number, afterJournal: boolean): Promise<Killed> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [...CLI.args, "generate", "-c", config, "-o", out], { stdio: "ignore", env });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true;
      resolve();
    }),
  );
  if (afterJournal) {
    while (!exited && !existsSync(path.join(out, JOURNAL))) await sleep(5);
  }
  await sleep(delayMs);
  const finished = exited;
  if (!exited) child.kill("SIGKILL");
  await exit;
  return { journalSeen: existsSync(path.join(out, JOURNAL)), finished };
}

function expectedFiles(configText: string): string[] {
  const { artifacts } = buildStack(parseConfigText(configText));
  return [...artifacts.map((artifact) => artifact.path), MANIFEST, SECRET].sort();
}

async function check(config: string, out: string): Promise<number | null> {
  return (await runCli(["generate", "--check", "-c", config, "-o", out], { timeoutMs: 300_000 })).code;
}

describe("crash consistency: what an interrupted run leaves (staged by hand)", () => {
  it("--check fails while a journal or our temp files exist; the next generate removes the killed run's files", async () => {
    const dir = path.join(scratch.dir, "staged");
    const configFile = path.join(dir, "flink-stack.yaml");
    const text = 'flink:\n  version: "1.20"\n  clusters:\n    - { name: local, jobmanagers: [localhost], taskmanagers: [localhost] }\n';
    mkdirSync(dir, { recursive: true });
    writeFileSync(configFile, text);
    const out = path.join(dir, "out");
    assert.equal((await runCli(["generate", "-c", configFile, "-o", out])).code, 0);
    assert.equal(await check(configFile, out), 0);

    // A temp file alone (a kill between write and rename of an older version): not up to date.
    writeFileSync(path.join(out, "prometheus/.prometheus.yml.0123456789ab.tmp"), "partial");
    assert.equal(await check(configFile, out), 1);
    assert.equal((await runCli(["generate", "-c", configFile, "-o", out])).code, 0);
    assert.equal(existsSync(path.join(out, "prometheus/.prometheus.yml.0123456789ab.tmp")), false);
    assert.equal(await check(configFile, out), 0);

    // A killed run of another config: its journal names files the manifest does not know.
    mkdirSync(path.join(out, "flink/other"), { recursive: true });
    writeFileSync(path.join(out, "flink/other/config.yaml"), "from the killed run\n");
    writeFileSync(
      path.join(out, JOURNAL),
      JSON.stringify({ generator: "flink-prometheus-stack", pending: true, files: ["flink/other/config.yaml", "flink/other/FLINK_PROPERTIES"] }),
    );
    const stale = await runCli(["generate", "--check", "-c", configFile, "-o", out]);
    assert.equal(stale.code, 1, stale.stderr);
    assert.match(stale.stderr, /an earlier run was interrupted \(\.flink-prometheus-stack\.pending\.json is left\); generate finishes it/);
    assert.match(stale.stdout, /^--- a\/flink\/other\/config\.yaml/m);
    const fixed = await runCli(["generate", "-c", configFile, "-o", out]);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stderr, /this run finished it and cleaned up/);
    assert.equal(existsSync(path.join(out, "flink/other")), false, "the killed run's files and folder are gone");
    assert.equal(existsSync(path.join(out, JOURNAL)), false);
    assert.deepEqual(tree(out), expectedFiles(text));
    assert.equal(await check(configFile, out), 0);
  });
});

describe("crash consistency: kill -9 during generate", { timeout: 900_000 }, () => {
  it(`the next run cleans up and completes (${TASK_MANAGERS} TaskManagers, per-process files)`, async (t) => {
    const seed = Number(process.env.FPS_CRASH_SEED ?? Date.now() % 100_000);
    const rand = random(seed);
    const dir = scratch.dir;
    const texts = { a: perProcessConfigYaml(TASK_MANAGERS, "a"), b: perProcessConfigYaml(TASK_MANAGERS, "b") };
    const files = { a: path.join(dir, "a.yaml"), b: path.join(dir, "b.yaml") };
    writeFileSync(files.a, texts.a);
    writeFileSync(files.b, texts.b);
    const expected = { a: expectedFiles(texts.a), b: expectedFiles(texts.b) };
    assert.ok(expected.a.length > 2 * TASK_MANAGERS, `many files: ${expected.a.length}`);
    const out = path.join(dir, "out");

    const first = await runCli(["generate", "-c", files.a, "-o", out], { timeoutMs: 300_000 });
    assert.equal(first.code, 0, first.stderr);
    const password = readFileSync(path.join(out, SECRET), "utf8");
    let current: "a" | "b" = "a";
    const rounds = Number(process.env.FPS_CRASH_ROUNDS ?? 4);
    for (let round = 0; round < rounds; round++) {
      const target: "a" | "b" = current === "a" ? "b" : "a";
      // Alternate: a kill at a random time from the start (maybe still planning), or one inside the write phase.
      const afterJournal = round % 2 === 0;
      const delay = Math.floor(rand() * (afterJournal ? 1500 : 4000));
      // eslint-disable-next-line @typescript-eslint/no-inferrable-types -- the annotation breaks an inference cycle (TS7022)
      const context: string = `seed ${seed}, round ${round}: generate ${target} killed ${delay} ms after ${afterJournal ? "its journal appeared" : "start"}`;
      const killed = await generateAndKill(files[target], out, delay, afterJournal);
      const leftovers = tree(out).filter((file) => file.endsWith(".tmp")).length;
      t.diagnostic(
        `${context}: ${killed.finished ? "finished first" : killed.journalSeen ? `half-done (journal left, ${leftovers} temp files)` : `no journal left, ${leftovers} temp files`}`,
      );
      if (killed.finished) {
        current = target;
      } else if (killed.journalSeen || leftovers > 0) {
        // Half-done (or killed while writing the journal itself, leaving its temp file): up to date with neither.
        assert.equal(await check(files[target], out), 1, `--check of the new config right after the kill (${context})`);
        assert.equal(await check(files[current], out), 1, `--check of the old config right after the kill (${context})`);
      } else if ((await check(files[current], out)) !== 0) {
        // No journal: killed before the first write (still the old stack) or after the last (the new one).
        assert.equal(await check(files[target], out), 0, `no journal: the folder is up to date with one of the configs (${context})`);
        current = target;
      }
      // Then finish the new config, or go back to the previous one.
      const next: "a" | "b" = rand() < 0.5 ? target : current;
      const rerun = await runCli(["generate", "-c", files[next], "-o", out], { timeoutMs: 300_000 });
      assert.equal(rerun.code, 0, `${context}; rerun ${next}: ${rerun.stderr}`);
      current = next;

      const onDisk = tree(out);
      assert.deepEqual(
        onDisk.filter((file) => file.endsWith(".tmp")),
        [],
        `no temp files (${context})`,
      );
      assert.deepEqual(
        onDisk.filter((file) => file.endsWith("/")),
        [],
        `no empty folders (${context})`,
      );
      assert.equal(onDisk.length, expected[next].length, `file count (${context})`);
      assert.deepEqual(onDisk, expected[next], `exactly the files of config ${next} plus the secret (${context})`);
      const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST), "utf8")) as { files: string[] };
      assert.deepEqual(
        manifest.files,
        expected[next].filter((file) => file !== MANIFEST && file !== SECRET),
        `manifest (${context})`,
      );
      assert.equal(readFileSync(path.join(out, SECRET), "utf8"), password, `the secret is kept (${context})`);
      assert.equal(await check(files[next], out), 0, `--check after the rerun (${context})`);
    }
  });
});
