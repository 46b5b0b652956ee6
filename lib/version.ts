// This package's version, for what the generated stack runs of it (the prune sidecar's `npx` spec).
import { createRequire } from "node:module";

// ../package.json from lib/ and from dist/ alike.
export const PACKAGE_NAME = "flink-prometheus-stack";
export const PACKAGE_VERSION = (createRequire(import.meta.url)("../package.json") as { version: string }).version;
