// The prune sidecar's runners without an engine: the default (image) runs a locally built image of this CLI and
// needs no registry at run time; npx stays an explicit choice. The build context is what npm pack ships plus the
// production dependencies, laid out so Node resolves every dependency to the version installed here. The
// real-engine side (build through the Engine API, sidecar healthy, no network) is test/prune-sidecar.test.ts.
//
//   npm run build && node --import tsx --test test/prune-runner.test.ts
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import yaml from "js-yaml";
import { checkConfig } from "../lib/index.js";
import { buildStack } from "../lib/generate.js";
import { renderCompose } from "../lib/render/compose.js";
import { packageContextFiles, packageRoot } from "../lib/docker/build-image.js";
import type { StackConfig } from "../lib/generated/stack-config.js";
import { LOCAL_CLI_IMAGE, PACKAGE_NAME, PACKAGE_VERSION } from "../lib/version.js";
import { REPO_ROOT, runCli, tempDir } from "./support/cli.js";

const config = (prune: NonNullable<NonNullable<StackConfig["pushgateway"]>["prune"]>): StackConfig => ({
  flink: { version: "1.18", clusters: [{ name: "prod", jobmanagers: ["jm1.example.internal"] }] },
  pushgateway: { prune },
});

function sidecarOf(stack: StackConfig) {
  const { plan } = buildStack(stack);
  const service = plan.services.find((s) => s.name === "pushgateway-prune");
  assert.ok(service, "the sidecar is planned");
  const compose = yaml.load(renderCompose(plan).contents) as { services: Record<string, Record<string, unknown>> };
  return { service, compose: compose.services["pushgateway-prune"]! };
}

describe("pushgateway.prune.runner", () => {
  it("default (image): the local CLI image, built on pushgateway.prune.image, never pulled, no npx", () => {
    const { service, compose } = sidecarOf(config({ sidecar: true }));
    assert.equal(LOCAL_CLI_IMAGE, `localhost/${PACKAGE_NAME}:${PACKAGE_VERSION}`);
    assert.equal(service.image, LOCAL_CLI_IMAGE);
    assert.deepEqual(service.localBuild, { base: "node:24.11.1-alpine" });
    assert.equal(service.command[0], "prune-pushgateway");
    assert.ok(!service.command.includes("npx"));
    assert.deepEqual(service.environment, {});
    assert.equal(compose.image, LOCAL_CLI_IMAGE);
    assert.equal(compose.pull_policy, "never");
    assert.equal(compose.user, "1000:1000");
  });

  it("the base is the configured Node.js image", () => {
    const { service } = sidecarOf(config({ sidecar: true, image: "registry.example.com/node:22.20.0-alpine" }));
    assert.deepEqual(service.localBuild, { base: "registry.example.com/node:22.20.0-alpine" });
    assert.equal(service.image, LOCAL_CLI_IMAGE);
  });

  it("npx: the former command in the Node.js image, as an explicit choice", () => {
    const { service, compose } = sidecarOf(config({ sidecar: true, runner: "npx" }));
    assert.equal(service.image, "node:24.11.1-alpine");
    assert.equal(service.localBuild, undefined);
    assert.deepEqual(service.command.slice(0, 4), ["npx", "--yes", `${PACKAGE_NAME}@${PACKAGE_VERSION}`, "prune-pushgateway"]);
    assert.equal(service.healthcheck.startPeriodSeconds, 60);
    assert.equal(compose.pull_policy, undefined);
  });

  it("another runner is refused with the path and the choices", () => {
    const result = checkConfig({ ...config({ sidecar: true }), pushgateway: { prune: { sidecar: true, runner: "docker" as "npx" } } });
    assert.equal(result.valid, false);
    const issue = result.issues.find((i) => i.path === "pushgateway.prune.runner");
    assert.ok(issue, JSON.stringify(result.issues));
    assert.match(`${issue.message} ${issue.hint ?? ""}`, /image.*npx|npx.*image/);
  });
});

describe("the CLI image's build context", () => {
  let files: Array<{ source: string; target: string }>;
  before(async () => {
    files = (await packageContextFiles(await packageRoot())).files;
  });

  it("holds what npm pack ships: package.json, the bin, the schemas, LICENSE", () => {
    const targets = new Set(files.map((f) => f.target));
    for (const file of ["package.json", "dist/cli/main.js", "schemas/stack.schema.json", "LICENSE"]) assert.ok(targets.has(file), file);
    assert.ok(![...targets].some((t) => t.startsWith("lib/") || t.startsWith("test/")), "no sources or tests");
  });

  it("holds every production dependency (npm ls --omit=dev) and no dev-only one", () => {
    const placed = new Map<string, string>(); // image folder → version
    for (const file of files) {
      const match = /^((?:.*\/)?node_modules\/(?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(file.target);
      if (match) placed.set(match[1]!, (JSON.parse(readFileSync(file.source, "utf8")) as { version: string }).version);
    }
    const tree = JSON.parse(
      execFileSync("npm", ["ls", "--omit=dev", "--all", "--json"], { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 32 << 20 }),
    ) as Dep;
    interface Dep {
      version?: string;
      dependencies?: Record<string, Dep>;
    }
    // Node's lookup inside the image: from a package's folder up through every node_modules above it.
    const resolve = (from: string, name: string): string | undefined => {
      for (let dir = from; ; dir = dir.includes("/node_modules/") ? dir.slice(0, dir.lastIndexOf("/node_modules/")) : "") {
        const candidate = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
        if (placed.has(candidate)) return candidate;
        if (dir === "") return undefined;
      }
    };
    let checked = 0;
    const walk = (dep: Dep, at: string) => {
      for (const [name, child] of Object.entries(dep.dependencies ?? {})) {
        if (!child.version) continue; // an optional dependency not installed here
        const found = resolve(at, name);
        assert.ok(found, `${name} is not found from ${at || "the package root"}`);
        assert.equal(placed.get(found), child.version, `${name} from ${at || "the package root"}`);
        checked++;
        walk(child, found);
      }
    };
    walk(tree, "");
    assert.ok(checked > 50, `${checked} dependency edges`);
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    for (const dev of ["typescript", "tsx", "esbuild"]) {
      if (dev in pkg.devDependencies) assert.ok(!placed.has(`node_modules/${dev}`), `${dev} is dev-only`);
    }
  });
});

describe("build-image (the built bin)", () => {
  let scratch: { dir: string; cleanup: () => void };
  before(() => (scratch = tempDir("fps-build-image-")));
  after(() => scratch.cleanup());

  it("with runner npx there is nothing to build: exit 1, saying why", async () => {
    writeFileSync(path.join(scratch.dir, "flink-stack.yaml"), yaml.dump(config({ sidecar: true, runner: "npx" })));
    const result = await runCli(["build-image"], { cwd: scratch.dir });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /runs no locally built image: pushgateway\.prune\.runner is npx/);
  });

  it("without a Docker engine: exit 3 with the engine error, no stack trace", async () => {
    writeFileSync(path.join(scratch.dir, "flink-stack.yaml"), yaml.dump(config({ sidecar: true })));
    const result = await runCli(["build-image", "--json"], {
      cwd: scratch.dir,
      env: { DOCKER_HOST: `unix://${path.join(scratch.dir, "no-docker.sock")}` },
    });
    assert.equal(result.code, 3, result.stderr);
    const answer = JSON.parse(result.stdout) as { ok: boolean; error: { code: string } };
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, "E_DOCKER_UNAVAILABLE");
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});
