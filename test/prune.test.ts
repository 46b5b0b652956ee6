// prune-pushgateway: the pure parts (answer parsing, choice of stale groups, group URL encoding), then the
// CLI against a REAL Pushgateway (Debian 1.5) on loopback: dry run, --all-jobs, --apply.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  findStaleGroups,
  groupPath,
  listPushgatewayGroups,
  parsePushgatewayGroups,
  prunePushgateway,
  type PruneResult,
  type PushgatewayGroup,
} from "../lib/pushgateway/index.js";
import { StackError } from "../lib/errors.js";
import { spawn } from "node:child_process";
import { CLI, runCli, tempDir } from "./support/cli.js";
import { freePort, pushGroup, pushgatewayGroupLabels, sleep, startPushgateway, waitFor, type LocalService } from "./support/local-prometheus.js";

function group(job: string, pushTime: number, extra: Record<string, string> = {}, failure = 0): PushgatewayGroup {
  return {
    labels: { job, ...extra },
    job,
    pushTimeSeconds: pushTime,
    pushFailureTimeSeconds: failure,
    lastPushSuccessful: failure <= pushTime,
    metricFamilies: 1,
  };
}

describe("prune: pure helpers", () => {
  it("parses GET /api/v1/metrics (the shape Pushgateway 1.x answers)", () => {
    const family = (value: string) => ({
      time_stamp: "2024-01-01T00:00:00Z",
      type: "GAUGE",
      help: "",
      metrics: [{ labels: { instance: "", job: "flinkab" }, value }],
    });
    const groups = parsePushgatewayGroups({
      status: "success",
      data: [
        {
          labels: { job: "flinkab", cluster: "demo" },
          last_push_successful: true,
          flink_jobmanager_numRunningJobs: family("1"),
          push_failure_time_seconds: family("0"),
          push_time_seconds: family("1.7056283102818453e+09"),
        },
      ],
    });
    assert.deepEqual(groups, [
      {
        labels: { job: "flinkab", cluster: "demo" },
        job: "flinkab",
        pushTimeSeconds: 1705628310.2818453,
        pushFailureTimeSeconds: 0,
        lastPushSuccessful: true,
        metricFamilies: 1,
      },
    ]);
    assert.throws(() => parsePushgatewayGroups({ status: "error" }), /not a Pushgateway/);
  });

  it("picks groups older than the cutoff, of the job prefix only, oldest first", () => {
    const now = 10_000;
    const groups = [
      group("flink0123", now - 30),
      group("flink4567", now - 900),
      group("flink89ab", now - 5000),
      group("batch_export", now - 9000),
      group("flinkfail", now - 5000, {}, now - 10), // failing pushes: the process is alive
    ];
    const stale = findStaleGroups(groups, { olderThanSeconds: 600, jobPrefix: "flink", now });
    assert.deepEqual(
      stale.map((g) => [g.job, g.ageSeconds]),
      [
        ["flink89ab", 5000],
        ["flink4567", 900],
      ],
    );
    const all = findStaleGroups(groups, { olderThanSeconds: 600, jobPrefix: undefined, now });
    assert.deepEqual(
      all.map((g) => g.job),
      ["batch_export", "flink89ab", "flink4567"],
    );
  });

  it("encodes group paths as the Pushgateway README says (@base64 for '/', '=' for empty values)", () => {
    assert.equal(groupPath({ job: "flinkab", cluster: "demo" }), "/metrics/job/flinkab/cluster/demo");
    assert.equal(groupPath({ job: "dir_cleaner", path: "/var/tmp" }), "/metrics/job/dir_cleaner/path@base64/L3Zhci90bXA");
    assert.equal(groupPath({ job: "a/b", empty: "", z: "x y" }), "/metrics/job@base64/YS9i/empty@base64/=/z/x%20y");
    assert.throws(() => groupPath({ cluster: "x" }), /non-empty job/);
  });
});

