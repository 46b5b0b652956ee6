// Typed errors: every failure a person can cause carries a code, a clear message and the CLI exit code.

export type ErrorCode =
  | "E_CONFIG_NOT_FOUND"
  | "E_CONFIG_PARSE"
  | "E_CONFIG_INVALID"
  | "E_OUTPUT"
  | "E_OUTPUT_STALE"
  | "E_DOCKER_UNAVAILABLE"
  | "E_DOCKER"
  | "E_IMAGE_MISSING"
  | "E_PORT_IN_USE"
  | "E_NOT_READY"
  | "E_COMPOSE_UNSUPPORTED"
  | "E_VERIFY";

export class StackError extends Error {
  readonly code: ErrorCode;
  /** 1: bad config or failed check; 3: Docker. */
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
  }
}

export interface ConfigIssue {
  /** Dotted path into the config, e.g. "prometheus.scrapeJobs[1].interval"; "" for the root. */
  readonly path: string;
  /** What is wrong, e.g. "must be a duration such as 15s". */
  readonly message: string;
  /** How to fix it, when we can say. */
  readonly hint?: string;
}

export class ConfigNotFoundError extends StackError {
  constructor(readonly file: string) {
    super("E_CONFIG_NOT_FOUND", `${escapeControl(file)}: no such config file. Create one with "flink-prometheus-stack init".`);
  }
}

export class ConfigParseError extends StackError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    reason: string,
  ) {
    const where = line === undefined ? file : `${file}:${line}:${column ?? 1}`;
    // The reason may quote the file (a YAML snippet): its control bytes must not reach a terminal.
    super("E_CONFIG_PARSE", escapeControl(`${where}: ${reason}`));
  }
}

export class ConfigValidationError extends StackError {
  constructor(
    readonly file: string | undefined,
    readonly issues: readonly ConfigIssue[],
  ) {
    super("E_CONFIG_INVALID", formatIssues(file, issues));
  }
}

export class OutputError extends StackError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("E_OUTPUT", message, options);
  }
}

/** Accepted, but probably not what the user wants: a config key's issue, named with the config file it is in. */
export interface StackWarning extends ConfigIssue {
  /** The config file, when the config was read from one; undefined for a config object. */
  readonly file: string | undefined;
}

/** Warnings as formatIssues shows problems, one block per config file. */
export function formatWarnings(warnings: readonly StackWarning[]): string {
  const files = [...new Set(warnings.map((warning) => warning.file))];
  return files
    .map((file) =>
      formatIssues(
        file,
        warnings.filter((warning) => warning.file === file),
        "warning",
      ),
    )
    .join("\n");
}

export function formatIssues(file: string | undefined, issues: readonly ConfigIssue[], noun = "problem"): string {
  // Paths, messages and hints quote the config (keys and values): escape what a terminal would act on.
  const head = `${escapeControl(file ?? "config")}: ${issues.length} ${noun}${issues.length === 1 ? "" : "s"}`;
  const shown = issues.map((issue) => ({
    path: escapeControl(issue.path || "(root)"),
    message: escapeControl(issue.message),
    hint: issue.hint === undefined ? undefined : escapeControl(issue.hint),
  }));
  const width = Math.min(40, Math.max(...shown.map((issue) => issue.path.length)));
  const lines = shown.map((issue) => {
    const path = issue.path.padEnd(width);
    return `  ${path}  ${issue.message}${issue.hint ? `\n  ${" ".repeat(width)}  hint: ${issue.hint}` : ""}`;
  });
  return [head, ...lines].join("\n");
}

/**
 * C0 and C1 control characters (but newline and tab), DEL, and the bidirectional overrides that reorder what a
 * terminal shows: the characters that let text quoted from a config (an ESC sequence in a key or value) act
 * on a terminal instead of being read. Each becomes a visible \uXXXX escape; the rest is unchanged.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
