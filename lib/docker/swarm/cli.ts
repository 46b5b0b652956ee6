// The Docker CLI for what only it does: `docker stack deploy` and `docker stack rm` (the Engine API has no
// stacks; the CLI turns the stack file into services, configs, secrets and networks).
import { execFile } from "node:child_process";
import { DockerError } from "../errors.js";

export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
}

export function dockerCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile("docker", [...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (!error) {
        resolve({ stdout, stderr });
        return;
      }
      const command = `docker ${args.join(" ")}`;
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(
          new DockerError(
            "E_DOCKER_UNAVAILABLE",
            `${command} needs the Docker CLI (docker) on PATH: target swarm deploys through \`docker stack deploy\`. Install the Docker CLI (Debian: apt install docker.io, or Docker's docker-ce-cli).`,
            {},
            { cause: error },
          ),
        );
        return;
      }
      const output = (stderr || stdout).trim();
      const hint = /not a swarm manager|swarm mode/i.test(output)
        ? " This engine is not a Swarm manager: run it on a manager node, or start a swarm with `docker swarm init`."
        : "";
      reject(new DockerError("E_DOCKER", `${command} failed: ${output.split("\n").slice(-5).join(" ")}${hint}`, {}, { cause: error }));
    });
  });
}
