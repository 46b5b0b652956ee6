import { SHARED_OPTIONS, parseCommandArgs, printJson, say, type Command } from "../command.js";
import { progressPrinter } from "../progress.js";
import { stackTarget } from "../stack-target.js";
import { TARGET_OPTION, dockerTarget, parseTarget } from "../target-option.js";

const usage = `Usage: flink-prometheus-stack down [-c flink-stack.yaml | --project name] [-o out] [--volumes] [--json]

Stops and removes the stack's containers and network. Data volumes (Prometheus, Grafana, Alertmanager,
Pushgateway) are kept unless --volumes is given. Finds the stack by its Compose project label, so it also
removes a stack started with docker compose from the generated file.
  -c, --config <file>   the stack config whose project to remove (default: flink-stack.yaml, .yml or .json in this folder)
  -o, --out <dir>       the folder the stack was generated into: without a config, its .env names the project
      --project <name>  the Compose project, instead of a config
      --volumes         also remove the data volumes
      --target <t>      compose, or swarm (docker stack rm; default: the config's target)
      --json            print the result, or the error, as JSON on stdout`;

const options = {
  config: SHARED_OPTIONS.config,
  out: SHARED_OPTIONS.out,
  project: SHARED_OPTIONS.project,
  json: SHARED_OPTIONS.json,
  volumes: { type: "boolean" },
  target: TARGET_OPTION,
} as const;

const command: Command = {
  usage,
  options,
  async run(argv) {
    const { values } = parseCommandArgs(argv, options, usage);
    const target = await stackTarget(values);
    if (dockerTarget("down", parseTarget(values.target, usage), target, values.out) === "swarm") {
      const { runSwarmDown } = await import("../swarm-commands.js");
      return runSwarmDown(typeof target === "string" ? target : target.project, { volumes: Boolean(values.volumes), json: Boolean(values.json) });
    }
    const { downStack } = await import("../../docker/index.js");
    const result = await downStack(target, { volumes: Boolean(values.volumes), ...(values.json ? {} : { onProgress: progressPrinter() }) });
    if (values.json) printJson(result);
    else {
      say(
        `Removed ${result.removedContainers.length} container(s), ${result.removedNetworks.length} network(s), ${result.removedVolumes.length} volume(s).`,
      );
      if (result.keptVolumes.length > 0) say(`Kept data volumes: ${result.keptVolumes.join(", ")} (down --volumes removes them).`);
    }
    return 0;
  },
};
export default command;
