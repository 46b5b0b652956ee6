import { constants } from "node:fs";
import { copyFile, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "../../generate.js";
import { OutputError } from "../../errors.js";
import { asOutputError } from "../../write/fs-errors.js";
import { makeFolders } from "../../write/safe-path.js";
import { SHARED_OPTIONS, UsageError, parseCommandArgs, say, type Command } from "../command.js";

const usage = `Usage: flink-prometheus-stack example [name] [-o dir]

Without a name, lists the bundled examples. With one, copies its flink-stack.yaml into a folder and generates
its stack into <dir>/out.
  -o, --out <dir>  the folder the example is written into (default: ./<name>); exit 1 if it holds a flink-stack.yaml`;

const options = { out: SHARED_OPTIONS.out } as const;

export const EXAMPLES_DIR = fileURLToPath(new URL("../../../examples/", import.meta.url));

export async function listExamples(): Promise<Array<{ name: string; summary: string }>> {
  const names = (await readdir(EXAMPLES_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const readme = await readFile(path.join(EXAMPLES_DIR, name, "README.md"), "utf8").catch(() => "");
      const summary = readme.split("\n").find((line) => line.trim() !== "" && !line.startsWith("#")) ?? "";
      return { name, summary: summary.trim() };
    }),
  );
}

const command: Command = {
  usage,
  options,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, options, usage, 1);
    const examples = await listExamples();
    const name = positionals[0];
    if (name === undefined) {
      for (const example of examples) process.stdout.write(`${example.name.padEnd(16)}${example.summary}\n`);
      return 0;
    }
    if (!examples.some((example) => example.name === name)) {
      throw new UsageError(`no example named "${name}" (examples: ${examples.map((e) => e.name).join(", ")})`, usage);
    }
    const dir = values.out ?? name;
    if (dir.trim() === "") throw new UsageError(`-o is empty (""); name a folder for the example`, usage);
    await makeFolders(dir);
    const config = path.join(dir, "flink-stack.yaml");
    await copyFile(path.join(EXAMPLES_DIR, name, "flink-stack.yaml"), config, constants.COPYFILE_EXCL).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EEXIST") throw new OutputError(`${config} exists already; choose another folder with -o`);
      return asOutputError(error, "write", config);
    });
    const result = await generate({ config, outDir: path.join(dir, "out") });
    say(`Wrote ${config} and its stack (${result.artifacts.length} files) in ${path.join(dir, "out")}.`);
    return 0;
  },
};
export default command;
