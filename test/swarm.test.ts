// The Swarm stack file (target swarm) without an engine: what a multi-node deployment depends on (placement on the
// labelled node, node_exporter global, no bind mount of the output folder, configs and secrets named by content),
// judged by the Docker CLI's own `docker stack config` (offline) and promtool.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import fc from "fast-check";
import yaml from "js-yaml";
import { buildStack } from "../lib/generate.js";
import { ConfigValidationError } from "../lib/errors.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import type { Artifact } from "../lib/render/artifact.js";
import { STACK_FILE } from "../lib/render/swarm/index.js";
import { configArb } from "./support/config-arbitraries.js";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function config(changes: Partial<StackConfig> = {}): StackConfig {
  return {
    name: "swarmunit",
    target: "swarm",
    swarm: { monitoringNodeLabel: "observability", flinkServices: true },
    flink: { version: "1.20", reporter: { mode: "pull", pull: { port: "9249" } }, clusters: [{ name: "prod", jobmanagers: ["jm.prod.internal"] }] },
    alerting: { alertmanager: { receivers: [{ name: "team", slack: { apiUrlFile: "/etc/fps/slack-url", channel: "#alerts" } }] } },
    prometheus: {
      remoteWrite: [{ url: "https://metrics.example.com/api/v1/write", basicAuth: { username: "u", passwordFile: "/etc/fps/rw-password" } }],
    },
    pushgateway: { enabled: true },
    network: { bindAddress: "0.0.0.0", advertisedHost: "mon.internal" },
    ...changes,
  };
}

type Service = Record<string, unknown> & {
  deploy: { mode: string; endpoint_mode: string; placement?: { constraints: string[] } };
  volumes?: Array<{ type: string; source: string; target: string; read_only?: boolean }>;
  configs?: Array<{ source: string; target: string }>;
  secrets?: Array<string | { source: string; target: string }>;
  ports?: Array<{ mode: string }>;
};
interface StackDoc {
  version: string;
  services: Record<string, Service>;
  configs: Record<string, { file: string; name: string }>;
  secrets: Record<string, { file: string; name: string }>;
}

function stackOf(artifacts: readonly Artifact[]): StackDoc {
  const file = artifacts.find((artifact) => artifact.path === STACK_FILE);
  assert.ok(file, "docker-stack.yml is generated");
  return yaml.load(file.contents) as StackDoc;
}

test("target swarm writes docker-stack.yml instead of docker-compose.yml, with only the keys docker stack deploy reads", () => {
  const { artifacts } = buildStack(config());
  assert.ok(!artifacts.some((artifact) => artifact.path === "docker-compose.yml"));
  const stack = stackOf(artifacts);
  assert.deepEqual(
    Object.keys(stack).filter((key) => !["version", "services", "networks", "volumes", "configs", "secrets"].includes(key)),
    [],
  );
  assert.equal(stack.version, "3.8", "Debian's docker 20.10 CLI refuses a stack file without version");
  for (const [name, service] of Object.entries(stack.services)) {
    for (const key of ["container_name", "depends_on", "restart", "build", "network_mode"]) assert.ok(!(key in service), `${name} has no ${key}`);
    assert.equal(service.deploy.endpoint_mode, "dnsrr", `${name} is reached by DNS`);
    for (const port of service.ports ?? []) assert.equal(port.mode, "host", `${name} publishes on its node`);
  }
});

