// Names of Swarm objects the stack file creates. Configs and secrets are immutable in Swarm: their names carry a
// hash of their content, so a changed file becomes a new object and rolls only the services that mount it.
import { createHash } from "node:crypto";

export const STACK_FILE = "docker-stack.yml";
/** Service label naming the port Prometheus scrapes on a Flink service's tasks (dockerswarm_sd_configs). */
export const METRICS_PORT_LABEL = "io.flink-prometheus-stack.metrics-port";
/** Optional service labels copied onto a Flink service's series as `cluster` and `role`. */
export const CLUSTER_LABEL = "io.flink-prometheus-stack.cluster";
export const ROLE_LABEL = "io.flink-prometheus-stack.role";
/** The label `docker stack deploy` puts on every object of a stack (services, networks, configs, secrets). */
export const NAMESPACE_LABEL = "com.docker.stack.namespace";

// swarmkit refuses config and secret names over 64 characters.
const MAX_OBJECT_NAME = 64;
const HASH_LENGTH = 12;

/** A key of the stack file's configs/secrets maps (Compose allows [a-zA-Z0-9._-]). */
export function objectKey(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, "_");
}

export function contentHash(key: string, contents: string | Buffer): string {
  return createHash("sha256").update(key).update("\u0000").update(contents).digest("hex").slice(0, HASH_LENGTH);
}

/** `<project>_<key>-<hash>`, the prefix shortened to fit swarmkit's limit (the hash keeps names apart). */
export function objectName(project: string, key: string, hash: string): string {
  const prefix = `${project}_${key}`.slice(0, MAX_OBJECT_NAME - 1 - HASH_LENGTH).replace(/[._-]+$/, "");
  return `${prefix}-${hash}`;
}

/**
 * Secrets come from files the renderer never reads (generated at write time, or the user's): their hash is
 * set by `up` through this environment variable, which the stack file interpolates (a manual
 * `docker stack deploy` without it deploys the name ending in -0).
 */
export function secretHashVariable(key: string): string {
  return `FPS_SECRET_${key.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** Prometheus's meta label for a Swarm service label (dockerswarm_sd_configs sanitizes the name). */
export function serviceLabelMeta(label: string): string {
  return `__meta_dockerswarm_service_label_${label.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/** The engine name of the stack's network: `docker stack deploy` prefixes it with the stack name. */
export function stackNetworkName(project: string, networkName: string): string {
  return `${project}_${networkName}`;
}
