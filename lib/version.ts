// This package's version, for what the generated stack runs of it (the prune sidecar's `npx` spec). The constants
// are generated from package.json (scripts/gen-types.mjs), so importing them, as the pure planner does, reads no file.
import { PACKAGE_NAME, PACKAGE_VERSION } from "./generated/package-version.js";

export { PACKAGE_NAME, PACKAGE_VERSION };

/**
 * The image of this package's CLI that `up` and `build-image` build locally (prune sidecar, runner image). The
 * `localhost/` registry part keeps a pull from ever reaching a public registry: it can only come from this engine.
 */
export const LOCAL_CLI_IMAGE = `localhost/${PACKAGE_NAME}:${PACKAGE_VERSION}`;
