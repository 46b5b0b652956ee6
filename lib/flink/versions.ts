// What each Flink version's Prometheus reporters understand (research/flink-reporter.md §1, summary table).

export const SUPPORTED_FLINK_VERSIONS = [
  "1.6", "1.7", "1.8", "1.9", "1.10", "1.11", "1.12", "1.13", "1.14", "1.15", "1.16", "1.17", "1.18",
  "1.19", "1.20", "2.0", "2.1", "2.2", "2.3",
] as const;

export type FlinkMinorVersion = (typeof SUPPORTED_FLINK_VERSIONS)[number];

export interface FlinkVersion {
  /** "1.20" */
  readonly minor: FlinkMinorVersion;
  /** "1.20.4" when the user gave a patch level, else undefined. */
  readonly patch: number | undefined;
  readonly major: number;
  readonly minorNumber: number;
}

export interface FlinkFeatures {
  /** `class` (≤ 1.10, jar copied from opt/ to lib/) or `factory.class` (≥ 1.11, plugin). */
  readonly reporterKey: "class" | "factory.class";
  readonly jarInOpt: boolean;
  /** host + port (≤ 1.14) or hostUrl (≥ 1.15; required on 2.x). */
  readonly pushAddress: "host-port" | "hostUrl";
  readonly groupingKey: boolean;
  readonly scopeVariablesExcludes: boolean;
  readonly filterLabelValueCharacters: boolean;
  /** ≤ 1.11: "<n> SECONDS" only; ≥ 1.12: any Duration such as "15 s". */
  readonly intervalFormat: "timeunit" | "duration";
  readonly configFile: "flink-conf.yaml" | "config.yaml";
  /** Write reporter values as YAML strings (config.yaml): typed values are ignored by several versions. */
  readonly quoteReporterValues: boolean;
  /** Official image's FLINK_PROPERTIES: appended verbatim (≤ 1.18) or parsed line by line, whitespace stripped. */
  readonly flinkPropertiesStripsWhitespace: boolean;
}

export function parseFlinkVersion(text: string): FlinkVersion | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const minor = `${Number(match[1])}.${Number(match[2])}`;
  if (!(SUPPORTED_FLINK_VERSIONS as readonly string[]).includes(minor)) return undefined;
  return {
    minor: minor as FlinkMinorVersion,
    patch: match[3] === undefined ? undefined : Number(match[3]),
    major: Number(match[1]),
    minorNumber: Number(match[2]),
  };
}

/** Compares a version with "major.minor": negative when older. */
export function compareFlinkVersion(version: FlinkVersion, other: string): number {
  const [major, minor] = other.split(".").map(Number) as [number, number];
  return version.major !== major ? version.major - major : version.minorNumber - minor;
}

export function atLeast(version: FlinkVersion, other: string): boolean {
  return compareFlinkVersion(version, other) >= 0;
}

export function flinkFeatures(version: FlinkVersion): FlinkFeatures {
  const configYaml = atLeast(version, "1.19");
  return {
    reporterKey: atLeast(version, "1.11") ? "factory.class" : "class",
    jarInOpt: !atLeast(version, "1.11"),
    pushAddress: atLeast(version, "1.15") ? "hostUrl" : "host-port",
    groupingKey: atLeast(version, "1.10"),
    scopeVariablesExcludes: atLeast(version, "1.10"),
    filterLabelValueCharacters: atLeast(version, "1.8"),
    intervalFormat: atLeast(version, "1.12") ? "duration" : "timeunit",
    configFile: configYaml ? "config.yaml" : "flink-conf.yaml",
    // 1.19–2.0.x (and 2.1.0/2.1.1, 2.2.0) ignore YAML-typed reporter values; quoting is right in every version.
    quoteReporterValues: configYaml,
    flinkPropertiesStripsWhitespace: configYaml,
  };
}
