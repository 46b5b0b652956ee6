import type { StackConfig } from "./generated/stack-config.js";

/** Union members that are objects (FlinkProcess is a host string or an object). */
type ObjectMembers<S> = Extract<NonNullable<S>, object>;
type KeysOf<S> = S extends unknown ? keyof S : never;
type ValueAt<S, K> = S extends unknown ? (K extends keyof S ? S[K] : never) : never;
type ItemOf<S> = NonNullable<S> extends infer A ? (A extends ReadonlyArray<infer I> ? I : never) : never;

/**
 * `T` where every key the stack config does not have, at any depth, becomes `never`: a generic parameter is
 * exempt from TypeScript's excess-property check, so without this `grafanna: {…}` would compile.
 */
export type ExactStackConfig<T, Shape = StackConfig> = unknown extends Shape
  ? T
  : T extends readonly unknown[]
    ? { readonly [I in keyof T]: ExactStackConfig<T[I], ItemOf<Shape>> }
    : T extends object
      ? [KeysOf<ObjectMembers<Shape>>] extends [never]
        ? T // free-form objects (`{}`: the overrides): anything goes
        : { [K in keyof T]: K extends KeysOf<ObjectMembers<Shape>> ? ExactStackConfig<T[K], ValueAt<ObjectMembers<Shape>, K>> : never }
      : T;

/**
 * Identity helper: a typed stack config with editor completion, for deploy scripts in TypeScript. The literal
 * type is kept, and a misspelt key anywhere fails to compile.
 */
export function defineStack<const T extends StackConfig>(config: T & ExactStackConfig<T>): T {
  return config;
}
