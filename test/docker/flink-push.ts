// Pushes metrics to a Pushgateway exactly as Flink 1.18's PrometheusPushGatewayReporter does
// (research/flink-reporter.md §2–3): HTTP PUT of the whole registry to
// <hostUrl>/metrics/job/<jobName><32 hex>/<groupingKey k>/<v>…, text format 0.0.4, `# HELP`/`# TYPE` per family,
// every metric a gauge, label values filtered to [a-zA-Z0-9:_], a trailing comma inside the braces, Java
// Double.toString values. The settings are read from the generated flink-conf.yaml, as Flink reads them.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

export interface ReporterSettings {
  readonly hostUrl: string;
  readonly jobName: string;
  readonly randomJobNameSuffix: boolean;
  readonly groupingKey: Record<string, string>;
  readonly excludes: readonly string[];
}

/** The legacy flat flink-conf.yaml parser's view (Flink ≤ 1.18): `key: value`, `#` starts a comment. */
export function readReporterSettings(flinkConfFile: string): ReporterSettings {
  const values = new Map<string, string>();
  for (const raw of readFileSync(flinkConfFile, "utf8").split("\n")) {
    const line = raw.split("#")[0] ?? "";
    const at = line.indexOf(": ");
    if (at < 0) continue;
    values.set(line.slice(0, at).trim(), line.slice(at + 2).trim());
  }
  const get = (key: string) => values.get(`metrics.reporter.promgateway.${key}`);
  const hostUrl = get("hostUrl");
  if (!hostUrl) throw new Error(`${flinkConfFile}: no metrics.reporter.promgateway.hostUrl`);
  const groupingKey = Object.fromEntries(
    (get("groupingKey") ?? "")
      .split(";")
      .map((pair) => pair.split("="))
      .filter((kv): kv is [string, string] => kv.length === 2 && kv[0] !== "" && kv[1] !== ""),
  );
  return {
    hostUrl,
    jobName: get("jobName") ?? "",
    randomJobNameSuffix: (get("randomJobNameSuffix") ?? "true") === "true",
    groupingKey,
    excludes: (get("scope.variables.excludes") ?? "").split(";").filter(Boolean),
  };
}

/** Flink's AbstractID().toString(): 32 lowercase hex characters. */
export function abstractId(): string {
  return randomBytes(16).toString("hex");
}

/** AbstractPrometheusReporter.replaceInvalidChars (label values, filterLabelValueCharacters=true). */
export function filterValue(value: string): string {
  return value.replace(/[^a-zA-Z0-9:_]/g, "_");
}

/** Collector.doubleToGoString: Java's Double.toString for finite values. */
export function javaDouble(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e7) return `${value}.0`;
  if (Math.abs(value) >= 1e7 || (Math.abs(value) < 1e-3 && value !== 0)) {
    const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
    return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  return String(value);
}

export interface FlinkMetric {
  /** Logical scope joined with `_`, e.g. "taskmanager_job_task_operator". */
  readonly scope: string;
  readonly name: string;
  readonly variables: Record<string, string>;
  readonly value: number;
}

/** The body TextFormat.write004 produces for a registry of Flink gauges. */
export function exposition(metrics: readonly FlinkMetric[], excludes: readonly string[] = []): string {
  const families = new Map<string, FlinkMetric[]>();
  for (const metric of metrics) {
    const family = `flink_${metric.scope}_${metric.name.replace(/[^a-zA-Z0-9:_]/g, "_")}`;
    families.set(family, [...(families.get(family) ?? []), metric]);
  }
  let body = "";
  for (const [family, samples] of families) {
    const first = samples[0]!;
    body += `# HELP ${family} ${first.name} (scope: ${first.scope})\n# TYPE ${family} gauge\n`;
    for (const sample of samples) {
      const labels = Object.entries(sample.variables)
        .filter(([key]) => !excludes.includes(key))
        .map(([key, value]) => `${key}="${filterValue(value)}",`)
        .join("");
      body += `${family}{${labels}} ${javaDouble(sample.value)}\n`;
    }
  }
  return body;
}

export interface PushResult {
  readonly url: string;
  readonly job: string;
  readonly status: number;
}

/** One report() of one Flink process: PUT of its whole registry to its own group. */
export async function pushAsFlink(settings: ReporterSettings, metrics: readonly FlinkMetric[]): Promise<PushResult> {
  const job = settings.randomJobNameSuffix ? `${settings.jobName}${abstractId()}` : settings.jobName;
  const grouping = Object.entries(settings.groupingKey)
    .map(([key, value]) => `/${key}/${encodeURIComponent(value)}`)
    .join("");
  const url = `${settings.hostUrl.replace(/\/$/, "")}/metrics/job/${encodeURIComponent(job)}${grouping}`;
  const response = await fetch(url, {
    method: "PUT",
    headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" },
    body: exposition(metrics, settings.excludes),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`PUT ${url}: HTTP ${response.status} ${await response.text()}`);
  return { url, job, status: response.status };
}

/** What a JobManager of a cluster running "My Job" reports. */
export function jobManagerMetrics(host: string, jobId: string): FlinkMetric[] {
  const jm = { host };
  const job = { ...jm, job_id: jobId, job_name: "My Job" };
  return [
    { scope: "jobmanager", name: "numRegisteredTaskManagers", variables: jm, value: 1 },
    { scope: "jobmanager", name: "taskSlotsAvailable", variables: jm, value: 0 },
    { scope: "jobmanager", name: "taskSlotsTotal", variables: jm, value: 2 },
    { scope: "jobmanager", name: "numRunningJobs", variables: jm, value: 1 },
    { scope: "jobmanager", name: "Status.JVM.Memory.Heap.Used", variables: jm, value: 153_380_000 },
    { scope: "jobmanager_job", name: "numRestarts", variables: job, value: 0 },
    { scope: "jobmanager_job", name: "uptime", variables: job, value: 61_234 },
    { scope: "jobmanager_job", name: "lastCheckpointDuration", variables: job, value: 412 },
  ];
}

/** What a TaskManager running one subtask of "My Job" reports (with task_attempt_* as Flink has them). */
export function taskManagerMetrics(host: string, tmId: string, jobId: string): FlinkMetric[] {
  const tm = { host, tm_id: tmId };
  const task = {
    ...tm,
    job_id: jobId,
    job_name: "My Job",
    task_id: "cbc357ccb763df2852fee8c4fc7d55f2",
    task_name: "Source: Kafka -> Map",
    task_attempt_id: `${abstractId()}_cbc357ccb763df2852fee8c4fc7d55f2_0_0`,
    task_attempt_num: "0",
    subtask_index: "0",
  };
  const operator = { ...task, operator_id: "cbc357ccb763df2852fee8c4fc7d55f2", operator_name: "Source: Kafka" };
  return [
    { scope: "taskmanager", name: "Status.JVM.CPU.Load", variables: tm, value: 0.083 },
    { scope: "taskmanager", name: "Status.JVM.Memory.Heap.Used", variables: tm, value: 212_000_000 },
    { scope: "taskmanager_job_task", name: "busyTimeMsPerSecond", variables: task, value: 250 },
    { scope: "taskmanager_job_task", name: "isBackPressured", variables: task, value: 0 },
    { scope: "taskmanager_job_task_operator", name: "numRecordsInPerSecond", variables: operator, value: 1234.5 },
    { scope: "taskmanager_job_task_operator", name: "numRecordsOutPerSecond", variables: operator, value: 1200 },
    { scope: "taskmanager_job_task_operator", name: "currentOutputWatermark", variables: operator, value: 1_753_000_123_400 },
  ];
}
