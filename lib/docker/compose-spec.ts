// The final compose document (render/compose.ts, overrides.compose merged in: the object docker-compose.yml
// serializes) → Engine API create options, key by key. `up` starts containers from this translation only, so
// the written file and the running stack cannot differ. A key `up` cannot apply is an error before anything
// starts, never silently dropped.
import path from "node:path";
import type { ContainerCreateOptions, MountSettings } from "./engine-types.js";
import { DockerError } from "./errors.js";
import { containerName, networkEngineName, serviceLabels, volumeEngineName, type ProjectContext } from "./labels.js";

const NANOS_PER_SECOND = 1_000_000_000;

/** Service keys `up` applies. Everything else (deploy, build, profiles, container_name, …) is refused. */
export const SUPPORTED_SERVICE_KEYS = [
  "image",
  "command",
  "entrypoint",
  "environment",
  "ports",
  "volumes",
  "secrets",
  "labels",
  "user",
  "working_dir",
  "extra_hosts",
  "healthcheck",
  "restart",
  "logging",
  "mem_limit",
  "cpus",
  "read_only",
  "networks",
  "depends_on",
  "pull_policy",
] as const;

const SUPPORTED = new Set<string>(SUPPORTED_SERVICE_KEYS);

export type ComposeDocument = Record<string, unknown>;

/** What the translation gives for one service: create options without the hash labels, plus what `up` needs. */
export interface ContainerDraft {
  readonly service: string;
  readonly name: string;
  readonly create: ContainerCreateOptions;
  /** Absolute paths of bind-mount sources (must exist before create). */
  readonly bindSources: readonly string[];
  /** The healthcheck test as the container will run it (["NONE"] when disabled or absent). */
  readonly healthTest: readonly string[];
  readonly healthTimeoutSeconds: number;
}

export interface DraftContext extends ProjectContext {
  /** The compose network of the stack (plan.networkName). */
  readonly network: string;
  /** Names of the named volumes the plan declares. */
  readonly volumes: readonly string[];
  /** Each service's planned dependencies (depends_on may not change them: they order `up`'s steps). */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>;
}

function unsupported(keyPath: string, why: string, context: ProjectContext): DockerError {
  return new DockerError(
    "E_COMPOSE_UNSUPPORTED",
    `docker-compose.yml key ${keyPath} ${why}, so \`up\` cannot start what the file describes. Remove it from overrides.compose in the stack config (and generate again), or start the stack with \`docker compose up -d\` in ${context.outDir}.`,
    { service: keyPath.split(".")[1] },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A compose string as the process sees it: `$$` → `$`. A lone `$` is Compose's variable interpolation, which
 * only Compose does (from its environment and .env).
 */
function literal(value: string, keyPath: string, context: ProjectContext): string {
  return value.replace(/\$(\$)?/g, (match, escaped: string | undefined) => {
    if (escaped) return "$";
    throw unsupported(keyPath, `uses variable interpolation (${JSON.stringify(value)}; write $$ for a literal $)`, context);
  });
}

/** Every string in `value` through `literal`. */
function literals(value: unknown, keyPath: string, context: ProjectContext): unknown {
  if (typeof value === "string") return literal(value, keyPath, context);
  if (Array.isArray(value)) return value.map((item, i) => literals(item, `${keyPath}[${i}]`, context));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literals(v, `${keyPath}.${k}`, context)]));
  return value;
}

function scalarText(value: unknown, keyPath: string, context: ProjectContext): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw unsupported(keyPath, `is ${value === null ? "null (a value taken from Compose's environment)" : `a ${typeof value}`}, not a string`, context);
}

/** Splits a command string as Compose does (shell words: quotes and backslashes, no expansion). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word = (word ?? "") + c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word = (word ?? "") + text.charAt(++i);
      else word = (word ?? "") + c;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      word ??= "";
      quote = c;
    } else if (c === "\\" && i + 1 < text.length) {
      word = (word ?? "") + text.charAt(++i);
    } else {
      word = (word ?? "") + c;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (word !== undefined) words.push(word);
  return words;
}

function argv(value: unknown, keyPath: string, context: ProjectContext): string[] {
  if (Array.isArray(value)) return value.map((item, i) => scalarText(item, `${keyPath}[${i}]`, context));
  if (typeof value === "string") {
    try {
      return shellWords(value);
    } catch (error) {
      throw unsupported(keyPath, `cannot be split into arguments (${(error as Error).message})`, context);
    }
  }
  throw unsupported(keyPath, "is neither a list nor a string", context);
}

/** `environment` / `labels`: a map, or a list of `KEY=value`. */
function keyValues(value: unknown, keyPath: string, context: ProjectContext): Array<[string, string]> {
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      const text = scalarText(item, `${keyPath}[${i}]`, context);
      const eq = text.indexOf("=");
      if (eq < 0) throw unsupported(`${keyPath}[${i}]`, `("${text}") has no "=value": Compose takes it from its own environment`, context);
      return [text.slice(0, eq), text.slice(eq + 1)];
    });
  }
  if (isObject(value)) return Object.entries(value).map(([k, v]) => [k, scalarText(v, `${keyPath}.${k}`, context)]);
  throw unsupported(keyPath, "is neither a map nor a list", context);
}

