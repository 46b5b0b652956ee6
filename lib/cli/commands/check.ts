import { checkStack } from "../../judges/check-stack.js";
import { SHARED_OPTIONS, parseCommandArgs, printJson, say, type Command } from "../command.js";

const usage = `Usage: flink-prometheus-stack check [-o out] [--json] [--skip-missing]

Runs the real tools on a generated stack: promtool check config (container paths such as
/etc/prometheus/rules/… mapped to the folder's files), promtool check rules, promtool test rules,
amtool check-config and docker compose config -q (or docker-compose).
  -o, --out <dir>      the generated stack (default: out)
      --json           print the result as JSON on stdout
      --skip-missing   a tool that is not installed is reported but does not fail the check
Exit code 1 when a check fails or a tool is missing (unless --skip-missing).`;

const options = {
  out: SHARED_OPTIONS.out,
  json: SHARED_OPTIONS.json,
  "skip-missing": { type: "boolean" },
} as const;

const command: Command = {
  usage,
  options,
  async run(argv) {
    const { values } = parseCommandArgs(argv, options, usage);
    const result = await checkStack(values.out ?? "out", { skipMissing: values["skip-missing"] === true });
    if (values.json) {
      printJson(result);
    } else {
      for (const check of result.checks) {
        const label = check.status === "missing" ? "missing" : check.status;
        say(`${label.padEnd(7)} ${check.command}`);
        if (check.status !== "ok" && check.output.trim())
          say(
            check.output
              .trimEnd()
              .split("\n")
              .map((line) => `        ${line}`)
              .join("\n"),
          );
      }
      say(
        result.ok
          ? `${result.outDir}: every check passed`
          : `${result.outDir}: ${result.checks.filter((c) => c.status === "failed").length} failed, ${result.checks.filter((c) => c.status === "missing").length} tool(s) missing`,
      );
    }
    return result.ok ? 0 : 1;
  },
};
export default command;
