// `generate` when nothing changed: the bin tries this before it loads the CLI. When the folder's last render can be
// reused (reuse-render.ts), the run goes straight to the same write step (which finds every file unchanged and
// checks the secrets as always) and says what the full command says. Anything else (other options, a changed
// config or file, an interrupted run, an error of any kind) returns undefined and the full command runs, which
// explains. Loads no YAML parser, schema validator or renderer: that is the point.
import { findConfigFiles } from "../config/find.js";
import { writeArtifacts } from "../write/write.js";
import { parseCommandArgs, sayWarnings } from "./command.js";
import { GENERATE_OPTIONS, GENERATE_USAGE } from "./generate-options.js";
import { reportWritten } from "./generate-report.js";
import { reusableRender } from "./reuse-render.js";
import { parseTarget } from "./target-option.js";

/** The exit code when the no-change path handled the run; undefined when the full command must run. */
export async function tryFastGenerate(argv: string[]): Promise<number | undefined> {
  if (argv.includes("--help") || argv.includes("-h")) return undefined;
  let values;
  try {
    ({ values } = parseCommandArgs(argv, GENERATE_OPTIONS, GENERATE_USAGE));
  } catch {
    return undefined; // the full command reports usage errors
  }
  if (values.check || values["dry-run"] || values.stdout || values.json) return undefined;
  const { file: configFile, ignored } = findConfigFiles(values.config);
  if (ignored.length > 0) return undefined; // the full command says which file it reads
  const outDir = values.out ?? "out";
  const reused = reusableRender(configFile, parseTarget(values.target, GENERATE_USAGE), outDir);
  if (!reused) return undefined;
  const { record, artifacts } = reused;
  const result = await writeArtifacts(artifacts, outDir, { force: Boolean(values.force), secrets: record.secrets, userSecrets: record.userSecrets });
  sayWarnings([...record.warnings, ...result.warnings.map((warning) => ({ ...warning, file: configFile }))]);
  reportWritten({ outDir, dryRun: false, changes: result.changes, secrets: result.secrets, target: record.target });
  return 0;
}
