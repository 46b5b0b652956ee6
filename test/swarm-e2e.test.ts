// The real-engine end-to-end test of target swarm (lib/render/swarm, lib/docker/swarm): a one-node swarm on
// 127.0.0.1, `up` (docker stack deploy of the generated docker-stack.yml with the Debian stand-in images), every
// Prometheus target up with node_exporter found through DNS-SD, a Flink-named push series and a Flink pull target
// (a stand-in Swarm service found through dockerswarm_sd_configs) queryable with their labels, a config change
// that rolls only Prometheus, and `down` leaving nothing. The swarm is left as found (left only when this test
// created it). Grafana is disabled: no Grafana image can exist here (see test/docker-e2e.test.ts).
//
//   node --import tsx --test test/swarm-e2e.test.ts
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import yaml from "js-yaml";
import { generate } from "../lib/index.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import { connect } from "../lib/docker/connect.js";
import { swarmDown, swarmStatus, swarmUp } from "../lib/docker/swarm/index.js";
import { leftovers } from "../lib/docker/swarm/down.js";
import { CLUSTER_LABEL, METRICS_PORT_LABEL, NAMESPACE_LABEL, ROLE_LABEL } from "../lib/render/swarm/names.js";
import { jobManagerMetrics, pushAsFlink, readReporterSettings } from "./docker/flink-push.js";
import { ROOT, STANDIN_IMAGES, docker, ensureStandinImages, freePorts, promQuery, requireEngine, waitFor } from "./docker/helpers.js";

const RUN = Math.random().toString(36).slice(2, 8);
const PROJECT = `fpsswarm${RUN}`;
const FLINK_STACK = `${PROJECT}flink`;
const NODE_LABEL = `fps-e2e-${RUN}`;
const FLINK_IMAGE = "local/fps-flink-standin:1";
const tempDirs: string[] = [];
let createdSwarm = false;
let nodeId = "";

/** The CLI from source (lib/cli/main.ts), as a user runs it: exit code and stdout. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", path.join(ROOT, "lib/cli/main.ts"), ...args], {
      cwd: ROOT,
      maxBuffer: 16 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fps-swarm-e2e-"));
  tempDirs.push(dir);
  return dir;
}

/** A TaskManager stand-in: busybox httpd serving Flink-named series in the Prometheus text format. */
async function ensureFlinkStandin(): Promise<void> {
  const present = await docker(["image", "inspect", FLINK_IMAGE]).then(
    () => true,
    () => false,
  );
  if (present) return;
  const context = tempDir();
  mkdirSync(path.join(context, "bin"));
  mkdirSync(path.join(context, "www"));
  copyFileSync("/usr/bin/busybox", path.join(context, "bin/busybox"));
  for (const applet of ["sh", "httpd", "wget"]) symlinkSync("busybox", path.join(context, "bin", applet));
  writeFileSync(
    path.join(context, "www/metrics"),
    [
      "# HELP flink_taskmanager_Status_JVM_CPU_Load CPU load (stand-in).",
      "# TYPE flink_taskmanager_Status_JVM_CPU_Load gauge",
      'flink_taskmanager_Status_JVM_CPU_Load{host="tm_standin",tm_id="tm_standin_1",} 0.25',
      "# TYPE flink_taskmanager_Status_JVM_Threads_Count gauge",
      'flink_taskmanager_Status_JVM_Threads_Count{host="tm_standin",tm_id="tm_standin_1",} 42.0',
      "",
    ].join("\n"),
  );
  writeFileSync(
    path.join(context, "Dockerfile"),
    'FROM scratch\nCOPY bin/ /bin/\nCOPY www/ /www/\nUSER 65534\nENTRYPOINT ["/bin/httpd", "-f", "-p", "9249", "-h", "/www"]\n',
  );
  await docker(["build", "-q", "-t", FLINK_IMAGE, context], { env: { ...process.env, DOCKER_BUILDKIT: "0" } });
}

function stackConfig(ports: number[], heap = 0.9): StackConfig {
  const [prometheus, pushgateway, alertmanager] = ports as [number, number, number];
  return {
    name: PROJECT,
    target: "swarm",
    swarm: { monitoringNodeLabel: NODE_LABEL, flinkServices: true },
    flink: {
      version: "1.18",
      reporter: { mode: "pushgateway", pushgateway: { jobName: "flink", randomJobNameSuffix: true } },
      clusters: [{ name: "e2e", jobmanagers: ["jm.e2e.local"] }],
    },
    prometheus: { image: STANDIN_IMAGES.prometheus, scrapeInterval: "5s", scrapeTimeout: "4s", evaluationInterval: "5s" },
    pushgateway: { image: STANDIN_IMAGES.pushgateway },
    nodeExporter: { enabled: true, image: STANDIN_IMAGES.nodeExporter },
    alerting: { enabled: true, rules: { thresholds: { heapUsageRatio: heap } }, alertmanager: { enabled: true, image: STANDIN_IMAGES.alertmanager } },
    grafana: { enabled: false },
    network: { bindAddress: "0.0.0.0", advertisedHost: "mon.e2e.local", ports: { prometheus, pushgateway, alertmanager } },
  };
}

