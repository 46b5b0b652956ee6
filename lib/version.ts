// This package's version, for what the generated stack runs of it (the prune sidecar's `npx` spec).
import { createRequire } from "node:module";

// ../package.json from lib/ and from dist/ alike.
export const PACKAGE_NAME = "flink-prometheus-stack";
export const PACKAGE_VERSION = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

/**
 * The image of this package's CLI that `up` and `build-image` build locally (prune sidecar, runner image). The
 * `localhost/` registry part keeps a pull from ever reaching a public registry: it can only come from this engine.
 */
export const LOCAL_CLI_IMAGE = `localhost/${PACKAGE_NAME}:${PACKAGE_VERSION}`;