/** Compose durations (`1m30s`, `500ms`, `1h`) in nanoseconds. */
export function composeDurationNanos(value: unknown, keyPath: string, context: ProjectContext): number {
  const text = scalarText(value, keyPath, context);
  const units: Record<string, number> = { h: 3600e9, m: 60e9, s: 1e9, ms: 1e6, us: 1e3, ns: 1 };
  if (!/^(\d+(\.\d+)?(h|ms|m|s|us|ns))+$/.test(text)) throw unsupported(keyPath, `("${text}") is not a duration such as 30s or 1m30s`, context);
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(h|ms|m|s|us|ns)/g)) total += Number(amount) * units[unit!]!;
  return Math.round(total);
}

/** Compose byte sizes (`512m`, `1g`, `1024`) in bytes. */
export function composeBytes(value: unknown, keyPath: string, context: ProjectContext): number {
  const text = scalarText(value, keyPath, context).toLowerCase();
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)b?$/.exec(text);
  if (!match) throw unsupported(keyPath, `("${text}") is not a size such as 512m or 1g`, context);
  const factor = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[match[2] as "" | "k" | "m" | "g" | "t"];
  return Math.round(Number(match[1]) * factor);
}

function portBindings(
  value: unknown,
  keyPath: string,
  context: ProjectContext,
): { exposed: Record<string, Record<string, never>>; bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> } {
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  if (!Array.isArray(value)) throw unsupported(keyPath, "is not a list", context);
  value.forEach((item, i) => {
    const at = `${keyPath}[${i}]`;
    let hostIp = "";
    let hostPort = "";
    let container: string;
    let protocol = "tcp";
    if (isObject(item)) {
      const extra = Object.keys(item).filter((k) => !["target", "published", "host_ip", "protocol", "mode"].includes(k));
      if (extra.length > 0) throw unsupported(`${at}.${extra[0]}`, "is not supported", context);
      if (item.mode !== undefined && item.mode !== "host" && item.mode !== "ingress")
        throw unsupported(`${at}.mode`, "is not host or ingress", context);
      container = scalarText(item.target, `${at}.target`, context);
      if (item.published !== undefined) hostPort = scalarText(item.published, `${at}.published`, context);
      if (item.host_ip !== undefined) hostIp = scalarText(item.host_ip, `${at}.host_ip`, context);
      if (item.protocol !== undefined) protocol = scalarText(item.protocol, `${at}.protocol`, context);
    } else {
      const text = scalarText(item, at, context);
      const match = /^(?:(?:(\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(\d*):)?(\d+)(?:\/(tcp|udp|sctp))?$/.exec(text);
      if (!match) throw unsupported(at, `("${text}") is not a port mapping such as 127.0.0.1:9090:9090 (port ranges are not supported)`, context);
      hostIp = (match[1] ?? "").replace(/^\[|\]$/g, "");
      hostPort = match[2] ?? "";
      container = match[3]!;
      protocol = match[4] ?? "tcp";
    }
    const key = `${container}/${protocol}`;
    exposed[key] = {};
    if (hostPort || hostIp) (bindings[key] ??= []).push({ HostIp: hostIp, HostPort: hostPort });
  });
  return { exposed, bindings };
}

function isHostPath(source: string): boolean {
  return source.startsWith("/") || source.startsWith("./") || source.startsWith("../") || source === "." || source.startsWith("~");
}

function mountOf(source: string, target: string, readOnly: boolean, at: string, context: DraftContext): MountSettings {
  if (isHostPath(source)) {
    if (source.startsWith("~")) throw unsupported(at, `("${source}") starts with ~, which only Compose expands`, context);
    return { Type: "bind", Source: path.isAbsolute(source) ? source : path.resolve(context.outDir, source), Target: target, ReadOnly: readOnly };
  }
  if (!context.volumes.includes(source)) throw unsupported(at, `names volume "${source}", which the stack does not declare`, context);
  return { Type: "volume", Source: volumeEngineName(context.project, source), Target: target, ReadOnly: readOnly };
}

function mounts(value: unknown, keyPath: string, context: DraftContext): MountSettings[] {
  if (!Array.isArray(value)) throw unsupported(keyPath, "is not a list", context);
  return value.map((item, i) => {
    const at = `${keyPath}[${i}]`;
    if (isObject(item)) {
      const extra = Object.keys(item).filter((k) => !["type", "source", "target", "read_only"].includes(k));
      if (extra.length > 0) throw unsupported(`${at}.${extra[0]}`, "is not supported", context);
      if (item.type !== "bind" && item.type !== "volume") throw unsupported(`${at}.type`, "is neither bind nor volume", context);
      const source = scalarText(item.source, `${at}.source`, context);
      const mount = mountOf(
        item.type === "bind" && !isHostPath(source) ? `./${source}` : source,
        scalarText(item.target, `${at}.target`, context),
        item.read_only === true,
        at,
        context,
      );
      if (mount.Type !== item.type) throw unsupported(`${at}.source`, `("${source}") does not fit type ${item.type}`, context);
      return mount;
    }
    const parts = scalarText(item, at, context).split(":");
    if (parts.length < 2 || parts.length > 3) throw unsupported(at, "is not source:target[:ro|rw] (anonymous volumes are not supported)", context);
    const mode = parts[2];
    if (mode !== undefined && mode !== "ro" && mode !== "rw") throw unsupported(at, `has mode "${mode}"; up supports ro and rw`, context);
    return mountOf(parts[0]!, parts[1]!, mode === "ro", at, context);
  });
}

function secretMounts(value: unknown, keyPath: string, document: ComposeDocument, context: DraftContext): MountSettings[] {
  if (!Array.isArray(value)) throw unsupported(keyPath, "is not a list", context);
  const declared = isObject(document.secrets) ? document.secrets : {};
  return value.map((item, i) => {
    const at = `${keyPath}[${i}]`;
    if (isObject(item)) {
      const extra = Object.keys(item).filter((k) => k !== "source" && k !== "target");
      if (extra.length > 0) throw unsupported(`${at}.${extra[0]}`, "is not supported", context);
    }
    const name = scalarText(isObject(item) ? item.source : item, at, context);
    const target = isObject(item) && item.target !== undefined ? scalarText(item.target, `${at}.target`, context) : name;
    const secret = declared[name];
    if (!isObject(secret) || typeof secret.file !== "string" || Object.keys(secret).some((k) => k !== "file")) {
      throw unsupported(`secrets.${name}`, "is not a file secret (file: only)", context);
    }
    const file = literal(secret.file, `secrets.${name}.file`, context);
    return {
      Type: "bind",
      Source: path.isAbsolute(file) ? file : path.resolve(context.outDir, file),
      Target: target.startsWith("/") ? target : `/run/secrets/${target}`,
      ReadOnly: true,
    };
  });
}

function healthcheck(
  value: unknown,
  keyPath: string,
  context: ProjectContext,
): { settings: ContainerCreateOptions["Healthcheck"]; timeoutSeconds: number } {
  if (!isObject(value)) throw unsupported(keyPath, "is not a map", context);
  const extra = Object.keys(value).filter((k) => !["test", "interval", "timeout", "retries", "start_period", "disable"].includes(k));
  if (extra.length > 0) throw unsupported(`${keyPath}.${extra[0]}`, "is not supported", context);
  if (value.disable === true) return { settings: { Test: ["NONE"] }, timeoutSeconds: 0 };
  const test = typeof value.test === "string" ? ["CMD-SHELL", value.test] : argv(value.test, `${keyPath}.test`, context);
  if (test[0] === "NONE") return { settings: { Test: ["NONE"] }, timeoutSeconds: 0 };
  if (test[0] !== "CMD" && test[0] !== "CMD-SHELL") throw unsupported(`${keyPath}.test`, "starts with neither CMD nor CMD-SHELL", context);
  const settings: ContainerCreateOptions["Healthcheck"] = { Test: test };
  if (value.interval !== undefined) settings.Interval = composeDurationNanos(value.interval, `${keyPath}.interval`, context);
  if (value.timeout !== undefined) settings.Timeout = composeDurationNanos(value.timeout, `${keyPath}.timeout`, context);
  if (value.retries !== undefined) settings.Retries = Number(scalarText(value.retries, `${keyPath}.retries`, context));
  if (value.start_period !== undefined) settings.StartPeriod = composeDurationNanos(value.start_period, `${keyPath}.start_period`, context);
  return { settings, timeoutSeconds: settings.Timeout === undefined ? 30 : settings.Timeout / NANOS_PER_SECOND };
}

function restartPolicy(value: unknown, keyPath: string, context: ProjectContext): { Name: string; MaximumRetryCount: number } {
  const text = scalarText(value, keyPath, context);
  const match = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(text);
  if (!match || (match[2] !== undefined && match[1] !== "on-failure"))
    throw unsupported(keyPath, `("${text}") is not no, always, unless-stopped or on-failure[:N]`, context);
  return { Name: match[1] === "no" ? "" : match[1]!, MaximumRetryCount: match[2] === undefined ? 0 : Number(match[2]) };
}

function extraHosts(value: unknown, keyPath: string, context: ProjectContext): string[] {
  if (isObject(value)) return Object.entries(value).map(([host, ip]) => `${host}:${scalarText(ip, `${keyPath}.${host}`, context)}`);
  if (!Array.isArray(value)) throw unsupported(keyPath, "is neither a list nor a map", context);
  return value.map((item, i) => {
    const text = scalarText(item, `${keyPath}[${i}]`, context);
    const eq = text.indexOf("=");
    return eq >= 0 ? `${text.slice(0, eq)}:${text.slice(eq + 1)}` : text;
  });
}

function checkNetworks(value: unknown, keyPath: string, context: DraftContext): void {
  const names = Array.isArray(value) ? value : isObject(value) ? Object.keys(value) : undefined;
  const settings = isObject(value) ? Object.values(value) : [];
  if (names?.length !== 1 || names[0] !== context.network || settings.some((s) => s !== null && !(isObject(s) && Object.keys(s).length === 0))) {
    throw unsupported(keyPath, `is not just the stack's network ${context.network}`, context);
  }
}

function checkDependsOn(value: unknown, keyPath: string, service: string, context: DraftContext): void {
  const planned = [...(context.dependsOn.get(service) ?? [])].sort();
  const names = Array.isArray(value) ? value.map(String) : isObject(value) ? Object.keys(value) : [];
  const conditions = isObject(value) ? Object.values(value) : [];
  const healthy = conditions.every((c) => isObject(c) && c.condition === "service_healthy" && Object.keys(c).length === 1);
  if (!healthy || JSON.stringify([...names].sort()) !== JSON.stringify(planned)) {
    throw unsupported(
      keyPath,
      `differs from the generated one (${planned.join(", ") || "none"}, each service_healthy): up starts the services in the generated order`,
      context,
    );
  }
}

/** Refuses top-level keys and services `up` cannot create as written. */
export function checkComposeDocument(document: ComposeDocument, planned: readonly string[], context: DraftContext): void {
  for (const key of Object.keys(document)) {
    if (key.startsWith("x-")) continue;
    if (!["services", "networks", "volumes", "secrets"].includes(key)) throw unsupported(key, "is not supported", context);
  }
  const services = isObject(document.services) ? document.services : {};
  for (const name of Object.keys(services)) {
    if (!planned.includes(name))
      throw unsupported(`services.${name}`, "is a service the stack does not plan (up starts only the generated services)", context);
  }
  const networks = isObject(document.networks) ? document.networks : {};
  for (const [name, value] of Object.entries(networks)) {
    if (name !== context.network) throw unsupported(`networks.${name}`, "is a network the stack does not plan", context);
    if (isObject(value) && Object.keys(value).some((k) => k !== "labels"))
      throw unsupported(`networks.${name}.${Object.keys(value).find((k) => k !== "labels")}`, "is not supported", context);
  }
  const volumes = isObject(document.volumes) ? document.volumes : {};
  for (const [name, value] of Object.entries(volumes)) {
    if (!context.volumes.includes(name)) throw unsupported(`volumes.${name}`, "is a volume the stack does not plan", context);
    if (isObject(value) && Object.keys(value).some((k) => k !== "labels"))
      throw unsupported(`volumes.${name}.${Object.keys(value).find((k) => k !== "labels")}`, "is not supported", context);
  }
}

/** The create options of one service of the final compose document. */
export function containerDraft(document: ComposeDocument, serviceName: string, context: DraftContext): ContainerDraft {
  const services = isObject(document.services) ? document.services : {};
  const raw = services[serviceName];
  const at = `services.${serviceName}`;
  if (!isObject(raw)) throw unsupported(at, "is not a map", context);
  for (const key of Object.keys(raw)) {
    if (!key.startsWith("x-") && !SUPPORTED.has(key)) throw unsupported(`${at}.${key}`, "is not supported", context);
  }
  const service = literals(raw, at, context) as Record<string, unknown>;
  const network = networkEngineName(context.project, context.network);
  const image = scalarText(service.image, `${at}.image`, context);
  const { exposed, bindings } = service.ports === undefined ? { exposed: {}, bindings: {} } : portBindings(service.ports, `${at}.ports`, context);
  const health = service.healthcheck === undefined ? undefined : healthcheck(service.healthcheck, `${at}.healthcheck`, context);
  if (service.networks !== undefined) checkNetworks(service.networks, `${at}.networks`, context);
  if (service.depends_on !== undefined || (context.dependsOn.get(serviceName) ?? []).length > 0) {
    checkDependsOn(service.depends_on ?? [], `${at}.depends_on`, serviceName, context);
  }
  if (
    service.pull_policy !== undefined &&
    !["never", "missing", "if_not_present", "always"].includes(typeof service.pull_policy === "string" ? service.pull_policy : "")
  ) {
    throw unsupported(`${at}.pull_policy`, "is not supported", context);
  }
  const userLabels = service.labels === undefined ? [] : keyValues(service.labels, `${at}.labels`, context);
  const allMounts = [
    ...(service.volumes === undefined ? [] : mounts(service.volumes, `${at}.volumes`, context)),
    ...(service.secrets === undefined ? [] : secretMounts(service.secrets, `${at}.secrets`, document, context)),
  ];
  const create: ContainerCreateOptions = {
    name: containerName(context.project, serviceName),
    Image: image,
    Env: service.environment === undefined ? [] : keyValues(service.environment, `${at}.environment`, context).map(([k, v]) => `${k}=${v}`),
    // Compose's own labels win over the file's.
    Labels: { ...Object.fromEntries(userLabels), ...serviceLabels(context, serviceName) },
    ExposedPorts: exposed,
    Healthcheck: health?.settings ?? { Test: ["NONE"] },
    HostConfig: {
      NetworkMode: network,
      PortBindings: bindings,
      Mounts: allMounts,
      RestartPolicy: service.restart === undefined ? { Name: "", MaximumRetryCount: 0 } : restartPolicy(service.restart, `${at}.restart`, context),
      ExtraHosts: service.extra_hosts === undefined ? [] : extraHosts(service.extra_hosts, `${at}.extra_hosts`, context),
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [serviceName] } } },
  };
  // No `command:` means the image's CMD; leaving Cmd out keeps the create request identical to Compose's.
  if (service.command !== undefined) create.Cmd = argv(service.command, `${at}.command`, context);
  if (service.entrypoint !== undefined) create.Entrypoint = argv(service.entrypoint, `${at}.entrypoint`, context);
  if (service.user !== undefined) create.User = scalarText(service.user, `${at}.user`, context);
  if (service.working_dir !== undefined) create.WorkingDir = scalarText(service.working_dir, `${at}.working_dir`, context);
  if (service.mem_limit !== undefined) create.HostConfig.Memory = composeBytes(service.mem_limit, `${at}.mem_limit`, context);
  if (service.cpus !== undefined) {
    const cpus = Number(scalarText(service.cpus, `${at}.cpus`, context));
    if (!(cpus > 0)) throw unsupported(`${at}.cpus`, "is not a positive number", context);
    create.HostConfig.NanoCpus = Math.round(cpus * NANOS_PER_SECOND);
  }
  if (service.read_only !== undefined) create.HostConfig.ReadonlyRootfs = service.read_only === true;
  if (service.logging !== undefined) {
    const logging = service.logging;
    if (!isObject(logging) || Object.keys(logging).some((k) => k !== "driver" && k !== "options"))
      throw unsupported(`${at}.logging`, "is not {driver, options}", context);
    create.HostConfig.LogConfig = {
      Type: logging.driver === undefined ? "json-file" : scalarText(logging.driver, `${at}.logging.driver`, context),
      Config: Object.fromEntries(logging.options === undefined ? [] : keyValues(logging.options, `${at}.logging.options`, context)),
    };
  }
  return {
    service: serviceName,
    name: create.name!,
    create,
    bindSources: allMounts.filter((m) => m.Type === "bind").map((m) => m.Source),
    healthTest: create.Healthcheck.Test,
    healthTimeoutSeconds: health?.timeoutSeconds ?? 0,
  };
}
