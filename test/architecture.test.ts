// The closed model's rules, checked on the source: renderers and the runtime read only the plan (no resolved config
// behind it), the planner depends on no renderer, and no module imports itself through others.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import madge from "madge";

const LIB = path.join(import.meta.dirname, "..", "lib");

function sources(folder: string): string[] {
  return readdirSync(path.join(LIB, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(folder, file));
}

test("renderers and the Docker runtime read no plan.config / ctx.config", () => {
  const reads = [...sources("render"), ...sources("docker")].flatMap((file) =>
    readFileSync(path.join(LIB, file), "utf8")
      .split("\n")
      .flatMap((line, index) => (/\b(plan|ctx)\.config\b/.test(line) ? [`lib/${file}:${index + 1}: ${line.trim()}`] : [])),
  );
  assert.deepEqual(reads, []);
});

test("lib/plan imports nothing from lib/render", () => {
  const imports = sources("plan").flatMap((file) =>
    [...readFileSync(path.join(LIB, file), "utf8").matchAll(/from "(\.\.\/render\/[^"]+)"/g)].map((match) => `lib/${file}: ${match[1]}`),
  );
  assert.deepEqual(imports, []);
});

test("no import cycle in lib (madge)", async () => {
  const graph = await madge(LIB, { fileExtensions: ["ts"], tsConfig: path.join(LIB, "..", "tsconfig.json") });
  assert.deepEqual(graph.circular(), []);
});