/** The running task of each service: a rolled service has a new one. */
async function runningTasks(): Promise<Record<string, string>> {
  const { docker: engine } = await connect();
  const services = (await engine.listServices({ filters: { label: [`${NAMESPACE_LABEL}=${PROJECT}`] } })) as unknown as Array<{
    ID: string;
    Spec: { Name: string };
  }>;
  const tasks = (await engine.listTasks({ filters: { service: services.map((s) => s.ID), "desired-state": ["running"] } })) as unknown as Array<{
    ID: string;
    ServiceID: string;
  }>;
  return Object.fromEntries(
    services.map((s) => [
      s.Spec.Name.slice(PROJECT.length + 1),
      tasks
        .filter((t) => t.ServiceID === s.ID)
        .map((t) => t.ID)
        .sort()
        .join(","),
    ]),
  );
}

before(async () => {
  await requireEngine();
  await ensureStandinImages();
  await ensureFlinkStandin();
  const state = await docker(["info", "--format", "{{.Swarm.LocalNodeState}}"]);
  if (state === "inactive") {
    // Before the swarm exists, a swarm command says what is missing (not the Engine API's bare 503).
    await assert.rejects(swarmStatus(PROJECT), /is not part of a swarm \(swarm state: inactive\).*docker swarm init/);
    await docker(["swarm", "init", "--advertise-addr", "127.0.0.1"]);
    createdSwarm = true;
  }
  nodeId = await docker(["info", "--format", "{{.Swarm.NodeID}}"]);
  await docker(["node", "update", "--label-add", `${NODE_LABEL}=true`, nodeId]);
});

