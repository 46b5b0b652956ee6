// The Flink side of the plan: where each cluster's (or process's) reporter files go, and the Pushgateway job
// name and grouping key each pushes under. The Flink config renderer, flink/hosts.json, the README, the alert
// series and the demo read these from the plan instead of deciding the layout again.
import type { ResolvedFlinkCluster, ResolvedFlinkConfig, ResolvedFlinkProcess } from "../config/resolved.js";

/** Where the files for one cluster (and, without random job-name suffixes, one process) go. */
export interface FlinkConfigTarget {
  readonly dir: string;
  readonly cluster: ResolvedFlinkCluster;
  readonly process: ResolvedFlinkProcess | undefined;
}

/** Per process when Flink pushes without random suffixes (each process needs its own job name), else per cluster. */
export function planFlinkTargets(flink: ResolvedFlinkConfig): FlinkConfigTarget[] {
  const perProcess = flink.mode === "pushgateway" && !flink.pushgateway.randomJobNameSuffix;
  return flink.clusters.flatMap((cluster): FlinkConfigTarget[] =>
    perProcess
      ? [...cluster.jobmanagers, ...cluster.taskmanagers].map((process) => ({
          dir: `flink/${cluster.name}/${process.role}-${process.host}`,
          cluster,
          process,
        }))
      : [{ dir: `flink/${cluster.name}`, cluster, process: undefined }],
  );
}

/** The Pushgateway `job` label a process pushes under (before any random suffix). */
export function pushJobName(flink: ResolvedFlinkConfig, cluster: ResolvedFlinkCluster, process?: ResolvedFlinkProcess): string {
  // Without groupingKey (Flink < 1.10) the cluster can only travel in the job name.
  const base = flink.features.groupingKey ? flink.pushgateway.jobName : `${flink.pushgateway.jobName}-${cluster.name}`;
  return process ? `${base}-${process.role}` : base;
}

/**
 * Grouping key labels: cluster first, then the user's keys, and the process. Only what tells groups apart travels
 * in Flink's `k1=v1;k2=v2` setting; the cluster's other labels are attached by Prometheus (clusterLabelsToAttach).
 */
export function groupingKey(flink: ResolvedFlinkConfig, cluster: ResolvedFlinkCluster, process?: ResolvedFlinkProcess): Record<string, string> {
  return {
    cluster: cluster.name,
    ...flink.pushgateway.groupingKey,
    ...(process ? { instance: process.host } : {}),
  };
}

/** The cluster labels Prometheus adds to pushed series by `cluster`; a grouping-key label of the same name wins. */
export function clusterLabelsToAttach(flink: ResolvedFlinkConfig, cluster: ResolvedFlinkCluster): Record<string, string> {
  return Object.fromEntries(Object.entries(cluster.labels).filter(([name]) => !(name in flink.pushgateway.groupingKey)));
}
