// Generates lib/generated/stack-config.ts from schemas/stack.schema.json (the one source of truth).
// `--check` exits 1 when the committed file has drifted from the schema.
import { readFile, writeFile } from "node:fs/promises";
import { compile } from "json-schema-to-typescript";

const schemaPath = new URL("../schemas/stack.schema.json", import.meta.url);
const outPath = new URL("../lib/generated/stack-config.ts", import.meta.url);
const schema = JSON.parse(await readFile(schemaPath, "utf8"));
const banner = "/* Generated from schemas/stack.schema.json by `npm run gen:types`. Do not edit. */";
const ts = await compile(schema, "StackConfig", {
  bannerComment: banner,
  additionalProperties: false,
  unreachableDefinitions: true,
  ignoreMinAndMaxItems: true,
  style: { singleQuote: false, printWidth: 110 },
});
if (process.argv.includes("--check")) {
  const current = await readFile(outPath, "utf8").catch(() => "");
  if (current !== ts) {
    console.error("lib/generated/stack-config.ts is out of date with schemas/stack.schema.json: run npm run gen:types");
    process.exit(1);
  }
} else {
  await writeFile(outPath, ts);
}
