#!/usr/bin/env node
// The CLI: parse argv, dispatch to a command (loaded only when used), map errors to exit codes.
import { escapeControl } from "../errors.js";
import { UsageError, errorJson, printJson, type Command } from "./command.js";
import { fsErrorMessage, isFsError } from "../write/fs-errors.js";

const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  init: () => import("./commands/init.js"),
  validate: () => import("./commands/validate.js"),
  generate: () => import("./commands/generate.js"),
  check: () => import("./commands/check.js"),
  example: () => import("./commands/example.js"),
  up: () => import("./commands/up.js"),
  down: () => import("./commands/down.js"),
  status: () => import("./commands/status.js"),
  verify: () => import("./commands/verify.js"),
  "prune-pushgateway": () => import("./commands/prune-pushgateway.js"),
  "build-image": () => import("./commands/build-image.js"),
  demo: () => import("./commands/demo.js"),
};

const SUMMARIES: Record<string, string> = {
  init: "write a commented starter flink-stack.yaml",
  validate: "check a stack config and report every problem",
  generate: "write the whole monitoring stack into a folder",
  check: "run promtool, amtool and docker compose on a generated stack",
  example: "list the bundled examples, or copy one and its generated stack",
  up: "generate, then start the stack on Docker and wait until it is ready",
  down: "stop and remove the stack's containers and network (--volumes: data too)",
  status: "show each service's state and Prometheus's target health",
  verify: "check that every dashboard panel and alert rule query returns data",
  "prune-pushgateway": "delete Pushgateway groups that stopped pushing (dry run by default)",
  "build-image": "build the prune sidecar's image of this CLI on the Docker engine (up does it too)",
  demo: "generate and start a stack that also runs a Flink session cluster and a job",
};

export const MAIN_USAGE = `Usage: flink-prometheus-stack <command> [options]

Commands:
${Object.entries(SUMMARIES)
  .map(([name, text]) => `  ${name.padEnd(19)}${text}`)
  .join("\n")}

Run "flink-prometheus-stack <command> --help" for a command's options.
Exit codes: 0 ok, 1 invalid config, failed check or output problem, 2 usage, 3 Docker.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${MAIN_USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    const { PACKAGE_VERSION } = await import("../version.js");
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    const { closest } = await import("../config/schema-issues.js");
    const suggestion = closest(name, Object.keys(COMMANDS));
    throw new UsageError(`unknown command "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`, MAIN_USAGE);
  }
  const command = (await load()).default;
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}

function report(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${escapeControl(error.message)}\n\n${error.usage}\n`);
    return 2;
  }
  const known = error as { code?: unknown; exitCode?: unknown; message?: unknown };
  if (error instanceof Error && typeof known.code === "string" && known.code.startsWith("E_") && typeof known.exitCode === "number") {
    process.stderr.write(`error: ${escapeControl(error.message)}\n`);
    return known.exitCode;
  }
  // A filesystem error that escaped a command is still the user's situation (a path, what to do), not a bug.
  if (isFsError(error)) {
    process.stderr.write(`error: ${escapeControl(fsErrorMessage(error))}\n`);
    return 1;
  }
  process.stderr.write(
    `internal error (please report it with the command you ran):\n${escapeControl(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
  );
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // With --json, stdout still gets a JSON document (the error); the human message goes to stderr as always.
    if (process.argv.slice(3).includes("--json")) printJson(errorJson(error));
    process.exitCode = report(error);
  },
);
