// Hosts (node_exporter): CPU, memory, disk, load and network of the machines Flink runs on.
// node_exporter is scraped (pull), so series of a dead target go stale by themselves: no fresh() here.
import type { DashboardPlan, StackPlan } from "../../plan/types.js";
import { matcher } from "../../promql/index.js";
import { IGNORED_FSTYPES, IGNORED_NET_DEVICES, NODE_METRICS } from "../../promql/node.js";
import { datasourceRef } from "./cluster.js";
import type { Dashboard } from "./model.js";
import { dashboardLinks } from "./navigation.js";
import { dashboard, query, queryVariable, timeseries } from "./panels.js";
import { aggregate, INSTANCE_MATCHER, RATE_INTERVAL, selector } from "./promql.js";

export { NODE_METRICS } from "../../promql/node.js";

const FS_MATCHERS = [matcher("fstype", "!~", IGNORED_FSTYPES)];
const NET_MATCHERS = [matcher("device", "!~", IGNORED_NET_DEVICES)];

export function buildHostsDashboard(plan: StackPlan, d: DashboardPlan): Dashboard {
  const ds = datasourceRef(plan);
  const n = NODE_METRICS;
  const on = (metric: string, extra: readonly string[] = []): string => selector(metric, [INSTANCE_MATCHER, ...extra]);
  const thresholds = plan.alerting.rules.thresholds;

  const panels = [
    timeseries(ds, {
      title: "CPU usage",
      description: "Share of CPU time not idle, all cores.",
      unit: "percentunit",
      min: 0,
      max: 1,
      warnAt: thresholds.cpuUsageRatio,
      queries: [query(`1 - ${aggregate("avg", ["instance"], `rate(${on(n.cpuSeconds, ['mode="idle"'])}[${RATE_INTERVAL}])`)}`, "{{instance}}")],
    }),
    timeseries(ds, {
      title: "Load average",
      unit: "short",
      min: 0,
      queries: [query(on(n.load1), "{{instance}} 1m"), query(on(n.load5), "{{instance}} 5m"), query(on(n.load15), "{{instance}} 15m")],
    }),
    timeseries(ds, {
      title: "Memory available",
      unit: "bytes",
      min: 0,
      queries: [query(on(n.memAvailable), "{{instance}} available"), query(on(n.memTotal), "{{instance}} total")],
    }),
    timeseries(ds, {
      title: "Memory available ratio",
      unit: "percentunit",
      min: 0,
      max: 1,
      warnAt: thresholds.memoryAvailableRatio,
      queries: [query(`${on(n.memAvailable)} / ${on(n.memTotal)}`, "{{instance}}")],
    }),
    timeseries(ds, {
      title: "Disk free",
      description: "Space available to unprivileged users, per mount point.",
      unit: "bytes",
      min: 0,
      queries: [query(on(n.fsAvail, FS_MATCHERS), "{{instance}} {{mountpoint}}")],
    }),
    timeseries(ds, {
      title: "Disk free ratio",
      unit: "percentunit",
      min: 0,
      max: 1,
      warnAt: thresholds.diskFreeRatio,
      queries: [query(`${on(n.fsAvail, FS_MATCHERS)} / ${on(n.fsSize, FS_MATCHERS)}`, "{{instance}} {{mountpoint}}")],
    }),
    timeseries(ds, {
      title: "Network received",
      unit: "Bps",
      min: 0,
      queries: [query(`rate(${on(n.netReceive, NET_MATCHERS)}[${RATE_INTERVAL}])`, "{{instance}} {{device}}")],
    }),
    timeseries(ds, {
      title: "Network transmitted",
      unit: "Bps",
      min: 0,
      queries: [query(`rate(${on(n.netTransmit, NET_MATCHERS)}[${RATE_INTERVAL}])`, "{{instance}} {{device}}")],
    }),
  ];

  return dashboard({
    uid: d.uid,
    title: d.title,
    description: "Hosts (node_exporter): CPU, load, memory, disk and network.",
    tags: ["hosts", "node-exporter"],
    variables: [queryVariable(ds, { name: "instance", label: "Instance", query: `label_values(${n.uname}, instance)` })],
    links: dashboardLinks(plan, "hosts"),
    sections: [{ title: "Hosts", panels }],
  });
}
