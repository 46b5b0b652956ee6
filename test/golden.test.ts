// Golden files: examples/<name>/out holds the committed output; every change to it shows in review.
// UPDATE_GOLDEN=1 npm test rewrites them (never under CI).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { writeArtifacts, withManifest } from "../lib/write/write.js";
import { buildExample, EXAMPLES_DIR, exampleNames } from "./support/examples.js";

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return relative === "secrets" ? [] : listFiles(path.join(dir, entry.name), relative);
      return [relative];
    })
    .sort();
}

const update = process.env.UPDATE_GOLDEN === "1" && process.env.CI !== "true";

for (const name of exampleNames("all")) {
  test(`golden: examples/${name}/out matches what generate writes`, async () => {
    const outDir = path.join(EXAMPLES_DIR, name, "out");
    const { artifacts } = buildExample(name);
    if (update) await writeArtifacts(artifacts, outDir, { force: true });
    const expected = withManifest(artifacts);
    assert.deepEqual(listFiles(outDir), expected.map((artifact) => artifact.path).sort(), "the set of generated files changed");
    for (const artifact of expected) {
      const file = path.join(outDir, artifact.path);
      assert.equal(
        readFileSync(file, "utf8"),
        artifact.contents,
        `${name}/out/${artifact.path} differs: run UPDATE_GOLDEN=1 npm test and review the diff`,
      );
      assert.equal(statSync(file).mode & 0o777, artifact.mode, `${artifact.path} mode`);
    }
  });
}

test("rendering is deterministic: two runs are byte-identical", () => {
  for (const name of exampleNames("all")) {
    assert.deepEqual(buildExample(name).artifacts, buildExample(name).artifacts, name);
  }
});
