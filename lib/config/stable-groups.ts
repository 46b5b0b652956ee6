// Whether every Flink process can push to a stable Pushgateway group of its own: one config file per process with
// an `instance` grouping key. Then a restarted process replaces its old group instead of leaving it behind.
import type { FlinkVersion } from "../flink/versions.js";

interface ClusterHosts {
  readonly name: string;
  readonly jobmanagers: ReadonlyArray<{ readonly host: string }>;
  readonly taskmanagers: ReadonlyArray<{ readonly host: string }>;
}

/**
 * Why the processes cannot have stable groups, or undefined when they can: it needs a grouping key (Flink 1.10+),
 * the TaskManagers listed, and one Flink process per host, so each host's Flink installation reads its own file.
 */
export function stableGroupsBlocker(clusters: readonly ClusterHosts[], version: FlinkVersion, groupingKey: boolean): string | undefined {
  if (!groupingKey) return `Flink ${version.minor} has no grouping key to tell processes apart`;
  for (const cluster of clusters) {
    if (cluster.taskmanagers.length === 0) return `cluster ${cluster.name} does not list its TaskManagers`;
    const hosts = [...cluster.jobmanagers, ...cluster.taskmanagers].map((process) => process.host);
    if (new Set(hosts).size !== hosts.length) return `cluster ${cluster.name} runs several Flink processes on one host`;
  }
  return undefined;
}
