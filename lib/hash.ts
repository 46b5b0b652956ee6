// The one content hash of the project: container config hashes (lib/docker/spec.ts) and the bin's render records
// (lib/cli/render-cache.ts).
import { createHash } from "node:crypto";

export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
