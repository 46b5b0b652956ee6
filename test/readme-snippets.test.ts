// Every fenced block of a generated README is held to the rules of the file it shows: config.yaml snippets
// (Flink ≥ 1.19) parse with a YAML parser to exactly the written file's key → string pairs, flink-conf.yaml
// snippets parse with Flink's own flat line rules to the written file's pairs, FLINK_PROPERTIES snippets with the
// Docker image's rules, and shell snippets parse with `bash -n`. The push address the README states is the one
// the validation warning accepts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { buildStack } from "../lib/generate.js";
import { checkConfig } from "../lib/config/validate.js";
import type { Artifact } from "../lib/render/artifact.js";
import { buildExample, exampleNames } from "./support/examples.js";
import { fencedBlocks, parseConfigYaml, parseFlinkConfFlat, parseFlinkProperties, type FencedBlock } from "./support/flink-parsers.js";

type Layout = "per-process" | "shared";

/** A config for one Flink version, mode and file layout, using every reporter option the version has. */
function stackConfig(version: string, mode: "pushgateway" | "pull", layout: Layout): Record<string, unknown> {
  const minor = Number(version.split(".")[1]);
  const major = Number(version.split(".")[0]);
  const atLeast110 = major >= 2 || minor >= 10;
  return {
    name: `snippets-${version.replace(".", "-")}-${mode}-${layout}`,
    flink: {
      version,
      reporter: {
        mode,
        interval: "30s",
        ...(major >= 2 || minor >= 8 ? { filterLabelValueCharacters: false } : {}),
        ...(mode === "pull" ? { pull: { port: "9249-9251" } } : {}),
        ...(mode === "pushgateway"
          ? {
              pushgateway: {
                jobName: "flinkjobs",
                randomJobNameSuffix: layout === "shared",
                deleteOnShutdown: false,
                ...(atLeast110 ? { groupingKey: { dc: "eu-1" } } : {}),
              },
            }
          : {}),
      },
      clusters: [
        { name: "alpha", jobmanagers: ["jm.alpha.internal"], taskmanagers: ["tm1.alpha.internal", "tm2.alpha.internal"], labels: { env: "prod" } },
        { name: "beta", jobmanagers: ["jm.beta.internal"], taskmanagers: ["tm1.beta.internal"] },
      ],
    },
    network: { bindAddress: "0.0.0.0", advertisedHost: "monitoring.internal" },
  };
}

const CASES: Array<{ version: string; mode: "pushgateway" | "pull"; layout: Layout }> = [];
for (const version of ["1.7", "1.10", "1.14", "1.18", "1.19", "1.20", "2.0", "2.3"]) {
  CASES.push({ version, mode: "pushgateway", layout: "shared" }, { version, mode: "pull", layout: "shared" });
  if (version !== "1.7") CASES.push({ version, mode: "pushgateway", layout: "per-process" }); // stable groups need 1.10+
}

