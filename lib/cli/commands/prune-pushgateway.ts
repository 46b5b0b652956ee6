import { durationMs, formatSeconds } from "../../config/duration.js";
import { loadStack } from "../stack-target.js";
import type { PruneResult, StaleGroup } from "../../pushgateway/prune.js";
import type { PruneServiceOptions } from "../../pushgateway/prune-service.js";
import { SHARED_OPTIONS, UsageError, parseCommandArgs, printJson, say, type Command } from "../command.js";

const usage = `Usage: flink-prometheus-stack prune-pushgateway [-c flink-stack.yaml] [--pushgateway-url URL] [--older-than 10m] [--apply] [--all-jobs | --job-prefix P] [--json]
       flink-prometheus-stack prune-pushgateway --apply --every 1m [--listen 0.0.0.0:9097] …   (as a service)

Deletes the Pushgateway groups whose last push is older than --older-than. The Pushgateway never forgets a
group, and every Flink process start (random job-name suffix) makes a new one, so groups of processes that
are gone pile up. A dry run by default: lists what it would delete. Only groups whose job starts with the
configured Flink jobName are candidates. The stack config is read only for what the options leave out.
  -c, --config <file>          the stack config (default: flink-stack.yaml, .yml or .json in this folder)
      --pushgateway-url <url>  the Pushgateway (default: the stack's own, e.g. http://127.0.0.1:9091)
      --older-than <dur>       stale after this long without a push, e.g. 10m, 2h, 1d (default: what the
                               FlinkMetricsPushStale alert uses, pushStaleIntervals × the reporter interval)
      --apply                  delete the stale groups (HTTP DELETE); without it nothing is changed
      --job-prefix <prefix>    candidates are groups whose job starts with this (default: the config's jobName)
      --all-jobs               also groups of other jobs (other users' pushes): use with care
      --every <dur>            keep running: a round every <dur> until SIGTERM/SIGINT (the compose sidecar)
      --listen <[host:]port>   with --every: serve /-/healthy, /-/ready and /metrics (Prometheus format) here
      --json                   print the result, or the error, as JSON on stdout`;

const options = {
  config: SHARED_OPTIONS.config,
  json: SHARED_OPTIONS.json,
  "pushgateway-url": { type: "string" },
  "older-than": { type: "string" },
  apply: { type: "boolean" },
  "all-jobs": { type: "boolean" },
  "job-prefix": { type: "string" },
  every: { type: "string" },
  listen: { type: "string" },
} as const;

function parseSeconds(option: string, text: string): number {
  if (!/^(?=\d)(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/.test(text))
    throw new UsageError(`--${option} must be a duration such as 90s, 10m or 1h (got ${text})`, usage);
  const seconds = durationMs(text) / 1000;
  if (seconds <= 0) throw new UsageError(`--${option} must be longer than 0s (got ${text})`, usage);
  return seconds;
}

function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[^:]+):)?(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) throw new UsageError(`--listen must be [host:]port, e.g. 0.0.0.0:9097 (got ${text})`, usage);
  return { host: (match[1] ?? "0.0.0.0").replace(/^\[|\]$/g, ""), port };
}

function groupKey(group: StaleGroup): string {
  const rest = Object.entries(group.labels).filter(([name]) => name !== "job");
  return rest.length === 0 ? "-" : rest.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(",");
}

function age(seconds: number): string {
  return seconds > 10 * 365 * 86400 ? "never" : `${formatSeconds(Math.max(0, Math.round(seconds)))} ago`;
}

