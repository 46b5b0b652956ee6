// The real-engine end-to-end test of up / down / status (lib/docker), judged by the docker CLI, Debian's
// docker-compose 1.29, and the real Prometheus, Pushgateway, Alertmanager and node_exporter binaries (Debian's,
// in FROM-scratch stand-in images built by scripts/ci/standin-images.sh; there is no registry here).
//
// Grafana is disabled in every stack here: Debian does not package Grafana and no registry is reachable, so no
// Grafana image can exist on this machine. Its ServicePlan → container mapping is covered by the unit tests.
//
// Needs a Docker engine (`bash scripts/ci/docker-engine.sh start`). It never skips: without an engine it fails,
// under CI=true and outside CI alike.
//
//   node --import tsx --test test/docker-e2e.test.ts
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import yaml from "js-yaml";
import { generate } from "../lib/index.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import type { StackPlan } from "../lib/plan/types.js";
import {
  DockerError,
  LABEL_CONFIG_FILES,
  LABEL_CONTAINER_NUMBER,
  LABEL_ONEOFF,
  LABEL_PROJECT,
  LABEL_SERVICE,
  LABEL_WORKING_DIR,
  downStack,
  getStackStatus,
  upStack,
  type ProgressEvent,
  type StackStatus,
  type UpResult,
} from "../lib/docker/index.js";
import { STACK_LABEL } from "../lib/render/compose.js";
import { jobManagerMetrics, pushAsFlink, readReporterSettings, taskManagerMetrics, type PushResult } from "./docker/flink-push.js";
import {
  BROKEN_IMAGES,
  STANDIN_IMAGES,
  docker,
  dockerCompose,
  ensureBrokenImages,
  ensureStandinImages,
  freePorts,
  getJson,
  projectObjects,
  promQuery,
  promQueryRange,
  purgeProject,
  requireEngine,
  waitFor,
} from "./docker/helpers.js";

const RUN = Math.random().toString(36).slice(2, 8);
const projects: string[] = [];
const tempDirs: string[] = [];

function newProject(name: string): string {
  const project = `fpse2e${RUN}${name}`;
  projects.push(project);
  return project;
}

function newOutDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fps-e2e-"));
  tempDirs.push(dir);
  return dir;
}

interface Ports {
  prometheus: number;
  pushgateway: number;
  alertmanager: number;
  nodeExporter: number;
}

async function ports(): Promise<Ports> {
  const [prometheus, pushgateway, alertmanager, nodeExporter] = (await freePorts(4)) as [number, number, number, number];
  return { prometheus, pushgateway, alertmanager, nodeExporter };
}

/** Pushgateway mode, Flink 1.18, images overridden to the stand-ins, Grafana disabled (see the header). */
function stackConfig(
  project: string,
  p: Ports,
  changes: { images?: Partial<Record<keyof typeof STANDIN_IMAGES, string>>; heap?: number; scrape?: string } = {},
): StackConfig {
  const images = { ...STANDIN_IMAGES, ...changes.images };
  return {
    name: project,
    flink: {
      version: "1.18",
      // One shared file with random suffixes (the per-process default is proven on real Flink by bench/stale.ts).
      reporter: { mode: "pushgateway", pushgateway: { jobName: "flink", randomJobNameSuffix: true } },
      clusters: [{ name: "e2e", jobmanagers: ["jm.e2e.local"], taskmanagers: ["tm1.e2e.local"] }],
    },
    prometheus: { image: images.prometheus, scrapeInterval: changes.scrape ?? "5s", scrapeTimeout: "4s", evaluationInterval: "5s" },
    pushgateway: { image: images.pushgateway, persistence: true },
    nodeExporter: { enabled: true, image: images.nodeExporter },
    alerting: {
      enabled: true,
      rules: { thresholds: { heapUsageRatio: changes.heap ?? 0.9 } },
      alertmanager: { enabled: true, image: images.alertmanager },
    },
    grafana: { enabled: false },
    network: { bindAddress: "127.0.0.1", ports: { ...p } },
    overrides: { compose: { services: { prometheus: PROMETHEUS_OVERRIDES } } },
  };
}

