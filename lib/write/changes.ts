// Compares rendered artifacts with an output directory: what a write would create, update or remove.
// Reads are synchronous: a run reads a few dozen small files, and a round trip through the thread pool per file
// costs more than the read itself. Writes stay asynchronous.
import { readdirSync, readFileSync, type Dirent } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Artifact } from "../render/artifact.js";
import { OutputError } from "../errors.js";
import { asOutputError } from "./fs-errors.js";
import { PENDING_FILE, TEMP_NAME, readJournal } from "./journal.js";
import { MANIFEST_FILE, readManifest } from "./manifest.js";
import { PathGuard, assertOutDirAllowed, type Entry } from "./safe-path.js";

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

async function assertUsableOutputDir(outDir: string): Promise<void> {
  assertOutDirAllowed(outDir);
  const info = await stat(outDir).catch((error: NodeJS.ErrnoException) =>
    error.code === "ENOENT" ? undefined : asOutputError(error, "use the output folder", outDir),
  );
  if (info && !info.isDirectory()) {
    throw new OutputError(`${outDir}: the output path is a file, not a directory. Choose another --out.`);
  }
}

/** The contents at `rel` as a diff shows them; undefined when nothing is there. Never reads through a link. */
function currentContents(guard: PathGuard, rel: string, entry: Entry): string | undefined {
  const file = guard.absolute(rel);
  switch (entry.kind) {
    case "missing":
      return undefined;
    case "symlink":
      return `(a symbolic link to ${entry.linkTarget})\n`;
    case "dir":
      throw new OutputError(`${file}: is a directory where a generated file belongs. Move it away, then generate again.`);
    case "other":
      throw new OutputError(
        `${file}: is not a regular file (a device, socket or pipe) where a generated file belongs. Move it away, then generate again.`,
      );
    case "file":
      try {
        return readFileSync(file, "utf8");
      } catch (error) {
        return asOutputError(error, "read", file);
      }
  }
}

/** `fn` over `items` with at most `limit` running at once; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // After a failure no new item starts, and the running ones settle (clean up) before the error is thrown.
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (rejected) throw rejected.reason;
  return results;
}

export interface WritePlan {
  readonly root: string;
  readonly guard: PathGuard;
  readonly changes: FileChange[];
  /** Paths a previous (or interrupted) run wrote: the manifest's plus an unfinished run's journal. */
  readonly previous: ReadonlySet<string>;
  /** An interrupted run left its journal: finish or clean up what it touched. */
  readonly interrupted: boolean;
}

/** Our leftover temp files (`.<name>.<hex>.tmp`) in the folders we write. */
async function orphanTemps(guard: PathGuard, paths: Iterable<string>): Promise<string[]> {
  const folders = new Set<string>([""]);
  for (const file of paths) folders.add(path.dirname(file) === "." ? "" : path.dirname(file));
  const found: string[] = [];
  for (const folder of [...folders].sort()) {
    if (folder !== "" && !(await guard.parentsExist(path.join(folder, "x")))) continue;
    let names: Dirent[];
    try {
      names = readdirSync(guard.absolute(folder), { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      names = code === "ENOENT" || code === "ENOTDIR" ? [] : asOutputError(error, "list", guard.absolute(folder));
    }
    for (const dirent of names) {
      if (dirent.isFile() && TEMP_NAME.test(dirent.name)) found.push(folder === "" ? dirent.name : path.join(folder, dirent.name));
    }
  }
  return found;
}

/**
 * Plans the write. Files we never generated are not ours: overwriting one is refused unless `force`,
 * and only files listed in the previous manifest (or an interrupted run's journal) are ever removed.
 * `extraFolders`: more folders to clean of our temp files (where secrets are written).
 */
export async function planWrite(
  artifacts: readonly Artifact[],
  outDir: string,
  options: { force?: boolean; extraFolders?: readonly string[]; keep?: readonly string[] } = {},
): Promise<WritePlan> {
  await assertUsableOutputDir(outDir);
  const guard = new PathGuard(outDir);
  const root = guard.root;
  const journal = await readJournal(root);
  const previous = new Set([...(await readManifest(root)), ...(journal?.files ?? [])]);
  const changes: FileChange[] = [];
  const foreign: string[] = [];
  // Folders first, one at a time (each is checked once), then the files concurrently.
  const present: boolean[] = [];
  for (const artifact of artifacts) present.push(await guard.parentsExist(artifact.path));
  const found = await mapLimit(artifacts, 32, async (artifact, index) => {
    const entry: Entry = present[index] ? await guard.entry(artifact.path) : { kind: "missing" };
    return { entry, before: currentContents(guard, artifact.path, entry) };
  });
  artifacts.forEach((artifact, index) => {
    const { entry, before } = found[index]!;
    const kind: ChangeKind = before === undefined ? "create" : entry.kind === "file" && before === artifact.contents ? "unchanged" : "update";
    // A link is never ours (we write none): replacing it (the link, never its target) needs --force.
    if (kind === "update" && (entry.kind === "symlink" || (!previous.has(artifact.path) && artifact.path !== MANIFEST_FILE))) {
      foreign.push(artifact.path);
    }
    changes.push({ path: artifact.path, kind, before, after: artifact.contents, mode: artifact.mode });
  });
  if (foreign.length > 0 && !options.force) {
    throw new OutputError(
      `${outDir}: would overwrite ${foreign.length} file(s) that flink-prometheus-stack did not generate: ` +
        `${foreign.slice(0, 5).join(", ")}${foreign.length > 5 ? ", …" : ""}. Choose an empty --out, or pass --force.`,
    );
  }
  const current = new Set(artifacts.map((artifact) => artifact.path));
  // Secrets are never stale, whatever a (tampered) manifest or journal lists.
  const keep = new Set((options.keep ?? []).map((file) => path.normalize(file)));
  for (const stale of [...previous].filter((file) => !current.has(file) && !keep.has(path.normalize(file))).sort()) {
    if (!(await guard.parentsExist(stale))) continue;
    const entry = await guard.entry(stale);
    // Only files: a link or folder that took a stale file's place is someone else's now.
    if (entry.kind !== "file") continue;
    changes.push({ path: stale, kind: "remove", before: currentContents(guard, stale, entry), after: undefined, mode: undefined });
  }
  for (const temp of await orphanTemps(guard, [...current, ...previous, ...(options.extraFolders ?? []).map((folder) => path.join(folder, "x"))])) {
    // Never read: it may be an unfinished secret.
    changes.push({ path: temp, kind: "remove", before: "(a temp file an interrupted run left)\n", after: undefined, mode: undefined });
  }
  if (journal) changes.push({ path: PENDING_FILE, kind: "remove", before: journal.text, after: undefined, mode: undefined });
  return { root, guard, changes, previous, interrupted: journal !== undefined };
}

export async function planChanges(artifacts: readonly Artifact[], outDir: string, options: { force?: boolean } = {}): Promise<FileChange[]> {
  return (await planWrite(artifacts, outDir, options)).changes;
}
