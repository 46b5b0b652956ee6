// Where a value of a rendered document came from: an `overrides.*` entry of the config, or the generator.
// Refusals name the override's path when the user wrote the value, so the fix is obvious.
import { isPlainObject } from "../render/merge.js";

export type DocPath = ReadonlyArray<string | number>;

export interface DocSource {
  /** Output-relative file, e.g. "prometheus/prometheus.yml". */
  readonly file: string;
  /** The override merged into this document (deepMerge: objects merge, arrays and scalars replace). */
  readonly override: unknown;
  /** Its config path, e.g. "overrides.prometheus". */
  readonly overridePath: string;
  /** Where in the document the override lands ([] = the whole document). */
  readonly prefix: DocPath;
}

function formatDocPath(path: DocPath, base = ""): string {
  let out = base;
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out ? `.${key}` : key;
  return out;
}

/** The config path of the value at `path` when an override wrote it, else "<file>:<path in the file>". */
export function locate(source: DocSource, path: DocPath): string {
  const generated = `${source.file}:${formatDocPath(path)}`;
  if (!isPlainObject(source.override) || !startsWith(path, source.prefix)) return generated;
  const rest = path.slice(source.prefix.length);
  let node: unknown = source.override;
  let at = source.overridePath;
  for (let index = 0; index < rest.length; index++) {
    const key = rest[index]!;
    if (!isPlainObject(node) || typeof key !== "string" || !Object.prototype.hasOwnProperty.call(node, key)) return generated;
    node = node[key];
    at = formatDocPath([key], at);
    // An array or a scalar replaced what was generated: everything below it is the override's.
    if (!isPlainObject(node)) return formatDocPath(rest.slice(index + 1), at);
  }
  return at;
}

function startsWith(path: DocPath, prefix: DocPath): boolean {
  return prefix.length <= path.length && prefix.every((key, index) => path[index] === key);
}
