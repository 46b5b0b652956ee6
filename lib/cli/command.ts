// What every CLI command module exports, and the argv parsing they share.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { escapeControl } from "../errors.js";

export interface Command {
  readonly usage: string;
  /** Returns the exit code. */
  run(argv: string[]): Promise<number>;
}

export class UsageError extends Error {
  constructor(message: string, readonly usage: string) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

export function parseCommandArgs<T extends Options>(argv: string[], options: T, usage: string, allowPositionals = 0): Parsed<T> {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > allowPositionals) {
      throw new UsageError(`unexpected argument "${parsed.positionals[allowPositionals]}"`, usage);
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Node's own text suggests "--" for positionals, which is no help here: keep its first sentence.
    const option = /option '([^']+)'/.exec((error as Error).message)?.[1];
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) throw new UsageError(`unknown option "${option}"`, usage);
    throw new UsageError((error as Error).message.split(". ")[0]!, usage);
  }
}

/** Human output goes to stderr, so stdout stays data (--json, --stdout). */
export function say(text: string): void {
  process.stderr.write(`${escapeControl(text)}\n`);
}

export function printJson(value: unknown): void {
  // JSON.stringify leaves C1 controls and bidi overrides raw; as \uXXXX escapes the JSON stays the same data.
  process.stdout.write(`${escapeControl(JSON.stringify(value, null, 2))}\n`);
}

export const CONFIG_OPTION = { config: { type: "string", short: "c" } } as const;
