// When a service counts as ready, as data (in the spirit of testcontainers' Wait.forHttp / forHealthCheck /
// forLogMessage / forAll): the plan says what to wait for, lib/docker/wait-strategies.ts does the waiting.

/** An HTTP endpoint inside the container answers with a 2xx status. */
export interface HttpWait {
  readonly kind: "http";
  readonly path: string;
  /** Container port. */
  readonly port: number;
  readonly timeoutMs?: number;
}

/** The container's own healthcheck passes (Docker's status, or the same command run by `up`). */
export interface HealthCheckWait {
  readonly kind: "healthcheck";
  readonly timeoutMs?: number;
}

/** A line of the container's output (stdout or stderr, since it started) matches `pattern`. */
export interface LogWait {
  readonly kind: "log";
  /** A JavaScript regular expression's source. */
  readonly pattern: string;
  readonly timeoutMs?: number;
}

/** Every one of `strategies`, in order (under one timeout, when given). */
export interface AllWait {
  readonly kind: "all";
  readonly strategies: readonly WaitStrategy[];
  readonly timeoutMs?: number;
}

export type WaitStrategy = HttpWait | HealthCheckWait | LogWait | AllWait;

/** Builders: `Wait.forAll([Wait.forHealthCheck(), Wait.forHttp("/-/ready", 9090)])`. */
export const Wait = {
  forHttp: (path: string, port: number, options: { timeoutMs?: number } = {}): HttpWait => ({ kind: "http", path, port, ...options }),
  forHealthCheck: (options: { timeoutMs?: number } = {}): HealthCheckWait => ({ kind: "healthcheck", ...options }),
  forLogMessage: (pattern: RegExp | string, options: { timeoutMs?: number } = {}): LogWait => {
    const source = typeof pattern === "string" ? pattern : pattern.source;
    new RegExp(source); // a bad pattern fails where it is written, not while waiting
    return { kind: "log", pattern: source, ...options };
  },
  forAll: (strategies: readonly WaitStrategy[], options: { timeoutMs?: number } = {}): AllWait => ({ kind: "all", strategies, ...options }),
} as const;

/** The strategy's HTTP endpoints, depth first (the service's web address and reload port come from the first). */
export function httpWaits(strategy: WaitStrategy): HttpWait[] {
  if (strategy.kind === "http") return [strategy];
  if (strategy.kind === "all") return strategy.strategies.flatMap(httpWaits);
  return [];
}

/** The service's main HTTP endpoint (undefined when its strategy probes none). */
export function httpEndpoint(service: { readonly wait: WaitStrategy }): HttpWait | undefined {
  return httpWaits(service.wait)[0];
}

/** The main HTTP endpoint of a service that must have one (Prometheus, Alertmanager). */
export function requireHttpEndpoint(service: { readonly name: string; readonly wait: WaitStrategy }): HttpWait {
  const endpoint = httpEndpoint(service);
  if (!endpoint) throw new Error(`plan: service ${service.name} waits for no HTTP endpoint`);
  return endpoint;
}

/** One line describing a strategy, for messages: `healthcheck and HTTP /-/ready on port 9090`. */
export function describeWait(strategy: WaitStrategy): string {
  switch (strategy.kind) {
    case "http":
      return `HTTP ${strategy.path} on port ${strategy.port}`;
    case "healthcheck":
      return "its healthcheck";
    case "log":
      return `a log line matching /${strategy.pattern}/`;
    case "all":
      return strategy.strategies.map(describeWait).join(" and ");
  }
}
