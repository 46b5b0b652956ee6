// planStack: the resolved config becomes services, volumes, scrape jobs and dashboards, the one model
// every renderer and the Docker runtime read.
import { createHash } from "node:crypto";
import type { FlinkRole, ResolvedFlinkCluster, ResolvedFlinkProcess, ResolvedStackConfig } from "../config/resolved.js";
import { isLoopbackHost } from "../config/address.js";
import { flinkMetricNames } from "../flink/metrics.js";
import { enabledRuleBundles } from "../render/alert-rules.js";
import { slackUrlMountPath, smtpPasswordMountPath, webhookUrlMountPath } from "../render/alertmanager.js";
import { clusterLabelsToAttach, pushJobName } from "../render/flink-config.js";
import { LOCAL_CLI_IMAGE, PACKAGE_NAME, PACKAGE_VERSION } from "../version.js";
import { PORT_POOL_LABEL } from "./types.js";
import { Wait } from "./wait.js";
import type {
  DashboardPlan, RelabelPlan, HealthcheckPlan, MountPlan, ScrapeJobPlan, SecretPlan, ServiceName, ServicePlan, StackPlan, TargetGroupPlan,
} from "./types.js";

export const NETWORK_NAME = "monitoring";
export const DATASOURCE_UID = "prometheus";
export const GRAFANA_PASSWORD_SECRET = "grafana_admin_password";
/** Where the Grafana container reads dashboards from (provider path). */
export const GRAFANA_DASHBOARDS_DIR = "/etc/grafana/dashboards";

const CONTAINER_PORTS: Record<ServiceName, number> = {
  prometheus: 9090,
  pushgateway: 9091,
  // Not published: only Prometheus (scrape) and the healthcheck reach it.
  "pushgateway-prune": 9097,
  alertmanager: 9093,
  "node-exporter": 9100,
  grafana: 3000,
};

function healthcheck(url: string): HealthcheckPlan {
  // wget is in the busybox-based prom/* images and in Grafana's image alike.
  return { test: ["CMD", "wget", "-q", "--spider", url], intervalSeconds: 5, timeoutSeconds: 3, retries: 12, startPeriodSeconds: 5 };
}

function service(
  name: ServiceName,
  spec: Omit<ServicePlan, "name" | "ports" | "healthcheck" | "wait" | "extraHosts" | "reloadSignal" | "secrets" | "dependsOn"> &
    Partial<Pick<ServicePlan, "extraHosts" | "reloadSignal" | "secrets" | "dependsOn">> &
    { readyPath: string; hostPort: number | undefined; startPeriodSeconds?: number },
  config: ResolvedStackConfig,
): ServicePlan {
  const port = CONTAINER_PORTS[name];
  const { readyPath, hostPort, startPeriodSeconds, ...rest } = spec;
  return {
    name,
    dependsOn: [],
    secrets: [],
    extraHosts: [],
    reloadSignal: undefined,
    ...rest,
    ports: hostPort === undefined ? [] : [{ hostIp: config.network.bindAddress, hostPort, containerPort: port }],
    healthcheck: { ...healthcheck(`http://localhost:${port}${readyPath}`), ...(startPeriodSeconds ? { startPeriodSeconds } : {}) },
    // The healthcheck gates dependents (as Compose's service_healthy); the HTTP probe from outside says it serves.
    wait: Wait.forAll([Wait.forHealthCheck(), Wait.forHttp(readyPath, port)]),
  };
}

const bind = (source: string, target: string): MountPlan => ({ type: "bind", source: hostPath(source), target, readOnly: true });

/**
 * A host path as Compose reads bind sources: absolute, or relative to the output folder starting with ./ or ../
 * (a bare "secret.txt" would be taken for a named volume).
 */
export function hostPath(file: string): string {
  return file.startsWith("/") || file.startsWith("./") || file.startsWith("../") ? file : `./${file}`;
}
const volume = (source: string, target: string): MountPlan => ({ type: "volume", source, target, readOnly: false });

