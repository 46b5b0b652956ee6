// A generated file, fully rendered in memory before anything touches the disk.

export interface Artifact {
  /** Output-relative POSIX path, e.g. "prometheus/prometheus.yml". */
  readonly path: string;
  readonly contents: string;
  /** File mode; config files are 0644 (read by container users), secrets 0600. */
  readonly mode: number;
}

export function textArtifact(path: string, contents: string): Artifact {
  return { path, contents: contents.endsWith("\n") ? contents : `${contents}\n`, mode: 0o644 };
}

export function jsonArtifact(path: string, value: unknown): Artifact {
  return { path, contents: `${JSON.stringify(value, null, 2)}\n`, mode: 0o644 };
}
