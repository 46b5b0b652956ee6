// The `node` bundle: the hosts' node_exporters (the local container and/or nodeExporter.targets).
import { IGNORED_FSTYPES, NODE_METRICS as N } from "../../promql/node.js";
import type { AlertContext } from "./context.js";
import { durationSeconds, formatDuration, matcher, num, oneOf, percent, sel } from "./promql.js";
import {
  DEFAULT_TEST_STEP,
  expectAlert,
  firing,
  humanizePercentage,
  pastThreshold,
  quiet,
  ramp,
  SeriesSet,
  Timeline,
  valuesText,
} from "./testing.js";
import type { AlertRule, AlertTestCase, BundleOutput, TestGroup } from "./types.js";

const DISK_SIZE = 100_000_000_000;
const MEMORY_SIZE = 16_000_000_000;

export function nodeBundle(ctx: AlertContext): BundleOutput {
  const t = ctx.thresholds;
  const jobNames = ctx.jobNames("node").length > 0 ? ctx.jobNames("node") : ["node"];
  const job = oneOf("job", jobNames);
  const fs = [job, matcher("fstype", "!~", IGNORED_FSTYPES)];
  const cpuWindow = formatDuration(Math.max(300, 4 * durationSeconds(ctx.plan.prometheus.scrapeInterval)));

  const exporterDown: AlertRule = {
    alert: "NodeExporterDown",
    expr: `up{${job}} == 0`,
    for: ctx.for,
    labels: { severity: "warning" },
    annotations: {
      summary: "A node_exporter is down.",
      description: `Prometheus has failed to scrape the node_exporter {{ $labels.instance }} for ${ctx.for}: the host or its exporter is down, or a firewall blocks port 9100.`,
      ...ctx.links("NodeExporterDown"),
    },
  };
  const filesystemAlmostFull: AlertRule = {
    alert: "NodeFilesystemAlmostFull",
    expr: `${sel(N.fsAvail, ...fs)} / ${sel(N.fsSize, ...fs)} < ${num(t.diskFreeRatio)}`,
    for: ctx.for,
    labels: { severity: "warning" },
    annotations: {
      summary: "A file system is almost full.",
      description: `Only {{ $value | humanizePercentage }} of file system {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} is free (threshold ${percent(t.diskFreeRatio)}).`,
      ...ctx.links("NodeFilesystemAlmostFull"),
    },
  };
  const memoryLow: AlertRule = {
    alert: "NodeMemoryLow",
    expr: `${sel(N.memAvailable, job)} / ${sel(N.memTotal, job)} < ${num(t.memoryAvailableRatio)}`,
    for: ctx.for,
    labels: { severity: "warning" },
    annotations: {
      summary: "A host is running out of memory.",
      description: `Only {{ $value | humanizePercentage }} of the memory of {{ $labels.instance }} is available (threshold ${percent(t.memoryAvailableRatio)}).`,
      ...ctx.links("NodeMemoryLow"),
    },
  };
  const highCpu: AlertRule = {
    alert: "NodeHighCpu",
    expr: `1 - avg by (job, instance) (rate(${sel(N.cpuSeconds, job, matcher("mode", "=", "idle"))}[${cpuWindow}])) > ${num(t.cpuUsageRatio)}`,
    for: ctx.for,
    labels: { severity: "warning" },
    annotations: {
      summary: "A host's CPUs are busy.",
      description: `The CPUs of {{ $labels.instance }} were {{ $value | humanizePercentage }} busy over the last ${cpuWindow} (threshold ${percent(t.cpuUsageRatio)}).`,
      ...ctx.links("NodeHighCpu"),
    },
  };
  const rules = [exporterDown, filesystemAlmostFull, memoryLow, highCpu];

  const target = ctx.jobs("node")[0];
  const host = { job: jobNames[0]!, instance: target?.targetGroups[0]?.targets[0] ?? "node-exporter:9100" };
  const tests: TestGroup[] = [];
  const scenario = (name: string, build: (tl: Timeline, s: SeriesSet) => AlertTestCase[]) => {
    const tl = new Timeline([durationSeconds(cpuWindow)], ctx.forSeconds, DEFAULT_TEST_STEP);
    const s = new SeriesSet();
    const cases = build(tl, s);
    tests.push({ name: `node: ${name}`, interval: `${tl.step}s`, input_series: s.series, alert_rule_test: cases });
  };
  const root = { ...host, device: "/dev/sda1", fstype: "ext4", mountpoint: "/" };
  const run = { ...host, device: "tmpfs", fstype: "tmpfs", mountpoint: "/run" };
  // Idle CPU seconds of one CPU: it grows by (1 - busy) seconds per second.
  const idleCounter = (tl: Timeline, busyBefore: number, busyAfter: number) => {
    const before = (1 - busyBefore) * tl.step;
    const after = (1 - busyAfter) * tl.step;
    const start = 1_000_000;
    return valuesText([ramp(start, before, tl.problem), ramp(start + before * (tl.problem - 1) + after, after, tl.samples - tl.problem)]);
  };

  scenario("healthy hosts stay quiet", (tl, s) => {
    s.add("up", host, tl.steady(1));
    s.add(N.fsSize, root, tl.steady(DISK_SIZE));
    s.add(N.fsAvail, root, tl.steady(Math.round(DISK_SIZE * Math.min(1, t.diskFreeRatio * 2 + 0.01))));
    // A full tmpfs is normal and must not count.
    s.add(N.fsSize, run, tl.steady(1_000_000));
    s.add(N.fsAvail, run, tl.steady(0));
    s.add(N.memTotal, host, tl.steady(MEMORY_SIZE));
    s.add(N.memAvailable, host, tl.steady(Math.round(MEMORY_SIZE * Math.min(1, t.memoryAvailableRatio * 2 + 0.01))));
    const healthyBusy = t.cpuUsageRatio / 2;
    s.add(N.cpuSeconds, { ...host, cpu: "0", mode: "idle" }, idleCounter(tl, healthyBusy, healthyBusy));
    return rules.map((rule) => quiet(rule.alert, tl.firing));
  });

  scenario("node_exporter down", (tl, s) => {
    s.add("up", host, tl.change(1, 0));
    return [quiet(exporterDown.alert, tl.beforeProblem), firing(exporterDown.alert, tl.firing, [expectAlert(exporterDown, host)])];
  });

  if (t.diskFreeRatio > 0) {
    scenario("root file system almost full", (tl, s) => {
      const free = pastThreshold(t.diskFreeRatio, "below");
      s.add(N.fsSize, root, tl.steady(DISK_SIZE));
      s.add(N.fsAvail, root, tl.change(Math.round(DISK_SIZE * Math.min(1, t.diskFreeRatio * 2 + 0.01)), Math.round(DISK_SIZE * free)));
      s.add(N.fsSize, run, tl.steady(1_000_000));
      s.add(N.fsAvail, run, tl.steady(0));
      return [
        quiet(filesystemAlmostFull.alert, tl.beforeProblem),
        firing(filesystemAlmostFull.alert, tl.firing, [expectAlert(filesystemAlmostFull, root, humanizePercentage(free))]),
      ];
    });
  }

  if (t.memoryAvailableRatio > 0) {
    scenario("memory low", (tl, s) => {
      const free = pastThreshold(t.memoryAvailableRatio, "below");
      s.add(N.memTotal, host, tl.steady(MEMORY_SIZE));
      s.add(
        N.memAvailable,
        host,
        tl.change(Math.round(MEMORY_SIZE * Math.min(1, t.memoryAvailableRatio * 2 + 0.01)), Math.round(MEMORY_SIZE * free)),
      );
      return [quiet(memoryLow.alert, tl.beforeProblem), firing(memoryLow.alert, tl.firing, [expectAlert(memoryLow, host, humanizePercentage(free))])];
    });
  }

  if (t.cpuUsageRatio < 1) {
    scenario("CPU busy", (tl, s) => {
      const busy = pastThreshold(t.cpuUsageRatio, "above");
      s.add(N.cpuSeconds, { ...host, cpu: "0", mode: "idle" }, idleCounter(tl, t.cpuUsageRatio / 2, busy));
      return [quiet(highCpu.alert, tl.beforeProblem), firing(highCpu.alert, tl.firing, [expectAlert(highCpu, host, humanizePercentage(busy))])];
    });
  }

  return { group: { name: "node", rules }, tests, testStep: DEFAULT_TEST_STEP };
}
