// The README's two commands (example; tests) are real npm scripts, CI runs exactly the README's test command, and
// the full suite includes lint, the format check and every test folder.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), "utf8");
const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

/** The commands of the README's quick start block, comments dropped. */
function quickStartCommands(): string[] {
  const section = read("README.md").split("## Quick start")[1]!;
  const block = /```sh\n([^]*?)```/.exec(section)![1]!;
  return block
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter(Boolean);
}

test("the README's quick start runs npm scripts that exist: the example, then the self-installing test command", () => {
  const commands = quickStartCommands();
  assert.deepEqual(commands, ["npm ci && npm run example", "npm run test:ci"]);
  for (const name of commands.join(" && ").match(/(?<=npm run )[\w:]+/g)!) assert.ok(scripts[name], `npm script ${name}`);
  assert.match(scripts["test:ci"]!, /^bash scripts\/ci\/test-all\.sh$/);
  const setup = read("scripts/ci/test-all.sh");
  assert.match(setup, /^export CI=true/m, "the full suite runs with CI=true: nothing is skipped");
  assert.match(setup, /apt-get install/);
  assert.match(setup, /docker-engine\.sh stop/, "stops the engine it started");
  assert.match(setup, /^npm test$/m);
});

test(".ci/run is exactly the README's test command", () => {
  const lines = read(".ci/run")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"));
  assert.deepEqual(lines.at(-1), quickStartCommands().at(-1));
});

test("npm test builds, type-checks, lints, checks the format and runs every test folder; test:unit needs no tool", () => {
  assert.equal(
    scripts.test,
    "npm run build && npm run typecheck && npm run lint && npm run format:check && node --import tsx --test --test-concurrency=1 test/*.test.ts",
  );
  const unit = scripts["test:unit"]!;
  assert.match(unit, /^FPS_TEST_NO_TOOLS=1 node --import tsx --test /);
  for (const file of unit.match(/test\/\S+\.test\.ts/g)!) assert.ok(existsSync(new URL(`../${file}`, import.meta.url)), file);
});
