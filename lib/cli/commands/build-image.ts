import { StackError } from "../../errors.js";
import { loadStack } from "../stack-target.js";
import { SHARED_OPTIONS, parsePullPolicy, parseCommandArgs, printJson, say, type Command } from "../command.js";
import { progressPrinter } from "../progress.js";

const usage = `Usage: flink-prometheus-stack build-image [-c flink-stack.yaml] [--pull missing|always|never] [--rebuild] [--json]

Builds the image the prune sidecar runs (pushgateway.prune.sidecar with runner "image", the default):
localhost/flink-prometheus-stack:<this version>, this installed package and its production dependencies on top
of pushgateway.prune.image (a Node.js image), through the Docker Engine API. \`up\` does the same by itself; run
this before \`docker compose up\` on the generated folder, which never pulls or builds that image. Only the base
image may come from a registry (or \`docker load\`); an image already holding this package on that base is kept.
  -c, --config <file>   the stack config (default: flink-stack.yaml, .yml or .json in this folder)
      --pull <policy>   the base image: missing (default): pull it when absent; always; never
      --rebuild         build even when the image is up to date
      --json            print the result, or the error, as JSON on stdout
Docker is found through DOCKER_HOST, else /var/run/docker.sock. Exit code 3 on a Docker problem.`;

const options = {
  config: SHARED_OPTIONS.config,
  json: SHARED_OPTIONS.json,
  pull: SHARED_OPTIONS.pull,
  rebuild: { type: "boolean" },
} as const;

const command: Command = {
  usage,
  options,
  async run(argv) {
    const { values } = parseCommandArgs(argv, options, usage);
    const pull = parsePullPolicy(values.pull, usage);
    const { plan } = await loadStack(values.config);
    const service = plan.services.find((s) => s.localBuild);
    if (!service?.localBuild) {
      const prune = plan.pushgateway.prune;
      const why =
        !plan.pushgateway.enabled || !prune.sidecar
          ? "the prune sidecar is off (pushgateway.prune.sidecar)"
          : `pushgateway.prune.runner is ${prune.runner}`;
      throw new StackError("E_CONFIG_INVALID", `This stack runs no locally built image: ${why}. Nothing to build.`);
    }
    const { buildCliImage } = await import("../../docker/index.js");
    const result = await buildCliImage({
      image: service.image,
      base: service.localBuild.base,
      pull,
      force: Boolean(values.rebuild),
      ...(values.json ? {} : { onProgress: progressPrinter() }),
    });
    if (values.json) printJson({ ...result, base: service.localBuild.base });
    else say(`${result.image} ${result.built ? "built" : "is up to date"} (base ${service.localBuild.base}, ${result.id.slice(7, 19)}).`);
    return 0;
  },
};
export default command;
