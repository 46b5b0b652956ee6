// Engine-free tests of lib/docker: the ServicePlan → Engine API mapping (compared with the compose renderer's
// view of the same plan), hashes, ordering, endpoint resolution, API version negotiation, stream helpers.
// No engine needed: run by the test glob (npm test), or alone with
//   node --import tsx --test test/docker-unit.test.ts
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import yaml from "js-yaml";
import { buildStack } from "../lib/generate.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import { renderCompose } from "../lib/render/compose.js";
import { resolveEndpoint, negotiateApiVersion } from "../lib/docker/endpoint.js";
import { demux, portConflict, tarFile, untarFirstFile } from "../lib/docker/engine.js";
import { DockerError } from "../lib/docker/errors.js";
import { StackError } from "../lib/errors.js";
import { canReload, canonicalJson, containerDrafts, containerSpec, createOptions, startOrder } from "../lib/docker/spec.js";
import { SUPPORTED_SERVICE_KEYS } from "../lib/docker/compose-spec.js";
import type { ContainerCreateOptions } from "../lib/docker/engine-types.js";
import type { StackPlan } from "../lib/plan/types.js";
import { Wait, describeWait, httpEndpoint, httpWaits } from "../lib/plan/wait.js";
import { COMPOSE_VERSION, LABEL_CONFIG_HASH, LABEL_FILES_HASH, STACK_LABEL, networkLabels, volumeLabels } from "../lib/docker/labels.js";
import { expectedLocalTargets } from "../lib/docker/prometheus.js";
import { containerPathOf } from "../lib/docker/inputs.js";

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
  services: Record<
    string,
    {
      image: string;
      command?: string[];
      ports: string[];
      volumes: string[];
      environment?: Record<string, string>;
      extra_hosts?: string[];
      restart: string;
      labels: Record<string, string>;
    }
  >;
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
      assert.deepEqual(
        options.Cmd ?? [],
        (c.command ?? []).map((a) => a.replaceAll("$$", "$")),
      );
      assert.deepEqual(
        options.Env,
        Object.entries(c.environment ?? {}).map(([k, v]) => `${k}=${v.replaceAll("$$", "$")}`),
      );
      assert.equal(options.HostConfig?.RestartPolicy?.Name, c.restart);
      assert.deepEqual(options.HostConfig?.ExtraHosts, c.extra_hosts ?? []);
      const bindings = Object.entries(options.HostConfig?.PortBindings ?? {}).flatMap(([port, list]) =>
        (list as Array<{ HostIp: string; HostPort: string }>).map((b) => `${b.HostIp}:${b.HostPort}:${port.replace("/tcp", "")}`),
      );
      assert.deepEqual(bindings, c.ports);
      const mounts = (options.HostConfig?.Mounts ?? [])
        .filter((m) => !m.Target.startsWith("/run/secrets/"))
        .map(
          (m) =>
            `${m.Type === "volume" ? m.Source.replace(/^unit_/, "") : m.Source.replace("/srv/out/", "./")}:${m.Target}${m.ReadOnly ? ":ro" : ""}`,
        );
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
    assert.throws(
      () =>
        startOrder([
          { ...service("grafana"), dependsOn: ["prometheus"] },
          { ...service("prometheus"), dependsOn: ["grafana"] },
        ]),
      /cycle/,
    );
  });

  test("local targets Prometheus must report up, container paths of rule files", () => {
    assert.deepEqual(
      expectedLocalTargets(plan)
        .map((t) => `${t.job}/${t.target}`)
        .sort(),
      [
        "alertmanager/alertmanager:9093",
        "grafana/grafana:3000",
        "node/node-exporter:9100",
        "prometheus/prometheus:9090",
        "pushgateway/pushgateway:9091",
      ],
    );
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
    assert.throws(
      () => resolveEndpoint({ dockerHost: "tcp://[bad" }, {}),
      (e: unknown) => e instanceof DockerError && e.code === "E_DOCKER_UNAVAILABLE",
    );
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
      portConflict(
        "driver failed programming external connectivity on endpoint x (e27…): Bind for 127.0.0.1:29556 failed: port is already allocated",
      ),
      { address: "127.0.0.1:29556", port: 29556 },
    );
    assert.deepEqual(
      portConflict(
        "driver failed programming external connectivity on endpoint x (007…): Error starting userland proxy: listen tcp4 127.0.0.1:29555: bind: address already in use",
      ),
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

describe("overrides.compose: up starts what docker-compose.yml says, or refuses before anything starts", () => {
  const withOverride = (prometheus: Record<string, unknown>, top: Record<string, unknown> = {}) =>
    buildStack({ ...CONFIG, overrides: { compose: { ...top, services: { prometheus } } } }).plan;
  const prometheusSpec = (p: StackPlan) => {
    const s = p.services.find((x) => x.name === "prometheus");
    assert.ok(s);
    return containerSpec(p, s, context, { imageId: "sha256:1", files: new Map() });
  };
  const base = prometheusSpec(plan);

  const supported: Array<{ key: string; override: Record<string, unknown>; seen: (o: ContainerCreateOptions) => unknown; expected: unknown }> = [
    { key: "environment", override: { environment: { GOGC: "50", COST: "$$5" } }, seen: (o) => o.Env, expected: ["GOGC=50", "COST=$5"] },
    { key: "environment (list)", override: { environment: ["GOGC=50"] }, seen: (o) => o.Env, expected: ["GOGC=50"] },
    {
      key: "command",
      override: { command: ["--config.file=/etc/prometheus/prometheus.yml", "--log.level=debug"] },
      seen: (o) => o.Cmd,
      expected: ["--config.file=/etc/prometheus/prometheus.yml", "--log.level=debug"],
    },
    {
      key: "command (string)",
      override: { command: `--log.level=debug "--web.page-title=My Prom"` },
      seen: (o) => o.Cmd,
      expected: ["--log.level=debug", "--web.page-title=My Prom"],
    },
    { key: "entrypoint", override: { entrypoint: ["/bin/prometheus"] }, seen: (o) => o.Entrypoint, expected: ["/bin/prometheus"] },
    {
      key: "image",
      override: { image: "registry.example.com/prom/prometheus:v3.5.0" },
      seen: (o) => o.Image,
      expected: "registry.example.com/prom/prometheus:v3.5.0",
    },
    {
      key: "ports",
      override: { ports: ["127.0.0.1:19090:9090"] },
      seen: (o) => o.HostConfig.PortBindings,
      expected: { "9090/tcp": [{ HostIp: "127.0.0.1", HostPort: "19090" }] },
    },
    {
      key: "volumes",
      override: { volumes: ["./prometheus:/etc/prometheus:ro", "prometheus-data:/prometheus", "/var/lib/extra:/extra"] },
      seen: (o) => o.HostConfig.Mounts.filter((m) => !m.Target.startsWith("/run/secrets/")),
      expected: [
        { Type: "bind", Source: "/srv/out/prometheus", Target: "/etc/prometheus", ReadOnly: true },
        { Type: "volume", Source: "unit_prometheus-data", Target: "/prometheus", ReadOnly: false },
        { Type: "bind", Source: "/var/lib/extra", Target: "/extra", ReadOnly: false },
      ],
    },
    { key: "labels", override: { labels: { team: "data" } }, seen: (o) => o.Labels.team, expected: "data" },
    { key: "mem_limit", override: { mem_limit: "512m" }, seen: (o) => o.HostConfig.Memory, expected: 512 * 1024 * 1024 },
    { key: "cpus", override: { cpus: 1.5 }, seen: (o) => o.HostConfig.NanoCpus, expected: 1.5e9 },
    { key: "user", override: { user: "65534:65534" }, seen: (o) => o.User, expected: "65534:65534" },
    { key: "working_dir", override: { working_dir: "/prometheus" }, seen: (o) => o.WorkingDir, expected: "/prometheus" },
    { key: "read_only", override: { read_only: true }, seen: (o) => o.HostConfig.ReadonlyRootfs, expected: true },
    {
      key: "extra_hosts",
      override: { extra_hosts: ["flink.example:10.0.0.5"] },
      seen: (o) => o.HostConfig.ExtraHosts,
      expected: ["flink.example:10.0.0.5"],
    },
    {
      key: "healthcheck",
      override: { healthcheck: { test: "wget -q --spider http://localhost:9090/-/healthy", interval: "2s", retries: 3 } },
      seen: (o) => o.Healthcheck,
      expected: {
        Test: ["CMD-SHELL", "wget -q --spider http://localhost:9090/-/healthy"],
        Interval: 2e9,
        Timeout: 3e9,
        Retries: 3,
        StartPeriod: 5e9,
      },
    },
    { key: "healthcheck.disable", override: { healthcheck: { disable: true } }, seen: (o) => o.Healthcheck, expected: { Test: ["NONE"] } },
    {
      key: "restart",
      override: { restart: "on-failure:3" },
      seen: (o) => o.HostConfig.RestartPolicy,
      expected: { Name: "on-failure", MaximumRetryCount: 3 },
    },
    {
      key: "logging",
      override: { logging: { driver: "json-file", options: { "max-size": "10m", "max-file": "3" } } },
      seen: (o) => o.HostConfig.LogConfig,
      expected: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
    },
  ];
  for (const { key, override, seen, expected } of supported) {
    test(`${key}: changes the container spec and its config hash`, () => {
      const spec = prometheusSpec(withOverride(override));
      assert.deepEqual(seen(spec.create), expected);
      assert.notDeepEqual(seen(base.create), expected, "the override must change something");
      assert.notEqual(spec.configHash, base.configHash, "a changed spec recreates the container");
    });
  }

  test("the healthcheck up runs itself follows the override", () => {
    const spec = prometheusSpec(withOverride({ healthcheck: { test: ["CMD", "true"], timeout: "1s" } }));
    assert.deepEqual(spec.healthTest, ["CMD", "true"]);
    assert.equal(spec.healthTimeoutSeconds, 1);
  });

  const refused: Array<{ key: string; override: Record<string, unknown>; top?: Record<string, unknown>; path: RegExp }> = [
    { key: "deploy", override: { deploy: { replicas: 2 } }, path: /services\.prometheus\.deploy is not supported/ },
    { key: "container_name", override: { container_name: "prom" }, path: /services\.prometheus\.container_name/ },
    { key: "cap_add", override: { cap_add: ["NET_ADMIN"] }, path: /services\.prometheus\.cap_add/ },
    {
      key: "interpolation",
      override: { environment: { HOME_DIR: "${HOME}" } },
      path: /services\.prometheus\.environment\.HOME_DIR uses variable interpolation/,
    },
    { key: "environment from the shell", override: { environment: ["AWS_KEY"] }, path: /services\.prometheus\.environment\[0\]/ },
    { key: "depends_on", override: { depends_on: { grafana: { condition: "service_started" } } }, path: /services\.prometheus\.depends_on differs/ },
    {
      key: "a second network",
      override: { networks: ["monitoring", "other"] },
      top: { networks: { other: {} } },
      path: /networks\.other is a network the stack does not plan/,
    },
    { key: "a port range", override: { ports: ["9090-9091:9090-9091"] }, path: /services\.prometheus\.ports\[0\]/ },
    {
      key: "a new service",
      override: {},
      top: { services: { prometheus: {}, extra: { image: "busybox" } } },
      path: /services\.extra is a service the stack does not plan/,
    },
    { key: "top-level configs", override: {}, top: { configs: { c: { file: "./c" } } }, path: /^docker-compose.yml key configs is not supported/ },
  ];
  for (const { key, override, top, path: expected } of refused) {
    test(`${key}: refused with the key named, before anything starts`, () => {
      const p = buildStack({ ...CONFIG, overrides: { compose: { services: { prometheus: override }, ...top } } }).plan;
      assert.throws(
        () => containerDrafts(p, context),
        (error: unknown) => {
          assert.ok(error instanceof DockerError, String(error));
          assert.equal(error.code, "E_COMPOSE_UNSUPPORTED");
          assert.equal(error.exitCode, 3);
          assert.match(error.message, expected);
          assert.match(error.message, /Remove it from overrides\.compose .* or start the stack with `docker compose up -d`/);
          return true;
        },
      );
    });
  }

  test("without overrides the translation is the compose file's services, key for key", () => {
    assert.deepEqual([...SUPPORTED_SERVICE_KEYS].sort(), [...new Set(SUPPORTED_SERVICE_KEYS)].sort());
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const key of Object.keys(svc)) assert.ok((SUPPORTED_SERVICE_KEYS as readonly string[]).includes(key), `${name}.${key}`);
    }
  });
});