export function planStack(config: ResolvedStackConfig): StackPlan {
  const ruleFiles = config.alerting.enabled ? enabledRuleBundles(config).map((bundle) => `prometheus/rules/${bundle}.rules.yml`) : [];
  const secrets: SecretPlan[] = [];
  const services: ServicePlan[] = [];
  const volumes: string[] = [];
  const ports = config.network.ports;

  if (config.pushgateway.enabled) {
    if (config.pushgateway.persistence) volumes.push("pushgateway-data");
    services.push(service("pushgateway", {
      image: config.pushgateway.image,
      command: config.pushgateway.persistence
        ? ["--persistence.file=/pushgateway/metrics.db", "--persistence.interval=1m"]
        : [],
      environment: {},
      mounts: config.pushgateway.persistence ? [volume("pushgateway-data", "/pushgateway")] : [],
      configFiles: [],
      readyPath: "/-/ready",
      hostPort: ports.pushgateway,
    }, config));
  }

  if (config.pushgateway.enabled && config.pushgateway.prune.sidecar) {
    const npx = config.pushgateway.prune.runner === "npx";
    services.push(service("pushgateway-prune", {
      ...(npx
        ? { image: config.pushgateway.prune.image, environment: { NPM_CONFIG_UPDATE_NOTIFIER: "false", NPM_CONFIG_FUND: "false" } }
        : { image: LOCAL_CLI_IMAGE, environment: {}, localBuild: { base: config.pushgateway.prune.image } }),
      command: pruneSidecarCommand(config),
      mounts: [],
      configFiles: [],
      dependsOn: ["pushgateway"],
      readyPath: "/-/ready",
      hostPort: undefined,
      // npx's first start may fetch the package from the npm registry; the local image only starts node.
      startPeriodSeconds: npx ? 60 : 10,
      // The node images' unprivileged `node` user (its HOME holds npx's cache); the image default is root.
      user: "1000:1000",
    }, config));
  }

  if (config.alerting.alertmanager.enabled) {
    volumes.push("alertmanager-data");
    services.push(service("alertmanager", {
      image: config.alerting.alertmanager.image,
      command: [
        "--config.file=/etc/alertmanager/alertmanager.yml",
        "--storage.path=/alertmanager",
        // A single instance: no gossip port, no warning about a missing private address.
        "--cluster.listen-address=",
      ],
      environment: {},
      mounts: [
        // The folder, not the file: writes replace files by rename, which a single-file mount would not show.
        bind("./alertmanager", "/etc/alertmanager"),
        ...config.alerting.alertmanager.receivers.flatMap((receiver) => [
          ...(receiver.slack ? [bind(receiver.slack.apiUrlFile, slackUrlMountPath(receiver.name))] : []),
          ...(receiver.webhook?.urlFile ? [bind(receiver.webhook.urlFile, webhookUrlMountPath(receiver.name))] : []),
          ...(receiver.email?.authPasswordFile ? [bind(receiver.email.authPasswordFile, smtpPasswordMountPath(receiver.name))] : []),
        ]),
        volume("alertmanager-data", "/alertmanager"),
      ],
      configFiles: ["alertmanager/alertmanager.yml"],
      // Receivers on the Docker host itself (a webhook) are reachable as host.docker.internal.
      extraHosts: ["host.docker.internal:host-gateway"],
      reloadSignal: "SIGHUP",
      readyPath: "/-/ready",
      hostPort: ports.alertmanager,
    }, config));
  }

  if (config.nodeExporter.enabled) {
    services.push(service("node-exporter", {
      image: config.nodeExporter.image,
      command: [
        "--path.rootfs=/host",
        "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run|var/lib/docker/.+|var/lib/containers/.+)($|/)",
      ],
      environment: {},
      mounts: [bind("/", "/host")],
      configFiles: [],
      readyPath: "/metrics",
      hostPort: ports.nodeExporter,
    }, config));
  }

  volumes.push("prometheus-data");
  const retention = [
    ...(config.prometheus.retention.time ? [`--storage.tsdb.retention.time=${config.prometheus.retention.time}`] : []),
    ...(config.prometheus.retention.size ? [`--storage.tsdb.retention.size=${config.prometheus.retention.size}`] : []),
  ];
  services.push(service("prometheus", {
    image: config.prometheus.image,
    command: [
      "--config.file=/etc/prometheus/prometheus.yml",
      "--storage.tsdb.path=/prometheus",
      ...retention,
      // Reload and shutdown over HTTP only while nobody but this host can reach the port.
      ...(isLoopbackHost(config.network.bindAddress) ? ["--web.enable-lifecycle"] : []),
    ],
    environment: {},
    mounts: [
      // The folder (config and rules), not single files, so a reload sees files replaced by a later generate.
      bind("./prometheus", "/etc/prometheus"),
      ...config.prometheus.remoteWrite.flatMap((target, index) =>
        target.basicAuth ? [bind(target.basicAuth.passwordFile, remoteWritePasswordPath(index))] : []),
      volume("prometheus-data", "/prometheus"),
    ],
    // Flink processes on the Docker host itself are reachable as host.docker.internal.
    extraHosts: ["host.docker.internal:host-gateway"],
    // Not on the prune sidecar: Prometheus must not wait for an npx download, nor stay down when it fails.
    dependsOn: services.map((other) => other.name).filter((name) => name !== "pushgateway-prune"),
    configFiles: ["prometheus/prometheus.yml", ...ruleFiles],
    reloadSignal: "SIGHUP",
    readyPath: "/-/ready",
    hostPort: ports.prometheus,
  }, config));

  if (config.grafana.enabled) {
    volumes.push("grafana-data");
    secrets.push(config.grafana.adminPasswordFile
      ? { name: GRAFANA_PASSWORD_SECRET, file: config.grafana.adminPasswordFile, generated: false }
      : { name: GRAFANA_PASSWORD_SECRET, file: `secrets/${GRAFANA_PASSWORD_SECRET}`, generated: true });
    services.push(service("grafana", {
      image: config.grafana.image,
      command: [],
      environment: {
        GF_SECURITY_ADMIN_USER: config.grafana.adminUser,
        GF_SECURITY_ADMIN_PASSWORD__FILE: `/run/secrets/${GRAFANA_PASSWORD_SECRET}`,
        GF_USERS_ALLOW_SIGN_UP: "false",
        GF_AUTH_ANONYMOUS_ENABLED: "false",
        GF_SECURITY_DISABLE_GRAVATAR: "true",
        GF_ANALYTICS_REPORTING_ENABLED: "false",
        GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
        GF_NEWS_NEWS_FEED_ENABLED: "false",
      },
      mounts: [
        bind("./grafana/provisioning", "/etc/grafana/provisioning"),
        bind("./grafana/dashboards", GRAFANA_DASHBOARDS_DIR),
        volume("grafana-data", "/var/lib/grafana"),
      ],
      secrets: [GRAFANA_PASSWORD_SECRET],
      dependsOn: ["prometheus"],
      configFiles: [],
      readyPath: "/api/health",
      hostPort: ports.grafana,
    }, config));
  }

  const scrapeJobs = planScrapeJobs(config, services);
  const displayHost = isWildcard(config.network.bindAddress) ? "localhost"
    : config.network.bindAddress.includes(":") ? `[${config.network.bindAddress}]` : config.network.bindAddress;
  const urls = Object.fromEntries(services.flatMap((s) => s.ports.slice(0, 1).map((port) => [s.name, `http://${displayHost}:${port.hostPort}`])));

  return {
    project: config.name,
    config,
    metrics: flinkMetricNames(config.flink.version),
    networkName: NETWORK_NAME,
    services,
    volumes: volumes.map((name) => ({ name })),
    secrets,
    scrapeJobs,
    ruleFiles,
    datasource: { uid: DATASOURCE_UID, name: "Prometheus", url: `http://prometheus:${CONTAINER_PORTS.prometheus}` },
    dashboards: config.grafana.enabled ? planDashboards(config, scrapeJobs) : [],
    urls,
  };
}

