// Reading Flink reporter settings the way Flink and its Docker image read them, so a test can hold a README
// snippet and a generated file to the same rules.
import yaml from "js-yaml";

/** Java's String.trim(): strips every char <= U+0020 from both ends (not Unicode whitespace). */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

export interface FlatParse {
  readonly pairs: Record<string, string>;
  /** Lines Flink skips with a WARN (no ": " separator, empty key or value). */
  readonly skipped: string[];
}

/**
 * flink-conf.yaml as Flink ≤ 1.18 (and 1.19/1.20 with a legacy file) reads it: GlobalConfiguration.loadYAMLResource.
 * Per line: everything from the first '#' is a comment; trim; split on the first ": "; trim key and value; skip
 * the line when either is empty; quotes are kept; a later key wins.
 */
export function parseFlinkConfFlat(text: string): FlatParse {
  const pairs: Record<string, string> = {};
  const skipped: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const conf = javaTrim(line.split("#")[0]!);
    if (conf.length === 0) continue;
    const at = conf.indexOf(": ");
    if (at < 0) {
      skipped.push(line);
      continue;
    }
    const key = javaTrim(conf.slice(0, at));
    const value = javaTrim(conf.slice(at + 2));
    if (key.length === 0 || value.length === 0) {
      skipped.push(line);
      continue;
    }
    pairs[key] = value;
  }
  return { pairs, skipped };
}

/**
 * config.yaml as Flink ≥ 1.19 reads it: standard YAML, nested maps flattened with '.'. Values keep their YAML
 * type (the typing bug: 1.19–2.0 reporters ignore anything that is not a string), so they are returned as is.
 */
export function parseConfigYaml(text: string): Record<string, unknown> {
  const doc = yaml.load(text);
  const out: Record<string, unknown> = {};
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, prefix ? `${prefix}.${key}` : key);
    } else {
      out[prefix] = value;
    }
  };
  if (doc !== undefined && doc !== null) walk(doc, "");
  return out;
}

/**
 * FLINK_PROPERTIES as the official image applies it. Images ≤ 1.18 append it to flink-conf.yaml (the flat rules);
 * 1.19+ images strip all whitespace from each line, split at the first ':' and pass `-Dkey=value` (a string).
 */
export function parseFlinkProperties(text: string, configFile: "flink-conf.yaml" | "config.yaml"): FlatParse {
  if (configFile === "flink-conf.yaml") return parseFlinkConfFlat(text);
  const pairs: Record<string, string> = {};
  const skipped: string[] = [];
  for (const line of text.split("\n")) {
    const prop = line.replace(/\s/g, "");
    if (prop.length === 0) continue;
    const at = prop.indexOf(":");
    if (at <= 0) {
      skipped.push(line);
      continue;
    }
    pairs[prop.slice(0, at)] = prop.slice(at + 1);
  }
  return { pairs, skipped };
}

/** Fenced code blocks of a Markdown text, each with the prose since the previous block. */
export interface FencedBlock {
  readonly info: string;
  readonly body: string;
  readonly before: string;
  readonly line: number;
}

export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split("\n");
  let prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) {
      prose.push(lines[i]!);
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`unclosed code block at line ${start + 1}`);
    blocks.push({ info: open[1]!, body: body.join("\n"), before: prose.join("\n"), line: start + 1 });
    prose = [];
  }
  return blocks;
}
