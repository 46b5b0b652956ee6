// Engine-free tests of `up`'s no-change check (lib/docker/steady.ts), its start gates (spec.ts startGate) and
// the plain-HTTP engine reader (engine-http.ts) against a fake engine on a unix socket.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { openEngineReader, getText, plainHttpEndpoint } from "../lib/docker/engine-http.js";
import { resolveEndpoint } from "../lib/docker/endpoint.js";
import { buildSpecs } from "../lib/docker/inputs.js";
import { containerDrafts } from "../lib/docker/spec.js";
import { LABEL_CONFIG_HASH, LABEL_FILES_HASH, LABEL_ONEOFF, LABEL_SERVICE, networkEngineName, volumeEngineName } from "../lib/docker/labels.js";
import { startAfter, startGate, startOrder } from "../lib/docker/spec.js";
import { publishedBase, steadyProblem, type ListedContainer } from "../lib/docker/steady.js";
import { buildStack } from "../lib/generate.js";

const { plan } = buildStack({
  name: "steady",
  flink: { version: "1.18", clusters: [{ name: "c1", jobmanagers: ["jm"] }] },
  nodeExporter: { enabled: true },
  grafana: { enabled: true },
  alerting: { enabled: true },
});
const outDir = "/srv/out";
const files = new Map([["prometheus/prometheus.yml", Buffer.from("global: {}\n")]]);
const specs = buildSpecs(
  plan,
  containerDrafts(plan, { project: plan.project, outDir }),
  new Map(plan.services.map((s) => [s.image, `sha256:${s.name}`])),
  files,
);
const network = networkEngineName(plan.project, plan.networkName);

/** The engine's list entry of a container created from the spec, running and healthy. */
function listed(name: string, change: Partial<ListedContainer> = {}): ListedContainer {
  const spec = specs.get(name as never);
  assert.ok(spec, name);
  return {
    Id: `id-${name}`,
    Names: [`/${spec.name}`],
    Labels: spec.create.Labels ?? {},
    State: "running",
    Status: "Up 3 minutes (healthy)",
    Ports: spec.service.ports.map((p) => ({ IP: p.hostIp, PrivatePort: p.containerPort, PublicPort: p.hostPort, Type: "tcp" })),
    NetworkSettings: { Networks: { [network]: {} } },
    Mounts: spec.service.mounts.filter((m) => m.type === "volume").map((m) => ({ Type: "volume", Name: volumeEngineName(plan.project, m.source) })),
    ...change,
  };
}
const all = () => plan.services.map((s) => listed(s.name));
const replace = (name: string, change: Partial<ListedContainer>) => all().map((c) => (c.Labels[LABEL_SERVICE] === name ? listed(name, change) : c));
const probed = { probed: true };

