import { printTargetsAndProblems } from "../print-targets.js";
import { existsSync } from "node:fs";
import { SHARED_OPTIONS, parseCommandArgs, printJson, say, type Command } from "../command.js";
import { stackTarget } from "../stack-target.js";
import { TARGET_OPTION, dockerTarget, parseTarget } from "../target-option.js";

const usage = `Usage: flink-prometheus-stack status [-c flink-stack.yaml | --project name] [-o out] [--json]

Shows each service's container state and health, and the health of Prometheus's targets.
Exit code 1 when something is unhealthy or missing, 3 when Docker cannot be reached.
  -c, --config <file>   the stack config (default: flink-stack.yaml, .yml or .json in this folder)
  -o, --out <dir>       the folder the stack was generated into (default: out, when it exists), to also say
                        whether containers match the generated files; without a config, its .env names the project
      --project <name>  the Compose project, instead of a config
      --target <t>      compose, or swarm (services and tasks; default: the config's target)
      --json            print the status, or the error, as JSON on stdout`;

const options = {
  config: SHARED_OPTIONS.config,
  out: SHARED_OPTIONS.out,
  project: SHARED_OPTIONS.project,
  json: SHARED_OPTIONS.json,
  target: TARGET_OPTION,
} as const;

const command: Command = {
  usage,
  options,
  async run(argv) {
    const { values } = parseCommandArgs(argv, options, usage);
    const target = await stackTarget(values);
    if (dockerTarget("status", parseTarget(values.target, usage), target, values.out) === "swarm") {
      const { runSwarmStatus } = await import("../swarm-commands.js");
      return runSwarmStatus(target, Boolean(values.json));
    }
    const outDir = values.out ?? (values.project === undefined && existsSync("out") ? "out" : undefined);
    const { getStackStatus } = await import("../../docker/index.js");
    const status = await getStackStatus(target, outDir ? { outDir } : {});
    if (values.json) printJson(status);
    else {
      process.stdout.write(`${"SERVICE".padEnd(16)}${"STATE".padEnd(12)}${"HEALTH".padEnd(11)}PORTS\n`);
      for (const service of status.services) {
        process.stdout.write(`${service.name.padEnd(16)}${service.state.padEnd(12)}${service.health.padEnd(11)}${service.ports.join(", ")}\n`);
      }
      printTargetsAndProblems(status);
      for (const warning of status.warnings) say(`warning: ${warning}`);
      say(status.ok ? `Stack ${status.project} is healthy.` : `Stack ${status.project} is not healthy.`);
    }
    return status.ok ? 0 : 1;
  },
};
export default command;
