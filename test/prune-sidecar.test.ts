// The Pushgateway prune sidecar on a real engine: a pushgateway-mode stack with `pushgateway.prune.sidecar`, started
// by the library's upStack, judged through the Pushgateway's published port, Prometheus's HTTP API, the docker CLI
// and getStackStatus.
//
// Images (there is no registry here, DOCKER.md): Prometheus and Pushgateway are Debian's binaries in the stand-ins of
// scripts/ci/standin-images.sh. The sidecar runs the default runner (image): upStack builds
// localhost/flink-prometheus-stack:<version> through the Engine API from this checkout's build (dist/, schemas,
// package.json and the production node_modules) on the base pushgateway.prune.image, here
// `scripts/ci/cli-image.sh --base`'s stand-in for node:24-alpine (the host's node, npm and busybox). The image is
// removed first, so this run builds it (npm run build first: the image holds dist/).
// Grafana, Alertmanager and node_exporter are off: no Grafana image can exist here, and alerting off makes the
// shortest valid olderThan the stale window alone (pushStaleIntervals × the reporter interval).
//
// Needs a Docker engine (`bash scripts/ci/docker-engine.sh start`) and docker on the PATH; it never skips.
//
//   npm run build && CI=true node --import tsx --test test/prune-sidecar.test.ts
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import yaml from "js-yaml";
import { checkConfig, generate } from "../lib/index.js";
import { durationMs } from "../lib/config/duration.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import type { StackPlan } from "../lib/plan/types.js";
import {
  buildCliImage,
  downStack,
  getStackStatus,
  isDockerError,
  upStack,
  type ProgressEvent,
  type StackStatus,
  type UpResult,
} from "../lib/docker/index.js";
import { buildStack } from "../lib/generate.js";
import { LOCAL_CLI_IMAGE } from "../lib/version.js";
import {
  ROOT,
  STANDIN_IMAGES,
  docker,
  ensureStandinImages,
  freePorts,
  getJson,
  projectObjects,
  promQuery,
  purgeProject,
  requireEngine,
  waitFor,
} from "./docker/helpers.js";
import { pushGroup } from "./support/local-prometheus.js";
import { requireTool } from "./support/tools.js";

const run = promisify(execFile);
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string; bin: Record<string, string> };
const CLI_IMAGE_SCRIPT = path.join(ROOT, "scripts/ci/cli-image.sh");
const SOURCE_LABEL = "org.flink-prometheus-stack.source-sha256";
const BASE_LABEL = "org.flink-prometheus-stack.base-id";

// Timing: a reporter interval of 2s and a group stale after 2 intervals → stale window 4s; with alerting off the
// shortest valid olderThan is 5s (checked against validation below). A round every 5s.
const REPORTER_INTERVAL = "2s";
const PUSH_STALE_INTERVALS = 2;
const EVERY = "5s";
const JOB_NAME = "flink";

const RUN = Math.random().toString(36).slice(2, 8);
const project = `fpsprune${RUN}`;
const outDir = mkdtempSync(path.join(tmpdir(), "fps-prune-sidecar-"));
let pusher: NodeJS.Timeout | undefined;
let nodeBase = "";

const progress: ProgressEvent[] = [];
const onProgress = (event: ProgressEvent) => {
  progress.push(event);
  if (process.env.E2E_VERBOSE) process.stderr.write(`  · ${event.step}${event.service ? ` ${event.service}` : ""}: ${event.message}\n`);
};

function stackConfig(ports: { prometheus: number; pushgateway: number }, olderThan: string, name = project, base = nodeBase): StackConfig {
  return {
    name,
    flink: {
      version: "1.18",
      reporter: { mode: "pushgateway", interval: REPORTER_INTERVAL, pushgateway: { jobName: JOB_NAME } },
      clusters: [{ name: "e2e", jobmanagers: ["jm.e2e.local"] }],
    },
    prometheus: { image: STANDIN_IMAGES.prometheus, scrapeInterval: "2s", scrapeTimeout: "1s", evaluationInterval: "2s" },
    pushgateway: {
      image: STANDIN_IMAGES.pushgateway,
      persistence: false,
      prune: { sidecar: true, olderThan, every: EVERY, image: base },
    },
    nodeExporter: { enabled: false },
    alerting: { enabled: false, rules: { thresholds: { pushStaleIntervals: PUSH_STALE_INTERVALS } } },
    grafana: { enabled: false },
    network: { bindAddress: "127.0.0.1", ports: { ...ports } },
  };
}

