// fast-check arbitraries of VALID stack configs (every field, hostile label values, one-box pull layouts),
// shared by test/property.test.ts (the real tools judge the output) and test/robustness.test.ts (mutated
// configs must be refused cleanly).
import { FLINK_VARIABLES } from "../../lib/config/semantic.js";
import fc from "fast-check";
import { SUPPORTED_FLINK_VERSIONS } from "../../lib/index.js";
import { BUILT_IN_SCRAPE_JOBS } from "../../lib/config/semantic.js";

export type Raw = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------
// Arbitraries for the pieces of a config

const RESERVED_LABELS = ["cluster", "job", "instance"];

export const atLeast = (version: string, other: string) => {
  const [a, b] = version.split(".").map(Number) as [number, number];
  const [c, d] = other.split(".").map(Number) as [number, number];
  return a !== c ? a > c : b >= d;
};

const seconds = (n: number) => (n % 60 === 0 ? `${n / 60}m` : n > 60 ? `${Math.floor(n / 60)}m${n % 60}s` : `${n}s`);
const durationArb = (min: number, max: number) => fc.integer({ min, max }).map((n) => ({ seconds: n, text: seconds(n) }));

const labelNameArb = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,11}$/).filter((name) => !name.startsWith("__") && !RESERVED_LABELS.includes(name));

/** Characters that must survive every file unchanged: interpolation, templates, quotes, unicode. */
const HOSTILE = [
  "$",
  "$$",
  "${HOME}",
  "$HOME",
  "{{",
  "}}",
  "{{ $labels.job }}",
  '"',
  "'",
  "\\",
  "`",
  "é",
  "日本",
  "🚀",
  "%",
  "&",
  "*",
  "!",
  "?",
  "@",
  "[",
  "]",
  ",",
  ":",
  "|",
  "<",
  ">",
  "~",
  "^",
  "(",
  ")",
];
const PLAIN = ["a", "b", "Z", "0", "9", "-", ".", "_", " "];
/** Values a Flink groupingKey carries: pushgateway mode allows only [A-Za-z0-9._:-] there (lib/config/semantic.ts). */
const groupingSafeValueArb = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
/** Label values only Prometheus sees. */
const labelValueArb = fc
  .array(fc.constantFrom(...PLAIN, ...HOSTILE, ";", "=", "#", "/", "k=v;x=y"), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(""));

const labelsArb = (valueArb: fc.Arbitrary<string>, exclude: readonly string[] = []) =>
  fc
    .uniqueArray(
      fc.tuple(
        labelNameArb.filter((name) => !exclude.includes(name)),
        valueArb,
      ),
      { maxLength: 3, selector: ([name]) => name },
    )
    .map((entries) => Object.fromEntries(entries));

