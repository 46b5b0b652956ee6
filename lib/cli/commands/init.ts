import { writeFile } from "node:fs/promises";
import path from "node:path";
import { OutputError } from "../../errors.js";
import { STARTER_CONFIG } from "../../templates/starter-config.js";
import { asOutputError } from "../../write/fs-errors.js";
import { makeFolders } from "../../write/safe-path.js";
import { parseCommandArgs, say, type Command } from "../command.js";

const usage = `Usage: flink-prometheus-stack init [file] [--force]

Writes a commented starter stack config (default: flink-stack.yaml) to edit; missing folders on the way are created.
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
    if (file.trim() === "") throw new OutputError(`the config file name is empty (""). Name a file, e.g. init flink-stack.yaml.`);
    // Like generate -o: the folders on the way are created.
    await makeFolders(path.dirname(file));
    try {
      // "wx" refuses an existing file atomically; --force overwrites it.
      await writeFile(file, starterConfig(), { flag: values.force ? "w" : "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") {
        say(`error: ${file} exists; pass --force to overwrite it.`);
        return 1;
      }
      asOutputError(error, "write", file);
    }
    say(`Wrote ${file}. Edit it, then run "flink-prometheus-stack validate -c ${file}".`);
    return 0;
  },
};
export default command;
