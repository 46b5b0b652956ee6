// RUNBOOK.md: one section per alert rule the stack generates — what it means, what to look at first, what
// usually fixes it. Every rule's `runbook_url` annotation points at its section (alerts/links.ts). Human text
// only, assembled with template strings; the panel named in "Look first" is the one the `dashboard` link opens.
import type { StackPlan } from "../plan/types.js";
import { buildAlertRules } from "./alert-rules.js";
import { alertTarget, RUNBOOK_FILE, runbookAnchor } from "./alerts/links.js";
import { textArtifact, type Artifact } from "./artifact.js";

interface RunbookEntry {
  readonly means: string;
  readonly look: string;
  readonly fix: string;
}

const ENTRIES: Readonly<Record<string, RunbookEntry>> = {
  FlinkJobManagerDown: {
    means:
      "No current metrics from the JobManager of a cluster: the JobManager process is gone, or its metrics no longer reach Prometheus (Pushgateway unreachable, reporter not loaded, port not scraped).",
    look: "Whether the JobManager process runs (its log, `jps`, the Flink web UI). Then whether it still reports: Prometheus → Targets (pull mode) or the Pushgateway's group of that JobManager (push mode).",
    fix: "Restart the JobManager (with HA it resumes the jobs from the last checkpoint). If it runs but does not report: check that the reporter lines of `flink/<cluster>/` are in its configuration and that the Pushgateway URL / reporter port is reachable from its host.",
  },
  FlinkNoRunningJob: {
    means: "The JobManager is up but runs no job: a job finished, was cancelled, or failed for good after exhausting its restart strategy.",
    look: "The Flink web UI's completed jobs and the JobManager log for the last job's final state and its exception.",
    fix: "Fix the cause of the failure in the exception, then resubmit the job from its last checkpoint or savepoint (`flink run -s <path>`).",
  },
  FlinkTaskManagerLost: {
    means: "Fewer TaskManagers are registered than the config lists: one died (OOM kill, crash, host lost) or cannot reach the JobManager.",
    look: "Which TaskManager is missing (Flink web UI → Task Managers), its log's last lines and the host's kernel log for an OOM kill (`dmesg`).",
    fix: "Restart the TaskManager. Repeated OOM kills: give the TaskManager process more memory or lower its heap / managed memory; lost heartbeats: look at GC pauses and the network.",
  },
  FlinkJobRestarting: {
    means: "A job restarted at least the configured number of times within the window: a task keeps failing and the restart strategy brings it back.",
    look: "When the restarts began (the restart annotations mark each one), the job's status and time spent restarting, then the exception history of the job in the Flink web UI (the root cause of the first failure, not the cancellations that follow).",
    fix: "Fix what fails: bad records (handle or side-output them), an unreachable external system, a TaskManager lost to memory. A job that restarts in a loop makes no progress: stop it while fixing.",
  },
  FlinkCheckpointFailures: {
    means: "Checkpoints fail and none completes: on a restart the job would go back to an older checkpoint and reprocess more.",
    look: "The failed checkpoints' failure message (Flink web UI → Checkpoints → History), then checkpoint alignment and start delay (back-pressure delays barriers) and the checkpoint storage's availability.",
    fix: "Timeouts under back-pressure: relieve the bottleneck, or enable unaligned checkpoints / raise the checkpoint timeout. Storage errors: fix permissions, quota or the storage endpoint.",
  },
  FlinkCheckpointDurationHigh: {
    means: "The last checkpoint took longer than the threshold: recovery points are far apart, and slow checkpoints often precede failing ones.",
    look: "Checkpoint alignment time and start delay per task (barriers stuck behind back-pressure) against the checkpoint size (state that grows).",
    fix: "Back-pressure: fix the slow task or use unaligned checkpoints. Large state: incremental checkpoints (RocksDB), state TTL, a faster checkpoint storage.",
  },
  FlinkBackPressure: {
    means: "A task is back-pressured most of the time: something downstream cannot keep up, so the sources slow down and lag grows.",
    look: "The back-pressure row: the busiest task downstream of the back-pressured ones is the bottleneck. Then records in per subtask: one hot subtask means a skewed key.",
    fix: "Scale the bottleneck (more parallelism), speed up its user code or external calls (async I/O, batching), or spread a hot key (salting, two-phase aggregation).",
  },
  FlinkHeapUsageHigh: {
    means: "A Flink process's JVM heap stays almost full: long GC pauses and an OutOfMemoryError come next.",
    look: "Heap used / max and GC time of that process over hours: a sawtooth that no longer drops (a leak, growing heap state) or just a heap sized too small.",
    fix: "Give the process more heap (taskmanager.memory.task.heap.size / jobmanager.memory.heap.size), move large state to RocksDB, add state TTL, or fix the leak (a heap dump shows it).",
  },
  FlinkGCTimeHigh: {
    means: "A Flink process spends a large share of its time in garbage collection: throughput drops and long pauses can lose heartbeats.",
    look: "GC time per second and collections per second with heap usage of that process: GC that rises with a full heap means memory pressure.",
    fix: "More heap, less heap state (RocksDB, TTL), fewer short-lived objects in user code (object reuse), or a collector suited to the heap (G1 is Flink's default).",
  },
  FlinkNoRecordsProcessed: {
    means: "A job is running but emits no records: its sources get no data, or it is stuck.",
    look: "Records in per second per operator from the sources on, source watermark lag, and the Kafka lag panels when the job reads Kafka.",
    fix: "No input: check the upstream system (topic, partitions, credentials). Stuck: a thread dump of the TaskManager (Flink web UI) shows where; restart the job from its last checkpoint.",
  },
  FlinkMetricsEndpointDown: {
    means:
      "Prometheus cannot scrape a Flink process's PrometheusReporter: the process is down or its reporter does not listen on the configured port.",
    look: "Prometheus → Targets for the error, and whether the process runs and logs the reporter starting on that port.",
    fix: "Start the process, put the reporter settings of `flink/<cluster>/` into its configuration, or open the port between Prometheus and the host.",
  },
  FlinkMetricsPushStale: {
    means:
      "A Pushgateway group has not been updated for several reporter intervals: its Flink process is down or cannot reach the Pushgateway, and the Pushgateway keeps serving its last values.",
    look: "Which process the group belongs to (its job and instance labels) and whether that process runs.",
    fix: 'Restart the process or fix its network path to the Pushgateway. A process gone for good leaves its group behind: always after a kill, sometimes after a normal stop too (Flink deletes the group on shutdown only best effort). Delete such groups with `flink-prometheus-stack prune-pushgateway -c <your stack config> --apply` (without `--apply` it only lists them), the Pushgateway UI\'s "Delete Group", or let the prune sidecar do it (`pushgateway.prune.sidecar: true`).',
  },
  FlinkMetricsPushFailing: {
    means: "Pushes from a Flink process to the Pushgateway are rejected: its metrics are stale although the process runs.",
    look: "The Pushgateway log: the reason of the rejection (typically inconsistent metric types or help strings between pushes).",
    fix: "Make every process of the group push the same metric definitions (same Flink version and reporter settings); restart the process after fixing its configuration.",
  },
  PushgatewayDown: {
    means: "Prometheus cannot scrape the Pushgateway: every Flink metric flows through it, so Flink dashboards and alerts are blind.",
    look: "`docker compose ps` and the Pushgateway container's log.",
    fix: "`docker compose up -d pushgateway`; with persistence on, the pushed groups come back from its volume.",
  },
  PushgatewayPruneFailing: {
    means: "The prune sidecar keeps failing its rounds: groups of Flink processes that are gone pile up again.",
    look: "The sidecar's log and whether the Pushgateway is up and reachable from it.",
    fix: "Restart the sidecar once the Pushgateway answers; fix its image or network when it cannot start.",
  },
  NodeExporterDown: {
    means: "Prometheus cannot scrape a node_exporter: host metrics of that machine are missing.",
    look: "Prometheus → Targets for the error; whether the host is up and the exporter runs there.",
    fix: "Start the exporter, or open its port (9100) between Prometheus and the host.",
  },
  NodeFilesystemAlmostFull: {
    means: "A file system has little free space left: checkpoints, logs or Prometheus' own data may fail to write.",
    look: "Disk free per mount point, then what grows there (`du -sh`): Flink logs, local state (RocksDB), old checkpoints, the Prometheus volume.",
    fix: "Clean up or rotate what grows, retain fewer checkpoints, lower Prometheus retention, or add disk.",
  },
  NodeMemoryLow: {
    means: "A host has little memory available: the kernel may kill a Flink process (OOM killer).",
    look: "Memory available per host against the memory the Flink processes there are configured with (process size of every TaskManager).",
    fix: "Lower the Flink processes' memory or run fewer of them on the host, or add memory.",
  },
  NodeHighCpu: {
    means: "A host's CPUs are busy most of the time: Flink tasks there slow down and back-pressure builds.",
    look: "CPU usage per host, then CPU load and GC time of the Flink processes on it.",
    fix: "Spread the load (more TaskManagers / hosts, fewer slots per TaskManager) or reduce GC; find whatever else runs on the host.",
  },
  Watchdog: {
    means: "Always firing on purpose: it proves that Prometheus evaluates rules and Alertmanager delivers.",
    look: "Nothing while it arrives. If it stops arriving, Prometheus, its rule evaluation or Alertmanager is broken.",
    fix: "Route it to a dead man's switch that raises an alarm when it stops.",
  },
  PrometheusTargetDown: {
    means: "A scrape target of the stack is down: its metrics and the alerts built on them are missing.",
    look: "Prometheus → Targets: which job and instance, and the scrape error.",
    fix: "Start the target or fix the network path; remove targets that are gone for good from the config.",
  },
  PrometheusRuleEvaluationFailures: {
    means: "Prometheus fails to evaluate rules: alerts of that group may not fire.",
    look: "Prometheus → Rules for the failing rule and its error, and the Prometheus log.",
    fix: "Usually a query that matches conflicting series (many-to-many): fix the labels or the rule, then regenerate.",
  },
  PrometheusConfigReloadFailed: {
    means: "Prometheus rejected its new configuration and keeps running the previous one.",
    look: "The Prometheus log for the parse error; `promtool check config prometheus/prometheus.yml`.",
    fix: "Fix the file (or the stack config and regenerate) and reload.",
  },
  PrometheusTsdbReloadsFailing: {
    means: "Prometheus cannot reload its storage blocks from disk: the data may be corrupt or the disk full.",
    look: "The Prometheus log and the free space of its volume.",
    fix: "Free disk space; remove a corrupt block directory named in the log (its data is lost) and restart.",
  },
  PrometheusNotConnectedToAlertmanagers: {
    means: "Prometheus has no Alertmanager to send alerts to: no alert reaches anyone.",
    look: "Prometheus → Status → Runtime & Build Information (Alertmanagers), and whether the Alertmanager container runs.",
    fix: "Start Alertmanager (`docker compose up -d alertmanager`) or fix the alerting section of prometheus.yml.",
  },
  AlertmanagerDown: {
    means: "Alertmanager is down: alerts are not delivered.",
    look: "`docker compose ps` and the Alertmanager container's log.",
    fix: "`docker compose up -d alertmanager`; fix alertmanager.yml first if it fails to start (`amtool check-config`).",
  },
  AlertmanagerConfigReloadFailed: {
    means: "Alertmanager rejected its new configuration and keeps running the previous one.",
    look: "The Alertmanager log; `amtool check-config alertmanager/alertmanager.yml`.",
    fix: "Fix the file (or the stack config and regenerate) and reload.",
  },
  AlertmanagerNotificationsFailing: {
    means: "Alertmanager fails to send notifications through a receiver: alerts fire but nobody hears of them.",
    look: "The Alertmanager log for the integration's error (webhook status, SMTP or Slack error).",
    fix: "Fix the receiver: URL, credentials (the secret files), or the network path to it.",
  },
};

