// checkStack: run the real tools (promtool, amtool, Docker Compose) on a generated output folder, the way
// the containers will read it. Prometheus and Alertmanager name their files by container path, so those two
// are checked on temporary copies whose mounted container paths point back at the folder's own files.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import yaml from "js-yaml";
import { OutputError } from "../errors.js";
import { mapContainerPaths, serviceMappings, type PathMapping } from "./container-paths.js";
import { findExecutable, runExecutable, type ToolRun } from "./tools.js";

export type CheckStatus = "ok" | "failed" | "missing" | "skipped";

export interface StackCheck {
  /** What is checked, e.g. "promtool check config". */
  readonly name: string;
  /** The command as a person would type it in the output folder. */
  readonly command: string;
  readonly status: CheckStatus;
  /** The tool's output when it failed; the install advice when it is missing; the reason when skipped. */
  readonly output: string;
}

export interface CheckStackOptions {
  /** A missing tool does not fail the check (it is still reported). */
  readonly skipMissing?: boolean;
  /** Where to look for the tools (default: PATH). */
  readonly searchPath?: string;
  /** Per tool run (default 120 s). */
  readonly timeoutMs?: number;
}

export interface CheckStackResult {
  readonly outDir: string;
  /** Every check passed (missing tools count as failures unless skipMissing). */
  readonly ok: boolean;
  readonly checks: readonly StackCheck[];
}

/** Debian packages that ship each tool. */
const INSTALL: Record<string, string> = {
  promtool: "install promtool (Debian: apt install prometheus)",
  amtool: "install amtool (Debian: apt install prometheus-alertmanager)",
  compose: "install Docker Compose (Debian: apt install docker-compose, or Docker's compose plugin)",
  stack: "install the Docker CLI 23 or newer (docker stack config; Debian 12's docker.io 20.10 lacks it)",
};

interface Tool {
  readonly file: string;
  /** Arguments before the check's own (["compose"] for the Docker CLI plugin). */
  readonly prefix: readonly string[];
  readonly display: string;
}

