// Paths below the output folder are never followed through symbolic links: every folder on the way is
// lstat'ed, and a link (or a file where a folder belongs) is refused, even with --force. Only the output
// folder itself may be a link: the user named it.
import { lstatSync, mkdirSync, readlinkSync } from "node:fs";
import { lstat, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { OutputError } from "../errors.js";
import { asOutputError } from "./fs-errors.js";

/** `-o ""` and `-o /` are refused: an empty name means the current folder by accident, `/` the whole system. */
export function assertOutDirAllowed(outDir: string): void {
  if (typeof outDir !== "string" || outDir.trim() === "") {
    throw new OutputError(`the output folder is empty (""). Name a folder for the stack, e.g. -o out.`);
  }
  const resolved = path.resolve(outDir);
  if (resolved === path.parse(resolved).root) {
    throw new OutputError(`${outDir}: refusing to write the stack into the filesystem root. Name a folder for it, e.g. -o ./monitoring.`);
  }
}

function readlinkOr(file: string, fallback: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return fallback;
  }
}

export type EntryKind = "missing" | "file" | "symlink" | "dir" | "other";

export interface Entry {
  readonly kind: EntryKind;
  /** Where a symlink points (for messages). */
  readonly linkTarget?: string;
  readonly mode?: number;
  readonly size?: number;
}

/** One run's view of the folder tree under `root`: folders are checked once and remembered. */
export class PathGuard {
  readonly root: string;
  private readonly folders = new Map<string, boolean>();

  constructor(outDir: string) {
    this.root = path.resolve(outDir);
  }

  absolute(rel: string): string {
    return path.join(this.root, rel);
  }

  /**
   * Checks every folder between the output folder and `rel` (not `rel` itself). Throws an OutputError naming a
   * symbolic link or a file in the way; returns false when a folder on the way does not exist yet.
   */
  async parentsExist(rel: string): Promise<boolean> {
    const parts = path.normalize(rel).split(path.sep).slice(0, -1);
    let current = "";
    for (const part of parts) {
      current = current === "" ? part : path.join(current, part);
      const known = this.folders.get(current);
      if (known === false) return false;
      if (known === true) continue;
      const entry = await this.entry(current);
      if (entry.kind === "symlink") {
        throw new OutputError(
          `${this.absolute(current)} is a symbolic link (to ${entry.linkTarget}); the stack is never written through a link ` +
            `into another folder, not even with --force. Replace the link by a real folder (or remove it), or choose another -o.`,
        );
      }
      if (entry.kind !== "dir" && entry.kind !== "missing") {
        throw new OutputError(`${this.absolute(current)} is a file where a generated folder belongs. Move it away, then generate again.`);
      }
      this.folders.set(current, entry.kind === "dir");
      if (entry.kind === "missing") return false;
    }
    return true;
  }

  /** What is at `rel`, never following a link. */
  // Synchronous: one lstat is cheaper than a round trip through the thread pool, and a run makes many.
  // eslint-disable-next-line @typescript-eslint/require-await -- async for its callers, which may await more later
  async entry(rel: string): Promise<Entry> {
    const file = this.absolute(rel);
    let info;
    try {
      info = lstatSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
      return asOutputError(error, "inspect", file);
    }
    if (info.isSymbolicLink()) return { kind: "symlink", linkTarget: readlinkOr(file, "?") };
    if (info.isDirectory()) return { kind: "dir", mode: info.mode & 0o7777 };
    if (info.isFile()) return { kind: "file", mode: info.mode & 0o7777, size: info.size };
    return { kind: "other" };
  }

  /** Creates the folders on the way to `rel` one at a time (never through a link). */
  async makeParents(rel: string, mode?: number): Promise<void> {
    if (await this.parentsExist(rel)) return;
    const parts = path.normalize(rel).split(path.sep).slice(0, -1);
    let current = "";
    for (const part of parts) {
      current = current === "" ? part : path.join(current, part);
      if (this.folders.get(current) === true) continue;
      try {
        mkdirSync(this.absolute(current), mode === undefined ? {} : { mode });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") asOutputError(error, "create the folder", this.absolute(current));
      }
      // Whatever is there now (ours, or something raced in) must be a real folder.
      this.folders.delete(current);
      const entry = await this.entry(current);
      if (entry.kind !== "dir") {
        this.folders.set(current, false);
        await this.parentsExist(path.join(current, "x"));
        throw new OutputError(`${this.absolute(current)}: expected a folder, found a ${entry.kind}. Move it away, then generate again.`);
      }
      this.folders.set(current, true);
    }
  }

  /** After a folder was removed. */
  forget(relDir: string): void {
    this.folders.delete(relDir);
  }
}

/**
 * `mkdir -p` without Node's `recursive: true`, which loops forever where mkdir keeps failing with ENOENT
 * below an existing folder (e.g. under /proc). Errors become OutputErrors naming the folder.
 */
export async function makeFolders(dir: string, mode?: number): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const info = await lstat(current).catch((error: NodeJS.ErrnoException) =>
      error.code === "ENOENT" ? undefined : asOutputError(error, "create the folder", dir),
    );
    if (info) {
      // A link to a folder is fine here: this is the path the user named, not one below the output folder.
      if (!info.isDirectory() && !(info.isSymbolicLink() && (await stat(current).catch(() => undefined))?.isDirectory())) {
        throw new OutputError(`cannot create the folder ${dir}: ${current} is a file where a folder belongs. Move it away, or choose another path.`);
      }
      break;
    }
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const folder of missing) {
    try {
      await mkdir(folder, mode === undefined ? {} : { mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") asOutputError(error, "create the folder", folder);
    }
  }
}
