// Runs the real CLI as a child process: the bin (dist/cli/main.cjs, running the bundle) when it is built and not older than lib/
// (npm test builds first), else lib/cli/main.ts through tsx. FPS_TEST_CLI=dist|tsx forces one.
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runProcess, type RunOptions, type ToolResult } from "./tools.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIST_MAIN = path.join(REPO_ROOT, "dist/cli/main.cjs");
const TS_MAIN = path.join(REPO_ROOT, "lib/cli/main.ts");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function chooseCli(): { args: string[]; kind: "dist" | "tsx" } {
  const forced = process.env.FPS_TEST_CLI;
  const distFresh = existsSync(DIST_MAIN) && statSync(DIST_MAIN).mtimeMs >= newestMtime(path.join(REPO_ROOT, "lib")) - 1;
  if (forced === "dist" || (forced !== "tsx" && distFresh)) return { args: [DIST_MAIN], kind: "dist" };
  // --import resolves a bare "tsx" from the child's cwd (a temp dir): pass the loader's URL instead.
  return { args: ["--import", import.meta.resolve("tsx"), TS_MAIN], kind: "tsx" };
}

export const CLI = chooseCli();

export interface CliResult extends ToolResult {
  readonly code: number | null;
}

/** `flink-prometheus-stack <args>` in `cwd`; NO_COLOR set, so output is plain. */
export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...(options.env ?? {}) };
  delete env.NODE_OPTIONS;
  const result = await runProcess(process.execPath, [...CLI.args, ...args], { ...options, env, timeoutMs: options.timeoutMs ?? 60_000 });
  return { ...result, code: result.status };
}

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(prefix = "fps-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Lines that look like a JavaScript stack trace. */
export function stackTraceLines(text: string): string[] {
  return text.split("\n").filter((line) => /^\s+at\s/.test(line) || /^\s*(internal error|Error \[ERR_)/.test(line));
}
