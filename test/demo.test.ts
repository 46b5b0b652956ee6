// `demo`: the stack plus a Flink session cluster from the official image and a bundled example job. Here no
// image can be pulled, so what the demo starts is judged by the real tools that can judge it: the Compose
// Specification schema and Debian's docker-compose for docker-compose.yml; bash for the job submitter's script;
// and for the Flink side, the image's own way of turning FLINK_PROPERTIES into a config file (its entrypoint's
// line handling, then Flink's BashJavaUtils, as config-parser-utils.sh runs it) followed by Flink's own
// GlobalConfiguration and the reporter-config path ReporterSetup uses, on real Flink jars (test/flink harness).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import yaml from "js-yaml";
import {
  DEMO_FLINK_IMAGES,
  DEMO_JOB_ARGS,
  DEMO_JOB_JAR,
  buildDemo,
  demoConfig,
  demoFlinkProperties,
  demoImage,
  demoJobScript,
} from "../lib/demo/demo.js";
import { buildStack } from "../lib/generate.js";
import { buildFlinkHarness } from "./flink/cluster.js";
import { CLI, runCli, stackTraceLines, tempDir, type CliResult } from "./support/cli.js";
import { validateComposeFile } from "./support/compose-schema.js";
import { describeRun, requireTool, runProcess, runTool, type ToolResult } from "./support/tools.js";

type Mode = "pushgateway" | "pull";
const MODES: readonly Mode[] = ["pushgateway", "pull"];
/** Demo version → the real Flink the harness runs for its parser check (the newest with an image: 2.2). */
const VERSIONS = [
  { demo: "1.20", image: "flink:1.20.4-java17", flink: "1.20.5" },
  { demo: "2.2", image: "flink:2.2.1-java17", flink: "2.3.0" },
] as const;

