// Which config file a command reads when -c is not given, and how large it may be. Apart from load.ts, so the
// CLI's no-change path of `generate` can find the file without loading the YAML parser.
import { existsSync } from "node:fs";
import path from "node:path";

/** Larger inputs are not a stack description a person wrote. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export const DEFAULT_CONFIG_FILES = ["flink-stack.yaml", "flink-stack.yml", "flink-stack.json"] as const;

/** Finds the config file: the one given, else the first default name present in `cwd`. */
export function findConfigFile(given: string | undefined, cwd = process.cwd()): string {
  return findConfigFiles(given, cwd).file;
}

/** findConfigFile, and the other default names present in `cwd` that it passed over. */
export function findConfigFiles(given: string | undefined, cwd = process.cwd()): { file: string; ignored: string[] } {
  if (given !== undefined) return { file: given, ignored: [] };
  const [found, ...ignored] = DEFAULT_CONFIG_FILES.filter((name) => existsSync(path.join(cwd, name)));
  return { file: found ?? DEFAULT_CONFIG_FILES[0], ignored };
}
