// The Engine API shapes this package's public types name, declared here so that they need no @types/dockerode
// at the user's side (dockerode ships no types; the internals use @types/dockerode, a dev dependency).

/** How dockerode is told to reach the engine (docker-modem's options, the subset the endpoint resolver sets). */
export interface EngineClientOptions {
  readonly socketPath?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: string | number | undefined;
  readonly protocol?: "http" | "https" | "ssh" | undefined;
  readonly username?: string | undefined;
  readonly sshOptions?: { readonly agent?: string | undefined } | undefined;
  readonly ca?: Buffer | undefined;
  readonly cert?: Buffer | undefined;
  readonly key?: Buffer | undefined;
}

/**
 * The dockerode client an Engine talks through. Opaque in the public types; with dockerode's types installed,
 * `engine.docker as unknown as Dockerode` gives the full client.
 */
export interface DockerClient {
  readonly modem: object;
}

/** A mount in container create options (Engine API `HostConfig.Mounts[]`). */
export interface MountSettings {
  Type: "bind" | "volume";
  Source: string;
  Target: string;
  ReadOnly: boolean;
}

/** Engine API container create options, as `up` builds them (POST /containers/create). */
export interface ContainerCreateOptions {
  name?: string;
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  User?: string;
  WorkingDir?: string;
  Env: string[];
  Labels: Record<string, string>;
  ExposedPorts: Record<string, Record<string, never>>;
  Healthcheck: { Test: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  HostConfig: {
    NetworkMode: string;
    PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>>;
    Mounts: MountSettings[];
    RestartPolicy: { Name: string; MaximumRetryCount: number };
    ExtraHosts: string[];
    Memory?: number;
    NanoCpus?: number;
    ReadonlyRootfs?: boolean;
    LogConfig?: { Type: string; Config: Record<string, string> };
  };
  NetworkingConfig: { EndpointsConfig: Record<string, { Aliases: string[] }> };
}

/** A reached engine: where it is, its version, and the API version every request uses. */
export interface Engine {
  /** The dockerode client (opaque here; see DockerClient). */
  readonly docker: DockerClient;
  readonly endpoint: {
    /** The address tried, as a URL: unix:///var/run/docker.sock, tcp://127.0.0.1:2375. */
    readonly url: string;
    /** Where the address came from, for error messages. */
    readonly source: string;
    /** True when published ports are reachable on this machine (a local socket, or tcp to loopback). */
    readonly local: boolean;
    readonly options: EngineClientOptions;
  };
  /** Engine version, e.g. "20.10.24+dfsg1". */
  readonly serverVersion: string;
  /** The API version used for every request (negotiated). */
  readonly apiVersion: string;
}
