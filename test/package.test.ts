// The package as a user receives it: what `npm pack` ships, the public types compiled by a consumer's tsc
// (strict, skipLibCheck false, no @types/dockerode), and require() from CommonJS. Needs the built dist/.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, tempDir } from "./support/cli.js";
import { runProcess } from "./support/tools.js";

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  files: string[];
  engines: { node: string };
  license: string;
};
const NPM = path.join(path.dirname(process.execPath), "npm");

let scratch: { dir: string; cleanup: () => void };
before(() => {
  scratch = tempDir("fps-package-");
});
after(() => scratch.cleanup());

describe("what npm pack ships", () => {
  it("the Apache-2.0 LICENSE, full text, listed in files and in the tarball", async () => {
    assert.equal(pkg.license, "Apache-2.0");
    const license = readFileSync(path.join(REPO_ROOT, "LICENSE"), "utf8");
    assert.match(license, /^\s*Apache License\s+Version 2\.0, January 2004/);
    assert.match(license, /END OF TERMS AND CONDITIONS/);
    assert.match(license, /9\. Accepting Warranty or Additional Liability\./);
    assert.ok(pkg.files.includes("LICENSE"));
    const pack = await runProcess(NPM, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    assert.equal(pack.status, 0, pack.stderr);
    const files = (JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
    for (const file of [
      "LICENSE",
      "README.md",
      "package.json",
      "dist/cli/main.js",
      "dist/cli/main.cjs",
      "dist/cli/bundle.cjs",
      "dist/index.d.ts",
      "schemas/stack.schema.json",
    ]) {
      assert.ok(files.includes(file), `${file} in the tarball`);
    }
  });
});

/** A consumer project: the package copied into node_modules (as npm installs it), @types/node, no @types/dockerode. */
function consumer(name: string): string {
  const dir = path.join(scratch.dir, name);
  const installed = path.join(dir, "node_modules", pkg.name);
  mkdirSync(installed, { recursive: true });
  for (const entry of ["package.json", "dist", "schemas"]) cpSync(path.join(REPO_ROOT, entry), path.join(installed, entry), { recursive: true });
  // What npm would install beside it for the declarations: its dependencies that ship types, and @types/node.
  mkdirSync(path.join(dir, "node_modules/@types"), { recursive: true });
  symlinkSync(path.join(REPO_ROOT, "node_modules/@types/node"), path.join(dir, "node_modules/@types/node"), "dir");
  symlinkSync(path.join(REPO_ROOT, "node_modules/ajv"), path.join(dir, "node_modules/ajv"), "dir");
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        types: ["node"],
      },
      include: ["*.ts"],
    }),
  );
  return dir;
}

async function tsc(dir: string): Promise<{ status: number | null; output: string }> {
  const result = await runProcess(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], {
    cwd: dir,
    timeoutMs: 180_000,
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe("the public types, compiled by a consumer", () => {
  it("both entry points compile with skipLibCheck false and without @types/dockerode", async () => {
    const dir = consumer("types-ok");
    writeFileSync(
      path.join(dir, "deploy.ts"),
      [
        'import { defineStack, buildStack } from "flink-prometheus-stack";',
        'import { connect, upStack, downStack, getStackStatus, type Engine, type UpResult } from "flink-prometheus-stack/docker";',
        "const config = defineStack({",
        '  flink: { version: "1.20", clusters: [{ name: "prod", jobmanagers: ["jm1", { host: "jm2", port: 9250 }], labels: { owner: "data platform" } }] },',
        '  prometheus: { scrapeInterval: "5s", scrapeJobs: [{ name: "kafka", targets: ["kafka1:9308"] }] },',
        '  overrides: { compose: { services: { prometheus: { mem_limit: "2g" } } } },',
        "});",
        'export const version: "1.20" = config.flink.version;',
        "export const plan = buildStack(config).plan;",
        "export async function run(): Promise<[Engine, UpResult]> {",
        "  const engine = await connect();",
        "  void downStack; void getStackStatus;",
        '  return [engine, await upStack(plan, { outDir: "out" })];',
        "}",
        "",
      ].join("\n"),
    );
    const result = await tsc(dir);
    assert.equal(result.status, 0, result.output);
  });

  it("a misspelt key passed to defineStack fails to compile, at any depth", async () => {
    const dir = consumer("types-typo");
    const lines = [
      'import { defineStack } from "flink-prometheus-stack";',
      'const flink = { version: "1.20", clusters: [{ name: "a", jobmanagers: ["jm"] }] };',
      "export const top = defineStack({ flink, grafanna: { enabled: false } });",
      'export const nested = defineStack({ flink, prometheus: { scrapeIntervl: "5s" } });',
      'export const inList = defineStack({ flink: { version: "1.20", clusters: [{ name: "a", jobmanagers: [{ host: "jm", prot: 9250 }] }] } });',
      "export const fine = defineStack({ flink, grafana: { enabled: false } });",
      "",
    ];
    writeFileSync(path.join(dir, "deploy.ts"), lines.join("\n"));
    const result = await tsc(dir);
    assert.notEqual(result.status, 0, "tsc must fail");
    const errorLines = [...result.output.matchAll(/deploy\.ts\((\d+),\d+\): error TS\d+/g)].map((match) => Number(match[1]));
    assert.deepEqual([...new Set(errorLines)], [3, 4, 5], result.output);
    assert.match(result.output, /scrapeIntervl/);
  });
});

describe("CommonJS", () => {
  it("engines states the real floor: require() of the ESM package needs Node 20.19 (require(esm))", async () => {
    assert.equal(pkg.engines.node, ">=20.19");
    // Installed as a link to this checkout, so its dependencies resolve from the repository's node_modules.
    const dir = path.join(scratch.dir, "cjs");
    mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    symlinkSync(REPO_ROOT, path.join(dir, "node_modules", pkg.name), "dir");
    writeFileSync(
      path.join(dir, "use.cjs"),
      [
        `const stack = require("${pkg.name}");`,
        `const docker = require("${pkg.name}/docker");`,
        "console.log(typeof stack.generate, typeof stack.defineStack, typeof docker.upStack);",
        "",
      ].join("\n"),
    );
    const result = await runProcess(process.execPath, ["use.cjs"], { cwd: dir });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), "function function function");
  });
});