// "--" in the third and fourth position is reserved for IDNA labels (RFC 5891 4.2.3.1): "xn--0" is not valid
// punycode, so URL parsers (and the config's host check) refuse it.
const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/).filter((label) => label.slice(2, 4) !== "--");
const hostNameArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(dnsLabel, fc.constantFrom("", ".prod.internal", ".example.com")).map(([a, b]) => `${a}${b}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `10.${a}.${b}.7`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 0xffff }).map((n) => `[fd00::${n.toString(16)}]`) },
);
const portArb = fc.integer({ min: 1024, max: 65535 });
const nameArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/);

/** A Flink process as the config may write it: "host", "host:port" or { host, port }. */
function processArb(host: string, ports: readonly number[]) {
  return fc.oneof(
    fc.constant(host),
    fc.constantFrom(...ports).map((port) => `${host}:${port}`),
    fc.constantFrom(...ports).map((port) => ({ host, port })),
    fc.constant({ host }),
  );
}

interface Shape {
  readonly version: string;
  readonly mode: "pushgateway" | "pull";
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  version: fc.constantFrom(...SUPPORTED_FLINK_VERSIONS),
  mode: fc.constantFrom("pushgateway" as const, "pull" as const),
});

interface ClusterRaw {
  readonly name: string;
  readonly jobmanagers: readonly unknown[];
  readonly taskmanagers?: readonly unknown[];
  readonly labels?: Record<string, string>;
  /** All processes on one host without ports (pull mode). */
  readonly oneBox?: boolean;
}

function clustersArb(shape: Shape, pullPorts: readonly number[]): fc.Arbitrary<ClusterRaw[]> {
  // Cluster labels must not be named like Flink's own labels (they would overwrite or rename them).
  const excluded = FLINK_VARIABLES;
  const clusterArb = fc
    .record({
      name: nameArb,
      // Distinct hosts per cluster: the pull reporter needs a port per process on one host, and without the
      // random job-name suffix processes are told apart by host.
      hosts: fc.uniqueArray(hostNameArb, { minLength: 1, maxLength: 5 }),
      jobmanagerCount: fc.integer({ min: 1, max: 2 }),
      // Pull mode: one-box Flink, a JobManager and one or two TaskManagers on one host, no ports (a shared range).
      oneBox:
        shape.mode === "pull"
          ? fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) })
          : fc.constant(undefined),
      // Pull mode: label values are free text (only Prometheus sees them), hostile characters included.
      // Any label value works in both modes: in pushgateway mode Prometheus attaches it, it is never pushed.
      labels: fc.option(labelsArb(labelValueArb, excluded), { nil: undefined }),
    })
    .chain(({ name, hosts, jobmanagerCount, oneBox, labels }): fc.Arbitrary<ClusterRaw> => {
      if (oneBox !== undefined) {
        return fc.constant({
          name,
          oneBox: true,
          jobmanagers: [hosts[0]!],
          taskmanagers: Array<string>(oneBox).fill(hosts[0]!),
          ...(labels ? { labels } : {}),
        });
      }
      const jm = hosts.slice(0, Math.min(jobmanagerCount, hosts.length));
      const tm = hosts.slice(jm.length);
      return fc
        .tuple(
          fc.tuple(...jm.map((host) => processArb(host, pullPorts))),
          tm.length > 0 ? fc.tuple(...tm.map((host) => processArb(host, pullPorts))) : fc.constant([] as unknown[]),
          fc.boolean(),
        )
        .map(([jobmanagers, taskmanagers, omitTaskmanagers]) => ({
          name,
          jobmanagers,
          ...(taskmanagers.length > 0 || !omitTaskmanagers ? { taskmanagers } : {}),
          ...(labels ? { labels } : {}),
        }));
    });
  // Names compared case-insensitively: generated folders flink/<cluster>/ must not differ only in case.
  return fc.uniqueArray(clusterArb, { minLength: 1, maxLength: 4, selector: (cluster) => cluster.name.toLowerCase() });
}

function reporterArb(shape: Shape) {
  const v = shape.version;
  return fc.record({
    interval: fc.option(
      durationArb(1, 120).map((d) => d.text),
      { nil: undefined },
    ),
    excludeLabels: atLeast(v, "1.10")
      ? fc.option(fc.subarray(["host", "tm_id", "job_id", "task_id", "task_attempt_id", "task_attempt_num", "operator_id"]), { nil: undefined })
      : fc.constant(undefined),
    filterLabelValueCharacters: atLeast(v, "1.8") ? fc.option(fc.boolean(), { nil: undefined }) : fc.constant(undefined),
    pushgateway: fc.record({
      jobName: fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}$/), { nil: undefined }),
      randomJobNameSuffix: atLeast(v, "1.10") ? fc.option(fc.boolean(), { nil: undefined }) : fc.constant(undefined),
      deleteOnShutdown: fc.option(fc.boolean(), { nil: undefined }),
      groupingKey: atLeast(v, "1.10") ? fc.option(labelsArb(groupingSafeValueArb, [...FLINK_VARIABLES]), { nil: undefined }) : fc.constant(undefined),
      url: fc.option(
        atLeast(v, "1.15")
          ? fc
              .tuple(fc.constantFrom("http", "https"), hostNameArb, portArb, fc.constantFrom("", "/", "/pushgateway"))
              .map(([scheme, host, port, p]) => `${scheme}://${host}:${port}${p}`)
          : fc
              .tuple(
                hostNameArb.filter((host) => !host.startsWith("[")),
                portArb,
              )
              .map(([host, port]) => `http://${host}:${port}`),
        { nil: undefined },
      ),
    }),
  });
}

