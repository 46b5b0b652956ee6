import { loadStack } from "../stack-target.js";
import type { PanelCheck, RuleCheck, VerifyResult } from "../../verify/verify.js";
import { SHARED_OPTIONS, UsageError, parseCommandArgs, printJson, say, type Command } from "../command.js";

const usage = `Usage: flink-prometheus-stack verify [-c flink-stack.yaml] [--prometheus-url URL] [--json]

Runs every dashboard panel query and alert rule expression the config generates against a live Prometheus,
with the dashboard variables resolved as Grafana would, and lists the panels that show no data with the
likely cause: a metric absent (not reported by this Flink version or job, or the reporter is not pushing),
a label mismatch, a Pushgateway group that stopped pushing, a scrape target down. Alert rules that read an
absent metric are listed too (an alert that returns nothing is simply not firing). With grafana.enabled false,
the dashboards the config would generate with Grafana enabled are checked.
Exit code 1 when a panel query returns no data or fails, when there is no panel to check (every dashboard
turned off), or Prometheus cannot be reached.
  -c, --config <file>         the stack config (default: flink-stack.yaml, .yml or .json in this folder)
      --prometheus-url <url>  the Prometheus to ask (default: the stack's own, e.g. http://127.0.0.1:9090)
      --json                  print the whole result, or the error, as JSON on stdout`;

const options = { config: SHARED_OPTIONS.config, json: SHARED_OPTIONS.json, "prometheus-url": { type: "string" } } as const;

function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, maxWidths: readonly number[]): string[] {
  const widths = headers.map((h, i) => Math.min(maxWidths[i] ?? 40, Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.length > widths[i]! ? `${cell.slice(0, widths[i]! - 1)}…` : cell.padEnd(widths[i]!)))
      .join("  ");
  return [line(headers), ...rows.map(line)];
}

function printPanels(panels: readonly PanelCheck[]): void {
  const lines = table(
    ["DASHBOARD", "PANEL", "CAUSE"],
    panels.map((p) => [
      p.dashboard,
      `${p.panel}${p.refId === "A" ? "" : ` (${p.refId})`}`,
      p.status === "error" ? `error: ${p.cause ?? ""}` : (p.cause ?? ""),
    ]),
    [24, 36],
  );
  process.stdout.write(`${lines[0]}\n`);
  panels.forEach((p, i) => {
    process.stdout.write(`${lines[i + 1]}\n`);
    process.stdout.write(`  query: ${p.expr}\n`);
  });
}

function printRules(rules: readonly RuleCheck[]): void {
  const lines = table(
    ["ALERT RULE", "PROBLEM"],
    rules.map((r) => [`${r.bundle}/${r.alert}`, r.status === "error" ? `error: ${r.cause ?? ""}` : (r.cause ?? "")]),
    [44],
  );
  for (const line of lines) process.stdout.write(`${line}\n`);
}

function printHuman(result: VerifyResult): void {
  for (const note of result.notes) say(`note: ${note}`);
  const empty = result.panels.filter((p) => p.status !== "data");
  if (empty.length > 0) {
    process.stdout.write(`Panels without data (${empty.length} of ${result.panels.length} queries):\n`);
    printPanels(empty);
  }
  const badRules = result.rules.filter((r) => r.status !== "ok");
  if (badRules.length > 0) {
    if (empty.length > 0) process.stdout.write("\n");
    process.stdout.write(`Alert rules that read absent metrics (${badRules.length} of ${result.rules.length}):\n`);
    printRules(badRules);
  }
  for (const v of result.variables) {
    if (v.values.length === 0) say(`! ${v.dashboard}: variable $${v.name} has no values (${v.query})${v.error ? `: ${v.error}` : ""}`);
  }
  const s = result.summary;
  const version = result.prometheusVersion ? `Prometheus ${result.prometheusVersion}` : "Prometheus";
  say(
    `${version} at ${result.prometheusUrl}: ${s.panelsWithData} of ${s.panels} panels have data ` +
      `(${s.data} of ${s.queries} queries; ${s.noData} without data${s.noDataOptional ? `, ${s.noDataOptional} of them needing a connector the jobs lack` : ""}, ${s.errors} failed). ` +
      `Alert rules: ${s.rules}, ${s.rulesFiring} returning series now, ${s.rulesWithAbsentMetrics} reading absent metrics, ${s.ruleErrors} failed.`,
  );
  for (const problem of result.problems) say(`! ${problem}`);
  if (result.ok) say(s.noDataOptional ? "Every panel has data, except those that need a connector no job uses." : "Every panel has data.");
  else say(s.queries === 0 ? "No panel was checked." : "Some panels have no data.");
}

const command: Command = {
  usage,
  options,
  async run(argv) {
    const { values } = parseCommandArgs(argv, options, usage);
    const url = values["prometheus-url"];
    if (url !== undefined && !/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--prometheus-url must be an http(s) URL (got ${url})`, usage);
    const plan = (await loadStack(values.config)).plan;
    if (url === undefined && plan.urls.prometheus === undefined) {
      throw new UsageError("this stack publishes no Prometheus URL: give one with --prometheus-url", usage);
    }
    const { verifyStack } = await import("../../verify/verify.js");
    const result = await verifyStack(plan, {
      ...(url === undefined ? {} : { prometheusUrl: url }),
      ...(values.json ? {} : { onProgress: (event: { message: string }) => say(`- ${event.message}`) }),
    });
    if (values.json) printJson(result);
    else printHuman(result);
    return result.ok ? 0 : 1;
  },
};
export default command;
