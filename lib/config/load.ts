// Reads a stack config file (YAML or JSON) into an untyped value; validation comes next.
import { readFile, stat } from "node:fs/promises";
import { fsErrorMessage, isFsError } from "../write/fs-errors.js";
import yaml from "js-yaml";
import { ConfigNotFoundError, ConfigParseError } from "../errors.js";
import { MAX_CONFIG_BYTES } from "./find.js";

/** Bounds the work of walking a document: YAML aliases can make a small file expand exponentially. */
const MAX_EXPANDED_NODES = 500_000;

export interface LoadedConfig {
  /** The file as given (for messages). */
  readonly file: string;
  readonly raw: unknown;
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR" || !isFsError(error)) return undefined;
    throw new ConfigParseError(file, undefined, undefined, `cannot read it: ${fsErrorMessage(error)}`);
  });
  if (!info) throw new ConfigNotFoundError(file);
  if (!info.isFile()) throw new ConfigParseError(file, undefined, undefined, "is not a file");
  if (info.size > MAX_CONFIG_BYTES) {
    throw new ConfigParseError(file, undefined, undefined, `is ${info.size} bytes; a stack config is at most 4 MiB`);
  }
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    if (!isFsError(error)) throw error;
    throw new ConfigParseError(file, undefined, undefined, `cannot read it: ${fsErrorMessage(error)}`);
  });
  return { file, raw: parseConfigText(text, file) };
}

/** Parses YAML (a superset of JSON) with the core schema: no dates, no custom tags. */
export function parseConfigText(text: string, file = "config"): unknown {
  if (text.trim() === "") throw new ConfigParseError(file, undefined, undefined, 'is empty; "flink-prometheus-stack init" writes a starter config');
  let raw: unknown;
  try {
    raw = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA, json: false });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const mark = error.mark as { line?: number; column?: number } | undefined;
      const line = mark?.line === undefined ? undefined : mark.line + 1;
      const column = mark?.column === undefined ? undefined : mark.column + 1;
      const snippet = (error.mark as { snippet?: string } | undefined)?.snippet;
      const language = file.endsWith(".json") ? "JSON" : "YAML";
      throw new ConfigParseError(file, line, column, `invalid ${language}: ${error.reason}${snippet ? `\n${snippet}` : ""}`);
    }
    throw error;
  }
  assertBoundedSize(raw, file);
  return raw;
}

function assertBoundedSize(root: unknown, file: string): void {
  let budget = MAX_EXPANDED_NODES;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (--budget < 0) {
      throw new ConfigParseError(
        file,
        undefined,
        undefined,
        `expands to more than ${MAX_EXPANDED_NODES} values (YAML aliases referring to aliases?); refusing to read it`,
      );
    }
    if (node !== null && typeof node === "object") for (const child of Object.values(node)) stack.push(child);
  }
}
