// What `generate` says after writing (or, with --dry-run, planning) the folder: one line per change, the counts,
// each secret, and the next step. Shared by the command and the CLI's no-change path, so both read alike.
import type { DeploymentTarget } from "../config/resolved.js";
import type { FileChange } from "../write/changes.js";
import type { SecretResult } from "../write/secrets.js";
import { say } from "./command.js";

const VERB = { create: "create", update: "update", remove: "remove", unchanged: "keep" } as const;

function summary(changes: readonly FileChange[]): Record<FileChange["kind"], number> {
  const counts = { create: 0, update: 0, remove: 0, unchanged: 0 };
  for (const change of changes) counts[change.kind] += 1;
  return counts;
}

export interface WrittenReport {
  readonly outDir: string;
  readonly dryRun: boolean;
  readonly changes: readonly FileChange[];
  readonly secrets: readonly SecretResult[];
  readonly target: DeploymentTarget;
}

export function reportWritten({ outDir, dryRun, changes, secrets, target }: WrittenReport): void {
  for (const change of changes) {
    if (change.kind !== "unchanged" || dryRun) say(`${dryRun ? "would " : ""}${VERB[change.kind]} ${change.path}`);
  }
  const counts = summary(changes);
  say(
    `${dryRun ? "Would write" : "Wrote"} ${outDir}: ${counts.create} created, ${counts.update} updated, ${counts.remove} removed, ${counts.unchanged} unchanged.`,
  );
  for (const secret of secrets) {
    say(`${secret.created ? "Created" : "Kept"} secret ${secret.name} in ${secret.file} (not printed)${secret.note ? `: ${secret.note}` : ""}.`);
  }
  if (dryRun) return;
  say(
    target === "kubernetes"
      ? `Next: see ${outDir}/README.md, then "kubectl apply -k ${outDir}/kubernetes".`
      : `Next: see ${outDir}/README.md, then "docker compose up -d" in ${outDir} or "flink-prometheus-stack up".`,
  );
}