describe("prune-pushgateway against a real Pushgateway", { timeout: 60_000 }, () => {
  let pushgateway: LocalService;
  const { dir, cleanup } = tempDir("fps-prune-");
  const config = path.join(dir, "flink-stack.yaml");
  const started = Date.now();
  const OLD = { job: "flink0f1e2d3c4b5a69788796a5b4c3d2e1f0", cluster: "demo", region: "eu/west" };
  const FRESH = { job: "flinkaabbccddeeff00112233445566778899", cluster: "demo" };
  const OTHER = { job: "batch_export", instance: "etl-host" };
  const body = 'flink_jobmanager_numRunningJobs{host="jobmanager",} 1.0\n';
  const pushFresh = () => pushGroup(pushgateway.url, groupPath(FRESH), body);
  // A live Flink process keeps pushing (every 250 ms here, so the CLI's start-up time never matters).
  let keepPushing: NodeJS.Timeout | undefined;
  const groupsNow = async () => (await pushgatewayGroupLabels(pushgateway.url)).map((labels) => labels.job).sort();

  before(async () => {
    pushgateway = await startPushgateway();
    writeFileSync(
      config,
      JSON.stringify({ flink: { version: "1.20", clusters: [{ name: "demo", jobmanagers: ["jobmanager"], taskmanagers: ["tm1"] }] } }),
    );
    // Two old groups (one of another job), then > 2 s later a fresh one.
    await pushGroup(pushgateway.url, groupPath(OLD), body);
    await pushGroup(pushgateway.url, groupPath(OTHER), "batch_last_success_seconds 1.7e9\n");
    await sleep(2500);
    await pushFresh();
    keepPushing = setInterval(() => void pushFresh().catch(() => undefined), 250);
  });

  after(async () => {
    clearInterval(keepPushing);
    await pushgateway?.stop();
    cleanup();
    console.log(`# prune tests against a real Pushgateway took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it("lists the groups through the API, with their labels and push times", async () => {
    const groups = await listPushgatewayGroups(pushgateway.url);
    assert.deepEqual(
      groups.map((g) => g.labels).sort((a, b) => a.job!.localeCompare(b.job!)),
      [OTHER, OLD, FRESH],
    );
    for (const g of groups) assert.ok(Math.abs(Date.now() / 1000 - g.pushTimeSeconds) < 30, `${g.job}: ${g.pushTimeSeconds}`);
  });

  it("a dry run lists only the stale Flink group and deletes nothing", async () => {
    const result = await runCli(["prune-pushgateway", "-c", config, "--pushgateway-url", pushgateway.url, "--older-than", "2s", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as PruneResult;
    assert.equal(parsed.dryRun, true);
    assert.equal(parsed.jobPrefix, "flink");
    assert.deepEqual(
      parsed.stale.map((g) => g.labels),
      [OLD],
    );
    assert.deepEqual(parsed.deleted, []);
    assert.equal(parsed.groups.length, 3);
    assert.deepEqual(await groupsNow(), [OTHER.job, OLD.job, FRESH.job].sort());

    const human = await runCli(["prune-pushgateway", "-c", config, "--pushgateway-url", pushgateway.url, "--older-than", "2s"]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`^${OLD.job}\\s+cluster="demo",region="eu/west"\\s+\\d+s ago$`, "m"));
    assert.doesNotMatch(human.stdout, /batch_export|flinkaabb/);
    assert.match(
      human.stderr,
      /1 of 3 groups .* are stale \(whose job starts with "flink", no push for more than 2s\)\. Dry run: nothing deleted; run again with --apply/,
    );
  });

  it("--all-jobs makes other jobs' groups candidates too (dry run)", async () => {
    const result = await prunePushgateway({ url: pushgateway.url, olderThanSeconds: 2, jobPrefix: undefined, apply: false });
    assert.deepEqual(result.stale.map((g) => g.job).sort(), [OTHER.job, OLD.job].sort());
    assert.equal((await groupsNow()).length, 3);
  });

  it("--apply deletes the stale Flink group (label value with '/' via @base64) and leaves the others alone", async () => {
    const result = await runCli(["prune-pushgateway", "-c", config, "--pushgateway-url", pushgateway.url, "--older-than", "2s", "--apply", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as PruneResult;
    assert.deepEqual(
      parsed.deleted.map((g) => g.labels),
      [OLD],
    );
    assert.deepEqual(parsed.failed, []);
    // The Pushgateway queues a DELETE (202) and applies it right after.
    await waitFor("the stale group to disappear", async () => !(await groupsNow()).includes(OLD.job), 5000, 100);
    assert.deepEqual(await groupsNow(), [OTHER.job, FRESH.job].sort());
  });

  it("usage errors exit 2; an unreachable Pushgateway exits 1 with a clear message", async () => {
    const bad = await runCli(["prune-pushgateway", "-c", config, "--pushgateway-url", pushgateway.url, "--older-than", "soon"]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--older-than must be a duration/);
    const down = await runCli(["prune-pushgateway", "-c", config, "--pushgateway-url", "http://127.0.0.1:9", "--older-than", "2s"]);
    assert.equal(down.code, 1, down.stderr);
    assert.match(down.stderr, /^error: cannot list the groups of the Pushgateway at http:\/\/127\.0\.0\.1:9/m);
    await assert.rejects(prunePushgateway({ url: "http://127.0.0.1:9", olderThanSeconds: 2, jobPrefix: "flink", apply: false }), StackError);
  });
});

describe("prune-pushgateway --every (the sidecar's mode) against a real Pushgateway", { timeout: 60_000 }, () => {
  let pushgateway: LocalService;
  before(async () => {
    pushgateway = await startPushgateway();
  });
  after(async () => {
    await pushgateway?.stop();
  });

  it("deletes stale groups round after round, serves health and metrics, and stops cleanly on SIGTERM", async () => {
    const body = 'flink_jobmanager_numRunningJobs{host="jobmanager",} 1.0\n';
    const STALE = { job: "flink11223344556677889900aabbccddeeff", cluster: "demo" };
    const LIVE = { job: "flink-taskmanager", cluster: "demo", instance: "tm1" };
    const OTHER = { job: "batch_export" };
    await pushGroup(pushgateway.url, groupPath(STALE), body);
    await pushGroup(pushgateway.url, groupPath(OTHER), "batch_last_success_seconds 1.7e9\n");
    const keepPushing = setInterval(() => void pushGroup(pushgateway.url, groupPath(LIVE), body).catch(() => undefined), 250);
    const port = await freePort();
    // No config file anywhere: the sidecar passes everything as options.
    const { dir, cleanup } = tempDir("fps-prune-every-");
    const child = spawn(
      process.execPath,
      [
        ...CLI.args,
        "prune-pushgateway",
        "--pushgateway-url",
        pushgateway.url,
        "--older-than",
        "2s",
        "--job-prefix",
        "flink",
        "--apply",
        "--every",
        "1s",
        "--listen",
        `127.0.0.1:${port}`,
      ],
      { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const metrics = () =>
        fetch(`http://127.0.0.1:${port}/metrics`)
          .then((r) => r.text())
          .catch(() => "");
      await waitFor("the stale group deleted", async () => /^pushgateway_prune_deleted_groups_total 1$/m.test(await metrics()), 20_000);
      const groups = (await pushgatewayGroupLabels(pushgateway.url)).map((labels) => labels.job).sort();
      assert.deepEqual(groups, ["batch_export", "flink-taskmanager"], "only the stale Flink group is gone");
      const text = await metrics();
      assert.match(text, /^# TYPE pushgateway_prune_runs_total counter$/m);
      assert.match(text, /^pushgateway_prune_runs_total\{result="failure"\} 0$/m);
      assert.match(text, /^pushgateway_prune_older_than_seconds 2$/m);
      assert.ok(Number(/^pushgateway_prune_last_success_timestamp_seconds (\S+)$/m.exec(text)?.[1]) > Date.now() / 1000 - 30);
      assert.equal((await fetch(`http://127.0.0.1:${port}/-/ready`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${port}/-/healthy`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${port}/nope`)).status, 404);
      child.kill("SIGTERM");
      assert.equal(await exited, 0, output);
      assert.match(output, /deleting groups of jobs starting with "flink"/);
      assert.match(output, /Deleted 1\./);
      assert.match(output, /prune-pushgateway: stopped/);
    } finally {
      clearInterval(keepPushing);
      if (child.exitCode === null) child.kill("SIGKILL");
      cleanup();
    }
  });

  it("usage: --listen needs --every; --json is not for --every; --job-prefix and --all-jobs exclude each other", async () => {
    const base = ["prune-pushgateway", "--pushgateway-url", pushgateway.url, "--older-than", "2s", "--job-prefix", "flink"];
    for (const [extra, message] of [
      [["--listen", "9097"], /--listen needs --every/],
      [["--every", "1s", "--json"], /--json prints one result: not with --every/],
      [["--all-jobs"], /--all-jobs and --job-prefix exclude each other/],
      [["--every", "soon"], /--every must be a duration/],
      [["--every", "1s", "--listen", "host:99999"], /--listen must be \[host:\]port/],
    ] as const) {
      const result = await runCli([...base, ...extra]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
    }
  });
});