/**
 * The sidecar runs this package's CLI at this exact version: the local image's entrypoint is the CLI (runner
 * image); with runner npx, npx resolves it (an image with the package installed in its working directory resolves
 * it there; any Node.js image fetches it from the npm registry once).
 */
function pruneSidecarCommand(config: ResolvedStackConfig): string[] {
  return [
    ...(config.pushgateway.prune.runner === "npx" ? ["npx", "--yes", `${PACKAGE_NAME}@${PACKAGE_VERSION}`] : []),
    "prune-pushgateway",
    "--pushgateway-url", `http://pushgateway:${CONTAINER_PORTS.pushgateway}`,
    "--older-than", config.pushgateway.prune.olderThan,
    "--job-prefix", config.flink.pushgateway.jobName,
    "--apply",
    "--every", config.pushgateway.prune.every,
    "--listen", `0.0.0.0:${CONTAINER_PORTS["pushgateway-prune"]}`,
  ];
}

export function remoteWritePasswordPath(index: number): string {
  return `/etc/prometheus-secrets/remote-write-${index}-password`;
}

function planScrapeJobs(config: ResolvedStackConfig, services: readonly ServicePlan[]): ScrapeJobPlan[] {
  const has = (name: ServiceName) => services.some((s) => s.name === name);
  const job = (name: string, kind: ScrapeJobPlan["kind"], targets: string[], extra: Partial<ScrapeJobPlan> = {}): ScrapeJobPlan => ({
    name, kind, targetGroups: [{ targets, labels: {} }], metricsPath: "/metrics", scheme: "http",
    interval: undefined, timeout: undefined, honorLabels: false, metricRelabelings: [], ...extra,
  });
  const jobs: ScrapeJobPlan[] = [job("prometheus", "prometheus", [`prometheus:${CONTAINER_PORTS.prometheus}`])];
  if (has("pushgateway")) {
    // honor_labels keeps Flink's pushed job/instance instead of renaming them exported_*.
    jobs.push(job("pushgateway", "pushgateway", [`pushgateway:${CONTAINER_PORTS.pushgateway}`], {
      honorLabels: true,
      metricRelabelings: config.flink.mode === "pushgateway" ? clusterLabelRelabelings(config) : [],
    }));
  }
  if (has("pushgateway-prune")) {
    jobs.push(job("pushgateway-prune", "pushgateway-prune", [`pushgateway-prune:${CONTAINER_PORTS["pushgateway-prune"]}`]));
  }
  if (config.flink.mode === "pull") for (const cluster of config.flink.clusters) jobs.push(flinkPullJob(cluster, job));
  const nodeTargets = [...(has("node-exporter") ? [`node-exporter:${CONTAINER_PORTS["node-exporter"]}`] : []), ...config.nodeExporter.targets];
  if (nodeTargets.length > 0) jobs.push(job("node", "node", nodeTargets));
  if (has("alertmanager")) jobs.push(job("alertmanager", "alertmanager", [`alertmanager:${CONTAINER_PORTS.alertmanager}`]));
  if (has("grafana")) jobs.push(job("grafana", "grafana", [`grafana:${CONTAINER_PORTS.grafana}`]));
  for (const user of config.prometheus.scrapeJobs) {
    jobs.push({
      name: user.name, kind: "user", targetGroups: [{ targets: [...user.targets], labels: { ...user.labels } }],
      metricsPath: user.metricsPath, scheme: user.scheme, interval: user.interval, timeout: user.timeout, honorLabels: user.honorLabels,
      metricRelabelings: [],
    });
  }
  return jobs;
}

