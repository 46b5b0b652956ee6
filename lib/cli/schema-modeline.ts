// Where the `# yaml-language-server: $schema=…` line of a starter config points, so an editor finds the schema
// whichever way the CLI was run. Relative paths are resolved from the YAML file, absolute ones from the root.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_NAME } from "../version.js";

const SCHEMA_IN_PACKAGE = "schemas/stack.schema.json";

/** The schema this running copy of the package ships (dist/cli/ → package root). */
const RUNNING_SCHEMA = fileURLToPath(new URL(`../../${SCHEMA_IN_PACKAGE}`, import.meta.url));

/**
 * The package installed in the config's folder or above (npm install -D): a relative path, which keeps working
 * for everyone who checks the project out and installs it. Otherwise (npx, a global install, a clone): the
 * absolute path of the running package's schema, the only copy on this machine an editor can open offline.
 */
export function schemaModelineTarget(configFile: string): { target: string; installed: boolean } {
  const configDir = path.dirname(path.resolve(configFile));
  for (let dir = configDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", PACKAGE_NAME, SCHEMA_IN_PACKAGE);
    if (existsSync(candidate)) {
      const relative = path.relative(configDir, candidate).split(path.sep).join("/");
      return { target: relative.startsWith(".") ? relative : `./${relative}`, installed: true };
    }
    if (path.dirname(dir) === dir) break;
  }
  return { target: RUNNING_SCHEMA.split(path.sep).join("/"), installed: false };
}