test("stateful services are pinned to the labelled node, node_exporter runs on every node with the host read-only", () => {
  const stack = stackOf(buildStack(config()).artifacts);
  for (const name of ["prometheus", "alertmanager", "grafana", "pushgateway"]) {
    assert.ok(stack.services[name]?.deploy.placement?.constraints.includes("node.labels.observability==true"), `${name} placed on the labelled node`);
  }
  assert.ok(stack.services.prometheus?.deploy.placement?.constraints.includes("node.role==manager"), "dockerswarm_sd needs a manager's API");
  const nodeExporter = stack.services["node-exporter"]!;
  assert.equal(nodeExporter.deploy.mode, "global");
  assert.equal(nodeExporter.deploy.placement, undefined);
  assert.equal(nodeExporter.hostname, "{{.Node.Hostname}}");
  assert.equal(nodeExporter.ports, undefined, "not published on every node");
  assert.deepEqual(
    nodeExporter.volumes?.map((v) => `${v.type} ${v.source}:${v.target}${v.read_only ? ":ro" : ""}`),
    ["bind /:/host:ro", "bind /proc:/host/proc:ro", "bind /sys:/host/sys:ro"],
  );
});

test("no bind mount of the output folder or of a user file: configs and secrets carry them, named by content", () => {
  const stack = stackOf(buildStack(config()).artifacts);
  const binds = Object.entries(stack.services).flatMap(([name, service]) =>
    (service.volumes ?? []).filter((v) => v.type === "bind").map((v) => `${name} ${v.source}${v.read_only ? ":ro" : ""}`),
  );
  assert.deepEqual(binds.sort(), ["node-exporter /:ro", "node-exporter /proc:ro", "node-exporter /sys:ro", "prometheus /var/run/docker.sock:ro"]);
  for (const [key, object] of Object.entries(stack.configs)) {
    assert.match(object.name, /^swarmunit_[A-Za-z0-9._-]+-[0-9a-f]{12}$/, key);
    assert.ok(object.name.length <= 64, `${object.name}: swarmkit's limit`);
  }
  assert.deepEqual(Object.keys(stack.secrets).sort(), [
    "alertmanager_team-slack-url",
    "grafana_admin_password",
    "prometheus_remote-write-0-password",
  ]);
  for (const [key, secret] of Object.entries(stack.secrets)) assert.match(secret.name, /^swarmunit_.+-\$\{FPS_SECRET_[A-Z0-9_]+:-0\}$/, key);
  assert.deepEqual(stack.services.alertmanager?.secrets, [
    { source: "alertmanager_team-slack-url", target: "/etc/alertmanager-secrets/team-slack-url", mode: 0o444 },
  ]);
  assert.deepEqual(stack.services.prometheus?.configs?.map((c) => c.target).sort(), [
    "/etc/prometheus/prometheus.yml",
    "/etc/prometheus/rules/flink.rules.yml",
    "/etc/prometheus/rules/node.rules.yml",
    "/etc/prometheus/rules/stack.rules.yml",
  ]);
});

test("a changed file renames only its config: the services name configs by key, so no other spec changes", () => {
  const receivers = [{ name: "team", slack: { apiUrlFile: "/etc/fps/slack-url", channel: "#alerts" } }];
  const before = stackOf(buildStack(config()).artifacts);
  const after = stackOf(buildStack(config({ alerting: { alertmanager: { receivers, route: { repeatInterval: "12h" } } } })).artifacts);
  const changedConfigs = Object.keys(after.configs).filter((key) => after.configs[key]!.name !== before.configs[key]!.name);
  assert.deepEqual(changedConfigs, ["alertmanager_alertmanager.yml"]);
  const changedServices = Object.keys(after.services).filter(
    (name) => JSON.stringify(after.services[name]) !== JSON.stringify(before.services[name]),
  );
  assert.deepEqual(changedServices, [], "service specs name configs by key; the key's name changed");
  assert.notDeepEqual(after.configs, before.configs);
});

