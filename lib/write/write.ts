// writeArtifacts: apply planned changes with temp file + rename per file, after everything is rendered and
// checked. A run is all-or-nothing as the next run sees it: a journal lists every path it may touch before
// it touches one, and is removed only after the new manifest is in place (see journal.ts).
import { chmodSync, closeSync, openSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { readdir, rmdir } from "node:fs/promises";
import path from "node:path";
import type { Artifact } from "../render/artifact.js";
import type { SecretPlan } from "../plan/types.js";
import { planWrite, type FileChange } from "./changes.js";
import { asOutputError } from "./fs-errors.js";
import { PENDING_FILE, removeJournal, tempNameFor, writeJournal } from "./journal.js";
import { MANIFEST_FILE, manifestArtifact } from "./manifest.js";
import { makeFolders, type PathGuard } from "./safe-path.js";
import { applySecrets, inspectSecrets, type SecretResult, type UserSecretFile, type WriteWarning } from "./secrets.js";

export interface WriteOptions {
  /** Overwrite files that a previous run did not generate (never through a symbolic link, never outside). */
  readonly force?: boolean;
  readonly secrets?: readonly SecretPlan[];
  /** Secret files the config names (see userSecretFiles): checked before anything is written. */
  readonly userSecrets?: readonly UserSecretFile[];
}

export interface WriteResult {
  readonly outDir: string;
  readonly changes: readonly FileChange[];
  readonly secrets: readonly SecretResult[];
  readonly warnings: readonly WriteWarning[];
}

/** The artifacts plus the manifest that records them. */
export function withManifest(artifacts: readonly Artifact[]): Artifact[] {
  return [...artifacts, manifestArtifact(artifacts)];
}

/** Folders (output-relative) where generated secrets are written: cleaned of our temp files too. */
export function secretFolders(secrets: readonly SecretPlan[]): string[] {
  return secrets.filter((secret) => !path.isAbsolute(secret.file)).map((secret) => path.dirname(path.normalize(secret.file)));
}

/** Output-relative secret files: never removed as stale. */
export function secretFiles(secrets: readonly SecretPlan[], userSecrets: readonly UserSecretFile[] = []): string[] {
  return [...secrets.map((secret) => secret.file), ...userSecrets.map((user) => user.file)].filter((file) => !path.isAbsolute(file));
}

// Synchronous file operations: small files, one after another, cost less than round trips through the thread pool.
async function writeAtomically(guard: PathGuard, rel: string, contents: string, mode: number): Promise<void> {
  await guard.makeParents(rel);
  const file = guard.absolute(rel);
  const temp = tempNameFor(file);
  try {
    const fd = openSync(temp, "wx", mode);
    try {
      writeFileSync(fd, contents);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, mode);
    // Replaces a file, or (with --force) a link itself, never the link's target.
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was created, or it is gone already
    }
    asOutputError(error, "write", file);
  }
}

async function removeEmptyParents(guard: PathGuard, rel: string): Promise<void> {
  for (let dir = path.dirname(rel); dir !== "." && dir !== ""; dir = path.dirname(dir)) {
    const entries = await readdir(guard.absolute(dir)).catch(() => ["?"]);
    if (entries.length > 0) return;
    await rmdir(guard.absolute(dir)).catch(() => undefined);
    guard.forget(dir);
  }
}

export async function writeArtifacts(artifacts: readonly Artifact[], outDir: string, options: WriteOptions = {}): Promise<WriteResult> {
  const all = withManifest(artifacts);
  const secrets = options.secrets ?? [];
  const plan = await planWrite(all, outDir, {
    force: options.force ?? false,
    extraFolders: secretFolders(secrets),
    keep: secretFiles(secrets, options.userSecrets),
  });
  const { guard, root, changes } = plan;
  // Every check that can refuse comes before the first write.
  const inspection = await inspectSecrets(secrets, options.userSecrets ?? [], guard);
  await makeFolders(root);

  const changed = changes.filter((change) => change.kind !== "unchanged");
  if (changed.length > 0) {
    await writeJournal(
      root,
      [...plan.previous, ...all.map((artifact) => artifact.path), ...changed.map((change) => change.path)].filter((file) => file !== PENDING_FILE),
    );
    // The journal covers every path, so the order among files does not matter.
    const writes = changed.filter((change) => (change.kind === "create" || change.kind === "update") && change.path !== MANIFEST_FILE);
    for (const change of writes) await writeAtomically(guard, change.path, change.after!, change.mode!);
    const removals = changed.filter((change) => change.kind === "remove" && change.path !== PENDING_FILE);
    for (const change of removals) {
      try {
        unlinkSync(guard.absolute(change.path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") asOutputError(error, "remove", guard.absolute(change.path));
      }
    }
    for (const change of removals) await removeEmptyParents(guard, change.path);
    if (plan.interrupted) {
      // Folders an interrupted run created for files that are no longer wanted.
      const current = new Set(all.map((artifact) => artifact.path));
      for (const stale of plan.previous) if (!current.has(stale) && (await guard.parentsExist(stale))) await removeEmptyParents(guard, stale);
    }
    const manifest = changed.find((change) => change.path === MANIFEST_FILE);
    if (manifest) await writeAtomically(guard, MANIFEST_FILE, manifest.after!, manifest.mode!);
    await removeJournal(root);
  }
  const secretResults = await applySecrets(inspection, guard);
  return { outDir, changes, secrets: secretResults, warnings: inspection.warnings };
}
