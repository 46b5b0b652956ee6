// Engine-free tests of lib/docker: the ServicePlan → Engine API mapping (compared with the compose renderer's
// view of the same plan), hashes, ordering, endpoint resolution, API version negotiation, stream helpers.
// npm test and npm run test:unit run it by their globs (test/docker/*.test.ts); alone:
//   node --import tsx --test test/docker/unit.test.ts
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import yaml from "js-yaml";
import { buildStack } from "../../lib/generate.js";
import type { StackConfig } from "../../lib/generated/stack-config.js";
import { renderCompose } from "../../lib/render/compose.js";
import { resolveEndpoint, negotiateApiVersion } from "../../lib/docker/endpoint.js";
import { demux, portConflict, tarFile, untarFirstFile } from "../../lib/docker/engine.js";
import { DockerError } from "../../lib/docker/errors.js";
import { StackError } from "../../lib/errors.js";
import { canReload, canonicalJson, containerSpec, createOptions, startOrder } from "../../lib/docker/spec.js";
import {
  COMPOSE_VERSION,
  LABEL_CONFIG_HASH,
  LABEL_FILES_HASH,
  STACK_LABEL,
  networkLabels,
  volumeLabels,
} from "../../lib/docker/labels.js";
import { expectedLocalTargets } from "../../lib/docker/prometheus.js";
import { containerPathOf } from "../../lib/docker/inputs.js";

const CONFIG: StackConfig = {
  name: "unit",
  flink: { version: "1.18", clusters: [{ name: "c1", jobmanagers: ["jm"] }] },
  nodeExporter: { enabled: true },
  grafana: { enabled: true },
  alerting: { enabled: true },
};
const { plan } = buildStack(CONFIG);
const context = { project: "unit", outDir: "/srv/out" };
const service = (name: string) => {
  const found = plan.services.find((s) => s.name === name);
  assert.ok(found, name);
  return found;
};
const compose = yaml.load(renderCompose(plan).contents) as {
  services: Record<string, { image: string; command?: string[]; ports: string[]; volumes: string[]; environment?: Record<string, string>; extra_hosts?: string[]; restart: string; labels: Record<string, string> }>;
  networks: Record<string, { labels: Record<string, string> }>;
  volumes: Record<string, { labels: Record<string, string> }>;
};