after(async () => {
  await docker(["stack", "rm", FLINK_STACK]).catch(() => undefined);
  await swarmDown(PROJECT, { volumes: true }).catch(() => undefined);
  if (createdSwarm) await docker(["swarm", "leave", "--force"]).catch(() => undefined);
  else await docker(["node", "update", "--label-rm", NODE_LABEL, nodeId]).catch(() => undefined);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

test("swarm e2e: deploy, DNS-SD and dockerswarm_sd targets, push and pull series, a config change rolls only Prometheus, teardown", async (t) => {
  const outDir = tempDir();
  const ports = await freePorts(3);
  const base = `http://127.0.0.1:${ports[0]}`;
  let started = Date.now();
  const { plan } = await generate({ config: stackConfig(ports), outDir });
  const up = await swarmUp(plan, { outDir, timeoutMs: 180_000 });
  t.diagnostic(`first up: ${Date.now() - started} ms`);

  await t.test("every service runs on the labelled node, node_exporter as a global service", () => {
    assert.deepEqual(
      up.services.map((s) => s.name),
      ["alertmanager", "node-exporter", "prometheus", "pushgateway"],
    );
    for (const service of up.services)
      assert.ok(service.converged && service.running === service.desired, `${service.name} ${service.running}/${service.desired}`);
    assert.equal(up.services.find((s) => s.name === "node-exporter")?.mode, "global");
    assert.equal(up.prometheusUrl, base);
  });

  await t.test("every target is up; node_exporter's task found through tasks.node-exporter, named by its node", async () => {
    assert.ok(up.targets?.length === 4 && up.targets.every((target) => target.health === "up"), JSON.stringify(up.targets));
    const node = up.targets.find((target) => target.job === "node");
    assert.match(node?.instance ?? "", /^\d+\.\d+\.\d+\.\d+:9100$/, "a task address from DNS, not a service name");
    const hostname = await docker(["node", "inspect", nodeId, "--format", "{{.Description.Hostname}}"]);
    const uname = await waitFor("node_uname_info", async () => (await promQuery(base, "node_uname_info"))[0]);
    assert.equal(uname.metric.nodename, hostname, "hostname: {{.Node.Hostname}} names the node");
  });

  await t.test("a Flink Swarm service is found through dockerswarm_sd_configs, with its cluster and role labels", async () => {
    const stackDir = tempDir();
    const network = `${PROJECT}_monitoring`;
    writeFileSync(
      path.join(stackDir, "flink.yml"),
      yaml.dump({
        version: "3.8",
        services: {
          taskmanager: {
            image: FLINK_IMAGE,
            networks: [network],
            deploy: {
              replicas: 1,
              endpoint_mode: "dnsrr",
              labels: { [METRICS_PORT_LABEL]: "9249", [CLUSTER_LABEL]: "e2e", [ROLE_LABEL]: "taskmanager" },
            },
          },
        },
        networks: { [network]: { external: true } },
      }),
    );
    await docker(["stack", "deploy", "--resolve-image", "never", "-c", path.join(stackDir, "flink.yml"), FLINK_STACK]);
    const series = await waitFor(
      "the pulled Flink series",
      async () => (await promQuery(base, 'flink_taskmanager_Status_JVM_CPU_Load{job="flink-swarm"}'))[0],
      90_000,
      2000,
    );
    assert.equal(series.metric.cluster, "e2e");
    assert.equal(series.metric.role, "taskmanager");
    assert.equal(series.metric.swarm_service, `${FLINK_STACK}_taskmanager`);
    assert.equal(series.metric.tm_id, "tm_standin_1");
    assert.equal(series.value?.[1], "0.25");
    const targets = await waitFor(
      "the flink-swarm target up",
      async () => {
        const status = await swarmStatus(PROJECT);
        return status.targets?.some((target) => target.job === "flink-swarm" && target.health === "up") ? status : undefined;
      },
      60_000,
      2000,
    );
    assert.ok(targets.ok, targets.problems.join("; "));
  });

  await t.test("a Flink-named push series is queryable with its labels", async () => {
    const settings = { ...readReporterSettings(path.join(outDir, "flink/e2e/flink-conf.yaml")), hostUrl: `http://127.0.0.1:${ports[1]}` };
    const pushed = await pushAsFlink(settings, jobManagerMetrics("jm.e2e.local", "0123456789abcdef0123456789abcdef"));
    const series = await waitFor(
      "the pushed series",
      async () => (await promQuery(base, `flink_jobmanager_numRunningJobs{job="${pushed.job}"}`))[0],
      60_000,
      1000,
    );
    assert.equal(series.metric.cluster, "e2e");
    assert.equal(series.metric.host, "jm_e2e_local");
    assert.equal(series.value?.[1], "1");
  });

  await t.test("the CLI's status --target swarm reports the stack healthy", async () => {
    const run = await cli(["status", "--project", PROJECT, "--target", "swarm", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const status = JSON.parse(run.stdout) as { ok: boolean; services: Array<{ name: string; running: number }>; targets: Array<{ health: string }> };
    assert.ok(status.ok);
    assert.equal(status.services.length, 4);
    assert.ok(status.targets.length >= 5 && status.targets.every((target) => target.health === "up"));
  });

  await t.test("a changed rule file rolls only Prometheus; the old config is removed", async () => {
    const before = await runningTasks();
    started = Date.now();
    const { plan: changed } = await generate({ config: stackConfig(ports, 0.8), outDir });
    const again = await swarmUp(changed, { outDir, timeoutMs: 180_000 });
    t.diagnostic(`rolling up: ${Date.now() - started} ms`);
    const afterUp = await runningTasks();
    assert.notEqual(afterUp.prometheus, before.prometheus, "Prometheus got a new task");
    for (const name of ["alertmanager", "node-exporter", "pushgateway"]) assert.equal(afterUp[name], before[name], `${name} kept its task`);
    assert.ok(
      again.removedObjects.some((name) => name.startsWith(`${PROJECT}_prometheus_rules_flink.rules.yml-`)),
      again.removedObjects.join(", "),
    );
    assert.ok(again.targets?.every((target) => target.health === "up"));
    const rules = await waitFor("the new threshold loaded", async () => {
      const text = await (await fetch(`${base}/api/v1/rules`)).text();
      return text.includes("0.8") ? text : undefined;
    });
    assert.ok(rules);
  });

  await t.test("down removes services, containers, network, configs, secrets and (with volumes) the volumes", async () => {
    await docker(["stack", "rm", FLINK_STACK]);
    started = Date.now();
    const run = await cli(["down", "--project", PROJECT, "--target", "swarm", "--volumes", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const down = JSON.parse(run.stdout) as { removedServices: string[]; removedVolumes: string[] };
    t.diagnostic(`down: ${Date.now() - started} ms`);
    assert.equal(down.removedServices.length, 4);
    assert.deepEqual([...down.removedVolumes].sort(), [`${PROJECT}_alertmanager-data`, `${PROJECT}_prometheus-data`, `${PROJECT}_pushgateway-data`]);
    const { docker: engine } = await connect();
    assert.deepEqual(await leftovers(engine, PROJECT), []);
    assert.equal(await docker(["volume", "ls", "-q", "--filter", `label=${NAMESPACE_LABEL}=${PROJECT}`]), "");
  });
});
