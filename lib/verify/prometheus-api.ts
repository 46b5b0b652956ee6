// The few Prometheus HTTP API calls `verify` needs: instant queries (POST, so long expressions fit),
// label values, build info.
import { httpRequest, HttpRequestError, type FetchFunction } from "./http.js";

export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

export type QueryAnswer =
  { readonly ok: true; readonly series: number; readonly samples: readonly Sample[] } | { readonly ok: false; readonly error: string };

interface ApiEnvelope<T> {
  status?: string;
  data?: T;
  error?: string;
  errorType?: string;
}

interface VectorItem {
  metric?: Record<string, string>;
  value?: [number, string];
}
interface MatrixItem {
  metric?: Record<string, string>;
  values?: Array<[number, string]>;
}
type QueryData =
  | { resultType: "vector"; result: VectorItem[] }
  | { resultType: "matrix"; result: MatrixItem[] }
  | { resultType: "scalar" | "string"; result: [number, string] };

export class PrometheusApi {
  constructor(
    readonly baseUrl: string,
    private readonly fetchFn: FetchFunction,
    private readonly timeoutMs: number,
  ) {}

  private async call<T>(path: string, init: RequestInit = {}): Promise<ApiEnvelope<T> & { httpStatus: number }> {
    const url = `${this.baseUrl}${path}`;
    const answer = await httpRequest(this.fetchFn, url, init, this.timeoutMs);
    let parsed: ApiEnvelope<T>;
    try {
      parsed = JSON.parse(answer.body) as ApiEnvelope<T>;
    } catch {
      throw new HttpRequestError(`${url}: HTTP ${answer.status}, not a Prometheus API answer: ${answer.body.slice(0, 200)}`, url, answer.status);
    }
    return { ...parsed, httpStatus: answer.status };
  }

  /** The server's version, e.g. "2.42.0"; throws HttpRequestError when Prometheus cannot be reached. */
  async buildVersion(): Promise<string | undefined> {
    const answer = await this.call<{ version?: string }>("/api/v1/status/buildinfo");
    if (answer.status !== "success") {
      throw new HttpRequestError(
        `${this.baseUrl}/api/v1/status/buildinfo: ${answer.error ?? `HTTP ${answer.httpStatus}`}`,
        this.baseUrl,
        answer.httpStatus,
      );
    }
    return answer.data?.version;
  }

  /** An instant query at `time` (Unix seconds). A rejected query is an answer (ok: false), not an exception. */
  async query(expr: string, time: number): Promise<QueryAnswer> {
    const body = new URLSearchParams({ query: expr, time: String(time) });
    const answer = await this.call<QueryData>("/api/v1/query", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
    if (answer.status !== "success" || !answer.data) {
      return { ok: false, error: answer.error ?? `HTTP ${answer.httpStatus}` };
    }
    const data = answer.data;
    switch (data.resultType) {
      case "vector":
        return {
          ok: true,
          series: data.result.length,
          samples: data.result.map((item) => ({ metric: item.metric ?? {}, value: Number(item.value?.[1]) })),
        };
      case "matrix":
        return {
          ok: true,
          series: data.result.length,
          samples: data.result.map((item) => ({ metric: item.metric ?? {}, value: Number(item.values?.at(-1)?.[1]) })),
        };
      default:
        return { ok: true, series: 1, samples: [{ metric: {}, value: Number(data.result[1]) }] };
    }
  }

  /** Values of `label` on series matching `match` (all series when undefined) between start and end. */
  async labelValues(label: string, match: string | undefined, start: number, end: number): Promise<string[]> {
    const params = new URLSearchParams({ start: String(start), end: String(end) });
    if (match !== undefined) params.append("match[]", match);
    const answer = await this.call<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values?${params.toString()}`);
    if (answer.status !== "success" || !Array.isArray(answer.data)) {
      throw new Error(answer.error ?? `HTTP ${answer.httpStatus}`);
    }
    return answer.data;
  }
}
