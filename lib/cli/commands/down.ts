import { findConfigFile, loadConfig } from "../../config/load.js";
import { buildStack } from "../../generate.js";
import { CONFIG_OPTION, parseCommandArgs, printJson, say, type Command } from "../command.js";
import { progressPrinter } from "../progress.js";

const usage = `Usage: flink-prometheus-stack down [-c flink-stack.yaml | --project name] [--volumes] [--json]

Stops and removes the stack's containers and network. Data volumes (Prometheus, Grafana, Alertmanager,
Pushgateway) are kept unless --volumes is given. Finds the stack by its Compose project label, so it also
removes a stack started with docker compose from the generated file.
  -c, --config <file>   the stack config whose project to remove (default: flink-stack.yaml in this folder)
      --project <name>  the project name instead of a config
      --volumes         also remove the data volumes
      --json            print the result as JSON on stdout`;

const command: Command = {
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { ...CONFIG_OPTION, project: { type: "string" }, volumes: { type: "boolean" }, json: { type: "boolean" } }, usage);
    const target = values.project ?? buildStack((await loadConfig(findConfigFile(values.config))).raw).plan;
    const { downStack } = await import("../../docker/index.js");
    const result = await downStack(target, { volumes: Boolean(values.volumes), ...(values.json ? {} : { onProgress: progressPrinter() }) });
    if (values.json) printJson(result);
    else {
      say(`Removed ${result.removedContainers.length} container(s), ${result.removedNetworks.length} network(s), ${result.removedVolumes.length} volume(s).`);
      if (result.keptVolumes.length > 0) say(`Kept data volumes: ${result.keptVolumes.join(", ")} (down --volumes removes them).`);
    }
    return 0;
  },
};
export default command;
