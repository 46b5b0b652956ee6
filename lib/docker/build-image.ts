// The prune sidecar's local image (runner image): this installed package — what npm pack ships (package.json and
// its "files") plus its production dependencies, resolved as Node resolves them — on top of a Node.js base image,
// built through the Engine API. No registry is needed beyond the base image, and nothing is fetched at run time.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type Dockerode from "dockerode";
import type { StackPlan } from "../plan/types.js";
import { LOCAL_CLI_IMAGE, PACKAGE_NAME } from "../version.js";
import { connect, type Engine } from "./connect.js";
import type { DockerConnectionOptions } from "./endpoint.js";
import { engineMessage } from "./engine.js";
import { DockerError } from "./errors.js";
import { imageId } from "./inputs.js";
import type { ProgressListener, PullPolicy } from "./types.js";
import { pullImage } from "./images.js";
import type { Emit } from "./wait.js";

export const SOURCE_LABEL = "org.flink-prometheus-stack.source-sha256";
export const BASE_LABEL = "org.flink-prometheus-stack.base-id";
/** Where the package lives in the image. */
export const IMAGE_APP_DIR = `/opt/${PACKAGE_NAME}`;

interface PackageJson {
  name?: string;
  version?: string;
  files?: string[];
  bin?: string | Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** A file of the build context: where it is on this machine, and where it goes under app/. */
interface ContextFile {
  readonly source: string;
  readonly target: string;
}

const readJson = async (file: string) => JSON.parse(await fs.readFile(file, "utf8")) as PackageJson;
const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

/** This package's root: the nearest folder above this module whose package.json is ours (lib/ and dist/ alike). */
export async function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): Promise<string> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if ((await exists(manifest)) && (await readJson(manifest)).name === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package folder above ${from}`);
  }
}

/** Every regular file under `dir` (symlinks followed), skipping a `node_modules` folder directly in `skipIn`. */
async function walk(dir: string, target: string, out: ContextFile[], skipNodeModulesOf?: string): Promise<void> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const source = path.join(dir, entry.name);
    if (entry.name === "node_modules" && dir === skipNodeModulesOf) continue;
    const stat = await fs.stat(source).catch(() => undefined);
    if (stat?.isDirectory()) await walk(source, path.posix.join(target, entry.name), out, skipNodeModulesOf);
    else if (stat?.isFile()) out.push({ source, target: path.posix.join(target, entry.name) });
  }
}

/** Node's lookup of `name` from the package at `from`: node_modules/<name> in it and every folder above. */
async function resolvePackage(name: string, from: string): Promise<string | undefined> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (await exists(path.join(candidate, "package.json"))) return fs.realpath(candidate);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The production dependency tree laid out as npm would: each package at the top-level node_modules unless a
 * different copy of the same name is already found there from where it is needed, then nested under its dependent.
 */
async function dependencyFiles(root: string, out: ContextFile[]): Promise<void> {
  // placed: image folder (e.g. "" or "node_modules/a") → name → real path on this machine
  const placed = new Map<string, Map<string, string>>([["", new Map()]]);
  const visit = async (pkgDir: string, imageDir: string): Promise<void> => {
    const manifest = await readJson(path.join(pkgDir, "package.json"));
    const wanted = [
      ...Object.keys(manifest.dependencies ?? {}).map((name) => ({ name, optional: false })),
      ...Object.keys(manifest.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
      ...Object.keys(manifest.peerDependencies ?? {}).map((name) => ({ name, optional: true })),
    ];
    for (const { name, optional } of wanted) {
      const real = await resolvePackage(name, pkgDir);
      if (!real) {
        if (optional) continue;
        throw new Error(`${path.join(pkgDir, "package.json")} depends on ${name}, which is not installed (run npm install)`);
      }
      // Where a require of `name` from imageDir would land: the nearest ancestor folder that has one.
      const chain: string[] = [];
      for (let dir = imageDir; ; dir = dir.includes("/node_modules/") ? dir.slice(0, dir.lastIndexOf("/node_modules/")) : "") {
        chain.push(dir);
        if (dir === "") break;
      }
      const found = chain.find((dir) => placed.get(dir)?.has(name));
      if (found !== undefined && placed.get(found)!.get(name) === real) continue;
      const home = found === undefined ? "" : imageDir;
      const dest = home === "" ? `node_modules/${name}` : `${home}/node_modules/${name}`;
      placed.get(home)!.set(name, real);
      placed.set(dest, new Map());
      await walk(real, dest, out, real);
      await visit(real, dest);
    }
  };
  await visit(root, "");
}

/** The build context's files: what npm pack ships, then the production node_modules. Sorted by target. */
export async function packageContextFiles(root: string): Promise<{ files: ContextFile[]; bin: string }> {
  const manifest = await readJson(path.join(root, "package.json"));
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.[PACKAGE_NAME];
  if (!bin || !(await exists(path.join(root, bin)))) {
    throw new Error(`${path.join(root, bin ?? "package.json bin")} is missing: build the package first (npm run build)`);
  }
  const files: ContextFile[] = [{ source: path.join(root, "package.json"), target: "package.json" }];
  for (const entry of manifest.files ?? []) {
    const source = path.join(root, entry);
    const stat = await fs.stat(source).catch(() => undefined);
    if (stat?.isDirectory()) await walk(source, entry, files);
    else if (stat?.isFile()) files.push({ source, target: entry });
  }
  await dependencyFiles(root, files);
  files.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  return { files, bin: path.posix.normalize(bin) };
}

async function contextHash(files: readonly ContextFile[], dockerfile: string): Promise<string> {
  const hash = createHash("sha256").update(dockerfile);
  for (const file of files)
    hash.update(
      `${file.target}\0${createHash("sha256")
        .update(await fs.readFile(file.source))
        .digest("hex")}\n`,
    );
  return hash.digest("hex");
}

function dockerfile(base: string, bin: string, labels: Record<string, string>): string {
  // JSON strings are valid Dockerfile strings (exec form and LABEL values alike).
  return [
    `FROM ${base}`,
    `COPY app/ ${IMAGE_APP_DIR}/`,
    `WORKDIR ${IMAGE_APP_DIR}`,
    `ENTRYPOINT ${JSON.stringify(["node", `${IMAGE_APP_DIR}/${bin}`])}`,
    `CMD ["--help"]`,
    ...Object.entries(labels).map(([key, value]) => `LABEL ${key}=${JSON.stringify(value)}`),
    "",
  ].join("\n");
}

/** The base image's id: present, or pulled as the pull policy says; a one-paragraph E_IMAGE_MISSING otherwise. */
async function ensureBase(docker: Dockerode, image: string, base: string, policy: PullPolicy, emit: Emit): Promise<string> {
  const local = await imageId(docker, base);
  if (local && policy !== "always") return local;
  const how = `The prune sidecar's image ${image} is built locally on top of ${base} (pushgateway.prune.image), which is not on the Docker engine`;
  const fixes =
    `Pull it where a registry is reachable (\`docker pull ${base}\`; for an offline engine \`docker save ${base}\` there and \`docker load\` here), ` +
    "set pushgateway.prune.image to a Node.js 20+ image this engine has, or turn the sidecar off (pushgateway.prune.sidecar: false).";
  if (!local && policy === "never") {
    throw new DockerError("E_IMAGE_MISSING", `${how} and pulling is disabled (pull: never). ${fixes}`, { service: "pushgateway-prune", image: base });
  }
  emit({ step: "pull", service: "pushgateway-prune", message: `Pulling ${base}` });
  try {
    await pullImage(docker, base, emit, "pushgateway-prune");
  } catch (error) {
    if (local) {
      throw new DockerError(
        "E_IMAGE_MISSING",
        `Pulling image ${base} (the base of ${image}) failed: ${engineMessage(error)}. A local copy exists; pull "missing" (the default) would use it.`,
        { service: "pushgateway-prune", image: base },
        { cause: error },
      );
    }
    throw new DockerError(
      "E_IMAGE_MISSING",
      `${how} and could not be pulled: ${engineMessage(error)}. ${fixes}`,
      { service: "pushgateway-prune", image: base },
      { cause: error },
    );
  }
  const id = await imageId(docker, base);
  if (!id)
    throw new DockerError("E_IMAGE_MISSING", `${how} (pulled, but the engine does not list it). ${fixes}`, {
      service: "pushgateway-prune",
      image: base,
    });
  return id;
}

