import { writeFile } from "node:fs/promises";
import path from "node:path";
import { OutputError } from "../../errors.js";
import { STARTER_CONFIG } from "../../templates/starter-config.js";
import { PACKAGE_NAME } from "../../version.js";
import { schemaModelineTarget } from "../schema-modeline.js";
import { asOutputError } from "../../write/fs-errors.js";
import { makeFolders } from "../../write/safe-path.js";
import { SHARED_OPTIONS, UsageError, parseCommandArgs, say, type Command } from "../command.js";

const usage = `Usage: flink-prometheus-stack init [file | -c file] [--force]

Writes a commented starter stack config (default: flink-stack.yaml) to edit; missing folders on the way are created.
  -c, --config <file>  the stack config to write (the same as giving the file name)
      --force          overwrite the file if it exists (else exit 1: an existing file is never overwritten)`;

const options = { config: SHARED_OPTIONS.config, force: SHARED_OPTIONS.force } as const;

/** The starter config with its schema modeline pointing at `schemaTarget` (see schema-modeline.ts). */
export function starterConfig(schemaTarget: string): string {
  return STARTER_CONFIG.replace("{{schema}}", schemaTarget);
}

const command: Command = {
  usage,
  options,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, options, usage, 1);
    if (positionals[0] !== undefined && values.config !== undefined) throw new UsageError("give the file once: as an argument or with -c", usage);
    const file = positionals[0] ?? values.config ?? "flink-stack.yaml";
    if (file.trim() === "") throw new OutputError(`the config file name is empty (""). Name a file, e.g. init flink-stack.yaml.`);
    // Like generate -o: the folders on the way are created.
    await makeFolders(path.dirname(file));
    const schema = schemaModelineTarget(file);
    try {
      // "wx" refuses an existing file atomically; --force overwrites it.
      await writeFile(file, starterConfig(schema.target), { flag: values.force ? "w" : "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new OutputError(`${file} exists; pass --force to overwrite it.`);
      asOutputError(error, "write", file);
    }
    say(`Wrote ${file}. Edit it, then run "flink-prometheus-stack validate -c ${file}".`);
    if (!schema.installed) {
      say(
        `Its editor modeline points at this package's schema, ${schema.target}; after "npm install -D ${PACKAGE_NAME}" ` +
          `next to it, ./node_modules/${PACKAGE_NAME}/schemas/stack.schema.json works on every machine.`,
      );
    }
    return 0;
  },
};
export default command;
