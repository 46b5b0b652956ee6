// Robustness property test: random configs, valid ones (the property test's arbitraries) and mutated ones
// (deleted keys, swapped types, odd strings with control bytes and unicode, huge numbers, extra keys, random
// `overrides`), go through the library (checkConfig, validateConfig, buildStack) and through the real CLI
// (`validate` and `generate` in a temp folder). Any "internal error", stack trace, non-StackError throw from the
// library, raw control byte in a message, half-written output or exit code outside the README's table fails.
//
// FPS_ROBUSTNESS_SEED=<n> replays a run; FPS_ROBUSTNESS_RUNS / FPS_ROBUSTNESS_CLI_RUNS change the case counts.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import yaml from "js-yaml";
import {
  buildStack,
  checkConfig,
  checkStackConfig,
  ConfigValidationError,
  generate,
  OutputError,
  parseConfigText,
  StackError,
  validateConfig,
} from "../lib/index.js";
import { runCli, stackTraceLines, tempDir } from "./support/cli.js";
import { configArb, type Raw } from "./support/config-arbitraries.js";

const SEED = process.env.FPS_ROBUSTNESS_SEED ? Number(process.env.FPS_ROBUSTNESS_SEED) : Date.now() % 2_147_483_647;
const LIBRARY_RUNS = process.env.FPS_ROBUSTNESS_RUNS ? Number(process.env.FPS_ROBUSTNESS_RUNS) : 200;
/** Each CLI case starts two node processes (validate, generate): a modest number keeps the file under a minute. */
const CLI_RUNS = process.env.FPS_ROBUSTNESS_CLI_RUNS ? Number(process.env.FPS_ROBUSTNESS_CLI_RUNS) : 16;
/** The README's exit-code table: 0 ok, 1 invalid config or failed check, 2 usage, 3 Docker. */
const DOCUMENTED_EXIT_CODES = [0, 1, 2, 3];
/** What a terminal would act on (newline and tab are text). */
// eslint-disable-next-line no-control-regex -- raw control characters are what it looks for
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

// ---------------------------------------------------------------------------------------------------
// Mutations

type Path = ReadonlyArray<string | number>;

/** Strings no config should contain, and some it may: control bytes, escapes, unicode, huge, empty. */
const oddStringArb = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u001b[31mred\u001b[0m",
    "\u001b]0;title\u0007",
    "a\u0000b",
    "\r\n",
    "\u009b2J",
    "\u202eevil",
    "日本語",
    "🚀",
    "${HOME}",
    "$1",
    "{{ $labels.x }}",
    "'\"`",
    "../../etc/passwd",
    "/",
    "~",
    "http://",
    "http://[::1",
    "999.1.2.3",
    "host name",
    "-1",
    "0x10",
    "1e309",
    "NaN",
    "null",
    "true",
    "__proto__",
    "constructor",
    "a:b:c",
    "[::1]:99999",
    "x".repeat(5000),
  ),
  fc.string({ unit: "binary", maxLength: 20 }),
);
const oddNumberArb = fc.constantFrom(0, -1, 0.5, 1e308, -1e308, 2 ** 53 + 1, 65536, 99999, 1e-9, Number.MAX_SAFE_INTEGER);
const oddValueArb: fc.Arbitrary<unknown> = fc.oneof(
  oddStringArb,
  oddNumberArb,
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.jsonValue({ maxDepth: 3 }),
);
const extraKeyArb = fc.oneof(
  oddStringArb.filter((key) => key !== ""),
  fc.constantFrom("extra", "clusters", "version", "port", "labels"),
);

type Mutation =
  | { kind: "delete"; pick: number }
  | { kind: "replace"; pick: number; value: unknown }
  | { kind: "swap"; pick: number }
  | { kind: "add"; pick: number; key: string; value: unknown }
  | { kind: "overrides"; section: string; value: unknown };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("replace" as const), pick: fc.nat(), value: oddValueArb }),
  fc.record({ kind: fc.constant("swap" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("add" as const), pick: fc.nat(), key: extraKeyArb, value: oddValueArb }),
  fc.record({
    kind: fc.constant("overrides" as const),
    section: fc.constantFrom("compose", "prometheus", "alertmanager", "grafanaDatasource", "other"),
    value: fc.oneof(
      fc.dictionary(
        fc.oneof(fc.constantFrom("services", "global", "scrape_configs", "route", "receivers", "datasources", "x"), fc.string()),
        fc.jsonValue({ maxDepth: 4 }),
        { maxKeys: 4 },
      ),
      oddValueArb,
    ),
  }),
);

