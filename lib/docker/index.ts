// flink-prometheus-stack/docker: run the generated stack on a Docker engine (dockerode, loaded lazily by
// these functions only). `up` / `down` / `status` manage the same containers, network and volumes, with the
// same labels, as `docker-compose -p <project>` does on the generated docker-compose.yml.
export { upStack } from "./up.js";
export { downStack } from "./down.js";
export { getStackStatus } from "./status.js";
export { DockerError, isDockerError, type DockerErrorCode, type DockerErrorDetails } from "./errors.js";
import { connect as connectEngine } from "./connect.js";
import type { DockerConnectionOptions } from "./endpoint.js";
import type { Engine } from "./engine-types.js";

export { resolveEndpoint, negotiateApiVersion, MAX_API_VERSION, type DockerConnectionOptions, type Endpoint } from "./endpoint.js";
// Own declarations of the Engine API shapes: the public types need no @types/dockerode.
export type { ContainerCreateOptions, DockerClient, Engine, EngineClientOptions, MountSettings } from "./engine-types.js";
export { containerSpec, containerDrafts, createOptions, startOrder, canReload, type ContainerSpec } from "./spec.js";
// What `up` applies of a compose service (overrides.compose); any other key is refused before anything starts.
export { SUPPORTED_SERVICE_KEYS, type ContainerDraft } from "./compose-spec.js";
export { Wait, type WaitStrategy } from "../plan/wait.js";

/** Loads dockerode (lazily), reaches the engine and negotiates the API version. */
export function connect(options: DockerConnectionOptions = {}): Promise<Engine> {
  return connectEngine(options);
}
export {
  containerName,
  networkEngineName,
  volumeEngineName,
  COMPOSE_VERSION,
  IMAGE_CONFIG_KEYS,
  LABEL_PROJECT,
  LABEL_SERVICE,
  LABEL_CONTAINER_NUMBER,
  LABEL_ONEOFF,
  LABEL_CONFIG_HASH,
  LABEL_WORKING_DIR,
  LABEL_CONFIG_FILES,
  LABEL_VERSION,
  LABEL_NETWORK,
  LABEL_VOLUME,
  LABEL_FILES_HASH,
  LABEL_CREATED_BY,
} from "./labels.js";
export type {
  CommonOptions,
  ContainerState,
  DownOptions,
  DownResult,
  HealthState,
  ProgressEvent,
  ProgressListener,
  ProgressStep,
  PullPolicy,
  RulesSummary,
  ServiceAction,
  ServiceStatus,
  ServiceUpResult,
  StackStatus,
  StatusOptions,
  TargetHealth,
  UpOptions,
  UpResult,
  UpStepName,
  UpStepTiming,
} from "./types.js";
export { waitForStack, type WaitForStackOptions } from "./ready.js";
export type { ReadyResult } from "./types.js";
export { buildCliImage, type BuildCliImageOptions } from "./build-image.js";