async function generateStack(config: StackConfig, outDir: string): Promise<StackPlan> {
  return (await generate({ config, outDir })).plan;
}

const progress: ProgressEvent[] = [];
const onProgress = (event: ProgressEvent) => {
  progress.push(event);
  if (process.env.E2E_VERBOSE) process.stderr.write(`  · ${event.step}${event.service ? ` ${event.service}` : ""}: ${event.message}\n`);
};

async function expectDockerError(promise: Promise<unknown>, code: string): Promise<DockerError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DockerError, `expected a DockerError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.exitCode, 3);
    assert.ok(!error.message.includes("\n\n"), "one paragraph");
    return error;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

async function assertNothingLeft(project: string): Promise<void> {
  assert.deepEqual(await projectObjects(project), { containers: [], networks: [], volumes: [] });
}

async function waitHealthy(plan: StackPlan, options: { outDir?: string } = {}): Promise<StackStatus> {
  return waitFor(
    "every service healthy (Docker's own healthcheck) and every local target up",
    async () => {
      const status = await getStackStatus(plan, options);
      const healthy = status.ok && status.services.every((s) => s.state === "running" && s.health === "healthy");
      return healthy ? status : undefined;
    },
    60_000,
    1000,
  );
}

/** The parts of `docker inspect` that make two containers the same service. */
/** overrides.compose of the main stack: up applies them as docker-compose does (parity test below). */
const OVERRIDE_LABEL = "e2e.override";
const PROMETHEUS_OVERRIDES = { environment: { E2E_OVERRIDE: "from overrides.compose" }, labels: { [OVERRIDE_LABEL]: "yes" }, mem_limit: "256m" };

/** The fields of `docker inspect` (a container) the tests compare. */
interface ContainerInspect {
  readonly Name: string;
  readonly Mounts: Array<{ Type: string; Source: string; Name?: string; Destination: string; RW: boolean }>;
  readonly Config: {
    readonly Labels: Record<string, string>;
    readonly Image: string;
    readonly Cmd: string[] | null;
    readonly Env: string[];
    readonly Healthcheck?: unknown;
    readonly ExposedPorts?: Record<string, unknown>;
  };
  readonly NetworkSettings: { readonly Networks: Record<string, { Aliases?: string[] }> };
  readonly HostConfig: {
    readonly PortBindings?: unknown;
    readonly Memory?: number;
    readonly RestartPolicy: { readonly Name: string };
    readonly ExtraHosts?: string[] | null;
  };
}

function essence(inspect: ContainerInspect): Record<string, unknown> {
  const labels = inspect.Config.Labels;
  const keep = [
    LABEL_PROJECT,
    LABEL_SERVICE,
    LABEL_CONTAINER_NUMBER,
    LABEL_ONEOFF,
    LABEL_WORKING_DIR,
    LABEL_CONFIG_FILES,
    STACK_LABEL,
    OVERRIDE_LABEL,
  ];
  const networks = inspect.NetworkSettings.Networks;
  return {
    name: inspect.Name,
    image: inspect.Config.Image,
    cmd: inspect.Config.Cmd,
    env: [...inspect.Config.Env].sort(),
    healthcheck: inspect.Config.Healthcheck,
    exposed: Object.keys(inspect.Config.ExposedPorts ?? {}).sort(),
    portBindings: inspect.HostConfig.PortBindings,
    restart: inspect.HostConfig.RestartPolicy.Name,
    memory: inspect.HostConfig.Memory,
    extraHosts: inspect.HostConfig.ExtraHosts ?? [],
    mounts: inspect.Mounts.map((m) => ({ type: m.Type, source: m.Type === "volume" ? m.Name : m.Source, target: m.Destination, rw: m.RW })).sort(
      (a, b) => a.target.localeCompare(b.target),
    ),
    // Compose v1 records config_files as given ("docker-compose.yml"), v2 and up as an absolute path.
    labels: Object.fromEntries(
      keep.map((k) => [k, k === LABEL_CONFIG_FILES ? path.resolve(labels[LABEL_WORKING_DIR] ?? "/", labels[k] ?? "") : labels[k]]),
    ),
    networks: Object.keys(networks).sort(),
    aliased: Object.values(networks).every((n) => n.Aliases?.includes(labels[LABEL_SERVICE] ?? "?")),
  };
}

async function inspectAll(plan: StackPlan): Promise<Record<string, Record<string, unknown>>> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const service of plan.services) {
    const [inspect] = JSON.parse(await docker(["inspect", `${plan.project}_${service.name}_1`])) as ContainerInspect[];
    result[service.name] = essence(inspect!);
  }
  return result;
}

before(async () => {
  await requireEngine();
  await ensureStandinImages();
  await ensureBrokenImages();
});

after(async () => {
  for (const project of projects) await purgeProject(project);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  for (const image of Object.values(BROKEN_IMAGES)) await docker(["rmi", "-f", image]).catch(() => undefined);
});

describe("up / status / down on a real engine", { timeout: 900_000 }, () => {
  const project = newProject("main");
  const outDir = newOutDir();
  let p: Ports;
  let plan: StackPlan;
  let first: UpResult;
  let prom: string;
  let pushes: { jm: PushResult; tm: PushResult };
  let ourContainers: Record<string, Record<string, unknown>>;
  let pushedAt: number;

  test("up creates network, volumes and containers in order and waits until Prometheus sees every target", async () => {
    p = await ports();
    plan = await generateStack(stackConfig(project, p), outDir);
    prom = `http://127.0.0.1:${p.prometheus}`;
    first = await upStack(plan, { outDir, timeoutMs: 120_000, onProgress });
    // Named steps, each timed; every progress event of the full path says which step it belongs to.
    assert.deepEqual(
      first.steps?.map((s) => s.step),
      ["compose", "inputs", "images", "specs", "survey", "ports", "network", "volumes", "containers", "verify", "cleanup"],
    );
    assert.ok(progress.filter((e) => e.step === "container").every((e) => e.phase === "containers"));
    assert.equal(first.changed, true);
    assert.deepEqual(
      first.services.map((s) => [s.name, s.action]),
      plan.services.map((s) => [s.name, "created"]),
    );
    assert.deepEqual(first.network, { name: `${project}_monitoring`, created: true });
    assert.deepEqual(
      first.volumes.map((v) => v.created),
      plan.volumes.map(() => true),
    );
    assert.match(first.engine.apiVersion, /^1\.\d+$/);
    // Prometheus's own view: every target of the stack up, the generated rule files loaded.
    assert.deepEqual(
      first.targets
        ?.filter((t) => t.local)
        .map((t) => `${t.job}:${t.health}`)
        .sort(),
      ["alertmanager:up", "node:up", "prometheus:up", "pushgateway:up"],
    );
    assert.deepEqual(first.rules?.files, plan.ruleFiles.map((f) => `/etc/prometheus/rules/${path.basename(f)}`).sort());
    // Dependency order: Prometheus's container starts first, then the services it scrapes (startGate, startAfter),
    // but it counts as healthy only after them.
    const order = progress.filter((e) => e.step === "health" && e.message.endsWith("is healthy")).map((e) => e.service);
    assert.equal(order.at(-1), "prometheus");
    const starts = progress.filter((e) => e.step === "container" && e.message.startsWith("Started ")).map((e) => e.service);
    assert.equal(starts[0], "prometheus");
    assert.deepEqual([...starts].sort(), plan.services.map((s) => s.name).sort());
    // What the docker CLI sees: Compose v1 names, the project label on every object.
    const objects = await projectObjects(project);
    assert.deepEqual(objects.containers, plan.services.map((s) => `${project}_${s.name}_1`).sort());
    assert.deepEqual(objects.networks, [`${project}_monitoring`]);
    assert.deepEqual(objects.volumes, plan.volumes.map((v) => `${project}_${v.name}`).sort());
    ourContainers = await inspectAll(plan);
    assert.equal(ourContainers.prometheus?.restart, "unless-stopped");
    // overrides.compose is on the running container, as in docker-compose.yml.
    assert.ok((ourContainers.prometheus?.env as string[]).includes("E2E_OVERRIDE=from overrides.compose"));
    assert.equal((ourContainers.prometheus?.labels as Record<string, string>)[OVERRIDE_LABEL], "yes");
    assert.equal(ourContainers.prometheus?.memory, 256 * 1024 * 1024);
    assert.equal(ourContainers.pushgateway?.memory, 0);
  });

  test("status: every service healthy by Docker's own healthcheck, every target up", async () => {
    const status = await waitHealthy(plan, { outDir });
    assert.deepEqual(status.problems, []);
    assert.ok(status.services.every((s) => s.upToDate === true && s.expected));
    assert.deepEqual(status.network, { name: `${project}_monitoring`, exists: true });
    assert.ok(status.targets?.every((t) => t.health === "up"));
    assert.deepEqual(status.services.find((s) => s.name === "prometheus")?.ports, [`127.0.0.1:${p.prometheus}->9090/tcp`]);
  });

  test("docker-compose manages the stack up started (ps, logs, up --no-recreate)", async () => {
    // Compose accepts up's network and volumes as its own (it warns when their labels differ from the file's).
    const noRecreate = await dockerCompose(["-p", project, "up", "-d", "--no-recreate"], outDir);
    assert.doesNotMatch(noRecreate.stderr, /WARNING|has changed|Recreating|Creating/, noRecreate.stderr);
    assert.deepEqual(
      (await getStackStatus(plan)).services.map((s) => s.id),
      first.services.map((s) => s.id),
    );
    const ps = await dockerCompose(["-p", project, "ps"], outDir);
    for (const service of plan.services) assert.match(ps.stdout, new RegExp(`${project}_${service.name}_1 .*Up \\(healthy\\)`));
    const logs = await dockerCompose(["-p", project, "logs", "--no-color", "--tail", "50", "prometheus"], outDir);
    assert.match(logs.stdout, /Server is ready to receive web requests/);
  });

  test("metrics pushed as Flink 1.18 does come back from Prometheus with their labels", async () => {
    const settings = readReporterSettings(path.join(outDir, "flink/e2e/flink-conf.yaml"));
    assert.equal(settings.hostUrl, `http://127.0.0.1:${p.pushgateway}`);
    assert.deepEqual(settings.groupingKey, { cluster: "e2e" });
    const jobId = "5f0c1e9d3b7a4e2f8c6d1a0b9e8f7c6d";
    pushes = {
      jm: await pushAsFlink(settings, jobManagerMetrics("jm.e2e.local", jobId)),
      tm: await pushAsFlink(settings, taskManagerMetrics("tm1.e2e.local", "tm1.e2e.local:37091-6a1b2c", jobId)),
    };
    assert.match(pushes.tm.url, /\/metrics\/job\/flink[0-9a-f]{32}\/cluster\/e2e$/);
    pushedAt = Date.now() / 1000;
    const [operator] = await waitFor("the pushed operator metric in Prometheus", async () => {
      const result = await promQuery(prom, 'flink_taskmanager_job_task_operator_numRecordsInPerSecond{job_name="My_Job"}');
      return result.length > 0 ? result : undefined;
    });
    // Exactly Flink's labels (values filtered to [a-zA-Z0-9:_]), plus the Pushgateway's job and grouping key:
    // honor_labels keeps the pushed job (no exported_job); instance="" is an absent label.
    const m = operator?.metric ?? {};
    assert.deepEqual(m, {
      __name__: "flink_taskmanager_job_task_operator_numRecordsInPerSecond",
      job: pushes.tm.job,
      cluster: "e2e",
      host: "tm1_e2e_local",
      tm_id: "tm1_e2e_local:37091_6a1b2c",
      job_id: jobId,
      job_name: "My_Job",
      task_id: "cbc357ccb763df2852fee8c4fc7d55f2",
      task_name: "Source:_Kafka____Map",
      subtask_index: "0",
      operator_id: "cbc357ccb763df2852fee8c4fc7d55f2",
      operator_name: "Source:_Kafka",
    });
    assert.match(m.job ?? "", /^flink[0-9a-f]{32}$/);
    // (No exported_job, and no task_attempt_id / task_attempt_num: scope.variables.excludes drops them.)
    assert.equal(operator?.value?.[1], "1234.5");
    const [jm] = await promQuery(prom, 'flink_jobmanager_numRegisteredTaskManagers{cluster="e2e"}');
    assert.equal(jm?.metric.job, pushes.jm.job);
    assert.equal(jm?.metric.host, "jm_e2e_local");
    assert.equal(jm?.value?.[1], "1");
    const pushTimes = await promQuery(prom, `push_time_seconds{cluster="e2e"}`);
    assert.deepEqual(pushTimes.map((s) => s.metric.job).sort(), [pushes.jm.job, pushes.tm.job].sort());
  });

  test("the generated alert rules are loaded, and the Watchdog reaches Alertmanager", async () => {
    const rules = await getJson<{ data: { groups: Array<{ name: string; file: string; rules: unknown[] }> } }>(`${prom}/api/v1/rules`);
    const expected = plan.ruleFiles.flatMap((file) => {
      const doc = yaml.load(readFileSync(path.join(outDir, file), "utf8")) as { groups: Array<{ name: string; rules: unknown[] }> };
      return doc.groups.map((g) => `${path.basename(file)}:${g.name}:${g.rules.length}`);
    });
    assert.ok(expected.length > 0);
    assert.deepEqual(rules.data.groups.map((g) => `${path.basename(g.file)}:${g.name}:${g.rules.length}`).sort(), expected.sort());
    await waitFor(
      "Watchdog firing in Prometheus",
      async () => {
        const alerts = await getJson<{ data: { alerts: Array<{ labels: Record<string, string>; state: string }> } }>(`${prom}/api/v1/alerts`);
        return alerts.data.alerts.some((a) => a.labels.alertname === "Watchdog" && a.state === "firing") ? true : undefined;
      },
      30_000,
      1000,
    );
    // Prometheus resends a firing alert only every --rules.alert.resend-delay (1m): if the first evaluation came
    // before its notifier had discovered Alertmanager, the Watchdog arrives about a minute later.
    await waitFor(
      "Watchdog in Alertmanager",
      async () => {
        const alerts = await getJson<Array<{ labels: Record<string, string> }>>(`http://127.0.0.1:${p.alertmanager}/api/v2/alerts`);
        return alerts.some((a) => a.labels.alertname === "Watchdog") ? true : undefined;
      },
      100_000,
      1000,
    );
  });

  test("up again changes nothing and says so", async () => {
    progress.length = 0;
    const again = await upStack(plan, { outDir, onProgress });
    assert.equal(again.changed, false);
    assert.ok(again.services.every((s) => s.action === "unchanged"));
    assert.deepEqual(
      again.services.map((s) => s.id),
      first.services.map((s) => s.id),
    );
    assert.match(progress.at(-1)?.message ?? "", /up to date: nothing changed/);
  });

  test("a killed container is reported by status and repaired by the next up", async () => {
    await docker(["kill", `${project}_pushgateway_1`]);
    const status = await waitFor(
      "status to see the killed pushgateway",
      async () => {
        const s = await getStackStatus(plan);
        return s.services.find((x) => x.name === "pushgateway")?.state === "exited" ? s : undefined;
      },
      20_000,
    );
    assert.equal(status.ok, false);
    assert.ok(
      status.problems.some((problem) => problem.includes("pushgateway is exited (exit code 137)")),
      status.problems.join("; "),
    );
    const repaired = await upStack(plan, { outDir, onProgress });
    assert.deepEqual(
      repaired.services.map((s) => [s.name, s.action]),
      plan.services.map((s) => [s.name, s.name === "pushgateway" ? "started" : "unchanged"]),
    );
    await waitHealthy(plan, { outDir });
  });

  test("config-file changes (rules, prometheus.yml) reload Prometheus in place: the config folder is mounted", async () => {
    const before = first.services.find((s) => s.name === "prometheus")?.id;
    plan = await generateStack(stackConfig(project, p, { heap: 0.8 }), outDir);
    const reloaded = await upStack(plan, { outDir, onProgress });
    assert.deepEqual(
      reloaded.services.map((s) => [s.name, s.action]),
      plan.services.map((s) => [s.name, s.name === "prometheus" ? "reloaded" : "unchanged"]),
    );
    assert.equal(reloaded.services.find((s) => s.name === "prometheus")?.id, before);
    const rules = await getJson<{ data: { groups: Array<{ rules: Array<{ query: string }> }> } }>(`${prom}/api/v1/rules`);
    assert.ok(JSON.stringify(rules).includes("0.8"), "the new threshold is loaded");
    assert.equal((await upStack(plan, { outDir })).changed, false);

    plan = await generateStack(stackConfig(project, p, { heap: 0.8, scrape: "6s" }), outDir);
    const second = await upStack(plan, { outDir, onProgress });
    const promResult = second.services.find((s) => s.name === "prometheus");
    assert.equal(promResult?.action, "reloaded");
    assert.equal(promResult?.id, before);
    const config = await getJson<{ data: { yaml: string } }>(`${prom}/api/v1/status/config`);
    assert.match(config.data.yaml, /scrape_interval: 6s/);
    assert.equal((await upStack(plan, { outDir })).changed, false);
  });

  test("a failed recreate removes the new container and restores the running one", async () => {
    const good = stackConfig(project, p, { heap: 0.8, scrape: "6s" });
    const before = await getStackStatus(plan);
    try {
      const broken = await generateStack(stackConfig(project, p, { heap: 0.8, scrape: "6s", images: { pushgateway: BROKEN_IMAGES.exits } }), outDir);
      const error = await expectDockerError(upStack(broken, { outDir, timeoutMs: 30_000 }), "E_NOT_READY");
      assert.match(error.message, /pushgateway exited \(code 3[;)].* before it became healthy/);
      assert.match(error.message, /fps-test: this stand-in exits on purpose/);
      assert.match(error.message, new RegExp(`Removed what this run had created: container ${project}_pushgateway_1\\.`));
    } finally {
      plan = await generateStack(good, outDir);
    }
    const after = await getStackStatus(plan);
    assert.deepEqual(
      after.services.map((s) => [s.name, s.id, s.state]),
      before.services.map((s) => [s.name, s.id, "running"]),
    );
    const objects = await projectObjects(project);
    assert.equal(objects.containers.length, plan.services.length, objects.containers.join(", "));
    const again = await upStack(plan, { outDir });
    assert.equal(again.changed, false, JSON.stringify(again.services));
  });

  test("down keeps the volumes, and up afterwards still has Prometheus's data", async () => {
    await waitFor("a few scrapes of the pushed series", async () => (Date.now() / 1000 > pushedAt + 12 ? true : undefined), 30_000);
    const beforeDown = Date.now() / 1000;
    const down = await downStack(plan, { onProgress });
    assert.deepEqual(down.removedContainers, plan.services.map((s) => `${project}_${s.name}_1`).sort());
    assert.deepEqual(down.removedNetworks, [`${project}_monitoring`]);
    assert.deepEqual(down.removedVolumes, []);
    assert.deepEqual([...down.keptVolumes].sort(), plan.volumes.map((v) => `${project}_${v.name}`).sort());
    const objects = await projectObjects(project);
    assert.deepEqual(objects.containers, []);
    assert.deepEqual(objects.networks, []);
    assert.equal(objects.volumes.length, plan.volumes.length);
    const status = await getStackStatus(plan);
    assert.equal(status.ok, false);
    assert.ok(status.services.every((s) => s.state === "missing"));

    const up = await upStack(plan, { outDir, onProgress });
    assert.ok(up.services.every((s) => s.action === "created"));
    assert.ok(
      up.volumes.every((v) => !v.created),
      "the volumes were reused",
    );
    const series = await promQueryRange(
      prom,
      'flink_taskmanager_job_task_operator_numRecordsInPerSecond{job_name="My_Job"}',
      pushedAt - 30,
      beforeDown,
      5,
    );
    assert.equal(series.length, 1);
    assert.ok((series[0]?.values?.length ?? 0) >= 2, "samples from before down survived");
    assert.equal(series[0]?.metric.tm_id, "tm1_e2e_local:37091_6a1b2c");
  });

  test("down with volumes leaves nothing carrying the project label", async () => {
    const down = await downStack(plan, { volumes: true });
    assert.deepEqual([...down.removedVolumes].sort(), plan.volumes.map((v) => `${project}_${v.name}`).sort());
    await assertNothingLeft(project);
  });

  test("docker-compose up on the generated file starts the same containers; status sees them; up takes over; docker-compose down -v removes all", async () => {
    // Reads COMPOSE_PROJECT_NAME from .env; -p says the same.
    assert.match(readFileSync(path.join(outDir, ".env"), "utf8"), new RegExp(`COMPOSE_PROJECT_NAME=${project}`));
    await dockerCompose(["-p", project, "up", "-d"], outDir);
    const status = await waitHealthy(plan);
    assert.deepEqual(
      status.services.map((s) => s.container),
      plan.services.map((s) => `${project}_${s.name}_1`),
    );
    // Parity with what up creates: image, command, environment, ports, mounts, healthcheck, restart policy,
    // extra hosts, labels, network and alias.
    const theirs = await inspectAll(plan);
    assert.deepEqual(theirs, ourContainers);
    // With the files, status says these containers are not up's (Compose computes its config hash differently),
    // as a warning: the stack is healthy all the same.
    const withFiles = await getStackStatus(plan, { outDir });
    assert.ok(withFiles.services.every((s) => s.upToDate === false));
    assert.equal(withFiles.ok, true, withFiles.problems.join("; "));
    assert.ok(withFiles.warnings.some((w) => w.includes("created by docker-compose")));
    // up takes the stack over: every container recreated once, then nothing to do.
    const takeover = await upStack(plan, { outDir, onProgress });
    assert.ok(
      takeover.services.every((s) => s.action === "recreated" && (s.reason ?? "").includes("docker-compose")),
      JSON.stringify(takeover.services),
    );
    assert.equal(takeover.network.created, false);
    assert.equal((await upStack(plan, { outDir })).changed, false);
    const ps = await dockerCompose(["-p", project, "ps"], outDir);
    for (const service of plan.services) assert.match(ps.stdout, new RegExp(`${project}_${service.name}_1 .*Up`));
    await dockerCompose(["-p", project, "down", "-v"], outDir);
    await assertNothingLeft(project);
  });
});

