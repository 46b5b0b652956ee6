import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { STARTER_CONFIG } from "../../templates/starter-config.js";
import { parseCommandArgs, say, type Command } from "../command.js";

const usage = `Usage: flink-prometheus-stack init [file] [--force]

Writes a commented starter stack config (default: flink-stack.yaml) to edit.
      --force   overwrite the file if it exists`;

export const SCHEMA_MODELINE_TARGET = "./node_modules/flink-prometheus-stack/schemas/stack.schema.json";

export function starterConfig(): string {
  return STARTER_CONFIG.replace("{{schema}}", SCHEMA_MODELINE_TARGET);
}

const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { force: { type: "boolean" } }, usage, 1);
    const file = positionals[0] ?? "flink-stack.yaml";
    if (existsSync(file) && !values.force) {
      say(`error: ${file} exists; pass --force to overwrite it.`);
      return 1;
    }
    await writeFile(file, starterConfig());
    say(`Wrote ${file}. Edit it, then run "flink-prometheus-stack validate -c ${file}".`);
    return 0;
  },
};
export default command;
