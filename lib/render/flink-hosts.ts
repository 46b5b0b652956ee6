// flink/hosts.json: every Flink process of every cluster and the folder of the config files it takes, as data.
// The README names a few processes per cluster and points here for the rest, so its size does not grow with
// the host count (a cluster may list 10,000 TaskManagers).
import type { StackPlan } from "../plan/types.js";
import { jsonArtifact, type Artifact } from "./artifact.js";

export const FLINK_HOSTS_FILE = "flink/hosts.json";

export function renderFlinkHosts(plan: StackPlan): Artifact {
  const flink = plan.flink;
  const push = flink.mode === "pushgateway";
  const folders = new Map<unknown, string>();
  for (const target of plan.flinkTargets) folders.set(target.process ?? target.cluster, target.dir);
  return jsonArtifact(FLINK_HOSTS_FILE, {
    flinkVersion: flink.version.minor,
    configFile: flink.features.configFile,
    clusters: flink.clusters.map((cluster) => ({
      name: cluster.name,
      processes: [...cluster.jobmanagers, ...cluster.taskmanagers].map((process) => ({
        role: process.role,
        host: process.host,
        ...(push ? {} : process.portPool ? { ports: process.portPool } : { port: process.port }),
        configDir: folders.get(process) ?? folders.get(cluster),
      })),
    })),
  });
}
