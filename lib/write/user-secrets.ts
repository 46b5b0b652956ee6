// The secret files a plan mounts from the host (every `…File` setting a container reads), with the config
// path that names each one, so a missing or loose one is reported where the user wrote it.
import { hostPath } from "../plan/plan.js";
import type { ServiceName, StackPlan } from "../plan/types.js";
import { GRAFANA_UID, NOBODY_UID, type UserSecretFile } from "./secrets.js";

const READER_UID: Partial<Record<ServiceName, number>> = { grafana: GRAFANA_UID };

export function userSecretFiles(plan: StackPlan): UserSecretFile[] {
  const handled = new Set(plan.secrets.map((secret) => secret.file));
  const result: UserSecretFile[] = [];
  for (const { configPath, file } of plan.userSecretFiles) {
    if (handled.has(file)) continue;
    const readers = plan.services.filter((service) => service.mounts.some((mount) => mount.type === "bind" && mount.source === hostPath(file)));
    // Only files a container actually mounts (a disabled receiver's file is not needed).
    if (readers.length === 0) continue;
    result.push({ configPath, file, readerUid: READER_UID[readers[0]!.name] ?? NOBODY_UID });
  }
  return result;
}
