// Secrets written inline into a generated file: that file is 0644 and `generate --stdout` prints it. The config
// itself refuses them (lib/config/secret-inputs.ts); overrides can still carry them into the final documents,
// so these are checked there too: a URL with user:password@, and the keys Prometheus and Alertmanager read a
// secret from that have a *_file form.
import { hasUserinfo } from "../config/url-credentials.js";
import { refuse, type CheckedDocument } from "./report.js";

/** Inline secret keys and the file form the reader offers instead. */
const PROMETHEUS_SECRETS: Readonly<Record<string, string>> = {
  password: "password_file",
  bearer_token: "bearer_token_file (or authorization.credentials_file)",
  credentials: "credentials_file",
  client_secret: "client_secret_file",
};
const ALERTMANAGER_SECRETS: Readonly<Record<string, string>> = {
  ...PROMETHEUS_SECRETS,
  auth_password: "auth_password_file",
  smtp_auth_password: "smtp_auth_password_file",
  slack_api_url: "slack_api_url_file",
  api_key: "api_key_file",
  routing_key: "routing_key_file",
  service_key: "service_key_file",
  bot_token: "bot_token_file",
  user_key: "user_key_file",
  token: "token_file",
};

/** Grafana provisioning reads a secret from a file or the environment instead: $__file{/path}, $__env{NAME}, $NAME. */
const GRAFANA_INDIRECT = /^\$(?:__file\{[^}]+\}|__env\{[^}]+\}|\{?[A-Za-z_][A-Za-z0-9_]*\}?)$/;

export function checkInlineSecrets(doc: CheckedDocument, reader: "prometheus" | "alertmanager" | "grafana" | "other"): void {
  const keys = reader === "prometheus" ? PROMETHEUS_SECRETS : reader === "alertmanager" ? ALERTMANAGER_SECRETS : {};
  const walk = (value: unknown, path: Array<string | number>): void => {
    if (typeof value === "string") {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && hasUserinfo(value)) {
        refuse(
          doc,
          path,
          "a URL with user:password@ would be written into a world-readable generated file and shown by --stdout",
          "give the credential in a file: basic_auth.password_file (Prometheus), webhook url_file or the *_file forms (Alertmanager)",
        );
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, [...path, index]));
    } else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (reader === "grafana" && key === "secureJsonData" && typeof child === "object" && child !== null) {
          for (const [name, secret] of Object.entries(child as Record<string, unknown>)) {
            if (typeof secret === "string" && secret !== "" && !GRAFANA_INDIRECT.test(secret)) {
              refuse(
                doc,
                [...path, key, name],
                "an inline secret would be written into a world-readable generated file and shown by --stdout",
                "write $__file{/path/in/the/container} and mount the file into Grafana (e.g. by overrides.compose volumes)",
              );
            }
          }
          continue;
        }
        const fileForm = Object.prototype.hasOwnProperty.call(keys, key) ? keys[key] : undefined;
        if (fileForm !== undefined && typeof child === "string" && child !== "") {
          refuse(
            doc,
            [...path, key],
            `an inline secret would be written into a world-readable generated file and shown by --stdout`,
            `use ${fileForm} with a file mounted into the container (e.g. by overrides.compose volumes)`,
          );
        } else walk(child, [...path, key]);
      }
    }
  };
  walk(doc.value, []);
}
