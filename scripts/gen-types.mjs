// Generates from schemas/stack.schema.json, the one source of truth:
//   lib/generated/stack-config.ts    the TypeScript types (json-schema-to-typescript)
//   lib/generated/validate-stack.ts  the compiled Ajv validator (standalone code: no schema compile at start-up)
// from schemas/vendor/compose-spec.json:
//   lib/generated/validate-compose.ts the compiled Compose Specification validator (a runtime compile costs ~0.6 s)
// from lib/templates/readme.ts:
//   lib/generated/readme-template.ts the precompiled handlebars template (the CLI loads only handlebars' runtime)
// and from package.json:
//   lib/generated/package-version.ts the package's name and version as constants (importing them reads no file)
// Run under tsx (npm run gen:types) so the template module can be imported.
// `--check` exits 1 when a committed file has drifted from the schema.
import { readFile, writeFile } from "node:fs/promises";
import { compile } from "json-schema-to-typescript";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import Handlebars from "handlebars";
import { README_TEMPLATE } from "../lib/templates/readme.ts";

const schema = JSON.parse(await readFile(new URL("../schemas/stack.schema.json", import.meta.url), "utf8"));
const banner = "/* Generated from schemas/stack.schema.json by `npm run gen:types`. Do not edit. */";

const types = await compile(schema, "StackConfig", {
  bannerComment: banner,
  additionalProperties: false,
  unreachableDefinitions: true,
  ignoreMinAndMaxItems: true,
  style: { singleQuote: false, printWidth: 110 },
});

// The same options as a runtime compile would use (lib/config/schema.ts reads errors' parentSchema).
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, code: { source: true, esm: true } });
const validator = [
  banner,
  "// @ts-nocheck",
  'import { createRequire } from "node:module";',
  "const require = createRequire(import.meta.url);",
  standaloneCode.default(ajv, ajv.compile(schema)),
  "",
].join("\n");

// The Compose schema is draft 2020-12 and third-party: not strict about keywords it uses for documentation.
const composeSchema = JSON.parse(await readFile(new URL("../schemas/vendor/compose-spec.json", import.meta.url), "utf8"));
const composeAjv = new Ajv2020({ strict: false, allErrors: true, code: { source: true, esm: true } });
const composeValidator = [
  "/* Generated from schemas/vendor/compose-spec.json by `npm run gen:types`. Do not edit. */",
  "// @ts-nocheck",
  'import { createRequire } from "node:module";',
  "const require = createRequire(import.meta.url);",
  standaloneCode.default(composeAjv, composeAjv.compile(composeSchema)),
  "",
].join("\n");

const readmeTemplate = [
  "/* Generated from lib/templates/readme.ts by `npm run gen:types`. Do not edit. */",
  "// @ts-nocheck",
  `export const README_TEMPLATE_SPEC = ${Handlebars.precompile(README_TEMPLATE, { noEscape: true, strict: true })};`,
  "",
].join("\n");

const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
const packageVersion = [
  "/* Generated from package.json by `npm run gen:types` (run by `npm version`). Do not edit. */",
  `export const PACKAGE_NAME = ${JSON.stringify(pkg.name)};`,
  `export const PACKAGE_VERSION = ${JSON.stringify(pkg.version)};`,
  "",
].join("\n");

const outputs = [
  [new URL("../lib/generated/package-version.ts", import.meta.url), packageVersion],
  [new URL("../lib/generated/readme-template.ts", import.meta.url), readmeTemplate],
  [new URL("../lib/generated/stack-config.ts", import.meta.url), types],
  [new URL("../lib/generated/validate-stack.ts", import.meta.url), validator],
  [new URL("../lib/generated/validate-compose.ts", import.meta.url), composeValidator],
];
if (process.argv.includes("--check")) {
  for (const [file, text] of outputs) {
    if ((await readFile(file, "utf8").catch(() => "")) !== text) {
      console.error(`lib/${file.pathname.split("/lib/")[1]} is out of date with its source: run npm run gen:types`);
      process.exit(1);
    }
  }
} else {
  for (const [file, text] of outputs) await writeFile(file, text);
}