/** Every path to a value in `root` (the root itself excluded). */
function paths(root: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(root))
    root.forEach((item, index) => {
      out.push([...prefix, index]);
      paths(item, [...prefix, index], out);
    });
  else if (root !== null && typeof root === "object") {
    for (const [key, value] of Object.entries(root)) {
      out.push([...prefix, key]);
      paths(value, [...prefix, key], out);
    }
  }
  return out;
}

function containerAt(root: unknown, target: Path): Record<string | number, unknown> | undefined {
  let node = root as Record<string | number, unknown> | undefined;
  for (const key of target.slice(0, -1)) node = node?.[key] as Record<string | number, unknown> | undefined;
  return node !== null && typeof node === "object" ? node : undefined;
}

/** The same value as another type: string ↔ number, list ↔ mapping, boolean → string. */
function swapped(value: unknown): unknown {
  if (typeof value === "string") return Number.isNaN(Number(value)) ? value.length : Number(value);
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, index) => [String(index), item]));
  if (value !== null && typeof value === "object") return Object.values(value);
  return "null";
}

function mutate(config: Raw, mutations: readonly Mutation[]): Raw {
  const root = structuredClone(config);
  for (const mutation of mutations) {
    if (mutation.kind === "overrides") {
      const current = root.overrides;
      const overrides = (current !== null && typeof current === "object" && !Array.isArray(current) ? current : (root.overrides = {})) as Raw;
      overrides[mutation.section] = mutation.value;
      continue;
    }
    const all = paths(root);
    if (all.length === 0) continue;
    const target = all[mutation.pick % all.length]!;
    const parent = containerAt(root, target);
    if (!parent) continue;
    const key = target[target.length - 1]!;
    switch (mutation.kind) {
      case "delete":
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removes the key the case is about
        else delete parent[key];
        break;
      case "replace":
        parent[key] = mutation.value;
        break;
      case "swap":
        parent[key] = swapped(parent[key]);
        break;
      case "add": {
        const holder = parent[key];
        if (holder !== null && typeof holder === "object" && !Array.isArray(holder)) (holder as Raw)[mutation.key] = mutation.value;
        else if (!Array.isArray(parent)) parent[mutation.key] = mutation.value;
        break;
      }
    }
  }
  return root;
}

/** A valid config, or one with 1 to 4 mutations (three quarters of the cases). */
const caseArb: fc.Arbitrary<{ raw: Raw; mutations: readonly Mutation[] }> = fc
  .tuple(
    configArb,
    fc.oneof(
      { weight: 1, arbitrary: fc.constant([] as Mutation[]) },
      { weight: 3, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) },
    ),
  )
  .map(([config, mutations]) => ({ raw: mutate(config, mutations), mutations }));

// ---------------------------------------------------------------------------------------------------
// Checks

