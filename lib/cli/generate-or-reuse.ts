// The generate step of `up`: when the folder's last render can be reused (reuse-render.ts), the config is only
// validated and planned (the plan is what `up` goes on with) and the write step takes the recorded files, which it
// finds unchanged; otherwise the full generate, recorded for the next run.
import type { DeploymentTarget } from "../config/resolved.js";
import { parseConfigText } from "../config/load.js";
import { generate, planConfig, secretInputs, type GenerateResult } from "../generate.js";
import { writeArtifacts } from "../write/write.js";
import { recordRender } from "./record-render.js";
import { reusableRender } from "./reuse-render.js";

export type GenerateStep = Pick<GenerateResult, "plan" | "changes" | "warnings">;

export async function generateOrReuse(
  file: string,
  outDir: string,
  options: { force: boolean; target: DeploymentTarget | undefined },
): Promise<GenerateStep> {
  const reused = reusableRender(file, options.target, outDir);
  if (reused) {
    const { plan, warnings } = planConfig(parseConfigText(reused.configText, file), { file, target: options.target });
    const { generatedSecrets, userSecrets } = secretInputs(plan);
    const written = await writeArtifacts(reused.artifacts, outDir, { force: options.force, secrets: generatedSecrets, userSecrets });
    return { plan, changes: written.changes, warnings: [...warnings, ...written.warnings.map((warning) => ({ ...warning, file }))] };
  }
  const record = recordRender(file);
  const result = await generate({ config: file, outDir, force: options.force, ...(options.target ? { target: options.target } : {}) });
  record.written(result, options.target);
  return result;
}