/**
 * A cluster's pull scrape job: one target per process with its own port, grouped by role; per shared host, every
 * port of its pool, labelled with the number of processes sharing them (and their role when they share one).
 */
function flinkPullJob(
  cluster: ResolvedFlinkCluster,
  job: (name: string, kind: ScrapeJobPlan["kind"], targets: string[]) => ScrapeJobPlan,
): ScrapeJobPlan {
  const base = { ...cluster.labels, cluster: cluster.name };
  const processes = [...cluster.jobmanagers, ...cluster.taskmanagers];
  const fixed = (role: FlinkRole): TargetGroupPlan => ({
    targets: processes.filter((p) => p.role === role && !p.portPool).map((p) => `${p.host}:${p.port}`),
    labels: { ...base, role },
  });
  const pools = new Map<string, ResolvedFlinkProcess[]>();
  for (const process of processes) {
    if (!process.portPool) continue;
    const members = pools.get(process.host);
    if (members) members.push(process);
    else pools.set(process.host, [process]);
  }
  const poolGroups = [...pools.values()].map((members): TargetGroupPlan => {
    const roles = new Set(members.map((member) => member.role));
    return {
      targets: members[0]!.portPool!.map((port) => `${members[0]!.host}:${port}`),
      labels: { ...base, ...(roles.size === 1 ? { role: members[0]!.role } : {}), [PORT_POOL_LABEL]: String(members.length) },
    };
  });
  const mixed = poolGroups.some((group) => group.labels.role === undefined);
  return {
    ...job(`flink-${cluster.name}`, "flink", []),
    targetGroups: [fixed("jobmanager"), fixed("taskmanager"), ...poolGroups].filter((group) => group.targets.length > 0),
    // A JobManager and a TaskManager sharing ports: which port is whose is known only from the metric names.
    metricRelabelings: mixed
      ? [{ sourceLabels: ["role", "__name__"], regex: ";flink_(jobmanager|taskmanager)_.+", targetLabel: "role", replacement: "$1" }]
      : [],
  };
}

