// writeArtifacts: apply planned changes with temp file + rename per file, after everything is rendered.
import { chmodSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { mkdir, readdir, rmdir, unlink } from "node:fs/promises";
import path from "node:path";
import type { Artifact } from "../render/artifact.js";
import type { SecretPlan } from "../plan/types.js";
import { OutputError } from "../errors.js";
import { planChanges, type FileChange } from "./changes.js";
import { manifestArtifact } from "./manifest.js";
import { ensureSecrets, type SecretResult } from "./secrets.js";

export interface WriteOptions {
  /** Overwrite files that a previous run did not generate. */
  readonly force?: boolean;
  readonly secrets?: readonly SecretPlan[];
}

export interface WriteResult {
  readonly outDir: string;
  readonly changes: readonly FileChange[];
  readonly secrets: readonly SecretResult[];
}

/** The artifacts plus the manifest that records them. */
export function withManifest(artifacts: readonly Artifact[]): Artifact[] {
  return [...artifacts, manifestArtifact(artifacts)];
}

let tempCounter = 0;

/**
 * Writes a file by renaming a finished temp file over it. Synchronous: one awaited thread-pool round trip per
 * step and file made large stacks (200k files) slow, and sequential sync writes beat parallel small ones too.
 * The temp name is unique in this process and created exclusively ("wx"), so no randomness (node:crypto) is needed.
 */
function writeAtomically(file: string, contents: string, mode: number, folders: Set<string>): void {
  const dir = path.dirname(file);
  if (!folders.has(dir)) {
    mkdirSync(dir, { recursive: true });
    folders.add(dir);
  }
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}-${Date.now().toString(36)}-${tempCounter++}.tmp`);
  try {
    writeFileSync(temp, contents, { mode, flag: "wx" });
    chmodSync(temp, mode);
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already gone
    }
    throw new OutputError(`${file}: cannot write it (${(error as Error).message})`, { cause: error });
  }
}

async function removeEmptyParents(file: string, outDir: string): Promise<void> {
  for (let dir = path.dirname(file); dir.startsWith(outDir) && dir !== outDir; dir = path.dirname(dir)) {
    if ((await readdir(dir).catch(() => ["?"])).length > 0) return;
    await rmdir(dir).catch(() => undefined);
  }
}

export async function writeArtifacts(artifacts: readonly Artifact[], outDir: string, options: WriteOptions = {}): Promise<WriteResult> {
  const all = withManifest(artifacts);
  const changes = await planChanges(all, outDir, options);
  const root = path.resolve(outDir);
  await mkdir(root, { recursive: true });
  const folders = new Set<string>([root]);
  for (const change of changes) {
    const file = path.join(root, change.path);
    if (change.kind === "create" || change.kind === "update") writeAtomically(file, change.after!, change.mode!, folders);
  }
  for (const change of changes.filter((c) => c.kind === "remove")) {
    const file = path.join(root, change.path);
    await unlink(file).catch(() => undefined);
    await removeEmptyParents(file, root);
  }
  const secrets = await ensureSecrets(options.secrets ?? [], root);
  return { outDir, changes, secrets };
}
