// Judges the Kubernetes target's manifests offline, since no API server can run here:
// - typed validation of every object by kubernetes-models / @kubernetes-models/prometheus-operator (types, enums,
//   patterns, required fields, from the Go types; their unknown fields are not rejected: for the core kinds
//   (Deployment, Service, ConfigMap) the compiler does that, the renderers build them `satisfies` those types);
// - unknown fields rejected, as `kubectl apply --validate=strict` would: the CRDs' openAPIV3Schema (Prometheus
//   Operator: test/fixtures/kubernetes/, vendored; FlinkDeployment: the Flink Kubernetes Operator's own CRD from
//   Maven Central, test/kubernetes/fetch-crds.sh) made strict wherever an object lists its properties;
// - `kubectl kustomize` builds the folder (offline: no server needed) into exactly the listed objects;
// - cross references: selectors match, named ports exist, labels for Prometheus and the Grafana sidecar.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import yaml from "js-yaml";
import { ConfigMap, Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { PodMonitor, PrometheusRule, ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1";

const FIXTURES = fileURLToPath(new URL("../fixtures/kubernetes/", import.meta.url));
export const FLINK_OPERATOR_VERSION = "1.10.0";
export const FLINK_CRD = fileURLToPath(
  new URL(`../kubernetes/target/${FLINK_OPERATOR_VERSION}/flinkdeployments.flink.apache.org-v1.yml`, import.meta.url),
);

export type Manifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
};

/**
 * The schema with every object that lists properties closed to others, as kubectl --validate=strict enforces;
 * an object marked x-kubernetes-preserve-unknown-fields stays open (the API server keeps unknown fields there).
 */
/** A Go (RE2) pattern with the (?i) flag as a JavaScript one: letters outside classes match either case. */
export function goPattern(pattern: string): string {
  if (!pattern.includes("(?i)")) return pattern;
  let out = "";
  let inClass = false;
  const source = pattern.replaceAll("(?i)", "");
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index]!;
    if (char === "\\") {
      out += char + (source[index + 1] ?? "");
      index += 1;
    } else if (char === "[") {
      inClass = true;
      out += char;
    } else if (char === "]") {
      inClass = false;
      out += char;
    } else if (!inClass && /[a-z]/i.test(char)) out += `[${char.toLowerCase()}${char.toUpperCase()}]`;
    else out += char;
  }
  return out;
}

export function strictSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === "properties"
        ? Object.fromEntries(Object.entries(value as object).map(([name, sub]) => [name, strictSchema(sub)]))
        : key === "pattern" && typeof value === "string"
          ? goPattern(value)
          : strictSchema(value);
  }
  if (out.properties !== undefined && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

const ajv = new Ajv({
  allErrors: true,
  strict: false,
  // OpenAPI formats the CRDs use; Kubernetes checks int32/int64 as integers (the type does that here).
  formats: { int32: true, int64: true, float: true, double: true, byte: true, "date-time": true, "int-or-string": true, password: true },
});

const compiled = new Map<string, ValidateFunction>();

function crdValidator(kind: string): ValidateFunction | undefined {
  const cached = compiled.get(kind);
  if (cached) return cached;
  let schema: unknown;
  const vendored: Record<string, string> = {
    PodMonitor: "podmonitors.monitoring.coreos.com-v1",
    ServiceMonitor: "servicemonitors.monitoring.coreos.com-v1",
    PrometheusRule: "prometheusrules.monitoring.coreos.com-v1",
    AlertmanagerConfig: "alertmanagerconfigs.monitoring.coreos.com-v1alpha1",
  };
  if (vendored[kind]) {
    const { $comment: _source, ...rest } = JSON.parse(readFileSync(`${FIXTURES}${vendored[kind]}.schema.json`, "utf8")) as Record<string, unknown>;
    schema = rest;
  } else if (kind === "FlinkDeployment") {
    if (!existsSync(FLINK_CRD)) throw new Error(`${FLINK_CRD} is missing: run bash test/kubernetes/fetch-crds.sh (needs mvn; .ci/run does it)`);
    const crd = yaml.load(readFileSync(FLINK_CRD, "utf8")) as { spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: unknown } }> } };
    schema = crd.spec.versions.find((version) => version.name === "v1beta1")!.schema.openAPIV3Schema;
  } else return undefined;
  // Every object has apiVersion, kind and metadata, which the API server adds to each CRD's schema itself (the
  // fabric8-generated Flink CRD leaves them out).
  const root = schema as { properties: Record<string, unknown> };
  const withMeta = {
    ...root,
    properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, ...root.properties },
  };
  const validate = ajv.compile(strictSchema(withMeta) as object);
  compiled.set(kind, validate);
  return validate;
}

