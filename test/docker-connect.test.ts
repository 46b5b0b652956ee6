// dockerode without the modules only some calls use (lib/docker/connect.ts deferRarelyUsedModules): its own
// process (node's test runner runs each file in one), so nothing loaded dockerode before. No engine needed.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { deferRarelyUsedModules } from "../lib/docker/connect.js";

const require = createRequire(import.meta.url);
const loaded = (pattern: RegExp) => Object.keys(require.cache).filter((file) => pattern.test(file));
const HEAVY = /[\\/]node_modules[\\/](@grpc|protobufjs|ssh2)[\\/]/;

test("dockerode loads without BuildKit's gRPC session and ssh2; each loads at its first use and works", async () => {
  assert.deepEqual(loaded(/[\\/]node_modules[\\/]dockerode[\\/]/), [], "dockerode must not be loaded before this test");
  deferRarelyUsedModules();
  const { default: Docker } = await import("dockerode");
  assert.equal(typeof Docker, "function");
  assert.deepEqual(loaded(HEAVY), []);

  // docker-modem's ssh transport: the stand-in loads ssh2 and returns the real agent.
  const dockerode = require.resolve("dockerode/package.json");
  const modem = createRequire(dockerode).resolve("docker-modem/package.json");
  const ssh = require(path.join(path.dirname(modem), "lib/ssh.js")) as (options: object) => { createConnection?: unknown };
  const agent = ssh({ host: "127.0.0.1", port: 1 });
  assert.equal(typeof agent.createConnection, "function");
  assert.ok(loaded(/[\\/]node_modules[\\/]ssh2[\\/]/).length > 0);

  // BuildKit's session: the stand-in loads gRPC and runs the real function (here: the dial fails, as it says).
  const withSession = require(path.join(path.dirname(dockerode), "lib/session.js")) as (
    docker: object,
    auth: undefined,
    handler: (error: Error | null) => void,
  ) => void;
  const failure = await new Promise<Error | null>((resolve) => {
    withSession({ modem: { dial: (_options: object, callback: (error: Error) => void) => callback(new Error("no engine")) } }, undefined, resolve);
  });
  assert.equal(failure?.message, "no engine");
  assert.ok(loaded(/[\\/]node_modules[\\/]@grpc[\\/]/).length > 0);
});