/** The alerts of the stack, in rule-file order, each once (the JVM alerts exist per role). */
function stackAlerts(plan: StackPlan): string[] {
  const names = buildAlertRules(plan).flatMap(({ rules }) => rules.groups.flatMap((g) => g.rules.map((r) => r.alert)));
  return [...new Set(names)];
}

function lookFirstPanel(plan: StackPlan, alert: string): string {
  const panels = (["jobmanager", "taskmanager"] as const).map((role) => alertTarget(plan, alert, role));
  const named = panels.flatMap((target) => {
    if (target === undefined || "service" in target) return [];
    const d = plan.dashboards.find((entry) => entry.kind === target.dashboard);
    return d === undefined ? [] : [`**${d.title} → ${target.panel}**`];
  });
  const unique = [...new Set(named)];
  return unique.length === 0
    ? ""
    : ` The alert's \`dashboard\` link opens ${unique.join(" (JobManager) or ")}${unique.length > 1 ? " (TaskManager)" : ""}.`;
}

export function renderRunbook(plan: StackPlan): Artifact {
  const alerts = stackAlerts(plan);
  const sections = alerts.map((alert) => {
    const entry = ENTRIES[alert];
    if (entry === undefined) throw new Error(`RUNBOOK.md: no entry for alert ${alert}`);
    return [
      `## ${alert}`,
      "",
      `**What it means.** ${entry.means}`,
      "",
      `**Look first.** ${entry.look}${lookFirstPanel(plan, alert)}`,
      "",
      `**What usually fixes it.** ${entry.fix}`,
      "",
    ].join("\n");
  });
  const index = alerts.map((alert) => `- [${alert}](#${runbookAnchor(alert)})`).join("\n");
  const text = [
    `# Runbook: ${plan.project}`,
    "",
    "Generated by flink-prometheus-stack: one section per alert rule of this stack. Every alert carries a `runbook_url`",
    `annotation pointing here (${RUNBOOK_FILE}#<alert>) and, when the stack runs Grafana, a \`dashboard\` annotation: the`,
    "panel to open first, with the alert's cluster, job or TaskManager already selected.",
    "",
    index,
    "",
    ...sections,
  ].join("\n");
  return textArtifact(RUNBOOK_FILE, text);
}
