// Semantic checks of where secrets come from: host files that become bind mounts, and URLs that would carry a
// credential into a generated (0644, printed by --stdout) file.
import type { ConfigIssue } from "../errors.js";
import type { StackConfig } from "../generated/stack-config.js";
import type { NormalizedStackConfig } from "./resolved.js";
import { hostFileFields, hostPathProblem } from "./host-paths.js";
import { configUrls, credentialQueryParameter, hasUserinfo } from "./url-credentials.js";

type Report = (path: string, message: string, hint?: string) => void;

/** Alertmanager reads webhook_configs[].url_file since 0.26 (prometheus/alertmanager#3223). */
const WEBHOOK_URL_FILE_SINCE = { major: 0, minor: 26 };

export function checkSecretInputs(config: StackConfig, normalized: NormalizedStackConfig, issue: Report, warnings: ConfigIssue[]): void {
  for (const field of hostFileFields(config)) {
    const problem = hostPathProblem(field.value);
    if (problem) issue(field.path, problem.message, problem.hint);
  }
  for (const field of configUrls(config)) {
    if (hasUserinfo(field.url)) {
      issue(field.path, "must not carry user:password@ (it would be written into a world-readable generated file and shown by --stdout)", field.hint);
    } else if (field.path.endsWith(".webhook.url")) {
      const parameter = credentialQueryParameter(field.url);
      if (parameter) {
        warnings.push({
          path: field.path,
          message: `the query parameter "${parameter}" looks like a credential; it is written into alertmanager/alertmanager.yml (mode 0644)`,
          hint: "put the whole URL in a file (mode 0600) and name it as webhook.urlFile instead of webhook.url",
        });
      }
    }
  }
  const image = normalized.alerting.alertmanager.image;
  (config.alerting?.alertmanager?.receivers ?? []).forEach((receiver, index) => {
    const webhook = receiver.webhook;
    if (!webhook) return;
    const at = `alerting.alertmanager.receivers[${index}].webhook`;
    if ((webhook.url === undefined) === (webhook.urlFile === undefined)) {
      issue(
        at,
        webhook.url === undefined ? "needs url or urlFile" : "give url or urlFile, not both",
        "urlFile names a host file holding the URL, for URLs that carry a token",
      );
    }
    if (webhook.urlFile !== undefined && olderThan(image, WEBHOOK_URL_FILE_SINCE)) {
      issue(
        `${at}.urlFile`,
        `needs Alertmanager 0.26 or newer (configured image: ${image})`,
        "use a newer alerting.alertmanager.image, or webhook.url with a URL that carries no secret",
      );
    }
  });
}

/** Whether the image tag names a version before `since`; an unknown tag (latest, a digest) counts as current. */
function olderThan(image: string, since: { major: number; minor: number }): boolean {
  const tag = image.includes("@") ? "" : image.slice(image.lastIndexOf(":") + 1);
  const match = /(\d+)\.(\d+)/.exec(tag);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major < since.major || (major === since.major && minor < since.minor);
}
