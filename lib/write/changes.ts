// Compares rendered artifacts with an output directory: what a write would create, update or remove.
import { existsSync, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Artifact } from "../render/artifact.js";
import { OutputError } from "../errors.js";
import { MANIFEST_FILE, readManifest } from "./manifest.js";

export type ChangeKind = "create" | "update" | "remove" | "unchanged";

export interface FileChange {
  readonly path: string;
  readonly kind: ChangeKind;
  /** Current contents on disk (update/remove), for diffs. */
  readonly before: string | undefined;
  /** New contents (create/update/unchanged). */
  readonly after: string | undefined;
  readonly mode: number | undefined;
}

export async function assertUsableOutputDir(outDir: string): Promise<void> {
  const info = await stat(outDir).catch(() => undefined);
  if (info && !info.isDirectory()) {
    throw new OutputError(`${outDir}: the output path is a file, not a directory. Choose another --out.`);
  }
}

/**
 * Reads what a file holds now, or undefined. Synchronous and skipping folders that do not exist: a stack of
 * 100k processes is 200k files, and one awaited open (or failed open) per file cost seconds.
 */
function readIfExists(file: string, folderExists: (dir: string) => boolean): string | undefined {
  if (!folderExists(path.dirname(file))) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if ((error as NodeJS.ErrnoException).code === "EISDIR") {
      throw new OutputError(`${file}: is a directory where a generated file belongs. Move it away, then generate again.`);
    }
    throw new OutputError(`${file}: cannot read it (${(error as Error).message})`, { cause: error });
  }
}

function folderExistence(): (dir: string) => boolean {
  const known = new Map<string, boolean>();
  const exists = (dir: string): boolean => {
    let answer = known.get(dir);
    if (answer === undefined) {
      const parent = path.dirname(dir);
      answer = (parent === dir || exists(parent)) && existsSync(dir);
      known.set(dir, answer);
    }
    return answer;
  };
  return exists;
}

/**
 * Plans the write. Files we never generated are not ours: overwriting one is refused unless `force`,
 * and only files listed in the previous manifest are ever removed.
 */
export async function planChanges(artifacts: readonly Artifact[], outDir: string, options: { force?: boolean } = {}): Promise<FileChange[]> {
  await assertUsableOutputDir(outDir);
  const previous = new Set(await readManifest(outDir));
  const changes: FileChange[] = [];
  const folderExists = folderExistence();
  const foreign: string[] = [];
  for (const artifact of artifacts) {
    const before = readIfExists(path.join(outDir, artifact.path), folderExists);
    const kind: ChangeKind = before === undefined ? "create" : before === artifact.contents ? "unchanged" : "update";
    if (kind === "update" && !previous.has(artifact.path) && artifact.path !== MANIFEST_FILE) foreign.push(artifact.path);
    changes.push({ path: artifact.path, kind, before, after: artifact.contents, mode: artifact.mode });
  }
  if (foreign.length > 0 && !options.force) {
    throw new OutputError(
      `${outDir}: would overwrite ${foreign.length} file(s) that flink-prometheus-stack did not generate: ` +
        `${foreign.slice(0, 5).join(", ")}${foreign.length > 5 ? ", …" : ""}. Choose an empty --out, or pass --force.`,
    );
  }
  const current = new Set(artifacts.map((artifact) => artifact.path));
  for (const stale of [...previous].filter((file) => !current.has(file)).sort()) {
    const before = readIfExists(path.join(outDir, stale), folderExists);
    if (before !== undefined) changes.push({ path: stale, kind: "remove", before, after: undefined, mode: undefined });
  }
  return changes;
}
