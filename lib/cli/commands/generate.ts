import { generate } from "../../generate.js";
import { PENDING_FILE } from "../../write/journal.js";
import { UsageError, chooseConfigFile, parseCommandArgs, printJson, say, sayWarnings, type Command } from "../command.js";
import { reportWritten } from "../generate-report.js";
import { recordRender } from "../record-render.js";
import { loadStack } from "../stack-target.js";
import { parseTarget } from "../target-option.js";
import { GENERATE_OPTIONS as options, GENERATE_USAGE as usage } from "../generate-options.js";

const lineCount = (text: string | undefined) => (text === undefined || text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));

const command: Command = {
  usage,
  options,
  async run(argv) {
    const { values } = parseCommandArgs(argv, options, usage);
    const modes = (["check", "dry-run", "stdout"] as const).filter((mode) => values[mode]);
    if (modes.length > 1) throw new UsageError(`--${modes[0]} and --${modes[1]} cannot be combined`, usage);
    const file = chooseConfigFile(values.config);
    const outDir = values.out ?? "out";
    const target = parseTarget(values.target, usage);
    if (values.stdout) {
      for (const artifact of (await loadStack(file, target)).artifacts) process.stdout.write(`==> ${artifact.path} <==\n${artifact.contents}\n`);
      return 0;
    }
    const dryRun = Boolean(values.check || values["dry-run"]);
    const record = recordRender(file);
    const result = await generate({ config: file, outDir, dryRun, force: Boolean(values.force || values.check), target });
    if (result.written) record.written(result, target);
    const changed = result.changes.filter((change) => change.kind !== "unchanged");
    if (!values.json) sayWarnings(result.warnings);
    if (!values.json && changed.some((change) => change.path === PENDING_FILE)) {
      say(
        `${outDir}: an earlier run was interrupted (${PENDING_FILE} is left); ${result.written ? "this run finished it and cleaned up" : "generate finishes it and cleans up"}.`,
      );
    }
    if (values.json) {
      printJson({
        outDir,
        written: result.written,
        upToDate: changed.length === 0,
        files: result.changes.map((change) => ({ path: change.path, change: change.kind })),
        secrets: result.secrets,
        warnings: result.warnings,
      });
    } else if (values.check) {
      if (changed.length === 0) say(`${outDir} is up to date with ${file}`);
      else {
        const { createTwoFilesPatch } = await import("diff");
        for (const change of changed) {
          // Bounded: a Myers diff of two very different large files (a whole new host list) is quadratic.
          const patch = createTwoFilesPatch(`a/${change.path}`, `b/${change.path}`, change.before ?? "", change.after ?? "", "", "", {
            context: 3,
            maxEditLength: 2000,
          });
          process.stdout.write(
            patch ??
              `--- a/${change.path}\n+++ b/${change.path}\n(too many differences to show: ${lineCount(change.before)} → ${lineCount(change.after)} lines)\n`,
          );
        }
        say(`${outDir} is out of date with ${file}: ${changed.length} file(s) differ. Run generate to update it.`);
      }
    } else {
      reportWritten({ outDir, dryRun: Boolean(values["dry-run"]), changes: result.changes, secrets: result.secrets, target: result.plan.target });
    }
    return values.check && changed.length > 0 ? 1 : 0;
  },
};
export default command;
