#!/usr/bin/env node
// The bin (copied to dist/cli/main.cjs by scripts/build-bin.mjs): runs the bundled CLI, dist/cli/bundle.cjs, with
// V8's code cache, so a start after the first skips compiling the bundle's functions to bytecode again.
// Node >= 22.1 has this built in (module.enableCompileCache); on Node 20 the bundle is compiled through vm.Script
// with cachedData kept in a private folder under the temp dir (0700, owned by the user, else no cache at all:
// V8 trusts cached data, so nobody else may be able to plant it). NODE_DISABLE_COMPILE_CACHE=1 turns it off.
"use strict";
const Module = require("node:module");
const path = require("node:path");

const BUNDLE = path.join(__dirname, "bundle.cjs");
const disabled = Boolean(process.env.NODE_DISABLE_COMPILE_CACHE);

if (disabled) require(BUNDLE);
else if (typeof Module.enableCompileCache === "function") {
  Module.enableCompileCache();
  require(BUNDLE);
} else runWithCodeCache();

/** A folder only this user can write, or undefined. */
function privateCacheDir(fs, os) {
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  if (uid === undefined) return undefined; // Windows: no ownership check to rely on
  const dir = path.join(os.tmpdir(), `flink-prometheus-stack-v8-cache-${uid}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if (error.code !== "EEXIST") return undefined;
  }
  const info = fs.lstatSync(dir);
  return info.isDirectory() && info.uid === uid && (info.mode & 0o077) === 0 ? dir : undefined;
}

function runWithCodeCache() {
  const fs = require("node:fs");
  const vm = require("node:vm");
  let source = fs.readFileSync(BUNDLE, "utf8");
  if (source.startsWith("#!")) source = `//${source.slice(2)}`; // the wrapper below must come first
  let cacheFile;
  let cachedData;
  try {
    const dir = privateCacheDir(fs, require("node:os"));
    if (dir) {
      const bundle = fs.statSync(BUNDLE);
      cacheFile = path.join(dir, `${process.version}-${process.arch}-${bundle.size}-${Math.trunc(bundle.mtimeMs)}.bin`);
      cachedData = fs.readFileSync(cacheFile);
    }
  } catch {
    // no cache yet, or none to be had: compile from source
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: BUNDLE,
    cachedData,
  });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    // At exit the cache also holds every function this run compiled lazily.
    process.once("exit", () => {
      try {
        const temp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(temp, cacheFile);
      } catch {
        // a cache is an optimisation: never a reason to fail
      }
    });
  }
  const bundleModule = new Module(BUNDLE, module);
  bundleModule.filename = BUNDLE;
  bundleModule.paths = Module._nodeModulePaths(__dirname);
  script.runInThisContext().call(bundleModule.exports, bundleModule.exports, Module.createRequire(BUNDLE), bundleModule, BUNDLE, __dirname);
}