type Model = new (data: never) => { validate(): void };
const TYPED: Record<string, Model> = {
  ConfigMap: ConfigMap,
  Service: Service,
  Deployment: Deployment,
  PodMonitor: PodMonitor,
  ServiceMonitor: ServiceMonitor,
  PrometheusRule: PrometheusRule,
  AlertmanagerConfig: AlertmanagerConfig,
};

/** Problems of one object by its kind's typed model and, for custom resources, its strict CRD schema. */
export function judgeManifest(manifest: Manifest, options: { patch?: boolean } = {}): string[] {
  const where = `${manifest.kind}/${manifest.metadata?.name}`;
  const problems: string[] = [];
  const Typed = TYPED[manifest.kind];
  if (Typed) {
    try {
      new Typed(manifest as never).validate();
    } catch (error) {
      problems.push(`${where}: kubernetes-models: ${(error as Error).message}`);
    }
  } else if (manifest.kind !== "FlinkDeployment") problems.push(`${where}: no judge for kind ${manifest.kind}`);
  const validate = crdValidator(manifest.kind);
  if (validate && !validate(manifest)) {
    // A patch is judged for types and unknown fields only: the FlinkDeployment it merges into has the required ones.
    const errors = (validate.errors ?? []).filter((error) => !(options.patch && error.keyword === "required"));
    problems.push(
      ...errors.map(
        (error) =>
          `${where}: CRD schema: ${error.instancePath || "/"} ${error.message}${error.keyword === "additionalProperties" ? ` (${(error.params as { additionalProperty: string }).additionalProperty})` : ""}`,
      ),
    );
  }
  return problems;
}

export function parseManifests(contents: string): Manifest[] {
  return yaml.loadAll(contents).filter((doc) => doc !== null && doc !== undefined) as Manifest[];
}

