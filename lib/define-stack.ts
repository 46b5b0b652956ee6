import type { StackConfig } from "./generated/stack-config.js";

/** Identity helper: a typed stack config with editor completion, for deploy scripts in TypeScript. */
export function defineStack<const T extends StackConfig>(config: T): T {
  return config;
}