export async function checkStack(outDir: string, options: CheckStackOptions = {}): Promise<CheckStackResult> {
  const dir = path.resolve(outDir);
  const prometheusFile = path.join(dir, "prometheus/prometheus.yml");
  // Target swarm writes docker-stack.yml instead of docker-compose.yml.
  const composeFile = ["docker-compose.yml", "docker-stack.yml"].find((file) => existsSync(path.join(dir, file)));
  if (existsSync(path.join(dir, "kubernetes/kustomization.yaml"))) {
    // No Kubernetes API server to ask: the real tools that judge this target offline, for the user to run.
    throw new OutputError(
      `${outDir} holds Kubernetes manifests (target kubernetes); check judges Docker stacks. From ${outDir}, the offline checks are: ` +
        `"promtool check rules prometheus/rules/*.rules.yml", "promtool test rules prometheus/rules/tests/*.test.yml" and ` +
        `"kubectl kustomize kubernetes"; then "kubectl apply -k kubernetes --dry-run=server" against your cluster.`,
    );
  }
  if (!existsSync(prometheusFile) || !composeFile) {
    throw new OutputError(
      `${outDir}: not a generated stack (no docker-compose.yml and prometheus/prometheus.yml). ` +
        `Generate one with "flink-prometheus-stack generate -o ${outDir}", or pass the folder with -o.`,
    );
  }
  const searchPath = options.searchPath ?? process.env.PATH ?? "";
  const timeoutMs = options.timeoutMs;
  const promtool = findExecutable("promtool", searchPath);
  const amtool = findExecutable("amtool", searchPath);
  const swarm = composeFile === "docker-stack.yml";
  const compose = swarm ? await findStackConfig(searchPath) : await findCompose(searchPath);

  const composeDoc = readYaml(path.join(dir, composeFile));
  const mappings = (service: string): PathMapping[] =>
    composeDoc.ok && composeDoc.value && typeof composeDoc.value === "object" ? serviceMappings(composeDoc.value, service, dir) : [];
  const scratch = mkdtempSync(path.join(tmpdir(), "fps-check-"));
  try {
    const checks: Array<Promise<StackCheck>> = [];
    // Tool output names the temporary copies by the files they stand for.
    const copies = new Map<string, string>();
    const unscratch = (text: string) => [...copies].reduce((out, [copy, original]) => out.replaceAll(copy, original), text).replaceAll(`${dir}/`, "");
    const run = (name: string, command: string, tool: Tool | undefined, installKey: string, args: readonly string[]): Promise<StackCheck> => {
      if (!tool) return Promise.resolve({ name, command, status: "missing", output: `not found: ${INSTALL[installKey]}` });
      return runExecutable(tool.file, [...tool.prefix, ...args], { cwd: dir, ...(timeoutMs ? { timeoutMs } : {}) }).then((result: ToolRun) => ({
        name,
        command,
        status: result.status === 0 ? "ok" : "failed",
        output: result.status === 0 ? "" : unscratch(result.output),
      }));
    };
    const promtoolTool = promtool ? { file: promtool, prefix: [], display: "promtool" } : undefined;

    // prometheus.yml, with its container paths (rule files, secret files) mapped to this folder.
    const prometheus = readYaml(prometheusFile);
    const prometheusMapped = prometheus.ok
      ? anchorRuleFiles(mapContainerPaths(prometheus.value, mappings("prometheus")), path.dirname(prometheusFile))
      : undefined;
    const prometheusCopy = prometheus.ok ? writeCopy(scratch, "prometheus.yml", prometheusMapped) : prometheusFile; // promtool reports a parse error itself
    copies.set(prometheusCopy, "prometheus/prometheus.yml");
    checks.push(
      run(
        "promtool check config",
        "promtool check config prometheus/prometheus.yml (container paths mapped to this folder)",
        promtoolTool,
        "promtool",
        ["check", "config", prometheusCopy],
      ),
    );

    const ruleFiles = listRuleFiles(prometheusMapped);
    if (ruleFiles.length > 0) {
      const shown = ruleFiles.map((file) => (file.startsWith(`${dir}/`) ? path.relative(dir, file) : file));
      checks.push(run("promtool check rules", `promtool check rules ${shown.join(" ")}`, promtoolTool, "promtool", ["check", "rules", ...ruleFiles]));
    } else {
      checks.push(
        Promise.resolve({
          name: "promtool check rules",
          command: "promtool check rules",
          status: "skipped",
          output: prometheus.ok ? "prometheus.yml names no rule files" : "prometheus.yml does not parse (see promtool check config)",
        }),
      );
    }

    const testsDir = path.join(dir, "prometheus/rules/tests");
    const tests = existsSync(testsDir)
      ? readdirSync(testsDir)
          .filter((file) => file.endsWith(".test.yml"))
          .sort()
      : [];
    if (tests.length > 0) {
      const relative = tests.map((file) => path.join("prometheus/rules/tests", file));
      checks.push(
        run("promtool test rules", "promtool test rules prometheus/rules/tests/*.test.yml", promtoolTool, "promtool", ["test", "rules", ...relative]),
      );
    } else {
      checks.push(
        Promise.resolve({
          name: "promtool test rules",
          command: "promtool test rules",
          status: "skipped",
          output: "no rule unit tests in prometheus/rules/tests",
        }),
      );
    }

    const alertmanagerFile = path.join(dir, "alertmanager/alertmanager.yml");
    if (existsSync(alertmanagerFile)) {
      const alertmanager = readYaml(alertmanagerFile);
      const copy = alertmanager.ok
        ? writeCopy(scratch, "alertmanager.yml", mapContainerPaths(alertmanager.value, mappings("alertmanager")))
        : alertmanagerFile;
      copies.set(copy, "alertmanager/alertmanager.yml");
      checks.push(
        run(
          "amtool check-config",
          "amtool check-config alertmanager/alertmanager.yml (container paths mapped to this folder)",
          amtool ? { file: amtool, prefix: [], display: "amtool" } : undefined,
          "amtool",
          ["check-config", copy],
        ),
      );
    }

    if (swarm) checks.push(run("docker stack config", "docker stack config -c docker-stack.yml", compose, "stack", ["-c", "docker-stack.yml"]));
    else checks.push(run("compose config", `${compose?.display ?? "docker compose"} config -q`, compose, "compose", ["config", "-q"]));

    const results = await Promise.all(checks);
    const ok = results.every(
      (check) => check.status === "ok" || check.status === "skipped" || (check.status === "missing" && options.skipMissing === true),
    );
    return { outDir, ok, checks: results };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `docker stack config` (Docker CLI 23+): reads a stack file offline, as `docker stack deploy` would. */
async function findStackConfig(searchPath: string): Promise<Tool | undefined> {
  const docker = findExecutable("docker", searchPath);
  if (docker && (await runExecutable(docker, ["stack", "config", "--help"], { timeoutMs: 20_000 })).status === 0) {
    return { file: docker, prefix: ["stack", "config"], display: "docker stack config" };
  }
  return undefined;
}

/** `docker compose` (the CLI plugin) when it answers, else Debian's / the standalone `docker-compose`. */
async function findCompose(searchPath: string): Promise<Tool | undefined> {
  const docker = findExecutable("docker", searchPath);
  if (docker && (await runExecutable(docker, ["compose", "version"], { timeoutMs: 20_000 })).status === 0) {
    return { file: docker, prefix: ["compose"], display: "docker compose" };
  }
  const standalone = findExecutable("docker-compose", searchPath);
  return standalone ? { file: standalone, prefix: [], display: "docker-compose" } : undefined;
}

function readYaml(file: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: yaml.load(readFileSync(file, "utf8")) };
  } catch {
    return { ok: false };
  }
}

/** The copy is a temp file only the user can read: alertmanager.yml may hold webhook URLs. */
function writeCopy(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, yaml.dump(value, { noRefs: true, lineWidth: -1 }), { mode: 0o600 });
  return file;
}

/** Prometheus reads relative rule files from the config file's folder; the copy lives elsewhere, so anchor them. */
function anchorRuleFiles(config: unknown, configDir: string): unknown {
  const files = listRuleFiles(config);
  if (files.length === 0) return config;
  return { ...(config as object), rule_files: files.map((file) => path.resolve(configDir, file)) };
}

function listRuleFiles(config: unknown): string[] {
  const files = (config as { rule_files?: unknown } | null)?.rule_files;
  return Array.isArray(files) ? files.filter((file): file is string => typeof file === "string") : [];
}
