// The list of files we generated, kept in the output directory so a later run removes only those.
import { readFileSync } from "node:fs";
import path from "node:path";
import { jsonArtifact, type Artifact } from "../render/artifact.js";

export const MANIFEST_FILE = ".flink-prometheus-stack.json";

export function manifestArtifact(artifacts: readonly Artifact[]): Artifact {
  return jsonArtifact(MANIFEST_FILE, {
    generator: "flink-prometheus-stack",
    files: artifacts
      .map((artifact) => artifact.path)
      .filter((file) => file !== MANIFEST_FILE)
      .sort(),
  });
}

/** Only relative paths inside the folder: a tampered manifest or journal must not point us elsewhere. */
export function safeRelativePaths(files: unknown): string[] {
  return Array.isArray(files)
    ? files.filter(
        (file): file is string =>
          typeof file === "string" &&
          file !== "" &&
          !path.isAbsolute(file) &&
          !file.split(/[\\/]/).includes("..") &&
          !file.split(/[\\/]/).includes("."),
      )
    : [];
}

// eslint-disable-next-line @typescript-eslint/require-await -- a synchronous read (see changes.ts), async for its callers
export async function readManifest(outDir: string): Promise<string[]> {
  try {
    return safeRelativePaths((JSON.parse(readFileSync(path.join(outDir, MANIFEST_FILE), "utf8")) as { files?: unknown }).files);
  } catch {
    return [];
  }
}
