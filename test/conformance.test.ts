// Every example's output judged by the real tools: promtool, amtool, the Compose Specification schema and
// Debian's docker-compose. A missing tool fails (requireTool), it never skips.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import yaml from "js-yaml";
import { generate } from "../lib/generate.js";
import { exampleConfigFile, exampleNames } from "./support/examples.js";
import { validateComposeFile } from "./support/compose-schema.js";
import { describeRun, runTool } from "./support/tools.js";

/** prometheus.yml names its rule files by their path in the container; map them to the output folder. */
function hostPathConfig(outDir: string): string {
  const text = readFileSync(path.join(outDir, "prometheus/prometheus.yml"), "utf8");
  const config = yaml.load(text) as { rule_files?: string[] };
  if (config.rule_files) config.rule_files = config.rule_files.map((file) => file.replace("/etc/prometheus/", `${outDir}/prometheus/`));
  const file = path.join(outDir, "prometheus-hostpaths.yml");
  writeFileSync(file, yaml.dump(config));
  return file;
}

for (const name of exampleNames()) {
  test(`conformance: examples/${name}`, async (t) => {
    const outDir = mkdtempSync(path.join(tmpdir(), `fps-${name}-`));
    await generate({ config: exampleConfigFile(name), outDir });

    await t.test("promtool check config", () => {
      const syntax = runTool("promtool", ["check", "config", "--syntax-only", path.join(outDir, "prometheus/prometheus.yml")]);
      assert.equal(syntax.status, 0, describeRun("syntax", syntax));
      const full = runTool("promtool", ["check", "config", hostPathConfig(outDir)]);
      assert.equal(full.status, 0, describeRun("full", full));
    });

    const rulesDir = path.join(outDir, "prometheus/rules");
    const ruleFiles = existsSync(rulesDir) ? readdirSync(rulesDir).filter((file) => file.endsWith(".rules.yml")) : [];
    await t.test("promtool check rules and test rules", () => {
      assert.ok(ruleFiles.length > 0, "every example ships alert rules");
      const check = runTool("promtool", ["check", "rules", ...ruleFiles.map((file) => path.join(rulesDir, file))]);
      assert.equal(check.status, 0, describeRun("check", check));
      const tests = readdirSync(path.join(rulesDir, "tests")).filter((file) => file.endsWith(".yml"));
      assert.equal(tests.length, ruleFiles.length, "one unit-test file per rule file");
      const run = runTool("promtool", ["test", "rules", ...tests], { cwd: path.join(rulesDir, "tests") });
      assert.equal(run.status, 0, describeRun("run", run));
    });

    const alertmanagerFile = path.join(outDir, "alertmanager/alertmanager.yml");
    if (existsSync(alertmanagerFile)) {
      await t.test("amtool check-config", () => {
        const run = runTool("amtool", ["check-config", alertmanagerFile]);
        assert.equal(run.status, 0, describeRun("run", run));
      });
    }

    if (existsSync(path.join(outDir, "docker-stack.yml"))) {
      await t.test("docker stack config (Docker CLI) accepts docker-stack.yml", () => {
        const run = runTool("docker", ["stack", "config", "-c", path.join(outDir, "docker-stack.yml")]);
        assert.equal(run.status, 0, describeRun("run", run));
      });
    } else {
      await t.test("docker-compose.yml conforms to the Compose Specification schema", () => {
        assert.deepEqual(validateComposeFile(readFileSync(path.join(outDir, "docker-compose.yml"), "utf8")), []);
      });

      await t.test("Debian's docker-compose accepts the file (with the project name from .env)", () => {
        const run = runTool("docker-compose", ["config", "-q"], { cwd: outDir });
        assert.equal(run.status, 0, describeRun("run", run));
        const services = runTool("docker-compose", ["config", "--services"], { cwd: outDir });
        assert.equal(services.status, 0, describeRun("services", services));
        const compose = yaml.load(readFileSync(path.join(outDir, "docker-compose.yml"), "utf8")) as { services: object };
        assert.deepEqual(services.stdout.trim().split("\n").sort(), Object.keys(compose.services).sort());
      });
    }

    await t.test("Grafana dashboards are JSON referencing the provisioned datasource uid", () => {
      const dir = path.join(outDir, "grafana/dashboards");
      if (!existsSync(dir)) return;
      const datasource = yaml.load(readFileSync(path.join(outDir, "grafana/provisioning/datasources/prometheus.yml"), "utf8")) as {
        datasources: Array<{ uid: string }>;
      };
      const uid = datasource.datasources[0]!.uid;
      for (const file of readdirSync(dir)) {
        const text = readFileSync(path.join(dir, file), "utf8");
        const refs = [...text.matchAll(/"uid": "([^"]+)",\s*"type": "prometheus"|"type": "prometheus",\s*"uid": "([^"]+)"/g)];
        assert.ok(refs.length > 0, `${file} references the datasource`);
        for (const ref of refs) assert.equal(ref[1] ?? ref[2], uid, file);
        assert.doesNotMatch(text, /"type": "(graph|singlestat)"/, `${file} uses Angular panels`);
      }
    });
  });
}
