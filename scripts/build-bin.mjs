// The CLI's bin: one CommonJS file (dist/cli/bundle.cjs) bundled from lib/cli/main.ts, so a start pays for one
// file read and compile instead of resolving and linking ~150 ESM modules; the bin itself, dist/cli/main.cjs
// (bundled from lib/cli/launcher.ts), answers a no-change `generate` without it and otherwise runs it with V8's
// code cache. The library's ESM API (dist/*.js, built by tsc) is unchanged; dockerode (native addons, only the
// Docker commands load it) stays a dependency. Run after tsc: `npm run build`.
import { build } from "esbuild";
import { chmod, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = path.join(ROOT, "dist/cli/bundle.cjs");
const BIN = path.join(ROOT, "dist/cli/main.cjs");

// Modules find files of the package (schemas/, examples/, ajv's runtime via createRequire) relative to their
// own URL. In the bundle each lib/<x>.ts gets the URL its tsc twin dist/<x>.js has, so those paths still hold.
const importMetaUrl = {
  name: "import-meta-url",
  setup(b) {
    b.onLoad({ filter: /[\\/]lib[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      const twin = path.relative(path.join(ROOT, "lib"), args.path).replace(/\.ts$/, ".js").split(path.sep).join("/");
      return { contents: source.replaceAll("import.meta.url", `__distUrl(${JSON.stringify(twin)})`), loader: "ts" };
    });
  },
};

const DIST_URL = 'const __distUrl = (file) => require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", file)).href;';
const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["dockerode"],
  // import("dockerode") becomes a require: the bin runs the bundle as a vm.Script, where import() needs a flag.
  supported: { "dynamic-import": false },
  // Only the bin keeps render records (lib/cli/render-cache.ts): its build is what their key names.
  define: { __FPS_BUNDLE__: "true" },
  plugins: [importMetaUrl],
  logLevel: "warning",
};

await build({ ...common, entryPoints: [path.join(ROOT, "lib/cli/main.ts")], outfile: OUT, banner: { js: DIST_URL } });
await build({ ...common, entryPoints: [path.join(ROOT, "lib/cli/launcher.ts")], outfile: BIN, banner: { js: `#!/usr/bin/env node\n${DIST_URL}` } });
await chmod(BIN, 0o755);