/** npx as a user runs it, quiet and preferring the npm cache that `npm ci` primed (the registry only for misses). */
function npx(args: readonly string[], cwd: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    NO_COLOR: "1",
  };
  delete env.NODE_OPTIONS;
  return runProcess(path.join(path.dirname(process.execPath), "npx"), ["--yes", "--prefer-offline", ...args], { cwd, env, timeoutMs: 300_000 });
}

/** The folder npx installed the package into, read from the modeline `init` wrote (…/_npx/<hash>/node_modules/…). */
function npxInstallDir(configFile: string): string | undefined {
  const target = readFileSync(configFile, "utf8")
    .split("\n")[0]!
    .replace(/^.*\$schema=/, "");
  const match = /^(.*\/_npx\/[0-9a-f]+)\/node_modules\//.exec(target);
  return match?.[1];
}

describe("the README's user path before publishing", () => {
  it("from a packed tarball: npm pack, then npx --package=<tgz> init, validate and generate in an empty folder", async () => {
    const packDir = path.join(scratch.dir, "pack");
    mkdirSync(packDir);
    // --ignore-scripts: the test runner built dist/ already (prepack would build it again).
    const pack = await runProcess(NPM, ["pack", "--pack-destination", packDir, "--ignore-scripts", "--silent"], {
      cwd: REPO_ROOT,
      timeoutMs: 120_000,
    });
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = path.join(packDir, `${pkg.name}-${pkg.version}.tgz`);
    const user = path.join(scratch.dir, "empty");
    mkdirSync(user);
    const run = (...args: string[]) => npx([`--package=${tarball}`, pkg.name, ...args], user);
    let installed: string | undefined;
    try {
      const init = await run("init");
      assert.equal(init.status, 0, init.stderr);
      installed = npxInstallDir(path.join(user, "flink-stack.yaml"));
      assert.ok(installed, "the modeline points into npx's copy of the package");
      assert.ok(readFileSync(path.join(installed, "node_modules", pkg.name, "schemas/stack.schema.json"), "utf8").length > 1000);
      const validate = await run("validate");
      assert.equal(validate.status, 0, validate.stderr);
      assert.match(validate.stderr, /flink-stack\.yaml: valid/);
      const generate = await run("generate", "-o", "out");
      assert.equal(generate.status, 0, generate.stderr);
      assert.ok(readFileSync(path.join(user, "out/docker-compose.yml"), "utf8").includes("services:"));
      const version = await run("--version");
      assert.equal(version.stdout.trim(), pkg.version);
    } finally {
      // npx keeps one install per package spec; this tarball path is used once.
      if (installed) rmSync(installed, { recursive: true, force: true });
    }
  });

  it("from a clone: npx --package=<checkout> runs the built bin", async () => {
    const user = path.join(scratch.dir, "from-clone");
    mkdirSync(user);
    const init = await npx([`--package=${REPO_ROOT}`, pkg.name, "init"], user);
    assert.equal(init.status, 0, init.stderr);
    const generate = await npx([`--package=${REPO_ROOT}`, pkg.name, "generate", "-o", "out"], user);
    assert.equal(generate.status, 0, generate.stderr);
    assert.ok(readFileSync(path.join(user, "out/prometheus/prometheus.yml"), "utf8").includes("scrape_configs"));
  });
});
