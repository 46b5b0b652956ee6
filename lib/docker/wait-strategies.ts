// Waiting for a service by its plan's WaitStrategy (lib/plan/wait.ts): its healthcheck, an HTTP endpoint, a log
// line, or all of them at once. Each strategy is bounded by its own timeout (if any) and `up`'s overall deadline,
// fails fast when the container exits, and says on failure which service, what it waited for and what it saw last.
import type Dockerode from "dockerode";
import { describeWait, type HttpWait, type LogWait, type WaitStrategy } from "../plan/wait.js";
import type { Engine } from "./connect.js";
import { demux, sleep } from "./engine.js";
import { requestService } from "./http.js";
import { cancelled, failIfExited, notReady, waitHealthy, type WaitContext, type WaitSubject } from "./wait.js";

export { Wait, describeWait, httpEndpoint, type WaitStrategy } from "../plan/wait.js";

/** The context narrowed to one strategy's own timeout. */
function scoped(context: WaitContext, strategy: WaitStrategy, signal: AbortSignal = context.signal): WaitContext {
  if (strategy.timeoutMs === undefined) return { ...context, signal };
  const deadline = Math.min(context.deadline, Date.now() + strategy.timeoutMs);
  return { ...context, signal, deadline, timeoutMs: Math.min(context.timeoutMs, strategy.timeoutMs) };
}

function within(context: WaitContext): string {
  return `within ${Math.round(context.timeoutMs / 1000)}s (timeoutMs ${context.timeoutMs})`;
}

async function waitForHttp(engine: Engine, context: WaitContext, strategy: HttpWait, subject: WaitSubject): Promise<Dockerode.ContainerInspectInfo> {
  const docker = engine.docker;
  const container = docker.getContainer(subject.id);
  let last = "no try yet";
  let delay = 100;
  for (;;) {
    if (context.signal.aborted) throw cancelled();
    const info = await container.inspect();
    await failIfExited(docker, info, subject, `it answered ${strategy.path}`);
    if (info.State.Running) {
      const answer = await requestService(engine, info, strategy.port, strategy.path);
      if (answer.ok) return info;
      last = `${answer.via}: ${answer.status ? `HTTP ${answer.status}` : answer.body.trim().slice(0, 200) || "no answer"}`;
    } else {
      last = `container ${info.State.Status}`;
    }
    if (Date.now() > context.deadline) {
      throw await notReady(
        docker,
        subject,
        subject.id,
        `did not answer ${strategy.path} on port ${strategy.port} ${within(context)}; last try ${last}`,
      );
    }
    // Short steps: each try is one loopback request, and every step of delay adds to `up`'s time to ready.
    await sleep(delay, context.signal);
    delay = Math.min(delay * 1.5, 500);
  }
}

/** Output lines of the container since it last started. */
async function logLinesSinceStart(container: Dockerode.Container, info: Dockerode.ContainerInspectInfo): Promise<string[]> {
  const started = Math.floor(Date.parse(info.State.StartedAt) / 1000);
  const raw = await container.logs({ stdout: true, stderr: true, follow: false, since: Number.isFinite(started) ? started : 0 });
  return demux(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)))
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0);
}

async function waitForLog(engine: Engine, context: WaitContext, strategy: LogWait, subject: WaitSubject): Promise<Dockerode.ContainerInspectInfo> {
  const docker = engine.docker;
  const container = docker.getContainer(subject.id);
  const pattern = new RegExp(strategy.pattern);
  let lastLine: string | undefined;
  let delay = 100;
  for (;;) {
    if (context.signal.aborted) throw cancelled();
    const info = await container.inspect();
    await failIfExited(docker, info, subject, `it logged a line matching /${strategy.pattern}/`);
    const lines = await logLinesSinceStart(container, info).catch(() => []);
    if (lines.some((line) => pattern.test(line))) return info;
    lastLine = lines.at(-1) ?? lastLine;
    if (Date.now() > context.deadline) {
      throw await notReady(
        docker,
        subject,
        subject.id,
        `logged no line matching /${strategy.pattern}/ ${within(context)}; ${lastLine === undefined ? "it logged nothing" : `last line: ${JSON.stringify(lastLine.slice(0, 300))}`}`,
      );
    }
    await sleep(delay, context.signal);
    delay = Math.min(delay * 1.5, 500);
  }
}

/**
 * Waits until `strategy` holds for the subject's container; returns the container's inspect info at that point.
 * Throws DockerError E_NOT_READY naming the service, what it waited for and what it saw last.
 */
export async function waitForStrategy(
  engine: Engine,
  context: WaitContext,
  strategy: WaitStrategy,
  subject: WaitSubject,
): Promise<Dockerode.ContainerInspectInfo> {
  switch (strategy.kind) {
    case "healthcheck":
      return waitHealthy(scoped(context, strategy), subject);
    case "http":
      return waitForHttp(engine, scoped(context, strategy), strategy, subject);
    case "log":
      return waitForLog(engine, scoped(context, strategy), strategy, subject);
    case "all": {
      // In order, as testcontainers' forAll: the healthcheck first, so a container that never gets there says
      // so (rather than whichever probe noticed first); the next strategy then usually holds at its first try.
      const own = scoped(context, strategy);
      let info: Dockerode.ContainerInspectInfo | undefined;
      for (const child of strategy.strategies) info = await waitForStrategy(engine, own, child, subject);
      return info ?? (await engine.docker.getContainer(subject.id).inspect());
    }
  }
}

/** "Waiting for prometheus: its healthcheck and HTTP /-/ready on port 9090". */
export function waitingMessage(name: string, strategy: WaitStrategy): string {
  return `Waiting for ${name}: ${describeWait(strategy)}`;
}