function prune<T>(value: T): T {
  if (Array.isArray(value)) return value.map(prune) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, prune(v)]),
    ) as T;
  }
  return value;
}

const receiverArb = (name: string) =>
  fc.oneof(
    fc
      .record({
        url: fc.tuple(hostNameArb, portArb).map(([h, p]) => `http://${h}:${p}/hook?x=$1&t={{x}}`),
        sendResolved: fc.option(fc.boolean(), { nil: undefined }),
      })
      .map((webhook) => ({ name, webhook })),
    fc
      .record({
        to: fc.constantFrom("oncall@example.com", "a@example.com,b@example.org"),
        from: fc.constant("alerts@example.com"),
        smarthost: fc.tuple(dnsLabel, fc.constantFrom(25, 465, 587)).map(([h, p]) => `${h}.example.com:${p}`),
        authUsername: fc.option(fc.constantFrom("alerts", "user@example.com"), { nil: undefined }),
        requireTls: fc.option(fc.boolean(), { nil: undefined }),
        sendResolved: fc.option(fc.boolean(), { nil: undefined }),
      })
      .map((email) => ({ name, email })),
    fc
      .record({
        apiUrlFile: fc.constantFrom("/etc/secrets/slack-url", "./slack url.txt"),
        channel: fc.constantFrom("#alerts", "@oncall", "flink-ops"),
        sendResolved: fc.option(fc.boolean(), { nil: undefined }),
      })
      .map((slack) => ({ name, slack })),
    fc.constant({ name }),
  );

