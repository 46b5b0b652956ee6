// This package's version, for what the generated stack runs of it (the prune sidecar's `npx` spec).
import { createRequire } from "node:module";

// The bin's bundle has the version written in at build time (scripts/build-bin.mjs), so it reads no
// package.json at start; the tsc build reads ../package.json from lib/ and from dist/ alike.
declare const __PACKAGE_VERSION__: string | undefined;

export const PACKAGE_NAME = "flink-prometheus-stack";
export const PACKAGE_VERSION: string =
  typeof __PACKAGE_VERSION__ === "string" ? __PACKAGE_VERSION__ : (createRequire(import.meta.url)("../package.json") as { version: string }).version;

/**
 * The image of this package's CLI that `up` and `build-image` build locally (prune sidecar, runner image). The
 * `localhost/` registry part keeps a pull from ever reaching a public registry: it can only come from this engine.
 */
export const LOCAL_CLI_IMAGE = `localhost/${PACKAGE_NAME}:${PACKAGE_VERSION}`;
