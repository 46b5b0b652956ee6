// The CLI's record of its last `generate` into a folder, so that a run with the same inputs can skip validating and
// rendering (what a cold process spends most of its time on) and go straight to the write step, which then finds
// every file unchanged. Like make or tsc --incremental: the record is only a shortcut, never a source of output.
//
// The key covers everything the rendered files are a function of: the generator's build (package version and the
// bundle's size and mtime), the config file (its path as given and resolved, and its bytes), --target and the
// output folder. The files themselves are compared by SHA-256 before the record is trusted. Records live in a
// folder only this user can write (as V8's code cache of the bin does): a record decides what is skipped.
// Only the bin (the esbuild bundles, where __FPS_BUNDLE__ is defined) keeps records: the unbundled ESM build
// cannot tell when its own code changed.
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DeploymentTarget } from "../config/resolved.js";
import { sha256 } from "../hash.js";
import type { StackWarning } from "../errors.js";
import { PACKAGE_VERSION } from "../generated/package-version.js";
import type { SecretPlan } from "../plan/types.js";
import type { Artifact } from "../render/artifact.js";
import type { UserSecretFile } from "../write/secrets.js";

declare const __FPS_BUNDLE__: boolean | undefined;

/** Set to 1 to make the bin validate and render on every run. */
export const NO_RENDER_CACHE_ENV = "FLINK_PROMETHEUS_STACK_NO_RENDER_CACHE";
/** Set to `render` to have the bin say on stderr whether it reused a folder's last render, and if not, why. */
export const DEBUG_ENV = "FLINK_PROMETHEUS_STACK_DEBUG";

export function debugRender(message: string): void {
  if (process.env[DEBUG_ENV]?.split(",").includes("render")) process.stderr.write(`debug: render record: ${message}\n`);
}
const FORMAT = 1;

export interface RenderRecord {
  readonly format: typeof FORMAT;
  readonly key: string;
  readonly target: DeploymentTarget;
  /** Every generated file but the manifest (the write step derives it from this list). */
  readonly files: ReadonlyArray<{ readonly path: string; readonly sha256: string; readonly mode: number }>;
  readonly secrets: readonly SecretPlan[];
  readonly userSecrets: readonly UserSecretFile[];
  /** The config's warnings (the write's own are found again by the write step). */
  readonly warnings: readonly StackWarning[];
}

export interface RenderInputs {
  /** The config file as given on the command line (it names the file in warnings). */
  readonly configFile: string;
  readonly configSha256: string;
  readonly target: DeploymentTarget | undefined;
  readonly outDir: string;
}

export function renderCacheEnabled(): boolean {
  return typeof __FPS_BUNDLE__ !== "undefined" && __FPS_BUNDLE__ && !process.env[NO_RENDER_CACHE_ENV];
}

/** The generator's build: a rebuilt bundle has a new mtime, so its records no longer match. */
function generatorBuild(): string {
  const bundle = statSync(fileURLToPath(new URL("bundle.cjs", import.meta.url)));
  return `${PACKAGE_VERSION}:${bundle.size}:${bundle.mtimeMs}`;
}

export function renderKey(inputs: RenderInputs): string {
  return sha256(
    JSON.stringify([
      FORMAT,
      generatorBuild(),
      inputs.configFile,
      path.resolve(inputs.configFile),
      inputs.configSha256,
      inputs.target ?? null,
      path.resolve(inputs.outDir),
    ]),
  );
}

/** A folder only this user can write, or undefined (then no records are kept). */
export function privateCacheDir(): string | undefined {
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  if (uid === undefined) return undefined; // Windows: no ownership check to rely on
  const dir = path.join(tmpdir(), `flink-prometheus-stack-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") return undefined;
  }
  const info = lstatSync(dir);
  return info.isDirectory() && info.uid === uid && (info.mode & 0o077) === 0 ? dir : undefined;
}

const recordFile = (dir: string, outDir: string) => path.join(dir, `render-${sha256(path.resolve(outDir)).slice(0, 32)}.json`);

export function readRenderRecord(outDir: string): RenderRecord | undefined {
  const dir = privateCacheDir();
  if (!dir) return undefined;
  try {
    const record: unknown = JSON.parse(readFileSync(recordFile(dir, outDir), "utf8"));
    // Another build's record (a format this one does not know) or a damaged one is not read, only replaced.
    return isRenderRecord(record) ? record : undefined;
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const isArrayOf = (value: unknown, item: (entry: unknown) => boolean) => Array.isArray(value) && value.every(item);

function isRenderRecord(value: unknown): value is RenderRecord {
  return (
    isObject(value) &&
    value.format === FORMAT &&
    typeof value.key === "string" &&
    typeof value.target === "string" &&
    isArrayOf(value.files, (f) => isObject(f) && typeof f.path === "string" && typeof f.sha256 === "string" && typeof f.mode === "number") &&
    isArrayOf(value.secrets, (s) => isObject(s) && typeof s.name === "string" && typeof s.file === "string" && typeof s.generated === "boolean") &&
    isArrayOf(
      value.userSecrets,
      (u) => isObject(u) && typeof u.configPath === "string" && typeof u.file === "string" && typeof u.readerUid === "number",
    ) &&
    isArrayOf(value.warnings, (w) => isObject(w) && typeof w.path === "string" && typeof w.message === "string")
  );
}

export interface RecordedRender extends RenderInputs {
  /** The plan's target (the config's, or --target): what the next step names. */
  readonly plannedTarget: DeploymentTarget;
  readonly artifacts: readonly Artifact[];
  readonly secrets: readonly SecretPlan[];
  readonly userSecrets: readonly UserSecretFile[];
  readonly warnings: readonly StackWarning[];
}

/** Keeps the record of a finished write; a cache, so a failure to keep it is no failure of the run. */
export function writeRenderRecord(render: RecordedRender): void {
  const dir = privateCacheDir();
  if (!dir) return;
  const record: RenderRecord = {
    format: FORMAT,
    key: renderKey(render),
    target: render.plannedTarget,
    files: render.artifacts.map((artifact) => ({ path: artifact.path, sha256: sha256(artifact.contents), mode: artifact.mode })),
    secrets: render.secrets,
    userSecrets: render.userSecrets,
    warnings: render.warnings,
  };
  const file = recordFile(dir, render.outDir);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(record), { mode: 0o600 });
    renameSync(temp, file);
    keepNewest(dir, /^render-[0-9a-f]{32}\.json$/, MAX_RECORDS);
  } catch {
    // a record is an optimisation: never a reason to fail
  }
}

/** Records of folders long gone would pile up (every temp folder a script generates into): only the newest stay. */
const MAX_RECORDS = 64;

/** Removes all but the `keep` newest files of `dir` whose names match. */
export function keepNewest(dir: string, names: RegExp, keep: number): void {
  const files = readdirSync(dir)
    .filter((name) => names.test(name))
    .map((name) => ({ name, mtime: statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of files.slice(keep)) rmSync(path.join(dir, name), { force: true });
}