/** Runs the library on `raw`; returns a failure text, or undefined when it behaved. */
function libraryFailure(raw: Raw): string | undefined {
  let checked;
  try {
    checked = checkConfig(raw);
  } catch (error) {
    return `checkConfig threw ${describeError(error)}`;
  }
  try {
    validateConfig(raw);
    if (!checked.valid) return "checkConfig says invalid, validateConfig accepted";
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) return `validateConfig threw ${describeError(error)}`;
    if (checked.valid) return "checkConfig says valid, validateConfig refused";
    if (RAW_CONTROL.test(error.message)) return `a raw control character in the message: ${JSON.stringify(error.message)}`;
    if (error.issues.length === 0) return "ConfigValidationError without issues";
    return undefined;
  }
  try {
    buildStack(raw);
  } catch (error) {
    if (!(error instanceof StackError)) return `buildStack threw ${describeError(error)} for a config validateConfig accepted`;
    if (RAW_CONTROL.test(error.message)) return `a raw control character in the message: ${JSON.stringify(error.message)}`;
  }
  return undefined;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}\n${error.stack ?? ""}` : String(error);
}

/** The file a user would write: YAML (js-yaml's dump escapes what YAML cannot hold raw) or JSON. */
function configFile(dir: string, raw: Raw, index: number): string {
  const json = index % 3 === 2;
  const file = path.join(dir, `case-${index}.${json ? "json" : "yaml"}`);
  writeFileSync(file, json ? JSON.stringify(raw, null, 2) : yaml.dump(raw, { noRefs: true, lineWidth: -1 }));
  return file;
}

// ---------------------------------------------------------------------------------------------------

const scratch = tempDir("fps-robust-");
after(() => scratch.cleanup());

describe(`robustness: valid and mutated configs (seed ${SEED}; replay with FPS_ROBUSTNESS_SEED=${SEED})`, () => {
  it(`the library refuses with ConfigValidationError or builds, never anything else (${LIBRARY_RUNS} configs)`, () => {
    const seen = { valid: 0, invalid: 0, mutatedValid: 0 };
    fc.assert(
      fc.property(caseArb, ({ raw, mutations }) => {
        const failure = libraryFailure(raw);
        assert.equal(failure, undefined, `${failure}\nconfig: ${JSON.stringify(raw, null, 2).slice(0, 4000)}`);
        const valid = checkConfig(raw).valid;
        seen[valid ? "valid" : "invalid"]++;
        if (valid && mutations.length > 0) seen.mutatedValid++;
      }),
      { seed: SEED, numRuns: LIBRARY_RUNS, endOnFailure: true },
    );
    // Both paths were exercised: refusals, and builds (also of configs a mutation left valid); needs enough runs.
    if (LIBRARY_RUNS >= 100)
      assert.ok(seen.valid > LIBRARY_RUNS / 10 && seen.invalid > LIBRARY_RUNS / 3 && seen.mutatedValid > 0, JSON.stringify(seen));
  });

  it("hostile objects passed to the library get a ConfigValidationError", () => {
    const base = fc.sample(configArb, { numRuns: 1, seed: SEED })[0]!;
    const deep: Raw = {};
    let node = deep;
    for (let depth = 0; depth < 100_000; depth++) node = node.a = {};
    const cyclic: Raw = structuredClone(base);
    cyclic.overrides = { compose: { self: undefined } };
    ((cyclic.overrides as Raw).compose as Raw).self = cyclic;
    const cases: Array<[string, unknown]> = [
      ["undefined", undefined],
      ["null", null],
      ["a number", 42],
      ["a list", [base]],
      ["a string", "flink: {}"],
      ["a cycle", cyclic],
      ["100k levels deep overrides", { ...base, overrides: { prometheus: deep } }],
      ["a function", { ...base, name: () => "x" }],
      ["a bigint", { ...base, overrides: { compose: { n: 10n } } }],
      ["NaN", { ...base, prometheus: { scrapeInterval: Number.NaN } }],
      ["Infinity", { ...base, overrides: { compose: { x: Infinity } } }],
      ["a Date", { ...base, overrides: { compose: { when: new Date(0) } } }],
      ["a Map", { ...base, overrides: { compose: new Map() } }],
      // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- any class instance will do
      ["a class instance", { ...base, flink: new (class Flink {})() }],
      ["a symbol", { ...base, name: Symbol("x") }],
    ];
    for (const [name, raw] of cases) {
      for (const run of [() => validateConfig(raw), () => buildStack(raw)]) {
        assert.throws(
          run,
          (error: unknown) => {
            assert.ok(error instanceof ConfigValidationError, `${name}: ${describeError(error)}`);
            assert.ok(error.issues.length > 0 && error.issues.length <= 20, `${name}: ${error.issues.length} issues`);
            assert.doesNotMatch(error.message, /got undefined undefined/);
            return true;
          },
          name,
        );
      }
      assert.equal(checkConfig(raw).valid, false, name);
    }
  });

  it("generate() with a missing outDir, options or config: a StackError, nothing written", async () => {
    const base = fc.sample(configArb, { numRuns: 1, seed: SEED })[0]!;
    await assert.rejects(generate({ config: base } as never), (error: unknown) => {
      assert.ok(error instanceof OutputError, describeError(error));
      assert.match(error.message, /generate\(\) needs outDir, the folder to write the stack into \(got undefined\)/);
      return true;
    });
    await assert.rejects(
      generate(undefined as never),
      (error: unknown) => error instanceof StackError && error.message.includes("takes an options object"),
    );
    const outDir = path.join(scratch.dir, "no-config");
    await assert.rejects(generate({ config: undefined, outDir } as never), (error: unknown) => {
      assert.ok(error instanceof ConfigValidationError, describeError(error));
      assert.match(error.message, /the config must be a mapping \(an object\) of settings, got undefined/);
      return true;
    });
    assert.equal(existsSync(outDir), false);
  });

  it("--json output escapes C1 controls and bidi overrides too, and still parses to the same text", async () => {
    const file = path.join(scratch.dir, "c1.yaml");
    writeFileSync(file, 'flink:\n  version: "1.20"\n  clusters: []\n  "a\u009b2J\u202eb": 1\n');
    const result = await runCli(["validate", "-c", file, "--json"], { cwd: scratch.dir });
    assert.equal(result.code, 1, result.stderr);
    // eslint-disable-next-line no-control-regex -- raw control characters are what it looks for
    assert.doesNotMatch(result.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    const parsed = JSON.parse(result.stdout) as { issues: Array<{ path: string }> };
    assert.ok(
      parsed.issues.some((issue) => issue.path === "flink.a\u009b2J\u202eb"),
      result.stdout,
    );
  });

  it(`the CLI answers every config with a documented exit code and a clear message (${CLI_RUNS} configs, validate + generate)`, async () => {
    const samples = fc.sample(caseArb, { numRuns: CLI_RUNS, seed: SEED });
    const failures: string[] = [];
    const check = async (index: number) => {
      const { raw } = samples[index]!;
      const file = configFile(scratch.dir, raw, index);
      const out = path.join(scratch.dir, `out-${index}`);
      // The library's verdict on what the file holds (YAML and JSON cannot hold everything an object can).
      let library: boolean | undefined;
      try {
        library = checkStackConfig(parseConfigText(readFileSync(file, "utf8"), file)).valid;
      } catch {
        library = undefined;
      }
      for (const args of [
        ["validate", "-c", file],
        ["generate", "-c", file, "-o", out],
      ]) {
        const result = await runCli(args, { cwd: scratch.dir });
        const text = `${result.stderr}${result.stdout}`;
        const where = `case ${index} (${path.basename(file)}), ${args[0]}: exit ${result.code}\n${result.stderr.slice(0, 2000)}`;
        if (!DOCUMENTED_EXIT_CODES.includes(result.code ?? -1)) failures.push(`${where}\nexit code outside the README's table`);
        if (/internal error/i.test(text) || stackTraceLines(text).length > 0) failures.push(`${where}\ninternal error or stack trace`);
        if (RAW_CONTROL.test(result.stderr)) failures.push(`${where}\na raw control character on stderr`);
        if (result.code !== 0 && !/^error: \S|: \d+ problems?\b/m.test(result.stderr)) failures.push(`${where}\nno clear error line`);
        if (args[0] === "generate" && result.code !== 0 && existsSync(out)) failures.push(`${where}\n${out} was written although generate failed`);
        if (args[0] === "validate" && library !== undefined && library !== (result.code === 0)) {
          failures.push(`${where}\nthe library ${library ? "accepts" : "refuses"} the file's config, the CLI does not agree`);
        }
      }
    };
    // Two at a time: the machine is shared.
    for (let index = 0; index < samples.length; index += 2)
      await Promise.all([check(index), ...(index + 1 < samples.length ? [check(index + 1)] : [])]);
    assert.deepEqual(failures, [], `seed ${SEED}:\n${failures.join("\n\n")}`);
  });
});
