// External validators (promtool, amtool, …): a missing tool fails the test that needs it, never skips it.
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";

export interface ToolResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const found = new Map<string, string>();

/** The absolute path of `name` on PATH; throws (so the test fails, never skips) when it is missing. */
export function requireTool(name: string): string {
  // `npm run test:unit` sets it: a test file in that list that starts needing a tool fails there, and leaves the list.
  if (process.env.FPS_TEST_NO_TOOLS === "1") throw new Error(`${name} is required by this test, which npm run test:unit runs without external tools`);
  const cached = found.get(name);
  if (cached) return cached;
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const dir of [...dirs, "/usr/bin", "/usr/local/bin"]) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      found.set(name, candidate);
      return candidate;
    } catch {
      // next directory
    }
  }
  throw new Error(
    `${name} is required by this test but is not installed (searched PATH: ${dirs.join(":")}). ` +
      `On Debian: apt-get install ${name === "amtool" ? "prometheus-alertmanager" : name === "promtool" ? "prometheus" : name}.`,
  );
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
  /** Kills the tool after this long (default 60 s). */
  readonly timeoutMs?: number;
}

/** Runs a tool synchronously; the result carries exit status and both streams. */
export function runTool(name: string, args: readonly string[], options: RunOptions = {}): ToolResult {
  const result = spawnSync(requireTool(name), args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Runs any executable asynchronously (so several can run at once). */
export function runProcess(file: string, args: readonly string[], options: RunOptions = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** A readable summary of a failed tool run for assertion messages. */
export function describeRun(what: string, result: ToolResult): string {
  return `${what} exited ${result.status ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}
