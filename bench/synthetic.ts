// The large synthetic config of the bench: 20 clusters × 50 TaskManagers and 200 scrape jobs per scale unit.
import type { StackConfig } from "../lib/generated/stack-config.js";

export function syntheticConfig(scale: number): StackConfig {
  const clusters = 20 * scale;
  const taskManagersPerCluster = 50;
  return {
    name: "bench",
    flink: {
      version: "1.20",
      reporter: { mode: "pull", pull: { port: "9249-9300" } },
      clusters: Array.from({ length: clusters }, (_, c) => ({
        name: `cluster${c}`,
        jobmanagers: [`jm.c${c}.internal`],
        taskmanagers: Array.from({ length: taskManagersPerCluster }, (_, t) => `tm${t}.c${c}.internal:${9249 + (t % 50)}`),
        labels: { env: c % 2 ? "prod" : "staging" },
      })),
    },
    prometheus: {
      scrapeJobs: Array.from({ length: 200 * scale }, (_, j) => ({
        name: `job${j}`,
        targets: [`svc${j}.internal:9${String(j % 1000).padStart(3, "0")}`],
        labels: { team: `t${j % 7}` },
      })),
    },
  };
}

/** The config of the scale bench: `clusters` pushgateway clusters of one JobManager and `taskManagers` TaskManagers each. */
export function scaleConfig(clusters: number, taskManagers: number): StackConfig {
  return {
    name: "scale",
    flink: {
      version: "1.20",
      reporter: { mode: "pushgateway" },
      clusters: Array.from({ length: clusters }, (_, c) => ({
        name: `c${c}`,
        jobmanagers: [`jm.c${c}.internal`],
        taskmanagers: Array.from({ length: taskManagers }, (_, t) => `tm${t}.c${c}.internal`),
      })),
    },
    network: { bindAddress: "0.0.0.0", advertisedHost: "monitoring.internal" },
  };
}

/** A small everyday config: three clusters of a JobManager and two TaskManagers (the start-up bench). */
export function threeClusterConfig(): StackConfig {
  return { ...scaleConfig(3, 2), name: "three" };
}
