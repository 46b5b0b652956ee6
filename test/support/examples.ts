// The bundled examples: every one is documentation, a golden test and a conformance test.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { parseConfigText } from "../../lib/config/load.js";
import { buildStack, type BuildResult } from "../../lib/generate.js";

export const EXAMPLES_DIR = fileURLToPath(new URL("../../examples/", import.meta.url));

/** The examples of one target (the config's `target`, compose when unset), or all of them. */
export function exampleNames(target: "compose" | "swarm" | "kubernetes" | "all" = "compose"): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => target === "all" || exampleTarget(name) === target)
    .sort();
}

export function exampleTarget(name: string): string {
  const config = parseConfigText(readFileSync(exampleConfigFile(name), "utf8"), exampleConfigFile(name)) as { target?: string };
  return config.target ?? "compose";
}

export function exampleConfigFile(name: string): string {
  return path.join(EXAMPLES_DIR, name, "flink-stack.yaml");
}

export function buildExample(name: string): BuildResult {
  const file = exampleConfigFile(name);
  return buildStack(parseConfigText(readFileSync(file, "utf8"), file), { file });
}
