// Names and labels, exactly as Docker Compose writes them, so `docker-compose ps/logs/down` on the generated
// file manage a stack `up` started, and `status`/`down` manage one Compose started.
import path from "node:path";
import type { ServiceName } from "../plan/types.js";
import { STACK_LABEL } from "../render/compose.js";

export { STACK_LABEL };

export const LABEL_PROJECT = "com.docker.compose.project";
export const LABEL_SERVICE = "com.docker.compose.service";
export const LABEL_CONTAINER_NUMBER = "com.docker.compose.container-number";
export const LABEL_ONEOFF = "com.docker.compose.oneoff";
export const LABEL_CONFIG_HASH = "com.docker.compose.config-hash";
export const LABEL_WORKING_DIR = "com.docker.compose.project.working_dir";
export const LABEL_CONFIG_FILES = "com.docker.compose.project.config_files";
export const LABEL_VERSION = "com.docker.compose.version";
export const LABEL_NETWORK = "com.docker.compose.network";
export const LABEL_VOLUME = "com.docker.compose.volume";

/**
 * Hash of the config files a reloadable service (Prometheus, Alertmanager) read when its container was
 * created. Ours, not Compose's: Compose ignores container labels it does not know. Only on containers —
 * Compose warns about labels on networks and volumes that its file does not declare, so those carry exactly
 * what Compose would write (its labels plus the compose file's STACK_LABEL).
 */
export const LABEL_FILES_HASH = "flink-prometheus-stack.config-files-hash";
/** Marks containers `up` created (as opposed to docker-compose), for messages only. */
export const LABEL_CREATED_BY = "flink-prometheus-stack.created-by";

/**
 * The Compose version whose conventions we follow: v1 (1.29, the Compose on these machines) names containers
 * `<project>_<service>_1`. Compose v1 parses this label as a version (LooseVersion) and treats containers from
 * before 1.21 as "legacy", so the value must be a version, not our package name.
 */
export const COMPOSE_VERSION = "1.29.2";

/** The compose file `up` claims as the stack's definition (`com.docker.compose.project.config_files`). */
export const COMPOSE_FILE_NAME = "docker-compose.yml";

/** Compose v1 container name (v2 would write `<project>-<service>-1`; both carry the same labels). */
export function containerName(project: string, service: string, number = 1): string {
  return `${project}_${service}_${number}`;
}

/** Engine name of a network declared in the compose file. */
export function networkEngineName(project: string, network: string): string {
  return `${project}_${network}`;
}

/** Engine name of a named volume declared in the compose file. */
export function volumeEngineName(project: string, volume: string): string {
  return `${project}_${volume}`;
}

/** Where a person overrides each service's image in flink-stack.yaml. */
export const IMAGE_CONFIG_KEYS: Readonly<Record<ServiceName, string>> = {
  prometheus: "prometheus.image",
  pushgateway: "pushgateway.image",
  "pushgateway-prune": "pushgateway.prune.image",
  alertmanager: "alerting.alertmanager.image",
  "node-exporter": "nodeExporter.image",
  grafana: "grafana.image",
};

/** Where a person changes each service's published port in flink-stack.yaml. */
export const PORT_CONFIG_KEYS: Readonly<Record<ServiceName, string>> = {
  prometheus: "network.ports.prometheus",
  pushgateway: "network.ports.pushgateway",
  "pushgateway-prune": "(none: the prune sidecar publishes no port)",
  alertmanager: "network.ports.alertmanager",
  "node-exporter": "network.ports.nodeExporter",
  grafana: "network.ports.grafana",
};

export interface ProjectContext {
  readonly project: string;
  /** Absolute output directory (Compose's working_dir). */
  readonly outDir: string;
}

export function projectLabels(context: ProjectContext): Record<string, string> {
  return {
    [LABEL_PROJECT]: context.project,
    [LABEL_WORKING_DIR]: context.outDir,
    [LABEL_CONFIG_FILES]: path.join(context.outDir, COMPOSE_FILE_NAME),
  };
}

/** Labels of a service container, without the hashes (they are computed over everything else). */
export function serviceLabels(context: ProjectContext, service: string): Record<string, string> {
  return {
    ...projectLabels(context),
    [LABEL_SERVICE]: service,
    [LABEL_CONTAINER_NUMBER]: "1",
    [LABEL_ONEOFF]: "False",
    [LABEL_VERSION]: COMPOSE_VERSION,
    // The compose file's own `labels:` of every service (render/compose.ts).
    [STACK_LABEL]: context.project,
    [LABEL_CREATED_BY]: "up",
  };
}

export function networkLabels(project: string, network: string): Record<string, string> {
  return { [LABEL_PROJECT]: project, [LABEL_NETWORK]: network, [LABEL_VERSION]: COMPOSE_VERSION, [STACK_LABEL]: project };
}

export function volumeLabels(project: string, volume: string): Record<string, string> {
  return { [LABEL_PROJECT]: project, [LABEL_VOLUME]: volume, [LABEL_VERSION]: COMPOSE_VERSION, [STACK_LABEL]: project };
}

/** Engine filter selecting everything of a project (containers, networks, volumes). */
export function projectFilter(project: string): { label: string[] } {
  return { label: [`${LABEL_PROJECT}=${project}`] };
}