/** The stand-in node base image (scripts/ci/cli-image.sh --base: built once when missing; no registry). */
async function ensureNodeBase(): Promise<string> {
  requireTool("bash");
  const { stdout } = await run("bash", [CLI_IMAGE_SCRIPT, "--base"], { cwd: ROOT, maxBuffer: 16 << 20, timeout: 300_000 });
  const tag = stdout.trim().split("\n").pop() ?? "";
  assert.match(tag, /^local\/flink-prometheus-stack-node:/, stdout);
  return tag;
}

interface GroupAnswer {
  data: Array<{ labels: Record<string, string>; push_time_seconds?: { metrics?: Array<{ value?: string }> } }>;
}

async function pushgatewayJobs(pushgatewayUrl: string): Promise<string[]> {
  const answer = await getJson<GroupAnswer>(`${pushgatewayUrl}/api/v1/metrics`);
  return answer.data.map((group) => group.labels.job ?? "").sort();
}

/** The Pushgateway's own push_time_seconds of a job's group (unix seconds). */
async function pushTimeSeconds(pushgatewayUrl: string, job: string): Promise<number> {
  const answer = await getJson<GroupAnswer>(`${pushgatewayUrl}/api/v1/metrics`);
  const value = Number(answer.data.find((group) => group.labels.job === job)?.push_time_seconds?.metrics?.[0]?.value);
  assert.ok(value > 0, `no push_time_seconds for ${job}`);
  return value;
}

const metricBody = (value: number) => `# TYPE flink_jobmanager_numRunningJobs gauge\nflink_jobmanager_numRunningJobs{host="jm_e2e_local"} ${value}\n`;

before(async () => {
  await requireEngine();
  await ensureStandinImages();
  nodeBase = await ensureNodeBase();
  // This run builds the CLI image (a leftover from an earlier run would be kept as up to date).
  await docker(["image", "rm", LOCAL_CLI_IMAGE]).catch(() => "");
});

after(async () => {
  if (pusher) clearInterval(pusher);
  // downStack with volumes even when a test failed; purgeProject catches what a failed downStack left.
  await downStack(project, { volumes: true, stopTimeoutSeconds: 5 }).catch((error) => process.stderr.write(`downStack: ${String(error)}\n`));
  await purgeProject(project);
  rmSync(outDir, { recursive: true, force: true });
});

