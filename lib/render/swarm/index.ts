// Target swarm: the compose target's files with docker-compose.yml replaced by docker-stack.yml and
// prometheus.yml by its Swarm variant (service discovery instead of one-host names).
import { checkPrometheusConfig } from "../../check/prometheus.js";
import { ConfigValidationError, type ConfigIssue } from "../../errors.js";
import type { StackPlan } from "../../plan/types.js";
import type { Artifact } from "../artifact.js";
import yaml from "js-yaml";
import { renderSwarmPrometheusConfig } from "./prometheus.js";
import { swarmSettings, type SwarmSettings } from "./settings.js";
import { renderStackFile } from "./stack-file.js";

const COMPOSE_FILE = "docker-compose.yml";
const PROMETHEUS_CONFIG = "prometheus/prometheus.yml";

export { swarmSettings, type SwarmSettings } from "./settings.js";
export { STACK_FILE } from "./names.js";

/** Throws ConfigValidationError for a setting Swarm cannot honour. Expects the compose target's checked artifacts. */
export function renderSwarm(plan: StackPlan, artifacts: readonly Artifact[]): Artifact[] {
  const settings = swarmSettings(plan);
  const issues = swarmIssues(plan, settings);
  if (issues.length > 0) throw new ConfigValidationError(undefined, issues);
  const composePrometheus = artifacts.find((artifact) => artifact.path === PROMETHEUS_CONFIG);
  if (!composePrometheus) throw new Error(`renderSwarm: ${PROMETHEUS_CONFIG} missing from the rendered stack`);
  const prometheus = renderSwarmPrometheusConfig(plan, settings, composePrometheus);
  const checked: ConfigIssue[] = [];
  checkPrometheusConfig({
    source: { file: PROMETHEUS_CONFIG, override: undefined, overridePath: "", prefix: [] },
    value: yaml.load(prometheus.contents),
    issues: checked,
  });
  if (checked.length > 0) throw new ConfigValidationError(undefined, checked);
  const files = artifacts.filter((artifact) => artifact.path !== COMPOSE_FILE && artifact.path !== PROMETHEUS_CONFIG).concat(prometheus);
  return [...files, renderStackFile(plan, settings, files)];
}

/** Swarm publishes a port on every address of the node running the task: it has no host IP to bind to. */
function swarmIssues(plan: StackPlan, settings: SwarmSettings): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { bindAddress } = settings;
  const published = plan.services.some((service) => service.name !== "node-exporter" && service.ports.length > 0);
  if (published && bindAddress !== "0.0.0.0" && bindAddress !== "::") {
    issues.push({
      path: "network.bindAddress",
      message: `target swarm cannot bind published ports to ${bindAddress}: Swarm publishes on every address of the node (it has no host IP)`,
      hint: "set network.bindAddress to 0.0.0.0 and firewall the monitoring node, or use target compose",
    });
  }
  if (settings.composeOverrides) {
    issues.push({
      path: "overrides.compose",
      message: "edits docker-compose.yml, which target swarm does not write (it writes docker-stack.yml)",
      hint: "remove overrides.compose, or use target compose",
    });
  }
  return issues;
}
