// Validates a docker-compose.yml against the vendored Compose Specification schema (schemas/vendor/).
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import yaml from "js-yaml";

let validate: ReturnType<Ajv2020["compile"]> | undefined;

/** Problems found, as "path: message" lines; empty when the file conforms. */
export function validateComposeFile(text: string): string[] {
  if (!validate) {
    const schema = JSON.parse(readFileSync(new URL("../../schemas/vendor/compose-spec.json", import.meta.url), "utf8")) as object;
    // A third-party schema: not strict about keywords it uses for documentation.
    validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
  }
  const document = yaml.load(text);
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || "/"}: ${error.message}`);
}
