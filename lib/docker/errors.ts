// Docker failures: one class, a code per kind of failure, always exit code 3 (DESIGN §6).
import { StackError } from "../errors.js";

export type DockerErrorCode = "E_DOCKER_UNAVAILABLE" | "E_DOCKER" | "E_NOT_READY" | "E_PORT_IN_USE" | "E_IMAGE_MISSING" | "E_COMPOSE_UNSUPPORTED";

export interface DockerErrorDetails {
  /** The service the failure is about, when there is one. */
  readonly service?: string;
  /** The image that could not be found or pulled (E_IMAGE_MISSING). */
  readonly image?: string;
  /** `ip:port` on the host that is taken (E_PORT_IN_USE). */
  readonly address?: string;
  /** The container's last log lines (E_NOT_READY). */
  readonly logs?: readonly string[];
  /** How the engine was looked for (E_DOCKER_UNAVAILABLE). */
  readonly endpoint?: string;
  /** What `up` removed again after the failure (nothing from a failed run is left behind). */
  readonly rolledBack?: readonly string[];
}

/**
 * A Docker problem. `message` is one paragraph a person can act on; `code` is for scripts; `exitCode` is 3.
 * Extends the project's StackError, so `err instanceof StackError` holds and the CLI maps it like every other error.
 */
export class DockerError extends StackError {
  declare readonly code: DockerErrorCode;
  readonly details: DockerErrorDetails;
  /** The message without the log lines: one paragraph. */
  readonly summary: string;

  /** `message` is the paragraph; the container's last log lines (details.logs) are appended below it. */
  constructor(code: DockerErrorCode, message: string, details: DockerErrorDetails = {}, options: { cause?: unknown } = {}) {
    super(code, withLogs(message, details.logs), { ...options, exitCode: 3 });
    this.summary = message;
    this.details = details;
  }

  /** The same error with a sentence about the rollback added to its paragraph. */
  withRollback(removed: readonly string[], problems: readonly string[] = []): DockerError {
    const parts: string[] = [];
    if (removed.length > 0) parts.push(`Removed what this run had created: ${removed.join(", ")}.`);
    else parts.push("This run had created nothing that needed removing.");
    if (problems.length > 0) parts.push(`Cleanup problems: ${problems.join("; ")}.`);
    const error = new DockerError(
      this.code,
      `${this.summary} ${parts.join(" ")}`,
      { ...this.details, rolledBack: removed },
      {
        cause: this.cause,
      },
    );
    error.stack = this.stack;
    return error;
  }
}

/** Repeated lines folded ("… (×3)", a container restarted by its policy logs the same thing each time). */
function withLogs(message: string, logs: readonly string[] | undefined): string {
  if (logs === undefined) return message;
  if (logs.length === 0) return `${message} It wrote no log output.`;
  const folded: string[] = [];
  let count = 0;
  logs.forEach((line, i) => {
    count += 1;
    if (logs[i + 1] !== line) {
      folded.push(count > 1 ? `${line} (×${count})` : line);
      count = 0;
    }
  });
  return `${message} Its last log lines:\n  ${folded.join("\n  ")}`;
}

export function isDockerError(error: unknown): error is DockerError {
  return error instanceof DockerError;
}