test("Prometheus finds node_exporter tasks by DNS and Flink services through the Swarm API", () => {
  const { artifacts } = buildStack(config());
  const prometheus = yaml.load(artifacts.find((a) => a.path === "prometheus/prometheus.yml")!.contents) as {
    scrape_configs: Array<Record<string, unknown>>;
  };
  const node = prometheus.scrape_configs.find((job) => job.job_name === "node")!;
  assert.deepEqual(node.dns_sd_configs, [{ names: ["tasks.node-exporter"], type: "A", port: 9100, refresh_interval: "10s" }]);
  assert.equal(node.static_configs, undefined);
  const swarm = prometheus.scrape_configs.find((job) => job.job_name === "flink-swarm")!;
  assert.deepEqual(swarm.dockerswarm_sd_configs, [{ host: "unix:///var/run/docker.sock", role: "tasks" }]);
  const relabel = swarm.relabel_configs as Array<{ source_labels: string[]; regex?: string; action?: string }>;
  assert.deepEqual(
    relabel.slice(0, 2).map((r) => [r.source_labels[0], r.regex, r.action]),
    [
      ["__meta_dockerswarm_task_desired_state", "running", "keep"],
      ["__meta_dockerswarm_network_name", "swarmunit_monitoring", "keep"],
    ],
  );
  // Without flinkServices: no socket, no manager constraint, no job.
  const plain = buildStack(config({ swarm: { monitoringNodeLabel: "observability" } })).artifacts;
  assert.ok(!plain.find((a) => a.path === "prometheus/prometheus.yml")!.contents.includes("dockerswarm_sd_configs"));
  const stack = stackOf(plain);
  assert.deepEqual(stack.services.prometheus?.deploy.placement?.constraints, ["node.labels.observability==true"]);
  assert.ok(!(stack.services.prometheus?.volumes ?? []).some((v) => v.type === "bind"));
});

test("a bind address other than a wildcard is a config error: Swarm publishes on every address of the node", () => {
  assert.throws(
    () => buildStack(config({ network: { bindAddress: "127.0.0.1" } })),
    (error: unknown) => {
      assert.ok(error instanceof ConfigValidationError);
      assert.equal(error.issues[0]?.path, "network.bindAddress");
      assert.match(error.issues[0]?.hint ?? "", /0\.0\.0\.0/);
      return true;
    },
  );
  // --target replaces the config's target: the same config is fine for compose.
  assert.ok(
    buildStack(config({ network: { bindAddress: "127.0.0.1" } }), { target: "compose" }).artifacts.some((a) => a.path === "docker-compose.yml"),
  );
});