export const configArb: fc.Arbitrary<Raw> = shapeArb.chain((shape) => {
  const pullPorts = [9249, 9250, 9251, 9252];
  return fc
    .record({
      name: fc.option(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,15}$/), { nil: undefined }),
      patch: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
      reporter: reporterArb(shape),
      // "auto": no port given, the stack chooses a range wide enough for the busiest host.
      pullPort: fc.constantFrom<number | string>("9249-9252", 9249, "9249", "auto"),
      clusters: clustersArb(shape, pullPorts),
      prometheus: fc.record({
        scrape: durationArb(5, 120),
        timeoutFraction: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
        evaluation: fc.option(durationArb(5, 120), { nil: undefined }),
        retention: fc.option(
          fc.record({
            time: fc.option(fc.constantFrom("15d", "2w", "12h", "1y"), { nil: undefined }),
            size: fc.option(fc.constantFrom("512MB", "10GB", "1TB"), { nil: undefined }),
          }),
          { nil: undefined },
        ),
        externalLabels: fc.option(labelsArb(labelValueArb), { nil: undefined }),
        jobs: fc.uniqueArray(
          fc.record({
            name: nameArb,
            targets: fc.uniqueArray(
              fc.tuple(hostNameArb, fc.option(portArb, { nil: undefined })).map(([h, p]) => (p ? `${h}:${p}` : h)),
              { minLength: 1, maxLength: 3 },
            ),
            labels: fc.option(labelsArb(labelValueArb), { nil: undefined }),
            metricsPath: fc.option(fc.constantFrom("/metrics", "/actuator/prometheus", "/probe;x=1", "/a/b%20c"), { nil: undefined }),
            scheme: fc.option(fc.constantFrom("http", "https"), { nil: undefined }),
            interval: fc.option(durationArb(10, 300), { nil: undefined }),
            honorLabels: fc.option(fc.boolean(), { nil: undefined }),
          }),
          { maxLength: 3, selector: (job) => job.name },
        ),
        remoteWrite: fc.array(
          fc.record({
            name: fc.option(nameArb, { nil: undefined }),
            url: fc.tuple(hostNameArb, portArb).map(([h, p]) => `https://${h}:${p}/api/v1/write`),
            basicAuth: fc.option(
              fc.record({ username: fc.constantFrom("writer", "a b", "us$er"), passwordFile: fc.constantFrom("/etc/secrets/rw", "./rw password") }),
              { nil: undefined },
            ),
          }),
          { maxLength: 2 },
        ),
      }),
      pushgateway: fc.record({ enabled: fc.boolean(), persistence: fc.option(fc.boolean(), { nil: undefined }) }),
      nodeExporter: fc.record({
        enabled: fc.option(fc.boolean(), { nil: undefined }),
        targets: fc.option(
          fc.uniqueArray(
            fc.tuple(hostNameArb, portArb).map(([h, p]) => `${h}:${p}`),
            { maxLength: 3 },
          ),
          { nil: undefined },
        ),
      }),
      alerting: fc.record({
        enabled: fc.option(fc.boolean(), { nil: undefined }),
        rules: fc.option(
          fc.record({
            flink: fc.option(fc.boolean(), { nil: undefined }),
            pushgateway: fc.option(fc.boolean(), { nil: undefined }),
            node: fc.option(fc.boolean(), { nil: undefined }),
            stack: fc.option(fc.boolean(), { nil: undefined }),
            for: fc.option(fc.constantFrom("0s", "1m", "5m", "90s", "1h"), { nil: undefined }),
            thresholds: fc.option(
              fc.record({
                checkpointDurationSeconds: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
                backPressureRatio: fc.option(
                  fc.integer({ min: 1, max: 100 }).map((n) => n / 100),
                  { nil: undefined },
                ),
                heapUsageRatio: fc.option(
                  fc.integer({ min: 1, max: 100 }).map((n) => n / 100),
                  { nil: undefined },
                ),
                gcTimeRatio: fc.option(
                  fc.integer({ min: 1, max: 100 }).map((n) => n / 100),
                  { nil: undefined },
                ),
                restartsPerWindow: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
                restartWindow: fc.option(fc.constantFrom("1m", "15m", "1h", "90s"), { nil: undefined }),
                pushStaleIntervals: fc.option(fc.integer({ min: 2, max: 10 }), { nil: undefined }),
                diskFreeRatio: fc.option(
                  fc.integer({ min: 1, max: 100 }).map((n) => n / 100),
                  { nil: undefined },
                ),
                memoryAvailableRatio: fc.option(
                  fc.integer({ min: 1, max: 100 }).map((n) => n / 100),
                  { nil: undefined },
                ),
                cpuUsageRatio: fc.option(
                  fc.integer({ min: 1, max: 100 }).map((n) => n / 100),
                  { nil: undefined },
                ),
              }),
              { nil: undefined },
            ),
          }),
          { nil: undefined },
        ),
        alertmanagerEnabled: fc.option(fc.boolean(), { nil: undefined }),
        receivers: fc
          .uniqueArray(nameArb, { maxLength: 4, selector: (name) => name })
          .chain((names) => (names.length === 0 ? fc.constant([] as Raw[]) : fc.tuple(...names.map(receiverArb)))),
        routePick: fc.option(fc.tuple(fc.nat(), fc.option(fc.nat(), { nil: undefined })), { nil: undefined }),
      }),
      grafana: fc.record({
        enabled: fc.option(fc.boolean(), { nil: undefined }),
        adminUser: fc.option(fc.constantFrom("admin", "ops@example.com", "grafana_admin"), { nil: undefined }),
        adminPasswordFile: fc.option(fc.constantFrom("/etc/secrets/grafana", "./my password"), { nil: undefined }),
        dashboards: fc.option(
          fc.record({
            cluster: fc.option(fc.boolean(), { nil: undefined }),
            job: fc.option(fc.boolean(), { nil: undefined }),
            hosts: fc.option(fc.boolean(), { nil: undefined }),
          }),
          { nil: undefined },
        ),
      }),
      network: fc.record({
        bindAddress: fc.option(fc.constantFrom("127.0.0.1", "0.0.0.0", "::", "::1", "10.1.2.3"), { nil: undefined }),
        advertisedHost: fc.option(hostNameArb, { nil: undefined }),
        ports: fc.option(fc.uniqueArray(portArb, { minLength: 5, maxLength: 5 }), { nil: undefined }),
      }),
    })
    .filter((parts) => {
      // Pull mode tells clusters apart by scrape target: one host in two clusters is refused (lib/config/semantic.ts).
      if (shape.mode !== "pull") return true;
      const hostsOf = (cluster: ClusterRaw) =>
        new Set(
          [...cluster.jobmanagers, ...(cluster.taskmanagers ?? [])].map((process) =>
            typeof process === "string" ? process.replace(/:\d+$/, "") : (process as { host: string }).host,
          ),
        );
      const seen = new Set<string>();
      return parts.clusters.every((cluster) => [...hostsOf(cluster)].every((host) => !seen.has(host) && seen.add(host)));
    })
    .map((parts): Raw => {
      const { reporter } = parts;
      const oneBox = parts.clusters.some((cluster) => cluster.oneBox);
      const pullPort = oneBox && (parts.pullPort === 9249 || parts.pullPort === "9249") ? "auto" : parts.pullPort;
      const clusters = parts.clusters.map(({ oneBox: _, ...cluster }) => cluster);
      const pushMode = shape.mode === "pushgateway";
      const scrape = parts.prometheus.scrape.seconds;
      const jobs = parts.prometheus.jobs
        .filter(
          (job) =>
            !(BUILT_IN_SCRAPE_JOBS as readonly string[]).includes(job.name) &&
            !(shape.mode === "pull" && parts.clusters.some((cluster) => `flink-${cluster.name}` === job.name)),
        )
        .map((job) => ({
          ...job,
          interval: job.interval?.text,
          ...(job.interval ? { timeout: seconds(Math.max(1, Math.floor(job.interval.seconds / 2))) } : {}),
        }));
      const receivers = parts.alerting.receivers;
      const names = receivers.map((receiver) => receiver.name as string);
      const route =
        parts.alerting.routePick && names.length > 0
          ? {
              receiver: names[parts.alerting.routePick[0] % names.length],
              ...(parts.alerting.routePick[1] !== undefined ? { criticalReceiver: names[parts.alerting.routePick[1] % names.length] } : {}),
            }
          : undefined;
      const ports = parts.network.ports;
      return prune({
        name: parts.name,
        flink: {
          version: parts.patch === undefined ? shape.version : `${shape.version}.${parts.patch}`,
          reporter: {
            mode: shape.mode,
            ...reporter,
            pushgateway: pushMode ? reporter.pushgateway : undefined,
            pull:
              shape.mode === "pull" && pullPort !== "auto" ? { port: pullPort === 9249 || pullPort === "9249" ? pullPort : "9249-9252" } : undefined,
          },
          clusters:
            shape.mode === "pull" && (pullPort === 9249 || pullPort === "9249" || pullPort === "auto")
              ? // A single reporter port (or a chosen range starting there): every explicit port must be its first.
                clusters.map((cluster) => ({
                  ...cluster,
                  jobmanagers: cluster.jobmanagers.map(singlePort),
                  ...(cluster.taskmanagers ? { taskmanagers: cluster.taskmanagers.map(singlePort) } : {}),
                }))
              : clusters,
        },
        prometheus: {
          scrapeInterval: parts.prometheus.scrape.text,
          scrapeTimeout:
            parts.prometheus.timeoutFraction === undefined
              ? scrape >= 10
                ? undefined
                : seconds(scrape)
              : seconds(Math.max(1, Math.floor((scrape * parts.prometheus.timeoutFraction) / 100))),
          evaluationInterval: parts.prometheus.evaluation?.text,
          retention: parts.prometheus.retention,
          externalLabels: parts.prometheus.externalLabels,
          scrapeJobs: jobs.length > 0 ? jobs : undefined,
          remoteWrite: parts.prometheus.remoteWrite.length > 0 ? parts.prometheus.remoteWrite : undefined,
        },
        pushgateway: { enabled: pushMode ? true : parts.pushgateway.enabled, persistence: parts.pushgateway.persistence },
        nodeExporter: parts.nodeExporter,
        alerting: {
          enabled: parts.alerting.enabled,
          rules: parts.alerting.rules,
          alertmanager: { enabled: parts.alerting.alertmanagerEnabled, receivers: receivers.length > 0 ? receivers : undefined, route },
        },
        grafana: parts.grafana,
        network: {
          bindAddress: parts.network.bindAddress,
          advertisedHost: parts.network.advertisedHost,
          ports: ports
            ? { prometheus: ports[0], pushgateway: ports[1], alertmanager: ports[2], grafana: ports[3], nodeExporter: ports[4] }
            : undefined,
        },
      });
    });
});

function singlePort(process: unknown): unknown {
  if (typeof process === "string") return process.replace(/:\d+$/, ":9249");
  const object = process as { host: string; port?: number };
  return object.port === undefined ? object : { ...object, port: 9249 };
}
