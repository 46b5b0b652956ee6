// Prometheus and Alertmanager read their files at container paths (/etc/prometheus/rules/…,
// /etc/alertmanager-secrets/…). To check the real files with the tools on the host, the paths are mapped back
// through the service's bind mounts and secrets as docker-compose.yml declares them.
import path from "node:path";

interface ComposeFile {
  readonly services?: Record<string, { volumes?: unknown[]; secrets?: unknown[]; configs?: unknown[] } | undefined>;
  readonly secrets?: Record<string, { file?: string } | undefined>;
  /** Swarm stack files (docker-stack.yml) carry config files as configs. */
  readonly configs?: Record<string, { file?: string } | undefined>;
}

/** One container path (a file or a folder) and the host path it comes from. */
export interface PathMapping {
  readonly container: string;
  readonly host: string;
}

const isHostPath = (source: string) =>
  source.startsWith("/") || source.startsWith("./") || source.startsWith("../") || source === "." || source === "..";

/** The bind mounts and file secrets of one compose service, host paths resolved against the project folder. */
export function serviceMappings(compose: ComposeFile, service: string, projectDir: string): PathMapping[] {
  const spec = compose.services?.[service];
  if (!spec) return [];
  const mappings: PathMapping[] = [];
  for (const volume of spec.volumes ?? []) {
    if (typeof volume === "string") {
      // "source:target[:mode]"; sources that are not paths are named volumes.
      const parts = volume.split(":");
      if (parts.length > 2) parts.pop(); // the mode: ro, rw, z, …
      const [source, target] = parts;
      if (source && target && isHostPath(source)) mappings.push({ container: target, host: path.resolve(projectDir, source) });
    } else if (volume && typeof volume === "object") {
      const long = volume as { type?: string; source?: string; target?: string };
      if (long.type === "bind" && long.source && long.target) mappings.push({ container: long.target, host: path.resolve(projectDir, long.source) });
    }
  }
  for (const secret of spec.secrets ?? []) {
    const name = typeof secret === "string" ? secret : (secret as { source?: string }).source;
    const target = typeof secret === "string" ? undefined : (secret as { target?: string }).target;
    const file = name ? compose.secrets?.[name]?.file : undefined;
    if (name && file) {
      const container = target?.startsWith("/") ? target : `/run/secrets/${target ?? name}`;
      mappings.push({ container, host: path.resolve(projectDir, file) });
    }
  }
  for (const config of spec.configs ?? []) {
    const { source, target } = (typeof config === "string" ? { source: config, target: undefined } : config) as { source?: string; target?: string };
    const file = source ? compose.configs?.[source]?.file : undefined;
    if (source && file) mappings.push({ container: target?.startsWith("/") ? target : `/${target ?? source}`, host: path.resolve(projectDir, file) });
  }
  // Longest container path first, so a file mounted inside a mounted folder wins.
  return mappings.sort((a, b) => b.container.length - a.container.length);
}

/** The host path for a container path, or undefined when no mount covers it. */
function hostPathOf(containerPath: string, mappings: readonly PathMapping[]): string | undefined {
  for (const { container, host } of mappings) {
    if (containerPath === container) return host;
    const prefix = container.endsWith("/") ? container : `${container}/`;
    if (containerPath.startsWith(prefix)) return path.join(host, containerPath.slice(prefix.length));
  }
  return undefined;
}

/** A deep copy of a parsed YAML document with every string that is a mounted container path replaced by its host path. */
export function mapContainerPaths(value: unknown, mappings: readonly PathMapping[]): unknown {
  if (typeof value === "string") return value.startsWith("/") ? (hostPathOf(value, mappings) ?? value) : value;
  if (Array.isArray(value)) return value.map((item) => mapContainerPaths(item, mappings));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, mapContainerPaths(child, mappings)]));
  }
  return value;
}
