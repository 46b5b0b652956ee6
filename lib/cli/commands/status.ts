import { existsSync } from "node:fs";
import { findConfigFile, loadConfig } from "../../config/load.js";
import { buildStack } from "../../generate.js";
import { CONFIG_OPTION, parseCommandArgs, printJson, say, type Command } from "../command.js";

const usage = `Usage: flink-prometheus-stack status [-c flink-stack.yaml | --project name] [-o out] [--json]

Shows each service's container state and health, and the health of Prometheus's targets.
Exit code 1 when something is unhealthy or missing, 3 when Docker cannot be reached.
  -c, --config <file>   the stack config (default: flink-stack.yaml in this folder)
      --project <name>  the project name instead of a config
  -o, --out <dir>       the output folder, to also say whether containers match the generated files
      --json            print the status as JSON on stdout`;

const command: Command = {
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { ...CONFIG_OPTION, project: { type: "string" }, out: { type: "string", short: "o" }, json: { type: "boolean" } }, usage);
    const target = values.project ?? buildStack((await loadConfig(findConfigFile(values.config))).raw).plan;
    const outDir = values.out ?? (values.project === undefined && existsSync("out") ? "out" : undefined);
    const { getStackStatus } = await import("../../docker/index.js");
    const status = await getStackStatus(target, outDir ? { outDir } : {});
    if (values.json) printJson(status);
    else {
      process.stdout.write(`${"SERVICE".padEnd(16)}${"STATE".padEnd(12)}${"HEALTH".padEnd(11)}PORTS\n`);
      for (const service of status.services) {
        process.stdout.write(`${service.name.padEnd(16)}${service.state.padEnd(12)}${service.health.padEnd(11)}${service.ports.join(", ")}\n`);
      }
      if (status.targets) {
        process.stdout.write(`\n${"TARGET".padEnd(40)}HEALTH\n`);
        for (const t of status.targets) process.stdout.write(`${`${t.job} ${t.instance}`.padEnd(40)}${t.health}${t.lastError ? `  ${t.lastError}` : ""}\n`);
      } else if (status.targetsError) say(`Prometheus targets unknown: ${status.targetsError}`);
      for (const problem of status.problems) say(`! ${problem}`);
      for (const warning of status.warnings) say(`warning: ${warning}`);
      say(status.ok ? `Stack ${status.project} is healthy.` : `Stack ${status.project} is not healthy.`);
    }
    return status.ok ? 0 : 1;
  },
};
export default command;
