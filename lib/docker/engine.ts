// Small helpers over dockerode: listing a project's objects, logs, exec, error mapping, and a marker file
// inside a container (what config a reloadable service has applied).
import type Dockerode from "dockerode";
import { DockerError } from "./errors.js";
import { LABEL_PROJECT, projectFilter } from "./labels.js";

export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown })?.statusCode;
  return typeof code === "number" ? code : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusCodeOf(error) === 404;
}

/** The engine's own message (`json.message`), else the error's. */
export function engineMessage(error: unknown): string {
  const err = error as { json?: { message?: string }; reason?: string; message?: string };
  const message = err?.json?.message ?? err?.message ?? String(error);
  return message.replace(/^\(HTTP code \d+\) [a-z ]+ - /i, "").trim();
}

export function dockerFailure(what: string, error: unknown, details: { service?: string } = {}): DockerError {
  if (error instanceof DockerError) return error;
  return new DockerError("E_DOCKER", `${what} failed: ${engineMessage(error)}`, details, { cause: error });
}

/**
 * The host address in an engine error about a published port, e.g. "…: Bind for 127.0.0.1:9090 failed: port is
 * already allocated" (another container) or "…: listen tcp4 127.0.0.1:9090: bind: address already in use".
 */
export function portConflict(message: string): { address: string; port: number } | undefined {
  const match =
    /Bind for (\S+?):(\d+) failed: port is already allocated/.exec(message) ??
    /listen tcp[46]? (\S+?):(\d+): bind: address already in use/.exec(message);
  return match ? { address: `${match[1]}:${match[2]}`, port: Number(match[2]) } : undefined;
}

export async function listProjectContainers(docker: Dockerode, project: string): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: JSON.stringify(projectFilter(project)) });
}

export async function listProjectNetworks(docker: Dockerode, project: string): Promise<Dockerode.NetworkInspectInfo[]> {
  const networks = await docker.listNetworks({ filters: JSON.stringify(projectFilter(project)) });
  // Older engines ignore unknown filters; check the label ourselves.
  return networks.filter((network) => network.Labels?.[LABEL_PROJECT] === project);
}

export async function listProjectVolumes(docker: Dockerode, project: string): Promise<Dockerode.VolumeInspectInfo[]> {
  const result = await docker.listVolumes({ filters: JSON.stringify(projectFilter(project)) });
  return (result.Volumes ?? []).filter((volume) => volume.Labels?.[LABEL_PROJECT] === project);
}

/** Container name without the leading slash the engine reports. */
/**
 * Force-removes a container (`volumes`: its anonymous volumes too), trying again for a few seconds while the engine
 * answers 409 (a crash-looping container it is restarting, or a removal already under way), so neither a rollback
 * nor `down` leaves one behind.
 */
export async function removeContainer(docker: Dockerode, id: string, volumes = true): Promise<void> {
  for (let tries = 1; ; tries++) {
    try {
      await docker.getContainer(id).remove({ force: true, v: volumes });
      return;
    } catch (error) {
      if (statusCodeOf(error) !== 409 || tries >= 10) throw error;
      await sleep(300);
    }
  }
}

export function bareName(name: string | undefined): string {
  return (name ?? "").replace(/^\//, "");
}

/** Splits the engine's multiplexed stdout/stderr stream (8-byte frame headers) into text. */
export function demux(buffer: Buffer): string {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const type = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    if ((type !== 0 && type !== 1 && type !== 2) || buffer[offset + 1] !== 0 || offset + 8 + size > buffer.length) {
      // Not multiplexed (a TTY container): take the rest as it is.
      chunks.push(buffer.subarray(offset));
      return Buffer.concat(chunks).toString("utf8");
    }
    chunks.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  if (offset < buffer.length) chunks.push(buffer.subarray(offset));
  return Buffer.concat(chunks).toString("utf8");
}

export async function lastLogLines(container: Dockerode.Container, lines = 30): Promise<string[]> {
  try {
    const raw = await container.logs({ stdout: true, stderr: true, tail: lines, follow: false });
    return demux(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)))
      .split("\n")
      .map((line) => line.trimEnd())
      .filter((line) => line.length > 0)
      .slice(-lines);
  } catch {
    return [];
  }
}

