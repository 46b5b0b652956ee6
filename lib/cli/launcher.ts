// The bin (esbuild bundles it to dist/cli/main.cjs): a `generate` with nothing to change is answered by the small
// no-change path (fast-generate.ts); everything else runs the CLI's bundle, dist/cli/bundle.cjs, with V8's code cache.
import { fileURLToPath } from "node:url";
import { runBundle } from "./code-cache.js";
import { tryFastGenerate } from "./fast-generate.js";

const BUNDLE = fileURLToPath(new URL("bundle.cjs", import.meta.url));
const [command = "", ...rest] = process.argv.slice(2);

if (command === "generate") {
  tryFastGenerate(rest).then(
    (code) => {
      if (code === undefined) runBundle(BUNDLE, command);
      else process.exitCode = code;
    },
    // Whatever went wrong, the full command runs and reports it as it always does.
    () => {
      runBundle(BUNDLE, command);
    },
  );
} else runBundle(BUNDLE, command);