/**
 * Cluster labels are attached by Prometheus, not pushed: Flink's `k1=v1;k2=v2` groupingKey setting cannot carry
 * arbitrary text, and the cluster name alone tells the groups apart. Flink >= 1.10 pushes `cluster`; before, it
 * travels in the job name (`<jobName>-<cluster><32 hex>`) and these rules recover it too.
 */
function clusterLabelRelabelings(config: ResolvedStackConfig): RelabelPlan[] {
  const flink = config.flink;
  return flink.clusters.flatMap((cluster) => {
    const [sourceLabels, regex, labels] = flink.features.groupingKey
      ? [["cluster"], escapeRegex(cluster.name), clusterLabelsToAttach(flink, cluster)]
      : [["job"], `${escapeRegex(pushJobName(flink, cluster))}[0-9a-f]{32}`, { cluster: cluster.name, ...cluster.labels }];
    // The replacement expands $1 and ${name}: `$$` keeps a `$` of the label value literal.
    return Object.entries(labels).map(([targetLabel, value]) => ({
      sourceLabels, regex, targetLabel, replacement: value.replaceAll("$", "$$$$"),
    }));
  });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function planDashboards(config: ResolvedStackConfig, scrapeJobs: readonly ScrapeJobPlan[]): DashboardPlan[] {
  const uid = (kind: string) => `${kind}-${createHash("sha256").update(`${config.name}\u0000${kind}`).digest("hex").slice(0, 10)}`;
  const dashboards: DashboardPlan[] = [];
  if (config.grafana.dashboards.cluster) {
    dashboards.push({ file: "flink-cluster.json", uid: uid("flink-cluster"), title: "Flink cluster overview", kind: "cluster" });
  }
  if (config.grafana.dashboards.job) {
    dashboards.push({ file: "flink-job.json", uid: uid("flink-job"), title: "Flink job", kind: "job" });
  }
  if (config.grafana.dashboards.taskmanager) {
    dashboards.push({ file: "flink-taskmanager.json", uid: uid("flink-taskmanager"), title: "Flink TaskManager", kind: "taskmanager" });
  }
  if (config.grafana.dashboards.hosts && scrapeJobs.some((job) => job.kind === "node")) {
    dashboards.push({ file: "hosts.json", uid: uid("hosts"), title: "Hosts", kind: "hosts" });
  }
  return dashboards;
}

function isWildcard(address: string): boolean {
  return address === "0.0.0.0" || address === "::";
}