describe("failures: exit code 3, a clear message, nothing left behind", { timeout: 300_000 }, () => {
  test("a published port already in use", async () => {
    const project = newProject("port");
    const outDir = newOutDir();
    const p = await ports();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: "127.0.0.1", port: p.prometheus }, resolve));
    try {
      const plan = await generateStack(stackConfig(project, p), outDir);
      const error = await expectDockerError(upStack(plan, { outDir }), "E_PORT_IN_USE");
      assert.match(error.message, new RegExp(`Port 127\\.0\\.0\\.1:${p.prometheus} for prometheus is already in use`));
      assert.match(error.message, /network\.ports\.prometheus/);
      assert.equal(error.details.address, `127.0.0.1:${p.prometheus}`);
      await assertNothingLeft(project);
    } finally {
      blocker.close();
    }
  });

  test("an image that is missing and cannot be pulled", async () => {
    const project = newProject("image");
    const outDir = newOutDir();
    const plan = await generateStack(stackConfig(project, await ports(), { images: { prometheus: "local/nope:1" } }), outDir);
    const error = await expectDockerError(upStack(plan, { outDir }), "E_IMAGE_MISSING");
    assert.match(error.message, /Image local\/nope:1 \(service prometheus\) is not on the Docker engine and could not be pulled/);
    assert.match(error.message, /prometheus\.image/);
    await assertNothingLeft(project);
    const never = await expectDockerError(upStack(plan, { outDir, pull: "never" }), "E_IMAGE_MISSING");
    assert.match(never.message, /pulling is disabled \(pull: never\)/);
    await assertNothingLeft(project);
  });

  test("a container that never becomes healthy: E_NOT_READY after timeoutMs, its logs, everything removed", async () => {
    const project = newProject("sick");
    const outDir = newOutDir();
    const plan = await generateStack(stackConfig(project, await ports(), { images: { pushgateway: BROKEN_IMAGES.neverHealthy } }), outDir);
    const started = Date.now();
    const error = await expectDockerError(upStack(plan, { outDir, timeoutMs: 8000 }), "E_NOT_READY");
    assert.ok(Date.now() - started < 60_000);
    assert.match(error.message, /pushgateway did not become healthy within 8s \(timeoutMs 8000\)/);
    assert.match(error.message, /fps-test: this stand-in never listens on any port/);
    assert.match(error.message, /Removed what this run had created: .*network .*_monitoring/);
    assert.equal(error.details.service, "pushgateway");
    await assertNothingLeft(project);
  });

  test("a container that exits at once: E_NOT_READY with its last log lines", async () => {
    const project = newProject("exits");
    const outDir = newOutDir();
    const plan = await generateStack(stackConfig(project, await ports(), { images: { nodeExporter: BROKEN_IMAGES.exits } }), outDir);
    const error = await expectDockerError(upStack(plan, { outDir, timeoutMs: 60_000 }), "E_NOT_READY");
    assert.match(error.message, /node-exporter exited \(code 3[;)].* before it became healthy/);
    assert.ok((error.details.logs ?? []).length > 0);
    assert.ok(
      error.details.logs?.every((line) => line === "fps-test: this stand-in exits on purpose"),
      String(error.details.logs),
    );
    await assertNothingLeft(project);
  });

  test("the engine is not reachable: how it was looked for", async () => {
    const project = newProject("noengine");
    const outDir = newOutDir();
    const plan = await generateStack(stackConfig(project, await ports()), outDir);
    const tcp = await expectDockerError(upStack(plan, { outDir, dockerHost: "tcp://127.0.0.1:1" }), "E_DOCKER_UNAVAILABLE");
    assert.match(tcp.message, /Cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:1 \(from the dockerHost option\): connection refused/);
    const socket = await expectDockerError(getStackStatus(plan, { socketPath: "/nonexistent/docker.sock" }), "E_DOCKER_UNAVAILABLE");
    assert.match(socket.message, /unix:\/\/\/nonexistent\/docker\.sock \(from the socketPath option\): no such socket/);
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = "tcp://127.0.0.1:1";
    try {
      const env = await expectDockerError(downStack(project), "E_DOCKER_UNAVAILABLE");
      assert.match(env.message, /tcp:\/\/127\.0\.0\.1:1 \(from DOCKER_HOST\)/);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
    await assertNothingLeft(project);
  });
});
