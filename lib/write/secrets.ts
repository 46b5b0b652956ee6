// Secrets the stack needs (the Grafana admin password): created once, 0600, never overwritten, never printed.
import { chown, mkdir, open, stat } from "node:fs/promises";
import path from "node:path";
import type { SecretPlan } from "../plan/types.js";

/** Grafana's container user; it must be able to read the bind-mounted secret. */
const GRAFANA_UID = 472;

export interface SecretResult {
  readonly name: string;
  readonly file: string;
  readonly created: boolean;
}

export async function ensureSecrets(secrets: readonly SecretPlan[], outDir: string): Promise<SecretResult[]> {
  const results: SecretResult[] = [];
  for (const secret of secrets) {
    const file = path.resolve(outDir, secret.file);
    if (!secret.generated) {
      results.push({ name: secret.name, file: secret.file, created: false });
      continue;
    }
    if (await stat(file).catch(() => undefined)) {
      results.push({ name: secret.name, file: secret.file, created: false });
      continue;
    }
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // "wx": fails if another run created it meanwhile, so an existing secret is never replaced.
    // node:crypto loads only when a secret is made: most runs keep the existing ones.
    const { randomBytes } = await import("node:crypto");
    const handle = await open(file, "wx", 0o600);
    try {
      await handle.writeFile(`${randomBytes(24).toString("base64url")}\n`);
    } finally {
      await handle.close();
    }
    if (process.getuid?.() === 0) await chown(file, GRAFANA_UID, 0);
    results.push({ name: secret.name, file: secret.file, created: true });
  }
  return results;
}