function followBuild(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
      const failed = output?.find((event) => Boolean(event.error) || Boolean(event.errorDetail));
      if (error) reject(error);
      else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error ?? "build failed"));
      else resolve();
    });
  });
}

export interface BuildCliImageOptions extends DockerConnectionOptions {
  /** The tag to build (default: localhost/flink-prometheus-stack:<this version>). */
  readonly image?: string;
  /** The Node.js 20+ base image. */
  readonly base: string;
  readonly pull?: PullPolicy;
  readonly onProgress?: ProgressListener;
  /** Rebuild even when the image has this package's content on this base. */
  readonly force?: boolean;
}

/**
 * Builds (or keeps, when its labels say it holds this package's content on the same base) this package's CLI image
 * on the engine; returns its id. The build runs no container (COPY only) and has no network. DockerError (exit 3).
 */
export async function buildCliImage(options: BuildCliImageOptions): Promise<{ image: string; id: string; built: boolean }> {
  const engine = await connect(options);
  const image = options.image ?? LOCAL_CLI_IMAGE;
  const emit: Emit = (event) => {
    try {
      options.onProgress?.(event);
    } catch {
      // a listener's bug must not break the build
    }
  };
  return { image, ...(await buildOn(engine, { image, base: options.base, pull: options.pull ?? "missing", force: options.force ?? false }, emit)) };
}

