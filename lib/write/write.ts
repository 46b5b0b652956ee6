// writeArtifacts: apply planned changes with temp file + rename per file, after everything is rendered.
import { chmod, mkdir, readdir, rename, rmdir, unlink, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
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

async function writeAtomically(file: string, contents: string, mode: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, contents, { mode });
    await chmod(temp, mode);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
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
  for (const change of changes) {
    const file = path.join(root, change.path);
    if (change.kind === "create" || change.kind === "update") await writeAtomically(file, change.after!, change.mode!);
  }
  for (const change of changes.filter((c) => c.kind === "remove")) {
    const file = path.join(root, change.path);
    await unlink(file).catch(() => undefined);
    await removeEmptyParents(file, root);
  }
  const secrets = await ensureSecrets(options.secrets ?? [], root);
  return { outDir, changes, secrets };
}
