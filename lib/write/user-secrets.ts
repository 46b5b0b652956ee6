// The secret files a plan mounts from the host (every `…File` setting a container reads), with the config
// path that names each one, so a missing or loose one is reported where the user wrote it.
import { hostPath } from "../plan/plan.js";
import type { ServiceName, StackPlan } from "../plan/types.js";
import { GRAFANA_UID, NOBODY_UID, type UserSecretFile } from "./secrets.js";

const READER_UID: Partial<Record<ServiceName, number>> = { grafana: GRAFANA_UID };

function walk(value: unknown, at: string, found: Array<{ configPath: string; file: string }>): void {
  if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${at}[${index}]`, found));
  else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      const here = at === "" ? key : `${at}.${key}`;
      if (key.endsWith("File") && typeof child === "string") found.push({ configPath: here, file: child });
      else if (key !== "overrides") walk(child, here, found);
    }
  }
}

export function userSecretFiles(plan: StackPlan): UserSecretFile[] {
  const named: Array<{ configPath: string; file: string }> = [];
  walk(plan.config, "", named);
  const handled = new Set(plan.secrets.map((secret) => secret.file));
  const result: UserSecretFile[] = [];
  for (const { configPath, file } of named) {
    if (handled.has(file)) continue;
    const readers = plan.services.filter((service) =>
      service.mounts.some((mount) => mount.type === "bind" && mount.source === hostPath(file)));
    // Only files a container actually mounts (a disabled receiver's file is not needed).
    if (readers.length === 0) continue;
    result.push({ configPath, file, readerUid: READER_UID[readers[0]!.name] ?? NOBODY_UID });
  }
  return result;
}
