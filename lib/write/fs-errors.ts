// Filesystem errors are the user's situation, not our bug: one paragraph naming the path and what to do.
import { OutputError } from "../errors.js";

const ADVICE: Record<string, (file: string) => string> = {
  EACCES: (file) =>
    `permission denied for ${file}. Check its owner and mode and those of its folders (ls -ld ${file}); for output, choose a folder you can write with -o.`,
  EPERM: (file) =>
    `the system refused the operation on ${file} (EPERM: an immutable or protected file?). Choose another folder, or check it with ls -ld ${file} and lsattr.`,
  EROFS: (file) => `${file} is on a read-only file system. Choose an output folder on a writable disk with -o.`,
  ENOSPC: (file) =>
    `no space left on the device holding ${file}. Free some space, then run the command again; nothing half-written is kept (the next run finishes or cleans up what this one left).`,
  EDQUOT: (file) => `your disk quota is exhausted on the device holding ${file}. Free some space, then run the command again.`,
  ENOTDIR: (file) => `a part of ${file} is a file where a folder belongs. Move that file away, or choose another path.`,
  ENOENT: (file) => `${file} does not exist (or a folder on its way is missing). Check the path.`,
  EISDIR: (file) => `${file} is a folder where a file belongs. Move it away, or choose another path.`,
  ELOOP: (file) => `${file}: too many levels of symbolic links. Fix or remove the link.`,
  EEXIST: (file) => `${file} exists already. Move it away, or choose another path.`,
  EMFILE: (file) => `too many open files while working on ${file}. Raise the limit (ulimit -n 4096), then run the command again.`,
  ENFILE: (file) => `the system ran out of file handles while working on ${file}. Try again later, or raise fs.file-max.`,
  ENAMETOOLONG: (file) => `the path ${file} is too long. Choose a shorter output folder.`,
  EBUSY: (file) => `${file} is busy (a mount point?). Choose another path.`,
  EIO: (file) => `an I/O error occurred on ${file}: the disk or network file system failed. Check it, then run the command again.`,
  EXDEV: (file) => `${file} is on another file system than its temp file. Report this with the path.`,
};

export interface NodeFsError extends Error {
  readonly code: string;
  readonly path?: string;
  readonly dest?: string;
  readonly syscall?: string;
}

/** A Node filesystem error (errno code, usually with the path it is about). */
export function isFsError(error: unknown): error is NodeFsError {
  const candidate = error as { code?: unknown; errno?: unknown; syscall?: unknown };
  return (
    error instanceof Error &&
    typeof candidate.code === "string" &&
    candidate.code in ADVICE &&
    (typeof candidate.errno === "number" || typeof candidate.syscall === "string")
  );
}

/** "cannot write out/x: permission denied for out/x. Choose …" */
export function fsErrorMessage(error: NodeFsError, action?: string, file?: string): string {
  const target = file ?? error.path ?? "(unknown path)";
  // mkdir -p reports a file in the way as EEXIST.
  const code = error.code === "EEXIST" && error.syscall === "mkdir" ? "ENOTDIR" : error.code;
  // mkdir fails with ENOENT below an existing folder where no folder can be made (/proc).
  const advice =
    code === "ENOENT" && error.syscall === "mkdir"
      ? `${error.path ?? target} cannot be created: its parent is missing, or the file system there takes no new folders (like /proc). Choose another path.`
      : (ADVICE[code]?.(error.path ?? target) ?? `${target}: ${error.message}`);
  return action ? `cannot ${action} ${target}: ${advice}` : advice;
}

/** Rethrows a filesystem error as an OutputError (exit 1) with that paragraph; anything else unchanged. */
export function asOutputError(error: unknown, action?: string, file?: string): never {
  if (isFsError(error)) throw new OutputError(fsErrorMessage(error, action, file), { cause: error });
  throw error;
}