/** The generated file a block shows: the last output path named in backticks in the prose before it. */
function describedFile(block: FencedBlock, files: Map<string, string>): string | undefined {
  const named = [...block.before.matchAll(/`([^`\s]+)`/g)].map((match) => match[1]!).filter((name) => files.has(name));
  return named.at(-1);
}

function bashSyntax(script: string): { status: number | null; stderr: string } {
  const run = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
  if (run.error) throw run.error;
  return { status: run.status, stderr: run.stderr };
}

/** Checks every block of one README against the artifacts it was generated with; returns what it saw. */
function checkReadme(artifacts: readonly Artifact[], label: string): { configSnippets: Set<string>; kinds: string[] } {
  const files = new Map(artifacts.map((artifact) => [artifact.path, artifact.contents]));
  const readme = files.get("README.md");
  assert.ok(readme, `${label}: README.md`);
  const configSnippets = new Set<string>();
  const kinds: string[] = [];
  for (const block of fencedBlocks(readme)) {
    const where = `${label}: README.md line ${block.line} (\`\`\`${block.info})`;
    switch (block.info) {
      case "mermaid":
        kinds.push("mermaid");
        break;
      case "sh": {
        const syntax = bashSyntax(block.body);
        assert.equal(syntax.status, 0, `${where}: bash -n: ${syntax.stderr}`);
        kinds.push("sh");
        break;
      }
      case "yaml": {
        const file = describedFile(block, files);
        assert.ok(file, `${where}: the prose before the snippet names the generated file it shows`);
        const written = files.get(file)!;
        if (file.endsWith("/config.yaml")) {
          const snippet = parseConfigYaml(block.body);
          for (const [key, value] of Object.entries(snippet)) {
            assert.equal(typeof value, "string", `${where}: ${key} is a YAML ${typeof value}; Flink 1.19–2.0 reporters ignore typed values`);
          }
          assert.deepEqual(snippet, parseConfigYaml(written), `${where}: the snippet and ${file} differ`);
        } else {
          assert.ok(file.endsWith("/flink-conf.yaml"), `${where}: a yaml snippet shows a Flink config file (got ${file})`);
          const snippet = parseFlinkConfFlat(block.body);
          assert.deepEqual(snippet.skipped, [], `${where}: lines Flink's parser would skip`);
          const real = parseFlinkConfFlat(written);
          assert.deepEqual(real.skipped, [], `${file}: lines Flink's parser would skip`);
          assert.deepEqual(snippet.pairs, real.pairs, `${where}: the snippet and ${file} differ`);
        }
        configSnippets.add(file);
        kinds.push("yaml");
        break;
      }
      case "text": {
        const file = describedFile(block, files);
        assert.ok(file?.endsWith("/FLINK_PROPERTIES"), `${where}: a text snippet shows a FLINK_PROPERTIES file (got ${file})`);
        if (!file) return assert.fail(where);
        const configFile = files.has(file.replace(/FLINK_PROPERTIES$/, "config.yaml")) ? "config.yaml" : "flink-conf.yaml";
        const snippet = parseFlinkProperties(block.body, configFile);
        assert.deepEqual(snippet.skipped, [], `${where}: lines the image would mangle`);
        assert.deepEqual(snippet.pairs, parseFlinkProperties(files.get(file)!, configFile).pairs, `${where}: the snippet and ${file} differ`);
        // What the image hands Flink equals what the config file says.
        // (less the settings with shell globs, which the README names as left out of FLINK_PROPERTIES).
        const config = files.get(file.replace(/FLINK_PROPERTIES$/, configFile))!;
        const configPairs = configFile === "config.yaml" ? parseConfigYaml(config) : parseFlinkConfFlat(config).pairs;
        const globbed = Object.keys(configPairs).filter((key) => /[*?[]/.test(String(configPairs[key])));
        for (const key of globbed)
          assert.ok(readme.includes(`leaves out \`${key}\``), `${where}: the README says FLINK_PROPERTIES leaves out ${key}`);
        assert.deepEqual(
          snippet.pairs,
          Object.fromEntries(Object.entries(configPairs).filter(([key]) => !globbed.includes(key))),
          `${where}: FLINK_PROPERTIES and ${configFile} disagree`,
        );
        kinds.push("text");
        break;
      }
      default:
        assert.fail(`${where}: unknown snippet kind; teach this test how the real tool reads it`);
    }
  }
  // Every Flink config file the stack writes is reachable from the README, so a user applying it gets all of them:
  // shown as a snippet, or (large clusters: the README stays the same size) in a folder flink/hosts.json lists,
  // a file the README names.
  const flinkFiles = [...files.keys()].filter((name) => /^flink\/.*\/(config|flink-conf)\.yaml$/.test(name));
  assert.ok(flinkFiles.length > 0, `${label}: writes Flink config files`);
  assert.ok(
    readme.includes("`flink/hosts.json`") || flinkFiles.every((file) => configSnippets.has(file)),
    `${label}: the README names flink/hosts.json`,
  );
  const hosts = JSON.parse(files.get("flink/hosts.json")!) as { configFile: string; clusters: Array<{ processes: Array<{ configDir: string }> }> };
  const listed = new Set(hosts.clusters.flatMap((cluster) => cluster.processes.map((process) => `${process.configDir}/${hosts.configFile}`)));
  for (const file of flinkFiles)
    assert.ok(configSnippets.has(file) || listed.has(file), `${label}: ${file} is shown in the README or listed in flink/hosts.json`);
  for (const file of configSnippets) assert.ok(listed.has(file), `${label}: flink/hosts.json lists ${file}`);
  return { configSnippets, kinds };
}

for (const { version, mode, layout } of CASES) {
  test(`README snippets read like the files they show: Flink ${version}, ${mode}, ${layout} files`, () => {
    const config = stackConfig(version, mode, layout);
    const { artifacts } = buildStack(config);
    const { kinds } = checkReadme(artifacts, `${version}/${mode}/${layout}`);
    assert.ok(kinds.includes("sh"), "the README says how to start and check the stack");
    const perProcess = artifacts.some((artifact) => artifact.path.startsWith("flink/alpha/taskmanager-tm1.alpha.internal/"));
    assert.equal(perProcess, layout === "per-process", "the layout asked for");
    const minor = Number(version.split(".")[1]);
    const configYaml = version.startsWith("2.") || minor >= 19;
    assert.equal(kinds.includes("text"), configYaml, "FLINK_PROPERTIES is shown where it differs from the config file (unquoted)");
  });
}

test("a cluster of 2,000 TaskManagers: the README stays small, every config file is reachable from it", () => {
  const config = stackConfig("1.20", "pushgateway", "per-process") as { flink: { clusters: Array<{ taskmanagers: string[] }> } };
  const small = buildStack(config).artifacts.find((artifact) => artifact.path === "README.md")!.contents;
  config.flink.clusters[0]!.taskmanagers = Array.from({ length: 2000 }, (_, i) => `tm${i}.alpha.internal`);
  const { artifacts } = buildStack(config);
  const readme = artifacts.find((artifact) => artifact.path === "README.md")!.contents;
  assert.ok(artifacts.filter((artifact) => artifact.path.endsWith("/config.yaml")).length === 2003);
  assert.ok(readme.split("\n").length < small.split("\n").length + 30, "README lines do not grow with the hosts");
  assert.match(readme, /and 1996 more/);
  checkReadme(artifacts, "2000 TaskManagers");
});

for (const name of exampleNames()) {
  test(`README snippets read like the files they show: examples/${name}`, () => {
    checkReadme(buildExample(name).artifacts, `examples/${name}`);
  });
}

test("the generated README for Flink >= 1.19 never shows an unquoted typed reporter value", () => {
  for (const version of ["1.19", "1.20", "2.0", "2.1"]) {
    const readme = buildStack(stackConfig(version, "pushgateway", "per-process")).artifacts.find((a) => a.path === "README.md")!.contents;
    const yamlBlocks = fencedBlocks(readme).filter((block) => block.info === "yaml");
    assert.ok(yamlBlocks.length > 0);
    for (const block of yamlBlocks) {
      assert.match(block.body, /randomJobNameSuffix: "false"/, version);
      assert.match(block.body, /deleteOnShutdown: "false"/, version);
      assert.match(block.body, /filterLabelValueCharacters: "false"/, version);
      assert.doesNotMatch(block.body, /: (false|true|\d+)$/m, version);
    }
  }
});

// --- The push address: the README states it only when the Flink hosts can reach it (one rule with the warning).

const remoteCluster = { name: "prod", jobmanagers: ["jm1.prod.internal"], taskmanagers: ["tm1.prod.internal"] };
const localCluster = { name: "local", jobmanagers: ["localhost"], taskmanagers: ["127.0.0.1"] };

const REACH_CASES: Array<{ name: string; config: Record<string, unknown>; warning?: { path: string; url: string } }> = [
  {
    name: "default bindAddress (loopback), remote Flink hosts",
    config: { flink: { version: "1.20", clusters: [remoteCluster] } },
    warning: { path: "network.bindAddress", url: "http://127.0.0.1:9091" },
  },
  {
    name: "published on every interface, but the advertised host defaults to localhost",
    config: { flink: { version: "1.18", clusters: [remoteCluster] }, network: { bindAddress: "0.0.0.0" } },
    warning: { path: "network.advertisedHost", url: "http://localhost:9091" },
  },
  {
    name: "an explicit loopback push URL with remote Flink hosts",
    config: { flink: { version: "2.1", reporter: { pushgateway: { url: "http://127.0.0.1:9091" } }, clusters: [remoteCluster] } },
    warning: { path: "flink.reporter.pushgateway.url", url: "http://127.0.0.1:9091" },
  },
  {
    name: "an explicit [::1] push URL with remote Flink hosts",
    config: {
      flink: { version: "2.1", reporter: { pushgateway: { url: "http://[::1]:9091" } }, clusters: [remoteCluster] },
      network: { bindAddress: "0.0.0.0", advertisedHost: "mon.internal" },
    },
    warning: { path: "flink.reporter.pushgateway.url", url: "http://[::1]:9091" },
  },
  {
    name: "published on every interface and advertised by name",
    config: { flink: { version: "1.20", clusters: [remoteCluster] }, network: { bindAddress: "0.0.0.0", advertisedHost: "monitoring.internal" } },
  },
  {
    name: "Flink on this host only",
    config: { flink: { version: "1.20", clusters: [localCluster] } },
  },
  {
    name: "a reverse proxy in front of a loopback-only stack",
    config: { flink: { version: "1.20", reporter: { pushgateway: { url: "https://push.example.org/" } }, clusters: [remoteCluster] } },
  },
];

for (const { name, config, warning } of REACH_CASES) {
  test(`push address in the README agrees with the validation warning: ${name}`, () => {
    const check = checkConfig(config);
    assert.ok(check.valid, JSON.stringify(check.issues));
    const reach = check.warnings.filter((w) => /push to|cannot push/.test(w.message));
    const { artifacts, plan } = buildStack(config);
    const readme = artifacts.find((a) => a.path === "README.md")!.contents.replace(/\s+/g, " ");
    const url = plan.flink.pushgateway.url;
    if (warning) {
      assert.equal(reach.length, 1, JSON.stringify(check.warnings));
      assert.equal(reach[0]!.path, warning.path);
      assert.equal(url, warning.url);
      assert.match(readme, /The Flink hosts cannot reach the Pushgateway as configured/);
      // The README says the same as the warning, and what to set.
      assert.ok(readme.includes(reach[0]!.message), "the warning's words");
      assert.ok(readme.includes(reach[0]!.hint!), "the warning's fix");
      assert.ok(!readme.includes(`pushes its metrics to **${url}**`), "never promises the unreachable address");
      assert.ok(!readme.includes("pushes its metrics to"));
    } else {
      assert.deepEqual(reach, []);
      assert.ok(readme.includes(`Every process pushes its metrics to **${url}**`), readme);
      assert.doesNotMatch(readme, /cannot reach the Pushgateway/);
    }
  });
}

test("pull mode: a Flink process on localhost is named unscrapable in the warning and the README, in the same words", () => {
  const config = {
    flink: {
      version: "1.20",
      reporter: { mode: "pull", pull: { port: "9249-9250" } },
      clusters: [{ name: "l", jobmanagers: ["jm.internal"], taskmanagers: ["localhost:9250"] }],
    },
  };
  const check = checkConfig(config);
  assert.ok(check.valid, JSON.stringify(check.issues));
  const warning = check.warnings.find((w) => w.message.includes("cannot scrape"));
  assert.ok(warning, JSON.stringify(check.warnings));
  assert.equal(warning.path, "flink.clusters[0].taskmanagers[0]");
  const readme = buildStack(config)
    .artifacts.find((a) => a.path === "README.md")!
    .contents.replace(/\s+/g, " ");
  assert.ok(readme.includes(warning.message) && readme.includes(warning.hint!), readme);

  const fixed = { flink: { ...config.flink, clusters: [{ name: "l", jobmanagers: ["jm.internal"], taskmanagers: ["host.docker.internal:9250"] }] } };
  assert.deepEqual(
    checkConfig(fixed).warnings.filter((w) => w.message.includes("cannot scrape")),
    [],
  );
  assert.doesNotMatch(buildStack(fixed).artifacts.find((a) => a.path === "README.md")!.contents, /cannot scrape/);
});