interface ComposeService {
  image: string;
  command?: string[];
  restart?: string;
  environment?: Record<string, string>;
  ports: string[];
  healthcheck: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
interface Generated {
  readonly dir: string;
  readonly human: CliResult;
  readonly json: CliResult;
  readonly composeText: string;
  readonly services: Record<string, ComposeService>;
  readonly file: (relative: string) => string;
}

let scratch: { dir: string; cleanup: () => void };
const generated = new Map<string, Promise<Generated>>();

before(() => {
  scratch = tempDir("fps-demo-");
});
after(() => scratch.cleanup());

function ok(result: CliResult, what: string): void {
  assert.equal(result.code, 0, `${what} exited ${result.code}\n--- stderr\n${result.stderr}\n--- stdout\n${result.stdout}`);
  assert.deepEqual(stackTraceLines(result.stderr), [], `${what}: no stack trace`);
}

/** `demo --no-up` into a fresh folder (once per version and mode), plus a `--json` run into another. */
function demo(version: string, mode: Mode): Promise<Generated> {
  const key = `${version}-${mode}`;
  let pending = generated.get(key);
  if (!pending) {
    pending = (async () => {
      const dir = path.join(scratch.dir, key);
      const args = ["demo", "--no-up", "--flink-version", version, "--mode", mode];
      const [human, json] = await Promise.all([
        runCli([...args, "-o", dir], { cwd: scratch.dir }),
        runCli([...args, "-o", `${dir}-json`, "--json"], { cwd: scratch.dir }),
      ]);
      ok(human, `demo ${args.join(" ")}`);
      ok(json, `demo ${args.join(" ")} --json`);
      const composeText = readFileSync(path.join(dir, "docker-compose.yml"), "utf8");
      const services = (yaml.load(composeText) as { services: Record<string, ComposeService> }).services;
      return { dir, human, json, composeText, services, file: (relative) => readFileSync(path.join(dir, relative), "utf8") };
    })();
    generated.set(key, pending);
  }
  return pending;
}

const combos = VERSIONS.flatMap((version) => MODES.map((mode) => ({ ...version, mode })));

/** FLINK_PROPERTIES as the image's entrypoint (≥ 1.19) splits it: whitespace stripped, split at the first ':'. */
function entrypointOptions(properties: string): Array<[string, string]> {
  return properties
    .split("\n")
    .map((line) => line.replace(/\s/g, ""))
    .filter((line) => line.length > 0)
    .map((line) => {
      const at = line.indexOf(":");
      return at < 0 ? [line, ""] : [line.slice(0, at), line.slice(at + 1)];
    });
}

function propertyLines(properties: string): Array<[string, string]> {
  return properties
    .trim()
    .split("\n")
    .map((line) => {
      const at = line.indexOf(": ");
      return [line.slice(0, at), line.slice(at + 2)];
    });
}

describe(`demo (CLI via ${CLI.kind})`, { concurrency: 4 }, () => {
  for (const combo of combos) {
    const name = `Flink ${combo.demo}, ${combo.mode}`;

    it(`${name}: docker-compose.yml passes the Compose Specification schema and docker-compose config`, async () => {
      const out = await demo(combo.demo, combo.mode);
      assert.deepEqual(validateComposeFile(out.composeText), []);
      const result = runTool("docker-compose", ["config", "-q"], { cwd: out.dir });
      assert.equal(result.status, 0, describeRun("docker-compose config -q", result));
    });

    it(`${name}: JobManager, TaskManager and job submitter from the official image, gated on health`, async () => {
      const { services } = await demo(combo.demo, combo.mode);
      const jm = services["flink-jobmanager"]!;
      const tm = services["flink-taskmanager"]!;
      const job = services["flink-job"]!;
      for (const service of [jm, tm, job]) {
        assert.equal(service.image, combo.image);
        assert.ok(service.healthcheck.test.length > 1, "has a healthcheck");
      }
      assert.deepEqual(jm.command, ["jobmanager"]);
      assert.deepEqual(tm.command, ["taskmanager"]);
      assert.deepEqual(jm.ports, ["127.0.0.1:8081:8081"], "Flink UI on the bind address only");
      assert.equal(tm.ports, undefined, "the TaskManager publishes no port");
      assert.deepEqual(jm.depends_on, combo.mode === "pushgateway" ? { pushgateway: { condition: "service_healthy" } } : undefined);
      assert.deepEqual(tm.depends_on, { "flink-jobmanager": { condition: "service_healthy" } });
      assert.deepEqual(job.depends_on, {
        "flink-jobmanager": { condition: "service_healthy" },
        "flink-taskmanager": { condition: "service_healthy" },
      });
      assert.deepEqual(job.command?.slice(0, 2), ["bash", "-c"]);
      assert.match(job.command[2]!, new RegExp(`flink run -d -p 2 ${DEMO_JOB_JAR.replaceAll(".", "\\.")}`));
      assert.equal(job.environment?.FLINK_PROPERTIES, "rest.address: flink-jobmanager\nrest.port: 8081\n");
      // Prometheus and the rest of the stack do not wait for Flink.
      assert.equal(
        Object.keys(services.prometheus!.depends_on ?? {}).some((dep) => dep.startsWith("flink")),
        false,
      );
    });

    it(`${name}: FLINK_PROPERTIES is flat key: value lines with the in-network reporter settings`, async () => {
      const out = await demo(combo.demo, combo.mode);
      const jm = out.services["flink-jobmanager"]!.environment!.FLINK_PROPERTIES!;
      assert.equal(out.services["flink-taskmanager"]!.environment!.FLINK_PROPERTIES, jm, "JobManager and TaskManager share it");
      assert.doesNotMatch(jm, /\$/, "nothing for Compose or envsubst to expand");
      for (const line of jm.trim().split("\n")) {
        assert.doesNotMatch(line, /^\s*#/, "no comment lines");
        assert.match(line, /^[\w.-]+: \S+$/, `flat "key: value" without spaces inside the value: ${line}`);
        assert.doesNotMatch(line, /[*?[]/, `no glob characters (the entrypoint echoes each line unquoted): ${line}`);
      }
      const lines = jm.trim().split("\n");
      assert.ok(lines.includes("jobmanager.rpc.address: flink-jobmanager"));
      assert.ok(lines.includes("taskmanager.numberOfTaskSlots: 2"));
      if (combo.mode === "pushgateway") {
        assert.ok(lines.includes("metrics.reporter.promgateway.hostUrl: http://pushgateway:9091"), jm);
        assert.ok(lines.includes("metrics.reporter.promgateway.groupingKey: cluster=demo"), jm);
      } else {
        assert.ok(lines.includes("metrics.reporter.prom.port: 9249"), jm);
        assert.doesNotMatch(jm, /promgateway/);
      }
      // The same reporter lines the generator writes for a user's cluster.
      const generatedFile = out.file("flink/demo/FLINK_PROPERTIES").trim().split("\n");
      assert.deepEqual(
        lines.filter((line) => line.startsWith("metrics.")),
        generatedFile,
      );
    });

    it(`${name}: Prometheus scrapes what the mode needs`, async () => {
      const out = await demo(combo.demo, combo.mode);
      const prometheus = yaml.load(out.file("prometheus/prometheus.yml")) as {
        scrape_configs: Array<{
          job_name: string;
          honor_labels?: boolean;
          static_configs: Array<{ targets: string[]; labels?: Record<string, string> }>;
        }>;
      };
      const byName = new Map(prometheus.scrape_configs.map((job) => [job.job_name, job]));
      if (combo.mode === "pull") {
        const flink = byName.get("flink-demo");
        assert.ok(flink, "a scrape job for the demo cluster");
        assert.deepEqual(
          flink.static_configs.map((group) => ({ targets: group.targets, role: group.labels?.role, cluster: group.labels?.cluster })),
          [
            { targets: ["flink-jobmanager:9249"], role: "jobmanager", cluster: "demo" },
            { targets: ["flink-taskmanager:9249"], role: "taskmanager", cluster: "demo" },
          ],
        );
        assert.equal(byName.has("pushgateway"), false);
      } else {
        assert.equal(byName.get("pushgateway")?.honor_labels, true);
        assert.deepEqual(byName.get("pushgateway")?.static_configs[0]?.targets, ["pushgateway:9091"]);
        assert.equal(byName.has("flink-demo"), false);
      }
    });

    it(`${name}: prints the Grafana, Prometheus and Flink UI URLs and where the password is`, async () => {
      const out = await demo(combo.demo, combo.mode);
      const password = path.join(out.dir, "secrets/grafana_admin_password");
      assert.match(out.human.stderr, /Grafana\s+http:\/\/127\.0\.0\.1:3000\n/);
      assert.match(out.human.stderr, /Prometheus\s+http:\/\/127\.0\.0\.1:9090\n/);
      assert.match(out.human.stderr, /Flink UI\s+http:\/\/127\.0\.0\.1:8081\n/);
      assert.ok(out.human.stderr.includes(`Grafana login: admin / the password in ${password}`), out.human.stderr);
      assert.ok(out.human.stderr.includes(combo.image), "names the image");
      assert.equal(out.human.stdout, "", "human output goes to stderr");
      assert.equal(readFileSync(password, "utf8").trim().length > 0, true, "the password file exists");
      const json = JSON.parse(out.json.stdout) as {
        urls: Record<string, string>;
        image: string;
        started: boolean;
        grafana: { passwordFile: string };
      };
      assert.deepEqual(
        { grafana: json.urls.grafana, prometheus: json.urls.prometheus, flinkUi: json.urls.flinkUi },
        { grafana: "http://127.0.0.1:3000", prometheus: "http://127.0.0.1:9090", flinkUi: "http://127.0.0.1:8081" },
      );
      assert.equal(json.image, combo.image);
      assert.equal(json.started, false);
      assert.equal(json.grafana.passwordFile, `${out.dir}-json/secrets/grafana_admin_password`);
    });
  }

  it("usage errors: a version without an official image, an unknown mode", async () => {
    const [noImage, badMode] = await Promise.all([
      runCli(["demo", "--no-up", "--flink-version", "2.3", "-o", path.join(scratch.dir, "bad1")], { cwd: scratch.dir }),
      runCli(["demo", "--no-up", "--mode", "scrape", "-o", path.join(scratch.dir, "bad2")], { cwd: scratch.dir }),
    ]);
    assert.equal(noImage.code, 2, noImage.stderr);
    assert.match(noImage.stderr, /no official flink image for Flink 2\.3; choose one of .*2\.2/);
    assert.equal(badMode.code, 2, badMode.stderr);
    assert.match(badMode.stderr, /--mode must be pushgateway or pull/);
  });
});

describe("demo images", () => {
  it("every demo version pins an exact patch; Java 17 from 1.18 on, Java 11 before", () => {
    for (const [minor, entry] of Object.entries(DEMO_FLINK_IMAGES)) {
      assert.ok(entry, minor);
      assert.match(entry.patch, new RegExp(`^${minor.replace(".", "\\.")}\\.\\d+$`));
      const [major, minorNumber] = minor.split(".").map(Number) as [number, number];
      assert.equal(entry.java, major > 1 || minorNumber >= 18 ? 17 : 11, minor);
      assert.equal(demoImage(minor).image, `flink:${entry.patch}-java${entry.java}`);
    }
    assert.equal(demoImage("1.20.3").image, "flink:1.20.3-java17", "an exact patch is used as given");
    assert.throws(() => demoImage("2.3"), /no official flink image/);
    assert.throws(() => demoImage("1.14"), /no official flink image/);
  });
});

describe("the job submitter's script, run by bash against stand-ins for wget and flink", () => {
  // wget answers from $STATE (the JobManager is "up" once $STATE/jm-up exists; /jobs/overview serves
  // $STATE/jobs); flink records its arguments and makes a job RUNNING; sleep is quick.
  function standIns(dir: string): string {
    const bin = path.join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    const write = (name: string, text: string) => {
      writeFileSync(path.join(bin, name), `#!/bin/bash\n${text}\n`);
      chmodSync(path.join(bin, name), 0o755);
    };
    write(
      "wget",
      [
        'url="${@: -1}"; echo "$url" >> "$STATE/wget.log"',
        '[ -e "$STATE/jm-up" ] || { n=$(cat "$STATE/down-count" 2>/dev/null || echo 0); echo $((n+1)) > "$STATE/down-count"; [ "$n" -ge 2 ] && touch "$STATE/jm-up"; exit 4; }',
        'case "$url" in */jobs/overview) cat "$STATE/jobs" 2>/dev/null || echo \'{"jobs":[]}\';; esac',
      ].join("\n"),
    );
    write("flink", 'echo "$*" >> "$STATE/runs"; echo \'{"jobs":[{"jid":"a1","name":"State machine job","state":"RUNNING"}]}\' > "$STATE/jobs"');
    write("sleep", "exec /bin/sleep 0.05");
    return bin;
  }

  function readFileSafe(file: string): string {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return "";
    }
  }

  /** Runs the script until it has submitted (or found) the job and idles, then stops it as `docker stop` does. */
  async function runScript(dir: string, bin: string): Promise<ToolResult> {
    rmSync(path.join(dir, "wget.log"), { force: true });
    const child = spawn(requireTool("bash"), ["-c", demoJobScript()], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, STATE: dir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("close", (status, signal) => resolve({ status, signal })),
    );
    const deadline = Date.now() + 10_000;
    while (
      Date.now() < deadline &&
      !(readFileSafe(path.join(dir, "jobs")) !== "" && readFileSafe(path.join(dir, "wget.log")).includes("/jobs/overview"))
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // into the idle loop
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    const { status, signal } = await exited;
    clearTimeout(timer);
    return { status, signal, stdout, stderr };
  }

  it("waits for the JobManager, submits once, exits 0 on SIGTERM; after a restart it does not submit again", async () => {
    const { dir, cleanup } = tempDir("fps-demo-job-");
    try {
      const bin = standIns(dir);
      assert.equal(runTool("bash", ["-n", "-c", demoJobScript()]).status, 0, "bash parses the script");
      const first = await runScript(dir, bin);
      assert.equal(first.status, 0, describeRun("first run", first));
      assert.match(first.stdout, /The example job runs/);
      const runs = readFileSync(path.join(dir, "runs"), "utf8").trim().split("\n");
      assert.deepEqual(runs, [`run -d -p 2 ${DEMO_JOB_JAR} ${DEMO_JOB_ARGS.join(" ")}`]);
      assert.ok(Number(readFileSync(path.join(dir, "down-count"), "utf8")) >= 3, "it waited while the JobManager was down");
      const second = await runScript(dir, bin);
      assert.equal(second.status, 0, describeRun("restart", second));
      assert.equal(readFileSync(path.join(dir, "runs"), "utf8").trim().split("\n").length, 1, "a restart does not submit a second job");
    } finally {
      cleanup();
    }
  });
});

// ── real Flink ───────────────────────────────────────────────────────────────────────────────────────────────

/**
 * One JVM per check, on the harness's Flink jars: first what the image's entrypoint does with the settings
 * (bin/config-parser-utils.sh: BashJavaUtils UPDATE_AND_GET_FLINK_CONFIGURATION with -D options, its result
 * written back as the config file), once per `--`-separated group of options; then Flink's own
 * GlobalConfiguration reads the folder, and each reporter's settings are taken the way ReporterSetup takes them
 * (DelegatingConfiguration → MetricConfig, read with getString, which ignores values that are not strings).
 */
const PROBE = `import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DelegatingConfiguration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.runtime.util.bash.BashJavaUtils;

public class DemoFlinkConfigProbe {
    public static void main(String[] args) throws Exception {
        String confDir = args[0];
        List<String> group = new ArrayList<>();
        for (int i = 2; i <= args.length; i++) {
            if (i == args.length || args[i].equals("--")) {
                if (!group.isEmpty()) configParserUtils(confDir, group);
                group.clear();
            } else {
                group.add(args[i]);
            }
        }
        Configuration conf = GlobalConfiguration.loadConfiguration(confDir);
        for (Map.Entry<String, String> e : new TreeMap<>(conf.toMap()).entrySet()) {
            System.out.println("CONF\\t" + e.getKey() + "\\t" + e.getValue());
        }
        for (String reporter : args[1].split(",")) {
            MetricConfig metricConfig = new MetricConfig();
            new DelegatingConfiguration(conf, "metrics.reporter." + reporter + ".").addAllToProperties(metricConfig);
            for (Object key : new TreeMap<>(metricConfig).keySet()) {
                Object raw = metricConfig.get(key);
                String value = metricConfig.getString(String.valueOf(key), null);
                System.out.println("REPORTER\\t" + reporter + "\\t" + key + "\\t"
                    + (value == null ? "<ignored " + raw.getClass().getSimpleName() + " " + raw + ">" : value));
            }
        }
    }

    static void configParserUtils(String confDir, List<String> dynamicArgs) throws Exception {
        List<String> argv = new ArrayList<>(List.of("UPDATE_AND_GET_FLINK_CONFIGURATION", "--configDir", confDir));
        argv.addAll(dynamicArgs);
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            BashJavaUtils.main(argv.toArray(new String[0]));
        } finally {
            System.setOut(original);
        }
        StringBuilder result = new StringBuilder();
        for (String line : buffer.toString(StandardCharsets.UTF_8).split("\\n")) {
            if (line.startsWith(BashJavaUtils.EXECUTION_PREFIX)) {
                result.append(line.substring(BashJavaUtils.EXECUTION_PREFIX.length())).append('\\n');
            }
        }
        if (result.length() == 0) throw new IllegalStateException("BashJavaUtils printed no result: " + buffer);
        Path legacy = Path.of(confDir, "flink-conf.yaml");
        Files.writeString(Files.exists(legacy) ? legacy : Path.of(confDir, "config.yaml"), result.toString());
    }
}
`;

/** flink-dist's conf/config.yaml (1.20 / 2.x) after the image's Dockerfile rewrote the bind addresses. */
const IMAGE_CONFIG_YAML = `jobmanager:
  bind-host: 0.0.0.0
  rpc:
    address: localhost
    port: 6123
  memory:
    process:
      size: 1600m
  execution:
    failover-strategy: region
taskmanager:
  bind-host: 0.0.0.0
  numberOfTaskSlots: 1
  memory:
    process:
      size: 1728m
parallelism:
  default: 1
rest:
  address: 0.0.0.0
`;

/** flink-dist's conf/flink-conf.yaml (≤ 1.18) after the image's Dockerfile rewrote the bind addresses. */
const IMAGE_FLINK_CONF = `jobmanager.rpc.address: localhost
jobmanager.rpc.port: 6123
jobmanager.bind-host: 0.0.0.0
jobmanager.memory.process.size: 1600m
taskmanager.bind-host: 0.0.0.0
taskmanager.memory.process.size: 1728m
taskmanager.numberOfTaskSlots: 1
parallelism.default: 1
jobmanager.execution.failover-strategy: region
rest.address: 0.0.0.0
`;

/** The entrypoint's own settings, applied before FLINK_PROPERTIES (the RPC address defaults to `hostname -f`). */
const ENTRYPOINT_OPTIONS: ReadonlyArray<[string, string]> = [
  ["jobmanager.rpc.address", "3f2a1c0e9b7d"],
  ["blob.server.port", "6124"],
  ["query.server.port", "6125"],
];

interface Probed {
  readonly conf: Map<string, string>;
  readonly reporters: Map<string, string>;
}

describe("real Flink reads the demo's FLINK_PROPERTIES as the official image hands them over", { concurrency: 2 }, () => {
  let work: { dir: string; cleanup: () => void };
  before(() => {
    work = tempDir("fps-demo-flink-");
    writeFileSync(path.join(work.dir, "DemoFlinkConfigProbe.java"), PROBE);
  });
  after(() => work.cleanup());

  /** The harness's classpath plus the probe compiled against it (once per Flink version). */
  const classpaths = new Map<string, Promise<string>>();
  function classpath(version: string): Promise<string> {
    let pending = classpaths.get(version);
    if (!pending) {
      pending = (async () => {
        const jars = buildFlinkHarness(version).fullClasspath.join(":");
        const classes = path.join(work.dir, `classes-${version}`);
        const compiled = await runProcess(requireTool("javac"), ["-cp", jars, "-d", classes, path.join(work.dir, "DemoFlinkConfigProbe.java")], {
          timeoutMs: 120_000,
        });
        assert.equal(compiled.status, 0, describeRun(`javac (Flink ${version})`, compiled));
        return `${jars}:${classes}`;
      })();
      classpaths.set(version, pending);
    }
    return pending;
  }

  /** Runs the probe: each group of options through config-parser-utils, then Flink reads the folder. */
  async function probe(version: string, confDir: string, groups: ReadonlyArray<ReadonlyArray<[string, string]>>): Promise<Probed> {
    const args = groups.flatMap((group) => ["--", ...group.map(([key, value]) => `-D${key}=${value}`)]);
    const result = await runProcess(
      requireTool("java"),
      ["-cp", await classpath(version), "DemoFlinkConfigProbe", confDir, "promgateway,prom", ...args],
      {
        timeoutMs: 120_000,
      },
    );
    assert.equal(result.status, 0, describeRun(`DemoFlinkConfigProbe (Flink ${version})`, result));
    const conf = new Map<string, string>();
    const reporters = new Map<string, string>();
    for (const line of result.stdout.split("\n")) {
      const [kind, a, b, c] = line.split("\t");
      if (kind === "CONF" && a !== undefined && b !== undefined) conf.set(a, b);
      if (kind === "REPORTER" && a !== undefined && b !== undefined && c !== undefined) reporters.set(`metrics.reporter.${a}.${b}`, c);
    }
    return { conf, reporters };
  }

  function assertReadAsWritten(probed: Probed, properties: string, what: string): void {
    assert.equal(probed.conf.get("jobmanager.rpc.address"), "flink-jobmanager", what);
    assert.equal(probed.conf.get("taskmanager.numberOfTaskSlots"), "2", what);
    const reporterLines = propertyLines(properties).filter(([key]) => key.startsWith("metrics.reporter."));
    assert.ok(reporterLines.length >= 3, what);
    for (const [key, value] of reporterLines) {
      assert.equal(probed.reporters.get(key), value, `${what}: the reporter reads ${key} as the string "${value}"`);
    }
  }

  for (const combo of combos) {
    it(`Flink ${combo.flink} reads the ${combo.demo} demo's ${combo.mode} settings through the ≥ 1.19 entrypoint`, async () => {
      const out = await demo(combo.demo, combo.mode);
      const properties = out.services["flink-jobmanager"]!.environment!.FLINK_PROPERTIES!;
      const harnessMinor = combo.flink.split(".").slice(0, 2).join(".");
      if (combo.demo !== harnessMinor) {
        // No harness for 2.2 here: the demo's FLINK_PROPERTIES is the same for every 2.x (and 1.19+).
        const config = demoConfig({ version: combo.demo, mode: combo.mode });
        const same = buildStack({ ...config, flink: { ...config.flink, version: harnessMinor } }).plan;
        assert.equal(demoFlinkProperties(same), properties, `the ${harnessMinor} settings equal the ${combo.demo} ones`);
      }
      const confDir = path.join(work.dir, `${combo.demo}-${combo.mode}`);
      mkdirSync(confDir, { recursive: true });
      writeFileSync(path.join(confDir, "config.yaml"), IMAGE_CONFIG_YAML);
      const options = entrypointOptions(properties);
      assert.deepEqual(
        options.map(([key]) => key),
        propertyLines(properties).map(([key]) => key),
        "every line keeps its key",
      );
      const probed = await probe(combo.flink, confDir, [ENTRYPOINT_OPTIONS, options]);
      const written = readFileSync(path.join(confDir, "config.yaml"), "utf8");
      assertReadAsWritten(probed, properties, `Flink ${combo.flink}, the config.yaml the entrypoint wrote:\n${written}`);
    });
  }

  it("Flink 1.20.5's legacy parser reads the 1.18 demo's settings appended to flink-conf.yaml (images ≤ 1.18)", async () => {
    await Promise.all(
      MODES.map(async (mode) => {
        const properties = demoFlinkProperties(buildDemo({ version: "1.18", mode }).plan);
        const confDir = path.join(work.dir, `1.18-${mode}`);
        mkdirSync(confDir, { recursive: true });
        // ≤ 1.18 entrypoint: set_config_option (replace or append), FLINK_PROPERTIES appended, envsubst over the file.
        const conf =
          IMAGE_FLINK_CONF.replace("jobmanager.rpc.address: localhost", "jobmanager.rpc.address: 3f2a1c0e9b7d") +
          `blob.server.port: 6124\nquery.server.port: 6125\n${properties}`;
        assert.doesNotMatch(conf, /\$/, "envsubst leaves it alone");
        writeFileSync(path.join(confDir, "flink-conf.yaml"), conf);
        assertReadAsWritten(await probe("1.20.5", confDir, []), properties, `Flink 1.20.5 legacy parser, ${mode}`);
      }),
    );
  });

  it("the probe is discriminating: Flink 1.20.5 ignores a YAML-typed reporter value (research §1.6)", async () => {
    const confDir = path.join(work.dir, "typed");
    mkdirSync(confDir, { recursive: true });
    writeFileSync(
      path.join(confDir, "config.yaml"),
      'metrics.reporter.promgateway.randomJobNameSuffix: false\nmetrics.reporter.promgateway.jobName: "x"\n',
    );
    const probed = await probe("1.20.5", confDir, []);
    assert.equal(probed.reporters.get("metrics.reporter.promgateway.jobName"), "x");
    assert.equal(probed.reporters.get("metrics.reporter.promgateway.randomJobNameSuffix"), "<ignored Boolean false>");
  });
});