describe("pushgateway prune sidecar on a real engine", { timeout: 240_000 }, () => {
  let plan: StackPlan;
  let up: UpResult;
  let prom: string;
  let pushgatewayUrl: string;
  let olderThanSeconds: number;
  const everySeconds = durationMs(EVERY) / 1000;
  const staleJob = `${JOB_NAME}0stale${RUN}`;
  const freshJob = `${JOB_NAME}1fresh${RUN}`;
  const otherJob = `batch_export_${RUN}`;
  let staleDeletedAfterMs = 0;

  test("validation: olderThan must outlast the stale window; the shortest valid one is accepted", async () => {
    const [prometheus, pushgateway] = (await freePorts(2)) as [number, number];
    const windowSeconds = PUSH_STALE_INTERVALS * (durationMs(REPORTER_INTERVAL) / 1000);
    const atWindow = checkConfig(stackConfig({ prometheus, pushgateway }, `${windowSeconds}s`));
    assert.equal(atWindow.valid, false);
    const issue = atWindow.issues.find((i) => i.path === "pushgateway.prune.olderThan");
    assert.ok(issue, JSON.stringify(atWindow.issues));
    assert.match(issue.message, new RegExp(`must be longer than ${windowSeconds}s`), issue.message);
    olderThanSeconds = windowSeconds + 1;
    const shortest = checkConfig(stackConfig({ prometheus, pushgateway }, `${olderThanSeconds}s`));
    assert.deepEqual(shortest.issues, []);

    plan = (await generate({ config: stackConfig({ prometheus, pushgateway }, `${olderThanSeconds}s`), outDir })).plan;
    prom = `http://127.0.0.1:${prometheus}`;
    pushgatewayUrl = `http://127.0.0.1:${pushgateway}`;
    assert.deepEqual(plan.services.map((s) => s.name).sort(), ["prometheus", "pushgateway", "pushgateway-prune"]);
    const compose = yaml.load(readFileSync(path.join(outDir, "docker-compose.yml"), "utf8")) as {
      services: Record<
        string,
        { image: string; pull_policy?: string; command: string[]; ports?: string[]; healthcheck: { test: string[] }; depends_on: unknown }
      >;
    };
    const sidecar = compose.services["pushgateway-prune"]!;
    assert.equal(sidecar.image, `localhost/${PACKAGE.name}:${PACKAGE.version}`);
    assert.equal(sidecar.pull_policy, "never", "the local image is built, never pulled");
    assert.deepEqual(sidecar.command, [
      "prune-pushgateway",
      "--pushgateway-url",
      "http://pushgateway:9091",
      "--older-than",
      `${olderThanSeconds}s`,
      "--job-prefix",
      JOB_NAME,
      "--apply",
      "--every",
      EVERY,
      "--listen",
      "0.0.0.0:9097",
    ]);
    assert.equal(sidecar.ports, undefined, "the sidecar publishes no port");
    assert.deepEqual(sidecar.healthcheck.test, ["CMD", "wget", "-q", "--spider", "http://localhost:9097/-/ready"]);
    assert.deepEqual(sidecar.depends_on, { pushgateway: { condition: "service_healthy" } });
  });

  test("a base image the engine lacks and cannot pull: up fails with E_IMAGE_MISSING (exit 3) naming it, creating nothing", async () => {
    const missingBase = `localhost/fps-missing-node-${RUN}:24`;
    const other = `${project}x`;
    const { plan: missingPlan } = buildStack(stackConfig({ prometheus: 1, pushgateway: 2 }, "1h", other, missingBase));
    await assert.rejects(upStack(missingPlan, { outDir, timeoutMs: 30_000 }), (error: unknown) => {
      assert.ok(isDockerError(error), String(error));
      assert.equal(error.code, "E_IMAGE_MISSING");
      assert.equal(error.exitCode, 3);
      assert.equal(error.details.image, missingBase);
      assert.match(error.message, new RegExp(`image ${LOCAL_CLI_IMAGE.replace(/[.]/g, "\\.")} is built locally on top of ${missingBase}`));
      assert.match(error.message, /pushgateway\.prune\.image/);
      assert.match(error.message, new RegExp(`docker pull ${missingBase}`));
      assert.match(error.message, /docker load/);
      assert.doesNotMatch(error.message, /\n/, "one paragraph");
      return true;
    });
    assert.deepEqual(await projectObjects(other), { containers: [], networks: [], volumes: [] });
  });

  test("up builds the CLI image (no registry, no network) and starts the sidecar after the Pushgateway is healthy", async () => {
    assert.ok(plan, "the stack was generated");
    const started = Date.now();
    up = await upStack(plan, { outDir, timeoutMs: 150_000, onProgress });
    process.stderr.write(`  upStack (building the CLI image): ${Date.now() - started} ms\n`);
    const built = progress.find((e) => e.step === "image" && e.message.startsWith(`Built ${LOCAL_CLI_IMAGE}`));
    assert.ok(built, progress.map((e) => e.message).join("\n"));
    const [image] = JSON.parse(await docker(["image", "inspect", LOCAL_CLI_IMAGE])) as Array<{
      Id: string;
      Config: { Labels: Record<string, string>; Entrypoint: string[] };
    }>;
    assert.match(image!.Config.Labels[SOURCE_LABEL] ?? "", /^[0-9a-f]{64}$/);
    assert.equal(image!.Config.Labels[BASE_LABEL], (await docker(["image", "inspect", "-f", "{{.Id}}", nodeBase])).trim());
    assert.deepEqual(image!.Config.Entrypoint, ["node", `/opt/${PACKAGE.name}/${PACKAGE.bin[PACKAGE.name]}`]);
    // The CLI starts with no network at all: nothing is fetched at run time.
    const version = await docker(["run", "--rm", "--network", "none", "--user", "1000:1000", LOCAL_CLI_IMAGE, "--version"]);
    assert.match(version, new RegExp(PACKAGE.version.replace(/[.]/g, "\\.")));
    // The same content on the same base: kept, not built again.
    const again = await buildCliImage({ base: nodeBase });
    assert.deepEqual(again, { image: LOCAL_CLI_IMAGE, id: image!.Id, built: false });
    assert.deepEqual(up.services.map((s) => [s.name, s.action]).sort(), plan.services.map((s) => [s.name, "created"]).sort());
    assert.deepEqual(
      up.targets
        ?.filter((t) => t.local)
        .map((t) => `${t.job}:${t.health}`)
        .sort(),
      ["prometheus:up", "pushgateway-prune:up", "pushgateway:up"],
    );
    const healthy = progress.filter((e) => e.step === "health" && e.message.endsWith("is healthy")).map((e) => e.service);
    assert.ok(healthy.indexOf("pushgateway") < healthy.indexOf("pushgateway-prune"), healthy.join(", "));
    // The sidecar runs what the compose file says, in the stand-in image, without a published port.
    const [inspect] = JSON.parse(await docker(["inspect", `${project}_pushgateway-prune_1`])) as Array<{
      Image: string;
      Config: { Image: string; Cmd: string[] };
      HostConfig: { PortBindings?: unknown };
    }>;
    assert.equal(inspect!.Config.Image, LOCAL_CLI_IMAGE);
    assert.equal(inspect!.Image, image!.Id);
    assert.equal(inspect!.Config.Cmd[0], "prune-pushgateway");
    assert.deepEqual(inspect!.HostConfig.PortBindings ?? {}, {});
    // No npm ran: no npm cache in the sidecar's home.
    const npmCache = await docker(["exec", `${project}_pushgateway-prune_1`, "sh", "-c", 'ls -d "$HOME/.npm" 2>&1 || true']);
    assert.match(npmCache, /No such file or directory/, `npm ran in the sidecar: ${npmCache}`);
  });

  test("a stale prefixed group is deleted within olderThan + 2 × every; a fresh one and another job's stay", async () => {
    assert.ok(up, "the stack is up");
    const grouping = (job: string) => `/metrics/job/${job}/cluster/e2e`;
    await pushGroup(pushgatewayUrl, grouping(staleJob), metricBody(1));
    const stalePushedAt = (await pushTimeSeconds(pushgatewayUrl, staleJob)) * 1000;
    await pushGroup(pushgatewayUrl, grouping(otherJob), metricBody(2));
    await pushGroup(pushgatewayUrl, grouping(freshJob), metricBody(3));
    // The fresh group: pushed every second, as a live Flink process does at its reporter interval.
    let pushFailure: unknown;
    pusher = setInterval(() => {
      pushGroup(pushgatewayUrl, grouping(freshJob), metricBody(3)).catch((error: unknown) => {
        pushFailure = error;
      });
    }, 1000);
    assert.deepEqual(await pushgatewayJobs(pushgatewayUrl), [otherJob, staleJob, freshJob].sort());

    // Deleted at the first round after it is olderThan old: at most olderThan + every, plus a round's own time;
    // allowed olderThan + 2 × every, and 10 s slack for a loaded machine.
    const limitMs = (olderThanSeconds + 2 * everySeconds + 10) * 1000;
    await waitFor(
      `${staleJob} deleted by the sidecar`,
      async () => ((await pushgatewayJobs(pushgatewayUrl)).includes(staleJob) ? undefined : true),
      limitMs,
      250,
    );
    staleDeletedAfterMs = Date.now() - stalePushedAt;
    process.stderr.write(
      `  stale group deleted ${Math.round(staleDeletedAfterMs)} ms after its push (olderThan ${olderThanSeconds}s, every ${EVERY})\n`,
    );
    // Seen gone at most 250 ms after the delete, so never before it was olderThan old by the Pushgateway's clock.
    assert.ok(
      staleDeletedAfterMs > olderThanSeconds * 1000,
      `deleted ${staleDeletedAfterMs} ms after its push: before it was ${olderThanSeconds}s old`,
    );

    // Two more rounds: the fresh group (pushed every second) and the other job's group (never a candidate) stay.
    await new Promise((resolve) => setTimeout(resolve, 2 * everySeconds * 1000 + 1000));
    assert.deepEqual(await pushgatewayJobs(pushgatewayUrl), [otherJob, freshJob].sort());
    assert.equal(pushFailure, undefined, String(pushFailure));
    const logs = await run("docker", ["logs", `${project}_pushgateway-prune_1`]).then((r) => r.stdout + r.stderr);
    assert.match(logs, new RegExp(`prune-pushgateway: every 5s, deleting groups of jobs starting with "${JOB_NAME}"`), logs);
    assert.match(logs, new RegExp(staleJob), logs);
    assert.doesNotMatch(logs, new RegExp(`${freshJob}|${otherJob}`), logs);
  });

  test("Prometheus: target pushgateway-prune up, pushgateway_prune_deleted_groups_total ≥ 1, rounds succeed", async () => {
    assert.ok(staleDeletedAfterMs > 0, "the stale group was deleted");
    const targets = await getJson<{ data: { activeTargets: Array<{ labels: Record<string, string>; health: string; scrapeUrl: string }> } }>(
      `${prom}/api/v1/targets`,
    );
    const prune = targets.data.activeTargets.filter((t) => t.labels.job === "pushgateway-prune");
    assert.deepEqual(
      prune.map((t) => [t.scrapeUrl, t.health]),
      [["http://pushgateway-prune:9097/metrics", "up"]],
    );
    const deleted = await waitFor(
      "pushgateway_prune_deleted_groups_total ≥ 1 in Prometheus",
      async () => {
        const [series] = await promQuery(prom, 'pushgateway_prune_deleted_groups_total{job="pushgateway-prune"}');
        return series && Number(series.value?.[1]) >= 1 ? Number(series.value?.[1]) : undefined;
      },
      30_000,
      1000,
    );
    assert.equal(deleted, 1, "exactly the one stale group");
    const [success] = await promQuery(prom, 'pushgateway_prune_runs_total{job="pushgateway-prune",result="success"}');
    assert.ok(Number(success?.value?.[1]) >= 2, JSON.stringify(success));
    const [failure] = await promQuery(prom, 'pushgateway_prune_runs_total{job="pushgateway-prune",result="failure"}');
    assert.equal(Number(failure?.value?.[1]), 0);
    const [lastSuccess] = await promQuery(prom, 'time() - pushgateway_prune_last_success_timestamp_seconds{job="pushgateway-prune"}');
    assert.ok(Number(lastSuccess?.value?.[1]) < everySeconds + 10, JSON.stringify(lastSuccess));
    const [groups] = await promQuery(prom, 'pushgateway_prune_groups{job="pushgateway-prune"}');
    assert.equal(Number(groups?.value?.[1]), 2);
    const [stale] = await promQuery(prom, 'pushgateway_prune_stale_groups{job="pushgateway-prune"}');
    assert.equal(Number(stale?.value?.[1]), 0);
  });

  test("getStackStatus: the sidecar running and healthy by its own healthcheck, the stack ok", async () => {
    assert.ok(up, "the stack is up");
    const status = await waitFor(
      "every service healthy",
      async () => {
        const s: StackStatus = await getStackStatus(plan, { outDir });
        return s.services.every((svc) => svc.state === "running" && svc.health === "healthy") ? s : undefined;
      },
      60_000,
      1000,
    );
    const sidecar = status.services.find((s) => s.name === "pushgateway-prune");
    assert.equal(sidecar?.state, "running");
    assert.equal(sidecar?.health, "healthy");
    assert.equal(sidecar?.image, LOCAL_CLI_IMAGE);
    assert.deepEqual(sidecar?.ports, []);
    assert.equal(sidecar?.upToDate, true);
    assert.equal(status.ok, true, status.problems.join("; "));
    assert.ok(status.targets?.some((t) => t.job === "pushgateway-prune" && t.health === "up"));
  });

  test("down with volumes removes everything, the sidecar too", async () => {
    assert.ok(up, "the stack is up");
    if (pusher) clearInterval(pusher);
    pusher = undefined;
    const started = Date.now();
    const down = await downStack(plan, { volumes: true });
    process.stderr.write(`  downStack: ${Date.now() - started} ms\n`);
    assert.ok(down.removedContainers.includes(`${project}_pushgateway-prune_1`), JSON.stringify(down));
    assert.deepEqual(await projectObjects(project), { containers: [], networks: [], volumes: [] });
  });
});
