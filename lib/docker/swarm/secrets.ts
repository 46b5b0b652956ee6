// The hashes that name the stack's secrets: the stack file interpolates FPS_SECRET_* variables in their names
// (lib/render/swarm/names.ts); `up` sets them from the secret files' content, so a changed secret is a new Swarm
// secret and rolls only the services that mount it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import yaml from "js-yaml";
import { contentHash } from "../../render/swarm/names.js";
import { DockerError } from "../errors.js";

const HASH_VARIABLE = /\$\{(FPS_SECRET_[A-Z0-9_]+):-0\}/;

/** Reads the stack file in `outDir` and hashes each secret file it names (relative paths from outDir). */
export async function secretHashEnvironment(outDir: string, stackFile: string): Promise<Record<string, string>> {
  const stack = yaml.load(await readFile(path.join(outDir, stackFile), "utf8")) as { secrets?: Record<string, { file: string; name: string }> };
  const env: Record<string, string> = {};
  for (const [key, secret] of Object.entries(stack.secrets ?? {})) {
    const variable = HASH_VARIABLE.exec(secret.name)?.[1];
    if (!variable) continue;
    const file = path.resolve(outDir, secret.file.replaceAll("$$", "$"));
    let contents: Buffer;
    try {
      contents = await readFile(file);
    } catch (error) {
      throw new DockerError(
        "E_DOCKER",
        `Cannot read the secret file of ${key} (${file}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
        {},
        { cause: error },
      );
    }
    env[variable] = contentHash(key, contents);
  }
  return env;
}
