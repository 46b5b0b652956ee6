import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { STARTER_CONFIG } from "../../templates/starter-config.js";
import { OutputError } from "../../errors.js";
import { SHARED_OPTIONS, UsageError, parseCommandArgs, say, type Command } from "../command.js";

const usage = `Usage: flink-prometheus-stack init [file | -c file] [--force]

Writes a commented starter stack config (default: flink-stack.yaml) to edit.
  -c, --config <file>  the stack config to write (the same as giving the file name)
      --force          overwrite the file if it exists (else exit 1: an existing file is never overwritten)`;

const options = { config: SHARED_OPTIONS.config, force: SHARED_OPTIONS.force } as const;

export const SCHEMA_MODELINE_TARGET = "./node_modules/flink-prometheus-stack/schemas/stack.schema.json";

export function starterConfig(): string {
  return STARTER_CONFIG.replace("{{schema}}", SCHEMA_MODELINE_TARGET);
}

const command: Command = {
  usage,
  options,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, options, usage, 1);
    if (positionals[0] !== undefined && values.config !== undefined) throw new UsageError("give the file once: as an argument or with -c", usage);
    const file = positionals[0] ?? values.config ?? "flink-stack.yaml";
    if (existsSync(file) && !values.force) throw new OutputError(`${file} exists; pass --force to overwrite it.`);
    await writeFile(file, starterConfig());
    say(`Wrote ${file}. Edit it, then run "flink-prometheus-stack validate -c ${file}".`);
    return 0;
  },
};
export default command;
