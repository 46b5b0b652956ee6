// The bin (esbuild bundles it to dist/cli/main.cjs): a `generate` with nothing to change is answered by the small
// no-change path (fast-generate.ts); everything else runs the CLI's bundle, dist/cli/bundle.cjs, with V8's code
// cache. Each is loaded only when used: a start pays for what its command needs.
import { fileURLToPath } from "node:url";

const BUNDLE = fileURLToPath(new URL("bundle.cjs", import.meta.url));
const [command = "", ...rest] = process.argv.slice(2);

async function runBundle(): Promise<void> {
  const { runBundle: run } = await import("./code-cache.js");
  run(BUNDLE, command);
}

async function launch(): Promise<void> {
  if (command === "generate") {
    // Whatever goes wrong on the no-change path, the full command runs and reports it as it always does.
    const code = await import("./fast-generate.js").then(({ tryFastGenerate }) => tryFastGenerate(rest)).catch(() => undefined);
    if (code !== undefined) {
      process.exitCode = code;
      return;
    }
  }
  await runBundle();
}

void launch();
