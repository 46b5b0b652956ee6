// planStack: the resolved config becomes services, volumes, scrape jobs and dashboards, the one model
// every renderer and the Docker runtime read.
import { createHash } from "node:crypto";
import type { FlinkRole, ResolvedFlinkCluster, ResolvedFlinkProcess, ResolvedStackConfig } from "../config/resolved.js";
import { displayHostFor, isLoopbackHost } from "../config/address.js";
import { DEFAULT_SCRAPE_OPTIONS } from "../config/defaults.js";
import { durationMs } from "../config/duration.js";
import { freshnessSelector, regexEscape, staleWindow } from "../promql/index.js";
import { flinkMetricNames } from "../flink/metrics.js";
import { slackUrlMountPath, smtpPasswordMountPath, webhookUrlMountPath } from "./alertmanager-mounts.js";
import { clusterLabelsToAttach, planFlinkTargets, pushJobName } from "./flink-targets.js";
import { enabledRuleBundles, ruleFilePath } from "./rule-bundles.js";
import { LOCAL_CLI_IMAGE, PACKAGE_NAME, PACKAGE_VERSION } from "../version.js";
import { PORT_POOL_LABEL } from "./types.js";
import { Wait } from "./wait.js";
import type {
  DashboardPlan,
  RelabelPlan,
  UserSecretFilePlan,
  HealthcheckPlan,
  MountPlan,
  ScrapeJobPlan,
  SecretPlan,
  ServiceName,
  ServicePlan,
  StackPlan,
  TargetGroupPlan,
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
    Partial<Pick<ServicePlan, "extraHosts" | "reloadSignal" | "secrets" | "dependsOn">> & {
      readyPath: string;
      hostPort: number | undefined;
      startPeriodSeconds?: number;
    },
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
  const ruleBundles = enabledRuleBundles(config);
  const ruleFiles = ruleBundles.map(ruleFilePath);
  const secrets: SecretPlan[] = [];
  const services: ServicePlan[] = [];
  const volumes: string[] = [];
  const ports = config.network.ports;

  if (config.pushgateway.enabled) {
    if (config.pushgateway.persistence) volumes.push("pushgateway-data");
    services.push(
      service(
        "pushgateway",
        {
          image: config.pushgateway.image,
          command: config.pushgateway.persistence ? ["--persistence.file=/pushgateway/metrics.db", "--persistence.interval=1m"] : [],
          environment: {},
          mounts: config.pushgateway.persistence ? [volume("pushgateway-data", "/pushgateway")] : [],
          configFiles: [],
          readyPath: "/-/ready",
          hostPort: ports.pushgateway,
        },
        config,
      ),
    );
  }

  if (config.pushgateway.enabled && config.pushgateway.prune.sidecar) {
    const npx = config.pushgateway.prune.runner === "npx";
    services.push(
      service(
        "pushgateway-prune",
        {
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
        },
        config,
      ),
    );
  }

  if (config.alerting.alertmanager.enabled) {
    volumes.push("alertmanager-data");
    services.push(
      service(
        "alertmanager",
        {
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
        },
        config,
      ),
    );
  }

  if (config.nodeExporter.enabled) {
    services.push(
      service(
        "node-exporter",
        {
          image: config.nodeExporter.image,
          command: [
            "--path.rootfs=/host",
            "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run|var/lib/docker/.+|var/lib/containers/.+)($|/)",
          ],
          environment: {},
          mounts: [bind("/", "/host")],
          configFiles: [],
          readyPath: "/metrics",
          // On Swarm it runs on every node and Prometheus reaches each task over the stack's network: not published.
          hostPort: config.target === "swarm" ? undefined : ports.nodeExporter,
        },
        config,
      ),
    );
  }

  volumes.push("prometheus-data");
  const retention = [
    ...(config.prometheus.retention.time ? [`--storage.tsdb.retention.time=${config.prometheus.retention.time}`] : []),
    ...(config.prometheus.retention.size ? [`--storage.tsdb.retention.size=${config.prometheus.retention.size}`] : []),
  ];
  services.push(
    service(
      "prometheus",
      {
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
            target.basicAuth ? [bind(target.basicAuth.passwordFile, remoteWritePasswordPath(index))] : [],
          ),
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
      },
      config,
    ),
  );

  if (config.grafana.enabled) {
    volumes.push("grafana-data");
    secrets.push(
      config.grafana.adminPasswordFile
        ? { name: GRAFANA_PASSWORD_SECRET, file: config.grafana.adminPasswordFile, generated: false }
        : { name: GRAFANA_PASSWORD_SECRET, file: `secrets/${GRAFANA_PASSWORD_SECRET}`, generated: true },
    );
    services.push(
      service(
        "grafana",
        {
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
        },
        config,
      ),
    );
  }

  const scrapeJobs = planScrapeJobs(config, services);
  const displayHost = displayHostFor(config.network.bindAddress);
  const verifiableDashboards = planDashboards(config, scrapeJobs);
  const basis = metricBasisConfig(config);
  const stale = staleWindow(config.alerting.rules.thresholds.pushStaleIntervals, config.flink.intervalSeconds);
  const urls = Object.fromEntries(services.flatMap((s) => s.ports.slice(0, 1).map((port) => [s.name, `http://${displayHost}:${port.hostPort}`])));

  return {
    project: config.name,
    flink: config.flink,
    prometheus: {
      scrapeInterval: config.prometheus.scrapeInterval,
      scrapeIntervalSeconds: durationMs(config.prometheus.scrapeInterval) / 1000,
      scrapeTimeout: config.prometheus.scrapeTimeout,
      evaluationInterval: config.prometheus.evaluationInterval,
      externalLabels: config.prometheus.externalLabels,
      remoteWrite: config.prometheus.remoteWrite.map((target, index) => ({
        name: target.name,
        url: target.url,
        basicAuth: target.basicAuth ? { username: target.basicAuth.username, passwordFile: remoteWritePasswordPath(index) } : undefined,
      })),
    },
    alerting: config.alerting,
    grafana: {
      enabled: config.grafana.enabled,
      adminUser: config.grafana.adminUser,
      switches: config.grafana.dashboards,
      verifiableDashboards,
    },
    pushgateway: {
      enabled: config.pushgateway.enabled,
      prune: config.pushgateway.prune,
      staleWindow: stale,
    },
    network: { bindAddress: config.network.bindAddress, displayHost, loopbackOnly: isLoopbackHost(config.network.bindAddress) },
    overrides: config.overrides,
    target: config.target,
    swarm: config.swarm,
    kubernetes: config.kubernetes,
    userSecretFiles: settingsNamingFiles(config),
    metricBasis: basis === undefined ? undefined : planStack(basis),
    freshness: config.flink.mode === "pushgateway" ? freshnessSelector(config.flink.pushgateway.jobName, stale.seconds) : undefined,
    expectedTaskManagers: Object.fromEntries(config.flink.clusters.map((cluster) => [cluster.name, Math.max(1, cluster.taskmanagers.length)])),
    metrics: flinkMetricNames(config.flink.version),
    networkName: NETWORK_NAME,
    services,
    volumes: volumes.map((name) => ({ name })),
    secrets,
    scrapeJobs,
    ruleBundles,
    ruleFiles,
    flinkTargets: planFlinkTargets(config.flink),
    taskManagerLabel: config.flink.excludeLabels.includes("tm_id") ? "host" : "tm_id",
    datasource: { uid: DATASOURCE_UID, name: "Prometheus", url: `http://prometheus:${CONTAINER_PORTS.prometheus}` },
    dashboards: config.grafana.enabled ? verifiableDashboards : [],
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
    "--pushgateway-url",
    `http://pushgateway:${CONTAINER_PORTS.pushgateway}`,
    "--older-than",
    config.pushgateway.prune.olderThan,
    "--job-prefix",
    config.flink.pushgateway.jobName,
    "--apply",
    "--every",
    config.pushgateway.prune.every,
    "--listen",
    `0.0.0.0:${CONTAINER_PORTS["pushgateway-prune"]}`,
  ];
}

