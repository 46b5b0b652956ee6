// URLs in the config end up in 0644 files and in `generate --stdout`: a password inside one is a leaked secret.
// Userinfo (user:password@) is refused with the file form each reader offers; a token in a webhook's query
// string is a warning pointing at the webhook's urlFile.
import type { StackConfig } from "../generated/stack-config.js";

export interface UrlField {
  readonly path: string;
  readonly url: string;
  /** How to give the credential without writing it into a generated file. */
  readonly hint: string;
}

const WEBHOOK_HINT = "put the whole URL in a file (mode 0600) and name it as webhook.urlFile instead of webhook.url";

export function configUrls(config: StackConfig): UrlField[] {
  const urls: UrlField[] = [];
  (config.prometheus?.remoteWrite ?? []).forEach((target, index) => {
    urls.push({
      path: `prometheus.remoteWrite[${index}].url`,
      url: target.url,
      hint: `drop the user:password@ part and set prometheus.remoteWrite[${index}].basicAuth { username, passwordFile } (Prometheus basic_auth.password_file)`,
    });
  });
  (config.alerting?.alertmanager?.receivers ?? []).forEach((receiver, index) => {
    if (receiver.webhook?.url !== undefined) {
      urls.push({ path: `alerting.alertmanager.receivers[${index}].webhook.url`, url: receiver.webhook.url, hint: WEBHOOK_HINT });
    }
  });
  const pushgateway = config.flink.reporter?.pushgateway?.url;
  if (pushgateway !== undefined) {
    urls.push({
      path: "flink.reporter.pushgateway.url",
      url: pushgateway,
      hint: "Flink's PrometheusPushGatewayReporter has no credentials option: publish the Pushgateway without authentication on a network the Flink hosts reach, or put a proxy beside Flink",
    });
  }
  return urls;
}

/** True when the URL carries user info (`user@` or `user:password@`) in its authority. */
export function hasUserinfo(url: string): boolean {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1] ?? "";
  return authority.includes("@");
}

/** Query parameters whose names say they carry a credential. */
const SECRET_PARAMETER = /^(?:.*token.*|.*secret.*|.*passw(?:or)?d.*|.*api[_-]?key.*|key|sig|signature|auth|access[_-]?key)$/i;

export function credentialQueryParameter(url: string): string | undefined {
  const query = url.split("#")[0]!.split("?").slice(1).join("?");
  if (query === "") return undefined;
  for (const pair of query.split("&")) {
    const name = decodeURIComponentSafe(pair.split("=")[0] ?? "");
    if (SECRET_PARAMETER.test(name) && pair.includes("=") && pair.split("=")[1] !== "") return name;
  }
  return undefined;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