function writeStack(artifacts: readonly Artifact[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fps-swarm-unit-"));
  dirs.push(dir);
  for (const artifact of artifacts) {
    mkdirSync(path.dirname(path.join(dir, artifact.path)), { recursive: true });
    writeFileSync(path.join(dir, artifact.path), artifact.contents);
  }
  return dir;
}

test("docker stack config (Docker CLI, offline) accepts the file and resolves every config and secret file", () => {
  const probe = spawnSync("docker", ["stack", "config", "--help"], { encoding: "utf8" });
  assert.equal(probe.status, 0, "this test needs a Docker CLI with `docker stack config` (23+)");
  const secretsDir = mkdtempSync(path.join(tmpdir(), "fps-swarm-secrets-"));
  dirs.push(secretsDir);
  for (const file of ["slack-url", "rw-password"]) writeFileSync(path.join(secretsDir, file), "x\n", { mode: 0o600 });
  const { artifacts } = buildStack(
    config({
      alerting: { alertmanager: { receivers: [{ name: "team", slack: { apiUrlFile: path.join(secretsDir, "slack-url"), channel: "#alerts" } }] } },
      prometheus: {
        remoteWrite: [
          { url: "https://metrics.example.com/api/v1/write", basicAuth: { username: "u", passwordFile: path.join(secretsDir, "rw-password") } },
        ],
      },
    }),
  );
  const dir = writeStack(artifacts);
  mkdirSync(path.join(dir, "secrets"));
  writeFileSync(path.join(dir, "secrets/grafana_admin_password"), "x\n", { mode: 0o600 });
  const merged = yaml.load(
    execFileSync("docker", ["stack", "config", "-c", path.join(dir, STACK_FILE)], {
      encoding: "utf8",
      env: { ...process.env, FPS_SECRET_GRAFANA_ADMIN_PASSWORD: "0123456789ab" },
    }),
  ) as StackDoc;
  assert.equal(merged.secrets.grafana_admin_password?.name, "swarmunit_grafana_admin_password-0123456789ab");
  for (const object of [...Object.values(merged.configs), ...Object.values(merged.secrets)]) assert.ok(path.isAbsolute(object.file), object.file);
  assert.deepEqual(merged.services["node-exporter"]?.deploy.mode, "global");
});

test("promtool accepts the Swarm prometheus.yml (dns_sd_configs, dockerswarm_sd_configs)", () => {
  const { artifacts } = buildStack(config());
  const dir = writeStack(artifacts);
  const file = path.join(dir, "prometheus/prometheus.yml");
  // Rule files are named by their container path: point them at the written copies.
  const doc = yaml.load(artifacts.find((a) => a.path === "prometheus/prometheus.yml")!.contents) as { rule_files: string[] };
  doc.rule_files = doc.rule_files.map((rule) => path.join(dir, "prometheus", path.relative("/etc/prometheus", rule)));
  writeFileSync(file, yaml.dump(doc));
  const result = spawnSync("promtool", ["check", "config", file], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test("property: every valid config builds a Swarm stack whose config/secret sources are generated or user files, with no other bind", () => {
  fc.assert(
    fc.property(configArb, fc.boolean(), (raw, flinkServices) => {
      const network = { ...((raw.network as Record<string, unknown> | undefined) ?? {}), bindAddress: "0.0.0.0" };
      const { artifacts } = buildStack({ ...raw, network, target: "swarm", swarm: { flinkServices } });
      const stack = stackOf(artifacts);
      const paths = new Set(artifacts.map((artifact) => artifact.path));
      for (const [key, object] of Object.entries(stack.configs ?? {})) {
        assert.ok(paths.has(object.file.replace(/^\.\//, "")), `${key}: ${object.file} is a generated file`);
        assert.ok(object.name.length <= 64, object.name);
      }
      for (const [name, service] of Object.entries(stack.services)) {
        for (const volume of service.volumes ?? []) {
          if (volume.type !== "bind") continue;
          assert.ok(volume.read_only, `${name}: ${volume.source} read-only`);
          assert.ok(["/", "/proc", "/sys", "/var/run/docker.sock"].includes(volume.source), `${name}: ${volume.source} exists on every node`);
        }
        assert.equal(service.deploy.mode, name === "node-exporter" ? "global" : "replicated");
      }
      return true;
    }),
    { numRuns: 60, seed: 20261207 },
  );
});

test("CLI: --target swarm on a loopback config exits 1 naming network.bindAddress and writes nothing; a bad --target is a usage error", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "fps-swarm-cli-"));
  dirs.push(dir);
  const file = path.join(dir, "flink-stack.yaml");
  writeFileSync(
    file,
    yaml.dump({
      name: "swarmcli",
      flink: { version: "1.20", clusters: [{ name: "a", jobmanagers: ["localhost"] }] },
      overrides: { compose: { services: {} } },
    }),
  );
  const main = path.resolve(import.meta.dirname, "../lib/cli/main.ts");
  const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", main, ...args], { cwd: path.dirname(main), encoding: "utf8" });
  const refused = run(["generate", "-c", file, "-o", path.join(dir, "out"), "--target", "swarm"]);
  assert.equal(refused.status, 1, refused.stderr);
  assert.match(refused.stderr, /network\.bindAddress/);
  assert.match(refused.stderr, /overrides\.compose/);
  assert.doesNotMatch(refused.stderr, /at .+\.ts:\d+/, "no stack trace");
  assert.equal(spawnSync("ls", [path.join(dir, "out")]).status, 2, "nothing written");
  const usage = run(["generate", "-c", file, "--target", "nomad"]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--target must be compose, swarm or kubernetes/);
  assert.equal(run(["generate", "-c", file, "-o", path.join(dir, "out"), "--target", "compose"]).status, 0);
});