export function remoteWritePasswordPath(index: number): string {
  return `/etc/prometheus-secrets/remote-write-${index}-password`;
}

function planScrapeJobs(config: ResolvedStackConfig, services: readonly ServicePlan[]): ScrapeJobPlan[] {
  const has = (name: ServiceName) => services.some((s) => s.name === name);
  const job = (name: string, kind: ScrapeJobPlan["kind"], targets: string[], extra: Partial<ScrapeJobPlan> = {}): ScrapeJobPlan => ({
    ...DEFAULT_SCRAPE_OPTIONS,
    name,
    kind,
    targetGroups: [{ targets, labels: {} }],
    metricRelabelings: [],
    ...extra,
  });
  const jobs: ScrapeJobPlan[] = [job("prometheus", "prometheus", [`prometheus:${CONTAINER_PORTS.prometheus}`])];
  if (has("pushgateway")) {
    // honor_labels keeps Flink's pushed job/instance instead of renaming them exported_*.
    jobs.push(
      job("pushgateway", "pushgateway", [`pushgateway:${CONTAINER_PORTS.pushgateway}`], {
        honorLabels: true,
        metricRelabelings: config.flink.mode === "pushgateway" ? clusterLabelRelabelings(config) : [],
      }),
    );
  }
  if (has("pushgateway-prune")) {
    jobs.push(job("pushgateway-prune", "pushgateway-prune", [`pushgateway-prune:${CONTAINER_PORTS["pushgateway-prune"]}`]));
  }
  if (config.flink.mode === "pull") for (const cluster of config.flink.clusters) jobs.push(flinkPullJob(cluster, job));
  const nodeTargets = [...(has("node-exporter") ? [`node-exporter:${CONTAINER_PORTS["node-exporter"]}`] : []), ...config.nodeExporter.targets];
  if (nodeTargets.length > 0) jobs.push(job("node", "node", nodeTargets));
  if (has("alertmanager")) jobs.push(job("alertmanager", "alertmanager", [`alertmanager:${CONTAINER_PORTS.alertmanager}`]));
  if (has("grafana")) jobs.push(job("grafana", "grafana", [`grafana:${CONTAINER_PORTS.grafana}`]));
  for (const { name, targets, labels, ...options } of config.prometheus.scrapeJobs) {
    // Every scrape option of the user's job, as resolved: a new option needs no line here.
    jobs.push({ ...options, name, kind: "user", targetGroups: [{ targets: [...targets], labels: { ...labels } }], metricRelabelings: [] });
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
      ? [["cluster"], regexEscape(cluster.name), clusterLabelsToAttach(flink, cluster)]
      : [["job"], `${regexEscape(pushJobName(flink, cluster))}[0-9a-f]{32}`, { cluster: cluster.name, ...cluster.labels }];
    // The replacement expands $1 and ${name}: `$$` keeps a `$` of the label value literal.
    return Object.entries(labels).map(([targetLabel, value]) => ({
      sourceLabels,
      regex,
      targetLabel,
      replacement: value.replaceAll("$", "$$$$"),
    }));
  });
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

/**
 * The config reduced to its first cluster's first JobManager and TaskManager (what the metric selection plans), or
 * undefined when it is that small already.
 */
function metricBasisConfig(config: ResolvedStackConfig): ResolvedStackConfig | undefined {
  const first = config.flink.clusters[0]!;
  if (config.flink.clusters.length === 1 && first.jobmanagers.length <= 1 && first.taskmanagers.length <= 1) return undefined;
  const cluster = { ...first, jobmanagers: first.jobmanagers.slice(0, 1), taskmanagers: first.taskmanagers.slice(0, 1) };
  return { ...config, flink: { ...config.flink, clusters: [cluster] } };
}

/** Every `…File` setting of the config (the host files a container may mount), with its config path. */
function settingsNamingFiles(config: ResolvedStackConfig): UserSecretFilePlan[] {
  const found: UserSecretFilePlan[] = [];
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${at}[${index}]`));
    else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const here = at === "" ? key : `${at}.${key}`;
        if (key.endsWith("File") && typeof child === "string") found.push({ configPath: here, file: child });
        else if (key !== "overrides") walk(child, here);
      }
    }
  };
  walk(config, "");
  return found;
}
