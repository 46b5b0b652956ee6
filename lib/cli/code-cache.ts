// Runs a CommonJS bundle of the bin with V8's code cache, so a start after the first skips compiling its functions
// to bytecode again. Node >= 22.1 has this built in (module.enableCompileCache); on Node 20 the bundle is compiled
// through vm.Script with cachedData kept in the user's private cache folder (V8 trusts cached data, so nobody else
// may be able to plant it). One cache per command: each holds the functions its command ran, written once at the
// exit of a successful run. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { keepNewest, privateCacheDir } from "./render-cache.js";

interface NodeModuleInternals {
  enableCompileCache?: () => unknown;
  _nodeModulePaths(dir: string): string[];
}

const internals = Module as unknown as NodeModuleInternals;
const requireHere = createRequire(import.meta.url);

export function runBundle(bundle: string, command: string): void {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) requireHere(bundle);
  else if (typeof internals.enableCompileCache === "function") {
    internals.enableCompileCache();
    requireHere(bundle);
  } else runWithCodeCache(bundle, /^[a-z][a-z-]{0,30}$/.test(command) ? command : "other");
}

function cacheFileFor(bundle: string, tag: string): string | undefined {
  try {
    const dir = privateCacheDir();
    if (!dir) return undefined;
    const info = statSync(bundle);
    return path.join(dir, `v8-${tag}-${process.version}-${process.arch}-${info.size}-${Math.trunc(info.mtimeMs)}.bin`);
  } catch {
    return undefined;
  }
}

function runWithCodeCache(bundle: string, tag: string): void {
  let source = readFileSync(bundle, "utf8");
  if (source.startsWith("#!")) source = `//${source.slice(2)}`; // the wrapper below must come first
  const cacheFile = cacheFileFor(bundle, tag);
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // no cache yet: compile from source
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected === true)) {
    // At exit the cache also holds every function this run compiled lazily; a failed run (a typo, a bad config)
    // has run too little to be worth keeping.
    process.once("exit", (code) => {
      if (code !== 0) return;
      try {
        const temp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
        renameSync(temp, cacheFile);
        // The caches of earlier builds of this command's bundle are of no use any more.
        keepNewest(path.dirname(cacheFile), new RegExp(`^v8-${tag}-v\\d.*\\.bin$`), 1);
      } catch {
        // a cache is an optimisation: never a reason to fail
      }
    });
  }
  const bundleModule = new Module(bundle, undefined);
  bundleModule.filename = bundle;
  bundleModule.paths = internals._nodeModulePaths(path.dirname(bundle));
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
}