describe("lib/docker unit", () => {
  test("container specs map the same ServicePlans the compose file serialises", () => {
    for (const s of plan.services) {
      const options = createOptions(plan, s, context);
      const c = compose.services[s.name];
      assert.ok(c, s.name);
      assert.equal(options.name, `unit_${s.name}_1`);
      assert.equal(options.Image, c.image);
      // Compose unescapes $$ → $; the engine gets the plan's literal.
      assert.deepEqual(options.Cmd ?? [], (c.command ?? []).map((a) => a.replaceAll("$$", "$")));
      assert.deepEqual(options.Env, Object.entries(c.environment ?? {}).map(([k, v]) => `${k}=${v.replaceAll("$$", "$")}`));
      assert.equal(options.HostConfig?.RestartPolicy?.Name, c.restart);
      assert.deepEqual(options.HostConfig?.ExtraHosts, c.extra_hosts ?? []);
      const bindings = Object.entries(options.HostConfig?.PortBindings ?? {}).flatMap(([port, list]) =>
        (list as Array<{ HostIp: string; HostPort: string }>).map((b) => `${b.HostIp}:${b.HostPort}:${port.replace("/tcp", "")}`),
      );
      assert.deepEqual(bindings, c.ports);
      const mounts = (options.HostConfig?.Mounts ?? [])
        .filter((m) => !m.Target.startsWith("/run/secrets/"))
        .map((m) => `${m.Type === "volume" ? m.Source.replace(/^unit_/, "") : m.Source.replace("/srv/out/", "./")}:${m.Target}${m.ReadOnly ? ":ro" : ""}`);
      assert.deepEqual(mounts, c.volumes);
      assert.equal(options.Labels?.[STACK_LABEL], c.labels[STACK_LABEL]);
      assert.deepEqual(Object.keys(options.NetworkingConfig?.EndpointsConfig ?? {}), ["unit_monitoring"]);
      assert.deepEqual(options.NetworkingConfig?.EndpointsConfig?.unit_monitoring?.Aliases, [s.name]);
      assert.equal(options.HostConfig?.NetworkMode, "unit_monitoring");
    }
    assert.deepEqual(networkLabels("unit", "monitoring"), {
      "com.docker.compose.project": "unit",
      "com.docker.compose.network": "monitoring",
      "com.docker.compose.version": COMPOSE_VERSION,
      ...compose.networks.monitoring?.labels,
    });
    for (const [name, v] of Object.entries(compose.volumes)) {
      assert.deepEqual(volumeLabels("unit", name), {
        "com.docker.compose.project": "unit",
        "com.docker.compose.volume": name,
        "com.docker.compose.version": COMPOSE_VERSION,
        ...v.labels,
      });
    }
  });

  test("healthchecks in nanoseconds, secrets read-only at /run/secrets, binds resolved against outDir", () => {
    const grafana = createOptions(plan, service("grafana"), context);
    assert.deepEqual(grafana.Healthcheck, {
      Test: ["CMD", "wget", "-q", "--spider", "http://localhost:3000/api/health"],
      Interval: 5e9,
      Timeout: 3e9,
      Retries: 12,
      StartPeriod: 5e9,
    });
    assert.deepEqual(
      grafana.HostConfig?.Mounts?.find((m) => m.Target === "/run/secrets/grafana_admin_password"),
      { Type: "bind", Source: "/srv/out/secrets/grafana_admin_password", Target: "/run/secrets/grafana_admin_password", ReadOnly: true },
    );
    const node = createOptions(plan, service("node-exporter"), context);
    assert.ok(node.HostConfig?.Mounts?.some((m) => m.Type === "bind" && m.Source === "/" && m.Target === "/host" && m.ReadOnly));
    assert.equal(grafana.Cmd, undefined, "no command: the image's CMD, as Compose");
    const labels = grafana.Labels ?? {};
    assert.equal(labels["com.docker.compose.project.working_dir"], "/srv/out");
    assert.equal(labels["com.docker.compose.project.config_files"], "/srv/out/docker-compose.yml");
    assert.equal(labels["com.docker.compose.oneoff"], "False");
    assert.equal(labels["com.docker.compose.container-number"], "1");
  });

  test("config hash: stable, changes with the spec and the image; reloadable files tracked apart", () => {
    const files = new Map<string, Buffer>(plan.ruleFiles.map((f) => [f, Buffer.from(`groups: [] # ${f}`)]));
    files.set("prometheus/prometheus.yml", Buffer.from("global: {}"));
    const prometheus = service("prometheus");
    const a = containerSpec(plan, prometheus, context, { imageId: "sha256:1", files });
    const b = containerSpec(plan, prometheus, context, { imageId: "sha256:1", files: new Map(files) });
    assert.equal(a.configHash, b.configHash);
    assert.equal(a.create.Labels?.[LABEL_CONFIG_HASH], a.configHash);
    assert.equal(a.create.Labels?.[LABEL_FILES_HASH], a.filesHash);
    assert.notEqual(containerSpec(plan, prometheus, context, { imageId: "sha256:2", files }).configHash, a.configHash);
    assert.notEqual(containerSpec(plan, prometheus, { ...context, outDir: "/elsewhere" }, { imageId: "sha256:1", files }).configHash, a.configHash);
    const changed = new Map(files).set("prometheus/prometheus.yml", Buffer.from("global: {scrape_interval: 5s}"));
    const c = containerSpec(plan, prometheus, context, { imageId: "sha256:1", files: changed });
    assert.equal(c.configHash, a.configHash, "a config-file change alone does not recreate Prometheus");
    assert.notEqual(c.filesHash, a.filesHash);
    assert.equal(canReload(prometheus), true);
    assert.equal(canReload(service("grafana")), false);
    assert.equal(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } }), '{"a":{"c":[3,{"e":2,"f":1}],"d":2},"b":1}');
  });

  test("start order follows dependsOn", () => {
    const levels = startOrder(plan.services).map((level) => level.map((s) => s.name));
    assert.deepEqual(levels.at(-2), ["prometheus"]);
    assert.deepEqual(levels.at(-1), ["grafana"]);
    assert.ok(levels[0]?.includes("pushgateway"));
    assert.throws(() => startOrder([{ ...service("grafana"), dependsOn: ["prometheus"] }, { ...service("prometheus"), dependsOn: ["grafana"] }]), /cycle/);
  });

  test("local targets Prometheus must report up, container paths of rule files", () => {
    assert.deepEqual(expectedLocalTargets(plan).map((t) => `${t.job}/${t.target}`).sort(), [
      "alertmanager/alertmanager:9093", "grafana/grafana:3000", "node/node-exporter:9100", "prometheus/prometheus:9090", "pushgateway/pushgateway:9091",
    ]);
    assert.equal(containerPathOf(service("prometheus"), "prometheus/rules/flink.rules.yml"), "/etc/prometheus/rules/flink.rules.yml");
    assert.equal(containerPathOf(service("prometheus"), "prometheus/prometheus.yml"), "/etc/prometheus/prometheus.yml");
  });

  test("engine endpoint: options, DOCKER_HOST, default socket", () => {
    assert.deepEqual(
      { ...resolveEndpoint({ socketPath: "/x.sock" }, { DOCKER_HOST: "tcp://10.0.0.1:2375" }), options: undefined },
      { url: "unix:///x.sock", source: "the socketPath option", local: true, options: undefined },
    );
    const tcp = resolveEndpoint({}, { DOCKER_HOST: "tcp://127.0.0.1:1" });
    assert.equal(tcp.url, "tcp://127.0.0.1:1");
    assert.equal(tcp.source, "DOCKER_HOST");
    assert.equal(tcp.local, true);
    assert.equal(tcp.options.protocol, "http");
    const remote = resolveEndpoint({ dockerHost: "tcp://docker.example:2376" }, {});
    assert.equal(remote.local, false);
    assert.equal(remote.options.protocol, "https");
    assert.equal(remote.source, "the dockerHost option");
    assert.equal(resolveEndpoint({}, { DOCKER_HOST: "unix:///run/user/1000/docker.sock" }).url, "unix:///run/user/1000/docker.sock");
    const fallback = resolveEndpoint({}, {});
    assert.match(fallback.url, /^unix:\/\/.*docker\.sock$/);
    assert.match(fallback.source, /DOCKER_HOST is not set/);
    assert.throws(() => resolveEndpoint({ dockerHost: "tcp://[bad" }, {}), (e: unknown) => e instanceof DockerError && e.code === "E_DOCKER_UNAVAILABLE");
  });

  test("API version: the lower of ours and the engine's, never below the engine's minimum", () => {
    assert.equal(negotiateApiVersion({ ApiVersion: "1.41", MinAPIVersion: "1.12" }), "1.41");
    assert.equal(negotiateApiVersion({ ApiVersion: "1.52", MinAPIVersion: "1.44" }), "1.47");
    assert.equal(negotiateApiVersion({ ApiVersion: "1.60", MinAPIVersion: "1.50" }), "1.50");
  });

  test("DockerError: a StackError with exit code 3", () => {
    const error = new DockerError("E_PORT_IN_USE", "Port 127.0.0.1:9090 is taken.", { address: "127.0.0.1:9090" });
    assert.ok(error instanceof StackError);
    assert.equal(error.exitCode, 3);
    assert.equal(error.name, "DockerError");
    const rolled = error.withRollback(["container a", "network b"]);
    assert.equal(rolled.code, "E_PORT_IN_USE");
    assert.match(rolled.message, /Removed what this run had created: container a, network b\.$/);
    assert.deepEqual(rolled.details.rolledBack, ["container a", "network b"]);
  });

  test("port conflicts in the engine's start errors (messages of engine 20.10)", () => {
    assert.deepEqual(
      portConflict("driver failed programming external connectivity on endpoint x (e27…): Bind for 127.0.0.1:29556 failed: port is already allocated"),
      { address: "127.0.0.1:29556", port: 29556 },
    );
    assert.deepEqual(
      portConflict("driver failed programming external connectivity on endpoint x (007…): Error starting userland proxy: listen tcp4 127.0.0.1:29555: bind: address already in use"),
      { address: "127.0.0.1:29555", port: 29555 },
    );
    assert.equal(portConflict("no such image"), undefined);
  });

  test("stream helpers: demultiplexing and a one-file tar", () => {
    const frame = (type: number, text: string) => {
      const body = Buffer.from(text);
      const head = Buffer.alloc(8);
      head[0] = type;
      head.writeUInt32BE(body.length, 4);
      return Buffer.concat([head, body]);
    };
    assert.equal(demux(Buffer.concat([frame(1, "out\n"), frame(2, "err\n")])), "out\nerr\n");
    assert.equal(demux(Buffer.from("plain tty output")), "plain tty output");
    assert.equal(untarFirstFile(tarFile(".marker", "abc\n")), "abc\n");
  });
});