function printHuman(result: PruneResult): void {
  if (result.stale.length > 0) {
    const rows = result.stale.map((g) => [g.job, groupKey(g), age(g.ageSeconds)]);
    const widths = [0, 1].map((i) => Math.max(["JOB", "GROUP LABELS"][i]!.length, ...rows.map((r) => r[i]!.length)));
    process.stdout.write(`${"JOB".padEnd(widths[0]!)}  ${"GROUP LABELS".padEnd(widths[1]!)}  LAST PUSH\n`);
    for (const row of rows) process.stdout.write(`${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}\n`);
  }
  const scope = result.jobPrefix === undefined ? "of any job" : `whose job starts with "${result.jobPrefix}"`;
  const head = `${result.stale.length} of ${result.groups.length} groups on ${result.url} are stale (${scope}, no push for more than ${formatSeconds(Math.round(result.olderThanSeconds))})`;
  if (result.dryRun) {
    say(`${head}. Dry run: nothing deleted${result.stale.length > 0 ? "; run again with --apply to delete them" : ""}.`);
    return;
  }
  for (const failure of result.failed) say(`! could not delete ${failure.group.job} (${groupKey(failure.group)}): ${failure.error}`);
  say(`${head}. Deleted ${result.deleted.length}${result.failed.length > 0 ? `, ${result.failed.length} failed` : ""}.`);
}

/** --every: rounds until SIGTERM (docker stop) or SIGINT; one line per round that found or did something. */
async function runService(options: Omit<PruneServiceOptions, "signal">): Promise<number> {
  const { runPruneService } = await import("../../pushgateway/prune-service.js");
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  const scope = options.jobPrefix === undefined ? "any job" : `jobs starting with "${options.jobPrefix}"`;
  say(
    `prune-pushgateway: every ${formatSeconds(options.everySeconds)}, ${options.apply ? "deleting" : "listing (dry run)"} groups of ${scope} on ${options.url} without a push for ${formatSeconds(Math.round(options.olderThanSeconds))}`,
  );
  await runPruneService({
    ...options,
    signal: controller.signal,
    onListening: (port) => say(`prune-pushgateway: serving /-/healthy, /-/ready and /metrics on ${options.listen!.host}:${port}`),
    onRound: (outcome) => {
      if (outcome instanceof Error) say(`! ${outcome.message}`);
      else if (outcome.stale.length > 0 || outcome.failed.length > 0) printHuman(outcome);
    },
  });
  say("prune-pushgateway: stopped");
  return 0;
}

const command: Command = {
  usage,
  options,
  async run(argv) {
    const { values } = parseCommandArgs(argv, options, usage);
    const url = values["pushgateway-url"];
    if (url !== undefined && !/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--pushgateway-url must be an http(s) URL (got ${url})`, usage);
    if (values["all-jobs"] && values["job-prefix"] !== undefined) throw new UsageError("--all-jobs and --job-prefix exclude each other", usage);
    if (values["job-prefix"] === "") throw new UsageError("--job-prefix must not be empty (use --all-jobs for every job)", usage);
    if (values.listen !== undefined && values.every === undefined) throw new UsageError("--listen needs --every", usage);
    if (values.json && values.every !== undefined) throw new UsageError("--json prints one result: not with --every", usage);
    const olderThanArg = values["older-than"];
    const olderThan = olderThanArg === undefined ? undefined : parseSeconds("older-than", olderThanArg);
    const everySeconds = values.every === undefined ? undefined : parseSeconds("every", values.every);
    if (everySeconds !== undefined && everySeconds < 1) throw new UsageError(`--every must be at least 1s (got ${values.every})`, usage);
    const listen = values.listen === undefined ? undefined : parseListen(values.listen);
    // The sidecar passes everything and has no config file: read one only for what the options leave out.
    const needsConfig = url === undefined || olderThan === undefined || (!values["all-jobs"] && values["job-prefix"] === undefined);
    const plan = needsConfig ? (await loadStack(values.config)).plan : undefined;
    const target = url ?? plan?.urls.pushgateway;
    if (target === undefined) throw new UsageError("this stack has no Pushgateway: give one with --pushgateway-url", usage);
    const prune = {
      url: target,
      olderThanSeconds: olderThan ?? plan!.pushgateway.staleWindow.seconds,
      jobPrefix: values["all-jobs"] ? undefined : (values["job-prefix"] ?? plan!.flink.pushgateway.jobName),
      apply: Boolean(values.apply),
    };
    if (everySeconds !== undefined) return runService({ ...prune, everySeconds, listen });
    const { prunePushgateway } = await import("../../pushgateway/prune.js");
    const result = await prunePushgateway(prune);
    if (values.json) printJson(result);
    else printHuman(result);
    return result.failed.length > 0 ? 1 : 0;
  },
};
export default command;
