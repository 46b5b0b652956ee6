// The engine a swarm command talks to must be a Swarm manager: say so before the first stack call fails with
// the Engine API's 503 (services, tasks, configs and secrets live only on managers).
import { connect, type Engine } from "../connect.js";
import { DockerError } from "../errors.js";

interface SwarmInfo {
  readonly Swarm?: { readonly LocalNodeState?: string; readonly ControlAvailable?: boolean };
}

export async function connectManager(): Promise<Engine> {
  const engine = await connect();
  const info = (await engine.docker.info()) as SwarmInfo;
  const state = info.Swarm?.LocalNodeState ?? "inactive";
  if (state !== "active" || info.Swarm?.ControlAvailable !== true) {
    const what = state === "active" ? "a Swarm worker, not a manager" : `not part of a swarm (swarm state: ${state})`;
    throw new DockerError(
      "E_DOCKER",
      `The Docker engine at ${engine.endpoint.url} is ${what}. Run this on a manager node (docker node ls lists them), start a swarm with \`docker swarm init\`, or use --target compose.`,
      {},
    );
  }
  return engine;
}
