// One HTTP request with a timeout, for `verify` and `prune-pushgateway`. Only the URL the caller gives is
// contacted; failures become an HttpRequestError that says what could not be reached and why.

export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

export const DEFAULT_TIMEOUT_MS = 10_000;

export class HttpRequestError extends Error {
  constructor(
    message: string,
    readonly url: string,
    /** The HTTP status, when an answer came. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "HttpRequestError";
  }
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** A base URL without trailing slashes; throws a TypeError unless it is http(s). */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`not a URL: ${url}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError(`not an http(s) URL: ${url}`);
  return url.replace(/\/+$/, "");
}

function reason(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError") return "timed out";
  const cause = err.cause;
  if (cause && typeof cause === "object") return cause.code ?? cause.message ?? err.message;
  return err.message;
}

/** Sends one request; resolves with any HTTP answer, rejects with HttpRequestError when none came. */
export async function httpRequest(fetchFn: FetchFunction, url: string, init: RequestInit = {}, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const why = reason(error);
    throw new HttpRequestError(`${init.method ?? "GET"} ${url}: ${why === "timed out" ? `no answer within ${timeoutMs / 1000}s` : why}`, url);
  }
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    throw new HttpRequestError(`${init.method ?? "GET"} ${url}: reading the answer failed: ${reason(error)}`, url, response.status);
  }
  return { status: response.status, body };
}

/** Runs `work` over `items` with at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