describe("up: the no-change check", () => {
  test("the plan's containers, running, healthy, with their current hashes: steady", () => {
    assert.equal(steadyProblem(plan, specs, all(), new Map(), probed), undefined);
    // one-off containers (docker-compose run) are not the project's services
    const oneoff = listed("prometheus", {
      Id: "x",
      Names: ["/steady_prometheus_run_1"],
      Labels: { ...listed("prometheus").Labels, [LABEL_ONEOFF]: "True" },
    });
    assert.equal(steadyProblem(plan, specs, [...all(), oneoff], new Map(), probed), undefined);
  });

  test("anything to create, start, restart, recreate, reload or remove is not steady", () => {
    const without = all().filter((c) => c.Labels[LABEL_SERVICE] !== "grafana");
    assert.match(steadyProblem(plan, specs, without, new Map(), probed) ?? "", /grafana has 0 containers/);
    assert.match(
      steadyProblem(plan, specs, [...all(), listed("grafana", { Id: "dup", Names: ["/steady_grafana_2"] })], new Map(), probed) ?? "",
      /grafana has 2/,
    );
    const orphan = listed("grafana", { Labels: { ...listed("grafana").Labels, [LABEL_SERVICE]: "old" } });
    assert.match(steadyProblem(plan, specs, [...all(), orphan], new Map(), probed) ?? "", /not in the plan/);
    const changed = replace("alertmanager", { Labels: { ...listed("alertmanager").Labels, [LABEL_CONFIG_HASH]: "other" } });
    assert.match(steadyProblem(plan, specs, changed, new Map(), probed) ?? "", /alertmanager's configuration changed/);
    assert.match(
      steadyProblem(plan, specs, replace("pushgateway", { State: "exited", Status: "Exited (137)" }), new Map(), probed) ?? "",
      /pushgateway is exited/,
    );
    assert.match(steadyProblem(plan, specs, replace("pushgateway", { Status: "Up 1 minute (unhealthy)" }), new Map(), probed) ?? "", /not healthy/);
    assert.match(
      steadyProblem(plan, specs, replace("pushgateway", { NetworkSettings: { Networks: { bridge: {} } } }), new Map(), probed) ?? "",
      /not on network/,
    );
    assert.match(
      steadyProblem(plan, specs, replace("prometheus", { Mounts: [] }), new Map(), probed) ?? "",
      /volume .*prometheus-data is not in use/,
    );
  });

  test("a health check still pending counts only when the readiness probes run", () => {
    const starting = replace("prometheus", { Status: "Up 2 seconds (health: starting)" });
    assert.equal(steadyProblem(plan, specs, starting, new Map(), probed), undefined);
    assert.match(steadyProblem(plan, specs, starting, new Map(), { probed: false }) ?? "", /prometheus is not healthy/);
  });

  test("config files: the applied marker wins over the creation label", () => {
    const prometheus = specs.get("prometheus");
    assert.ok(prometheus?.filesHash);
    const stale = replace("prometheus", { Labels: { ...listed("prometheus").Labels, [LABEL_FILES_HASH]: "created-with-old-files" } });
    assert.match(steadyProblem(plan, specs, stale, new Map(), probed) ?? "", /prometheus's config files changed/);
    assert.equal(steadyProblem(plan, specs, stale, new Map([["id-prometheus", prometheus.filesHash]]), probed), undefined);
    // reloaded to other files since: the marker says so even though the label matches
    assert.match(steadyProblem(plan, specs, all(), new Map([["id-prometheus", "reloaded-later"]]), probed) ?? "", /config files changed/);
  });

  test("published ports as loopback URLs", () => {
    assert.equal(
      publishedBase(listed("prometheus", { Ports: [{ IP: "0.0.0.0", PrivatePort: 9090, PublicPort: 19090, Type: "tcp" }] }), 9090),
      "http://127.0.0.1:19090",
    );
    assert.equal(
      publishedBase(listed("prometheus", { Ports: [{ IP: "::", PrivatePort: 9090, PublicPort: 19090, Type: "tcp" }] }), 9090),
      "http://[::1]:19090",
    );
    assert.equal(publishedBase(listed("prometheus", { Ports: [{ PrivatePort: 9090, Type: "tcp" }] }), 9090), undefined);
  });
});

describe("up: start gates", () => {
  test("Prometheus starts with the services it scrapes; the others after their dependencies are healthy", () => {
    const prometheus = plan.services.find((s) => s.name === "prometheus");
    const grafana = plan.services.find((s) => s.name === "grafana");
    assert.ok(prometheus && grafana);
    assert.ok(prometheus.dependsOn.length > 0);
    assert.deepEqual(startGate(prometheus), []);
    assert.deepEqual(startGate(grafana), grafana.dependsOn);
    // The levels stay topological: every gate is placed before the service.
    const levels = startOrder(plan.services);
    const level = new Map(levels.flatMap((l, i) => l.map((s) => [s.name, i] as const)));
    for (const s of plan.services) for (const dep of startGate(s)) assert.ok((level.get(dep as never) ?? -1) < (level.get(s.name) ?? -1));
  });

  test("Prometheus's container starts first, then the services it scrapes; it still counts as ready only after them", () => {
    const prometheus = plan.services.find((s) => s.name === "prometheus")!;
    // Its scrape targets (its dependencies it does not wait for) start once its container has started.
    const targets = prometheus.dependsOn.filter((name) => !startGate(prometheus).includes(name));
    assert.deepEqual([...targets].sort(), ["alertmanager", "node-exporter", "pushgateway"]);
    for (const name of targets)
      assert.deepEqual(
        startAfter(
          plan.services.find((s) => s.name === name)!,
          plan.services,
        ),
        ["prometheus"],
      );
    // Prometheus itself and the services that depend on it (Grafana waits for it healthy) wait for no start.
    for (const s of plan.services.filter((s) => !targets.includes(s.name))) assert.deepEqual(startAfter(s, plan.services), [], s.name);
    // No wait cycle: whatever a service starts after neither waits for its start nor for its health first.
    for (const s of plan.services) {
      for (const first of startAfter(s, plan.services)) {
        const before = plan.services.find((other) => other.name === first)!;
        assert.ok(!startAfter(before, plan.services).includes(s.name) && !startGate(before).includes(s.name), `${s.name} ↔ ${first}`);
      }
    }
    // Its readiness still follows theirs: Prometheus's dependencies are unchanged, only its start moved.
    assert.deepEqual([...prometheus.dependsOn].sort(), [...targets, ...startGate(prometheus)].sort());
  });

  test("without Prometheus nothing waits for a start", () => {
    const others = plan.services.filter((s) => s.name !== "prometheus");
    for (const s of others) assert.deepEqual(startAfter(s, others), []);
  });
});

describe("up: the plain-HTTP engine reader", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "fps-engine-http-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("negotiates like connect and reads versioned paths over the socket", async () => {
    const socketPath = path.join(dir, "docker.sock");
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url ?? "");
      if (req.url === "/version") return res.end(JSON.stringify({ Version: "20.10.24", ApiVersion: "1.41", MinAPIVersion: "1.12" }));
      if (req.url?.startsWith("/v1.41/containers/json")) return res.end("[]");
      res.statusCode = 404;
      res.end('{"message":"no such image"}');
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const endpoint = resolveEndpoint({ socketPath });
      assert.equal(plainHttpEndpoint(endpoint), true);
      const reader = await openEngineReader(endpoint);
      assert.ok(reader);
      assert.equal(reader.apiVersion, "1.41");
      assert.equal(reader.serverVersion, "20.10.24");
      assert.deepEqual(await reader.get("/containers/json?all=1"), { status: 200, body: Buffer.from("[]") });
      assert.equal((await reader.get("/images/x/json")).status, 404);
      assert.deepEqual(seen, ["/version", "/v1.41/containers/json?all=1", "/v1.41/images/x/json"]);
    } finally {
      server.close();
    }
  });

  test("no engine: undefined (connect then says why); TLS and ssh engines are left to dockerode", async () => {
    assert.equal(await openEngineReader(resolveEndpoint({ socketPath: path.join(dir, "absent.sock") })), undefined);
    assert.equal(plainHttpEndpoint(resolveEndpoint({ dockerHost: "ssh://me@host" })), false);
    assert.equal(plainHttpEndpoint(resolveEndpoint({ dockerHost: "tcp://127.0.0.1:2375" }, {})), true);
    assert.equal(plainHttpEndpoint(resolveEndpoint({ dockerHost: "https://127.0.0.1:2376" }, {})), false);
  });

  test("getText: the body of a 2xx answer, else undefined", async () => {
    const server = http.createServer((req, res) => {
      res.statusCode = req.url === "/ok" ? 200 : 503;
      res.end(req.url === "/ok" ? "ready" : "not ready");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      assert.equal(await getText(`http://127.0.0.1:${port}/ok`), "ready");
      assert.equal(await getText(`http://127.0.0.1:${port}/busy`), undefined);
    } finally {
      server.close();
    }
    assert.equal(await getText(`http://127.0.0.1:${port}/gone`), undefined);
  });
});
