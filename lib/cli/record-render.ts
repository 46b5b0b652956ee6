// The full `generate`'s side of the render record (render-cache.ts): after a write, it records what the files
// were rendered from, unless the config file changed while it ran (then the bytes it read are unknown).
import { readFileSync, statSync, type Stats } from "node:fs";
import { secretInputs, type GenerateResult } from "../generate.js";
import type { DeploymentTarget } from "../config/resolved.js";
import { sha256 } from "../hash.js";
import { renderCacheEnabled, writeRenderRecord } from "./render-cache.js";

interface Snapshot {
  readonly stats: Stats;
  readonly sha256: string;
}

function snapshot(file: string): Snapshot | undefined {
  try {
    const stats = statSync(file);
    return stats.isFile() ? { stats, sha256: sha256(readFileSync(file)) } : undefined;
  } catch {
    return undefined; // generate reports a missing or unreadable config
  }
}

const sameFile = (a: Stats, b: Stats) => a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

/** Call before generate reads `configFile`; `written` records the finished write. */
export function recordRender(configFile: string): { written(result: GenerateResult, target: DeploymentTarget | undefined): void } {
  const before = renderCacheEnabled() ? snapshot(configFile) : undefined;
  return {
    written: (result, target) => {
      if (!before) return;
      const after = snapshot(configFile);
      if (after?.sha256 !== before.sha256 || !sameFile(after.stats, before.stats)) return;
      const { generatedSecrets, userSecrets } = secretInputs(result.plan);
      writeRenderRecord({
        configFile,
        configSha256: before.sha256,
        target,
        outDir: result.outDir,
        plannedTarget: result.plan.target,
        artifacts: result.artifacts,
        secrets: generatedSecrets,
        userSecrets,
        warnings: result.configWarnings,
      });
    },
  };
}