describe("wait strategies as plan data", () => {
  test("every planned service waits for its healthcheck and its HTTP endpoint", () => {
    for (const s of plan.services) {
      assert.equal(s.wait.kind, "all", s.name);
      assert.deepEqual(s.wait.kind === "all" && s.wait.strategies.map((w) => w.kind), ["healthcheck", "http"], s.name);
    }
    assert.deepEqual(httpEndpoint(service("prometheus")), { kind: "http", path: "/-/ready", port: 9090 });
    assert.equal(describeWait(service("grafana").wait), "its healthcheck and HTTP /api/health on port 3000");
  });

  test("builders: timeouts, log patterns checked where they are written", () => {
    assert.deepEqual(Wait.forHttp("/x", 80, { timeoutMs: 5000 }), { kind: "http", path: "/x", port: 80, timeoutMs: 5000 });
    assert.deepEqual(Wait.forLogMessage(/ready to (serve|accept)/), { kind: "log", pattern: "ready to (serve|accept)" });
    assert.throws(() => Wait.forLogMessage("(unclosed"), SyntaxError);
    const all = Wait.forAll([Wait.forHealthCheck(), Wait.forLogMessage("up"), Wait.forHttp("/a", 1), Wait.forAll([Wait.forHttp("/b", 2)])]);
    assert.deepEqual(
      httpWaits(all).map((w) => w.path),
      ["/a", "/b"],
    );
    assert.equal(describeWait(all), "its healthcheck and a log line matching /up/ and HTTP /a on port 1 and HTTP /b on port 2");
  });

  test("the demo's Flink services wait by what each of them offers", async () => {
    const { buildDemo, TASKMANAGER_REGISTERED, JOB_SUBMITTED, demoJobScript } = await import("../lib/demo/demo.js");
    const push = buildDemo({ mode: "pushgateway" }).plan;
    const pull = buildDemo({ mode: "pull" }).plan;
    const of = (p: StackPlan, name: string) => p.services.find((s) => s.name === name)?.wait;
    assert.equal(describeWait(of(push, "flink-jobmanager")!), "its healthcheck and HTTP /overview on port 8081");
    assert.equal(describeWait(of(push, "flink-taskmanager")!), `its healthcheck and a log line matching /${TASKMANAGER_REGISTERED.source}/`);
    assert.equal(describeWait(of(pull, "flink-taskmanager")!), "its healthcheck and HTTP /metrics on port 9249");
    assert.equal(describeWait(of(push, "flink-job")!), `its healthcheck and a log line matching /${JOB_SUBMITTED.source}/`);
    // The submitter's script prints the line its strategy waits for.
    assert.ok(
      demoJobScript()
        .split("\n")
        .some((line) => line.startsWith('echo "') && JOB_SUBMITTED.test(line.slice('echo "'.length))),
    );
  });
});
