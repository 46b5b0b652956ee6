// A config with one Flink process per host (Flink 2.1, listed TaskManagers): the generator writes two files
// per process under flink/<cluster>/, so `taskManagers` TaskManagers make ~2×taskManagers files. Used by the
// scale bench and the crash-consistency test. `variant` changes the host names (another config, other files).
// `clusters` spreads them over that many clusters instead of 500 per cluster.
export function perProcessConfigYaml(taskManagers: number, variant = "a", clusters = Math.ceil(taskManagers / 500)): string {
  const perCluster = Math.ceil(taskManagers / clusters);
  const lines = ["name: scale", "flink:", '  version: "2.1"', "  clusters:"];
  for (let c = 0; c < clusters; c++) {
    const count = Math.min(perCluster, taskManagers - c * perCluster);
    const hosts = Array.from({ length: count }, (_, t) => `"tm${t}.${variant}${c}.internal"`);
    lines.push(`    - name: c${c}`, `      jobmanagers: ["jm.${variant}${c}.internal"]`, `      taskmanagers: [${hosts.join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}