async function buildOn(
  engine: Engine,
  options: { image: string; base: string; pull: PullPolicy; force: boolean },
  emit: Emit,
): Promise<{ id: string; built: boolean }> {
  const { docker } = engine;
  const { image, base } = options;
  const baseId = await ensureBase(docker, image, base, options.pull, emit);
  let context: { files: ContextFile[]; bin: string };
  try {
    context = await packageContextFiles(await packageRoot());
  } catch (error) {
    throw new DockerError("E_DOCKER", `Cannot build the prune sidecar's image ${image}: ${(error as Error).message}.`, {
      service: "pushgateway-prune",
      image,
    });
  }
  const baseLabels = { "org.opencontainers.image.title": `${PACKAGE_NAME} CLI`, [BASE_LABEL]: baseId };
  const sourceHash = await contextHash(context.files, dockerfile(base, context.bin, baseLabels));
  const current = await docker
    .getImage(image)
    .inspect()
    .catch(() => undefined);
  if (!options.force && current?.Config?.Labels?.[SOURCE_LABEL] === sourceHash) {
    emit({ step: "image", service: "pushgateway-prune", message: `Image ${image} present (this package on ${base})` });
    return { id: current.Id, built: false };
  }
  emit({ step: "image", service: "pushgateway-prune", message: `Building ${image} on ${base} (${context.files.length} files of this package)` });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "fps-cli-image-"));
  try {
    for (const file of context.files) {
      const dest = path.join(dir, "app", ...file.target.split("/"));
      await fs.mkdir(path.dirname(dest), { recursive: true });
      await fs.copyFile(file.source, dest);
    }
    await fs.writeFile(path.join(dir, "Dockerfile"), dockerfile(base, context.bin, { ...baseLabels, [SOURCE_LABEL]: sourceHash }));
    try {
      const stream = await docker.buildImage(
        { context: dir, src: ["Dockerfile", "app"] },
        { t: image, rm: true, forcerm: true, networkmode: "none" },
      );
      await followBuild(docker, stream);
    } catch (error) {
      throw new DockerError(
        "E_DOCKER",
        `Building the prune sidecar's image ${image} on ${base} failed: ${engineMessage(error)}.`,
        { service: "pushgateway-prune", image },
        { cause: error },
      );
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  const id = await imageId(docker, image);
  if (!id) throw new DockerError("E_DOCKER", `Building ${image} finished but the engine does not list it.`, { service: "pushgateway-prune", image });
  // The previous build is now untagged: remove it unless a container still uses it.
  if (current && current.Id !== id)
    await docker
      .getImage(current.Id)
      .remove()
      .catch(() => undefined);
  emit({ step: "image", service: "pushgateway-prune", message: `Built ${image}` });
  return { id, built: true };
}

/** @internal The plan's locally built images (the prune sidecar's, runner image), built or kept; their ids by image. */
export async function buildLocalImages(engine: Engine, plan: StackPlan, pull: PullPolicy, emit: Emit): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const service of plan.services) {
    if (!service.localBuild || ids.has(service.image)) continue;
    ids.set(service.image, (await buildOn(engine, { image: service.image, base: service.localBuild.base, pull, force: false }, emit)).id);
  }
  return ids;
}
