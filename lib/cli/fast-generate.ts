// `generate` when nothing changed: the bin tries this before it loads the CLI. When the render record of the output
// folder (render-cache.ts) matches the inputs and every recorded file is on disk as recorded, the files are what a
// render would produce, so the run goes straight to the same write step (which finds them unchanged and checks
// the secrets as always) and says what the full command says. Anything else (other options, a changed config or
// file, an interrupted run, an error of any kind) returns undefined and the full command runs, which explains.
// Loads no YAML parser, schema validator or renderer: that is the point.
// Reads are synchronous: a few dozen small files, where each await on the thread pool costs more than the read.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Artifact } from "../render/artifact.js";
import { PENDING_FILE } from "../write/journal.js";
import { safeRelativePaths } from "../write/manifest.js";
import { writeArtifacts } from "../write/write.js";
import { MAX_CONFIG_BYTES, findConfigFiles } from "../config/find.js";
import { parseCommandArgs, sayWarnings } from "./command.js";
import { GENERATE_OPTIONS, GENERATE_USAGE } from "./generate-options.js";
import { reportWritten } from "./generate-report.js";
import { readRenderRecord, renderCacheEnabled, renderKey, sha256, type RenderRecord } from "./render-cache.js";
import { parseTarget } from "./target-option.js";

/** The exit code when the no-change path handled the run; undefined when the full command must run. */
export async function tryFastGenerate(argv: string[]): Promise<number | undefined> {
  if (!renderCacheEnabled() || argv.includes("--help") || argv.includes("-h")) return undefined;
  let values;
  try {
    ({ values } = parseCommandArgs(argv, GENERATE_OPTIONS, GENERATE_USAGE));
  } catch {
    return undefined; // the full command reports usage errors
  }
  if (values.check || values["dry-run"] || values.stdout || values.json) return undefined;
  const outDir = values.out ?? "out";
  const record = readRenderRecord(outDir);
  if (!record || existsSync(path.join(outDir, PENDING_FILE))) return undefined;
  const { file: configFile, ignored } = findConfigFiles(values.config);
  if (ignored.length > 0) return undefined; // the full command says which file it reads
  const target = parseTarget(values.target, GENERATE_USAGE);
  const config = statSync(configFile);
  if (!config.isFile() || config.size > MAX_CONFIG_BYTES) return undefined;
  const key = renderKey({ configFile, configSha256: sha256(readFileSync(configFile)), target, outDir });
  if (key !== record.key) return undefined;
  const artifacts = recordedArtifacts(record, outDir);
  if (!artifacts) return undefined;

  const result = await writeArtifacts(artifacts, outDir, { force: Boolean(values.force), secrets: record.secrets, userSecrets: record.userSecrets });
  sayWarnings([...record.warnings, ...result.warnings.map((warning) => ({ ...warning, file: configFile }))]);
  reportWritten({ outDir, dryRun: false, changes: result.changes, secrets: result.secrets, target: record.target });
  return 0;
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
