import path from "node:path";
import { findConfigFile } from "../../config/load.js";
import { durationMs } from "../../config/duration.js";
import { formatIssues } from "../../errors.js";
import { generate } from "../../generate.js";
import { CONFIG_OPTION, UsageError, parseCommandArgs, printJson, say, type Command } from "../command.js";
import { progressPrinter } from "../progress.js";

const usage = `Usage: flink-prometheus-stack up [-c flink-stack.yaml] [-o out] [--pull missing|always|never] [--timeout 120s] [--json]

Generates the stack into the output folder (only changed files are rewritten), then starts it through the
Docker Engine API: images, network, volumes, containers in dependency order gated by their healthchecks, then
waits until every service is ready and Prometheus reports its local targets up and its rules loaded.
Running it again changes nothing; after a config change only the services whose spec changed are recreated,
and Prometheus/Alertmanager reload config-file-only changes.
  -c, --config <file>   the stack config (default: flink-stack.yaml, .yml or .json in this folder)
  -o, --out <dir>       output folder (default: out)
      --pull <policy>   missing (default): pull absent images; always; never
      --timeout <dur>   how long services may take to become ready (default 120s)
      --no-wait         start the containers but skip the readiness checks
      --remove-orphans  remove containers of services the config no longer has
      --json            print the result as JSON on stdout
Docker is found through DOCKER_HOST, else /var/run/docker.sock. Exit code 3 on a Docker problem.`;

const options = {
  ...CONFIG_OPTION,
  out: { type: "string", short: "o" },
  pull: { type: "string" },
  timeout: { type: "string" },
  "no-wait": { type: "boolean" },
  "remove-orphans": { type: "boolean" },
  json: { type: "boolean" },
} as const;

const command: Command = {
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, options, usage);
    const pull = values.pull ?? "missing";
    if (pull !== "missing" && pull !== "always" && pull !== "never") throw new UsageError(`--pull must be missing, always or never (got ${pull})`, usage);
    if (values.timeout !== undefined && !/^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/.test(values.timeout)) {
      throw new UsageError(`--timeout must be a duration such as 90s or 5m (got ${values.timeout})`, usage);
    }
    const file = findConfigFile(values.config);
    const outDir = values.out ?? "out";
    const generated = await generate({ config: file, outDir });
    const changedFiles = generated.changes.filter((change) => change.kind !== "unchanged").length;
    if (!values.json) say(`Generated ${outDir} (${changedFiles} file(s) changed).`);

    const { upStack } = await import("../../docker/index.js");
    // Ctrl-C stops `up` at its next step and rolls back what this run created.
    const abort = new AbortController();
    process.once("SIGINT", () => abort.abort());
    const result = await upStack(generated.plan, {
      signal: abort.signal,
      outDir,
      pull,
      wait: !values["no-wait"],
      removeOrphans: Boolean(values["remove-orphans"]),
      ...(values.timeout ? { timeoutMs: durationMs(values.timeout) } : {}),
      ...(values.json ? {} : { onProgress: progressPrinter() }),
    });
    if (values.json) {
      printJson({ ...result, generated: { outDir, changedFiles } });
      return 0;
    }
    say(result.changed ? `Stack ${result.project} is up (${(result.durationMs / 1000).toFixed(1)} s).` : `Stack ${result.project} is up to date: nothing changed.`);
    for (const service of result.services) {
      say(`  ${service.name.padEnd(14)}${service.action.padEnd(11)}${service.url ?? ""}`);
    }
    if (result.targets) {
      const up = result.targets.filter((target) => target.health === "up").length;
      say(`Prometheus: ${up}/${result.targets.length} targets up${result.rules ? `, ${result.rules.rules} rules in ${result.rules.groups} groups loaded` : ""}.`);
    }
    const secret = generated.plan.secrets.find((s) => s.name === "grafana_admin_password");
    if (secret) say(`Grafana login: ${generated.plan.config.grafana.adminUser} / the password in ${path.isAbsolute(secret.file) ? secret.file : path.join(outDir, secret.file)}`);
    if (result.orphans.length > 0) say(formatIssues(undefined, result.orphans.map((name) => ({ path: name, message: "orphan container (pass --remove-orphans)" })), "warning"));
    return 0;
  },
};
export default command;
