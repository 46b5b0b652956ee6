// Host files the stack bind-mounts (secrets the user keeps: Slack and webhook URLs, SMTP and remote-write
// passwords, the Grafana admin password). Their paths land in Compose's `source:target:mode` volume strings
// and in engine mounts, so some characters would mount something else; `~` is the user's home, as in a shell.
import { homedir } from "node:os";
import type { StackConfig } from "../generated/stack-config.js";

export interface HostFileField {
  /** Config path, e.g. "alerting.alertmanager.receivers[0].slack.apiUrlFile". */
  readonly path: string;
  readonly value: string;
}

/** Every host file path the config names. */
export function hostFileFields(config: StackConfig): HostFileField[] {
  const fields: HostFileField[] = [];
  const add = (path: string, value: string | undefined) => {
    if (value !== undefined) fields.push({ path, value });
  };
  (config.alerting?.alertmanager?.receivers ?? []).forEach((receiver, index) => {
    const at = `alerting.alertmanager.receivers[${index}]`;
    add(`${at}.slack.apiUrlFile`, receiver.slack?.apiUrlFile);
    add(`${at}.email.authPasswordFile`, receiver.email?.authPasswordFile);
    add(`${at}.webhook.urlFile`, receiver.webhook?.urlFile);
  });
  (config.prometheus?.remoteWrite ?? []).forEach((target, index) => {
    add(`prometheus.remoteWrite[${index}].basicAuth.passwordFile`, target.basicAuth?.passwordFile);
  });
  add("grafana.adminPasswordFile", config.grafana?.adminPasswordFile);
  return fields;
}

/** Characters that split or end a Compose volume string or an engine --mount value. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const MOUNT_SEPARATORS = /[:,\u0000-\u001f\u007f]/;

/** Why `path` cannot be a bind-mount source, with a hint; undefined when it can. */
export function hostPathProblem(path: string): { message: string; hint: string } | undefined {
  const bad = MOUNT_SEPARATORS.exec(path);
  if (bad) {
    const what = bad[0] === ":" ? "':'" : bad[0] === "," ? "','" : `a control character (${JSON.stringify(bad[0])})`;
    return {
      message: `must not contain ${what} (got ${JSON.stringify(path)})`,
      hint: "the path becomes a bind mount \"source:target:mode\", where ':' and ',' separate fields and would mount another file: rename or link the file",
    };
  }
  if (/^~[^/]/.test(path)) {
    return {
      message: `~user paths are not expanded (got ${JSON.stringify(path)})`,
      hint: "write the absolute path, or ~/… for the home folder of the user running generate",
    };
  }
  return undefined;
}

/** `~` and `~/…` as the home folder of the user running generate; other paths unchanged. */
export function expandHome(path: string): string;
export function expandHome(path: string | undefined): string | undefined;
export function expandHome(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return `${homedir().replace(/\/+$/, "")}/${path.slice(2)}`;
  return path;
}