/** `kubectl kustomize <dir>`: the objects it builds (throws with kubectl's message when it cannot). */
export function kustomize(dir: string): Manifest[] {
  const run = spawnSync("kubectl", ["kustomize", dir], { encoding: "utf8", timeout: 60_000 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} exited ${run.status}: ${run.stderr}`);
  return parseManifests(run.stdout);
}

const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([name, value]) => labels?.[name] === value);

export interface CrossCheckInput {
  readonly manifests: readonly Manifest[];
  readonly patches: readonly Manifest[];
  readonly selectorLabels: Record<string, string>;
  readonly dashboardLabel: { name: string; value: string };
}

/** What no schema says: the objects fit together and carry the labels their consumers select by. */
export function crossCheck(input: CrossCheckInput): string[] {
  const problems: string[] = [];
  const byKind = (kind: string) => input.manifests.filter((manifest) => manifest.kind === kind);
  for (const manifest of input.manifests) {
    const where = `${manifest.kind}/${manifest.metadata.name}`;
    if (["PodMonitor", "ServiceMonitor", "PrometheusRule"].includes(manifest.kind) && !matches(input.selectorLabels, manifest.metadata.labels)) {
      problems.push(`${where}: lacks the selector labels ${JSON.stringify(input.selectorLabels)}`);
    }
    if (manifest.kind === "ConfigMap" && manifest.metadata.labels?.[input.dashboardLabel.name] !== input.dashboardLabel.value) {
      problems.push(`${where}: lacks the sidecar label ${input.dashboardLabel.name}=${input.dashboardLabel.value}`);
    }
  }
  // Every PodMonitor scrapes a port the FlinkDeployment patch of its cluster names, on the operator's pod labels.
  for (const monitor of byKind("PodMonitor")) {
    const spec = monitor.spec as { selector: { matchLabels: Record<string, string> }; podMetricsEndpoints: Array<{ port: string }> };
    const cluster = spec.selector.matchLabels.app;
    if (spec.selector.matchLabels.type !== "flink-native-kubernetes")
      problems.push(`PodMonitor/${monitor.metadata.name}: does not select Flink's native pods`);
    const patch = input.patches.find((entry) => entry.metadata.name === cluster);
    const ports = (
      (patch?.spec as { podTemplate?: { spec: { containers: Array<{ name: string; ports?: Array<{ name: string }> }> } } } | undefined)?.podTemplate
        ?.spec.containers ?? []
    )
      .filter((container) => container.name === "flink-main-container")
      .flatMap((container) => container.ports ?? [])
      .map((port) => port.name);
    for (const endpoint of spec.podMetricsEndpoints) {
      if (!ports.includes(endpoint.port))
        problems.push(`PodMonitor/${monitor.metadata.name}: port ${endpoint.port} is not in the pod template of FlinkDeployment ${cluster}`);
    }
  }
  // Service → Deployment pods, ServiceMonitor → Service, by labels and port names; nothing published.
  for (const service of byKind("Service")) {
    const spec = service.spec as {
      type?: string;
      selector: Record<string, string>;
      ports: Array<{ name: string; targetPort: string | number; nodePort?: number }>;
    };
    if ((spec.type ?? "ClusterIP") !== "ClusterIP")
      problems.push(`Service/${service.metadata.name}: type ${spec.type} publishes a port outside the cluster`);
    const pods = byKind("Deployment").filter((deployment) =>
      matches(spec.selector, (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels),
    );
    if (pods.length !== 1) problems.push(`Service/${service.metadata.name}: selects ${pods.length} Deployments`);
    for (const pod of pods) {
      const containerPorts = (
        pod.spec as { template: { spec: { containers: Array<{ ports?: Array<{ name: string; hostPort?: number }> }> } } }
      ).template.spec.containers.flatMap((container) => container.ports ?? []);
      if (containerPorts.some((port) => port.hostPort !== undefined)) problems.push(`Deployment/${pod.metadata.name}: binds a host port`);
      for (const port of spec.ports) {
        if (typeof port.targetPort === "string" && !containerPorts.some((entry) => entry.name === port.targetPort))
          problems.push(`Service/${service.metadata.name}: targetPort ${port.targetPort} is not a container port`);
      }
    }
  }
  for (const monitor of byKind("ServiceMonitor")) {
    const spec = monitor.spec as { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string; honorLabels?: boolean }> };
    const services = byKind("Service").filter((service) => matches(spec.selector.matchLabels, service.metadata.labels));
    if (services.length !== 1) problems.push(`ServiceMonitor/${monitor.metadata.name}: selects ${services.length} Services`);
    for (const endpoint of spec.endpoints) {
      if (!services.some((service) => (service.spec as { ports: Array<{ name: string }> }).ports.some((port) => port.name === endpoint.port)))
        problems.push(`ServiceMonitor/${monitor.metadata.name}: no Service port ${endpoint.port}`);
      if (endpoint.honorLabels !== true) problems.push(`ServiceMonitor/${monitor.metadata.name}: the Pushgateway needs honorLabels: true`);
    }
  }
  for (const deployment of byKind("Deployment")) {
    const pod = (deployment.spec as { template: { spec: { securityContext?: { runAsNonRoot?: boolean } } } }).template.spec;
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`Deployment/${deployment.metadata.name}: may run as root`);
  }
  return problems;
}