async function collect(stream: NodeJS.ReadableStream, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      reject(new Error(`no end of output within ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on("data", (chunk: Buffer | string) => chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
    stream.on("end", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    stream.on("error", (error) => {
      clearTimeout(timer);
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

export interface ExecResult {
  readonly exitCode: number;
  readonly output: string;
}

/** Runs a command in a running container and waits for it (as the container's user). */
export async function execIn(container: Dockerode.Container, cmd: readonly string[], timeoutMs = 10_000): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const output = demux(await collect(stream, timeoutMs));
  // The stream can end a moment before the engine records the exit code.
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const info = await exec.inspect();
    if (!info.Running) return { exitCode: info.ExitCode ?? -1, output };
    await new Promise((r) => setTimeout(r, 20));
  }
  return { exitCode: -1, output };
}

/** A one-file ustar archive (for PUT /containers/{id}/archive). */
export function tarFile(name: string, content: string): Buffer {
  const body = Buffer.from(content, "utf8");
  const header = Buffer.alloc(512, 0);
  header.write(name, 0, 100, "utf8");
  header.write("0000644\0", 100, 8, "ascii");
  header.write("0000000\0", 108, 8, "ascii");
  header.write("0000000\0", 116, 8, "ascii");
  header.write(`${body.length.toString(8).padStart(11, "0")}\0`, 124, 12, "ascii");
  header.write(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, "0")}\0`,
    136,
    12,
    "ascii",
  );
  header.write("        ", 148, 8, "ascii");
  header.write("0", 156, 1, "ascii");
  header.write("ustar\0", 257, 6, "ascii");
  header.write("00", 263, 2, "ascii");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512, 0);
  return Buffer.concat([header, body, padding, Buffer.alloc(1024, 0)]);
}

/** Content of the first regular file in a tar archive. */
export function untarFirstFile(archive: Buffer): string | undefined {
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return undefined;
    const size = parseInt(header.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const start = offset + 512;
    if (type === "0" || type === "\0") return archive.subarray(start, start + size).toString("utf8");
    offset = start + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** Exit codes of the container's `die` events since `sinceSeconds`, oldest first. */
export async function exitCodesSince(docker: Dockerode, id: string, sinceSeconds: number): Promise<number[]> {
  try {
    // "seconds.fraction": the engine scales the fraction to nanoseconds.
    const stream = await docker.getEvents({
      since: sinceSeconds.toFixed(3),
      // `until` in the past or now: the engine answers at once (a future one would stream until then).
      until: (Date.now() / 1000).toFixed(3),
      filters: JSON.stringify({ type: ["container"], event: ["die"], container: [id] }),
    } as unknown as Dockerode.GetEventsOptions);
    const text = (await collect(stream, 5000)).toString("utf8");
    return text
      .split("\n")
      .filter((line) => line.trim().length > 0)
      .map((line) => Number((JSON.parse(line) as { Actor?: { Attributes?: { exitCode?: string } } }).Actor?.Attributes?.exitCode))
      .filter((code) => Number.isFinite(code));
  } catch {
    return [];
  }
}

/** Where `up` records, inside a reloadable container, the config-files hash it last applied with a reload. */
export const APPLIED_MARKER_DIR = "/";
export const APPLIED_MARKER_FILE = ".flink-prometheus-stack.applied-config";

export async function readAppliedMarker(container: Dockerode.Container): Promise<string | undefined> {
  try {
    const stream = await container.getArchive({ path: `${APPLIED_MARKER_DIR}${APPLIED_MARKER_FILE}` });
    return untarFirstFile(await collect(stream, 10_000))?.trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function writeAppliedMarker(container: Dockerode.Container, hash: string): Promise<boolean> {
  try {
    await container.putArchive(tarFile(APPLIED_MARKER_FILE, `${hash}\n`), { path: APPLIED_MARKER_DIR });
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
