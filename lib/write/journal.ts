// The pending-run journal: written (atomically) before a run touches any file, removed after the new manifest
// is in place. A run killed in between leaves it behind, and the next run knows every path the killed run
// could have created, replaced or removed: those are ours to finish or clean up, and the folder is not up
// to date until then.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { safeRelativePaths } from "./manifest.js";
import { asOutputError } from "./fs-errors.js";

export const PENDING_FILE = ".flink-prometheus-stack.pending.json";

/** Our temp files: `.<name>.<12 hex>.tmp` next to the file they become. */
export const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
}

export interface Journal {
  /** The raw text, for diffs. */
  readonly text: string;
  readonly files: string[];
}

// eslint-disable-next-line @typescript-eslint/require-await -- a synchronous read (see changes.ts), async for its callers
export async function readJournal(outDir: string): Promise<Journal | undefined> {
  let text: string;
  try {
    text = readFileSync(path.join(outDir, PENDING_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    return asOutputError(error, "read", path.join(outDir, PENDING_FILE));
  }
  try {
    return { text, files: safeRelativePaths((JSON.parse(text) as { files?: unknown }).files) };
  } catch {
    // Cannot be half-written (temp + rename); unreadable means tampered: still a journal, listing nothing.
    return { text, files: [] };
  }
}

/** Writes the journal durably (temp file, fsync, rename) before anything else is touched. */
export async function writeJournal(root: string, files: readonly string[]): Promise<void> {
  const file = path.join(root, PENDING_FILE);
  const temp = tempNameFor(file);
  const text = `${JSON.stringify({ generator: "flink-prometheus-stack", pending: true, files: [...new Set(files)].sort() }, null, 2)}\n`;
  try {
    const handle = await open(temp, "wx", 0o644);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    asOutputError(error, "write", file);
  }
}

export async function removeJournal(root: string): Promise<void> {
  await unlink(path.join(root, PENDING_FILE)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") asOutputError(error, "remove", path.join(root, PENDING_FILE));
  });
}
