import { loadConfig } from "../../config/load.js";
import { checkStackConfig } from "../../generate.js";
import { formatIssues } from "../../errors.js";
import { SHARED_OPTIONS, chooseConfigFile, parseCommandArgs, printJson, say, type Command } from "../command.js";

const usage = `Usage: flink-prometheus-stack validate [-c flink-stack.yaml] [--json]

Checks the stack config against the schema and the semantic rules, then the generated files (overrides merged)
as promtool, amtool and Compose read them, and reports every problem at once.
  -c, --config <file>  the stack config (default: flink-stack.yaml, .yml or .json in this folder)
      --json           print the result, or the error, as JSON on stdout
Exit code 1 when the config is invalid.`;

const options = { config: SHARED_OPTIONS.config, json: SHARED_OPTIONS.json } as const;

const command: Command = {
  usage,
  options,
  async run(argv) {
    const { values } = parseCommandArgs(argv, options, usage);
    const file = chooseConfigFile(values.config);
    const result = checkStackConfig((await loadConfig(file)).raw);
    if (values.json) {
      printJson({ file, valid: result.valid, issues: result.issues, warnings: result.warnings });
    } else {
      if (result.warnings.length > 0) say(formatIssues(file, result.warnings, "warning"));
      say(result.valid ? `${file}: valid` : formatIssues(file, result.issues));
    }
    return result.valid ? 0 : 1;
  },
};
export default command;
