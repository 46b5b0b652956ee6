// The files of a folder's last render, when its render record (render-cache.ts) matches the inputs and every
// recorded file is on disk as recorded: then they are what a render would produce, and the write step can take
// them as they are. Used by the bin's no-change `generate` and by `up`.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { MAX_CONFIG_BYTES } from "../config/find.js";
import type { DeploymentTarget } from "../config/resolved.js";
import type { Artifact } from "../render/artifact.js";
import { PENDING_FILE } from "../write/journal.js";
import { safeRelativePaths } from "../write/manifest.js";
import { sha256 } from "../hash.js";
import { debugRender, readRenderRecord, renderCacheEnabled, renderKey, type RenderRecord } from "./render-cache.js";

export interface ReusableRender {
  readonly record: RenderRecord;
  readonly artifacts: Artifact[];
  /** The config file's text, as read for the key: what a caller that plans the stack must parse. */
  readonly configText: string;
}

export function reusableRender(configFile: string, target: DeploymentTarget | undefined, outDir: string): ReusableRender | undefined {
  if (!renderCacheEnabled()) return undefined;
  const found = findReusable(configFile, target, outDir);
  debugRender(typeof found === "string" ? `not reused: ${found}` : `reused (${found.artifacts.length} files)`);
  return typeof found === "string" ? undefined : found;
}

/** The reusable render, or why there is none. Reads are synchronous: a few dozen small files, where each await
 * on the thread pool costs more than the read. */
function findReusable(configFile: string, target: DeploymentTarget | undefined, outDir: string): ReusableRender | string {
  const record = readRenderRecord(outDir);
  if (!record) return "none for this folder";
  // An interrupted run's journal: the full write step finishes it and says so.
  if (existsSync(path.join(outDir, PENDING_FILE))) return "an interrupted run left its journal";
  let configText: string;
  try {
    const config = statSync(configFile);
    if (!config.isFile() || config.size > MAX_CONFIG_BYTES) return "the config is no file of a usable size";
    const bytes = readFileSync(configFile);
    if (renderKey({ configFile, configSha256: sha256(bytes), target, outDir }) !== record.key) {
      return "the config, --target, the folder or this build differ from the recorded ones";
    }
    configText = bytes.toString("utf8");
  } catch {
    return "the config cannot be read"; // the full command reports it
  }
  const artifacts = recordedArtifacts(record, outDir);
  return artifacts ? { record, artifacts, configText } : "a recorded file is missing or differs";
}

/** The recorded files as artifacts, read from the folder; undefined when one is missing or differs. */
function recordedArtifacts(record: RenderRecord, outDir: string): Artifact[] | undefined {
  const paths = record.files.map((file) => file.path);
  if (safeRelativePaths(paths).length !== paths.length) return undefined;
  const artifacts: Artifact[] = [];
  for (const file of record.files) {
    let contents: string;
    try {
      contents = readFileSync(path.join(outDir, file.path), "utf8");
    } catch {
      return undefined;
    }
    if (sha256(contents) !== file.sha256) return undefined;
    artifacts.push({ path: file.path, contents, mode: file.mode });
  }
  return artifacts;
}
