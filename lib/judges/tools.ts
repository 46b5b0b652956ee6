// Finding and running the real validators (promtool, amtool, Docker Compose) for `check`.
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";

export interface ToolRun {
  /** Exit status; null when killed (timeout) or it could not start. */
  readonly status: number | null;
  /** stdout and stderr, in that order. */
  readonly output: string;
}

/** The absolute path of an executable on PATH, or undefined. */
export function findExecutable(name: string, envPath = process.env.PATH ?? ""): string | undefined {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next directory
    }
  }
  return undefined;
}

export function runExecutable(file: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timeoutMs = options.timeoutMs ?? 120_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ status: null, output: `${file} could not start: ${error.message}` });
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      const output = `${Buffer.concat(stdout).toString("utf8")}${Buffer.concat(stderr).toString("utf8")}`;
      resolve({ status: timedOut ? null : status, output: timedOut ? `${output}\n(killed after ${timeoutMs / 1000}s)` : output });
    });
  });
}
