// deepMerge: how `overrides.*` objects from the config land on a rendered file's object.
// Plain objects merge key by key; arrays, scalars and null replace. Keys that could reach an object's
// prototype are refused, wherever they appear in the override.

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A new object: `base` with `override` merged in. Neither input is modified.
 * Throws when `override` (at any depth) has a `__proto__`, `constructor` or `prototype` key.
 */
export function deepMerge<T extends PlainObject>(base: T, override: PlainObject | undefined): T {
  if (override === undefined) return base;
  return mergeObjects(base, override, "") as T;
}

function mergeObjects(base: PlainObject, override: PlainObject, path: string): PlainObject {
  const result: PlainObject = {};
  for (const key of Object.keys(base)) define(result, key, base[key]);
  for (const key of Object.keys(override)) {
    const keyPath = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) throw new Error(`override key "${keyPath}" is not allowed`);
    const next = override[key];
    const current = Object.prototype.hasOwnProperty.call(base, key) ? base[key] : undefined;
    if (isPlainObject(next) && isPlainObject(current)) {
      define(result, key, mergeObjects(current, next, keyPath));
    } else {
      define(result, key, copyChecked(next, keyPath));
    }
  }
  return result;
}

/** A copy of an override value, checking nested keys too (an override object may land where base had none). */
function copyChecked(value: unknown, path: string): unknown {
  if (Array.isArray(value)) return value.map((item, index) => copyChecked(item, `${path}[${index}]`));
  if (isPlainObject(value)) return mergeObjects({}, value, path);
  return value;
}

function define(target: PlainObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
