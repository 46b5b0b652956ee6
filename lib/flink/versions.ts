// What each Flink version's Prometheus reporters understand (research/flink-reporter.md §1, summary table).

/** The official `flink` image of a version line, which the demo runs. */
export interface OfficialFlinkImage {
  /** Exact Flink release the image carries. */
  readonly patch: string;
  readonly java: 11 | 17;
  /** Where the tag was read. */
  readonly source: string;
}

// Tags read from apache/flink-docker `*/release.metadata` (a tag `<X.Y.Z>-java<J>` exists for every Java
// variant of the default Scala 2.12): 1.20 / 2.0 / 2.1 / 2.2 on master as of 2026-05-13, the older lines from
// the last commit that still carried their directory. Java 17 images exist from 1.18 on; 1.15–1.17 have Java 8
// and 11 only. flink-docker has no 2.3 directory yet, so 2.3 has no image (generate supports it; the demo not).
const METADATA_MASTER = "apache/flink-docker master (2026-05-13) release.metadata";
const METADATA_HISTORY = "apache/flink-docker history, last release.metadata of that line";

/** The one version table: every Flink minor version the generator supports, and its official image if any. */
export const FLINK_VERSIONS = {
  "1.6": {},
  "1.7": {},
  "1.8": {},
  "1.9": {},
  "1.10": {},
  "1.11": {},
  "1.12": {},
  "1.13": {},
  "1.14": {},
  "1.15": { image: { patch: "1.15.4", java: 11, source: METADATA_HISTORY } },
  "1.16": { image: { patch: "1.16.3", java: 11, source: METADATA_HISTORY } },
  "1.17": { image: { patch: "1.17.2", java: 11, source: METADATA_HISTORY } },
  "1.18": { image: { patch: "1.18.1", java: 17, source: METADATA_HISTORY } },
  "1.19": { image: { patch: "1.19.3", java: 17, source: METADATA_HISTORY } },
  "1.20": { image: { patch: "1.20.4", java: 17, source: METADATA_MASTER } },
  "2.0": { image: { patch: "2.0.2", java: 17, source: METADATA_MASTER } },
  "2.1": { image: { patch: "2.1.2", java: 17, source: METADATA_MASTER } },
  "2.2": { image: { patch: "2.2.1", java: 17, source: METADATA_MASTER } },
  "2.3": {},
} as const satisfies Record<string, { readonly image?: OfficialFlinkImage }>;

export type FlinkMinorVersion = keyof typeof FLINK_VERSIONS;

/** Oldest first. */
export const SUPPORTED_FLINK_VERSIONS = Object.keys(FLINK_VERSIONS) as readonly FlinkMinorVersion[];

/** The official image of a version line, if Docker Hub has one. */
export function officialFlinkImage(minor: FlinkMinorVersion): OfficialFlinkImage | undefined {
  const entry: { readonly image?: OfficialFlinkImage } = FLINK_VERSIONS[minor];
  return entry.image;
}

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
  return {
    reporterKey: atLeast(version, "1.11") ? "factory.class" : "class",
    jarInOpt: !atLeast(version, "1.11"),
    pushAddress: atLeast(version, "1.15") ? "hostUrl" : "host-port",
    groupingKey: atLeast(version, "1.10"),
    scopeVariablesExcludes: atLeast(version, "1.10"),
    filterLabelValueCharacters: atLeast(version, "1.8"),
    intervalFormat: atLeast(version, "1.12") ? "duration" : "timeunit",
    configFile: atLeast(version, "1.19") ? "config.yaml" : "flink-conf.yaml",
  };
}
