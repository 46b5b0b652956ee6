// prune-pushgateway: the Pushgateway never forgets a group, and every Flink process start with a random
// job-name suffix makes a new one. List the groups (GET /api/v1/metrics), pick those whose last push is
// older than a cutoff and whose job starts with the configured Flink jobName, and DELETE them.
// The pure parts (parse, choose, URL encoding) are separate from the HTTP calls.
import { StackError } from "../errors.js";
import { DEFAULT_TIMEOUT_MS, httpRequest, HttpRequestError, mapLimit, normalizeBaseUrl, type FetchFunction } from "../verify/http.js";

export interface PushgatewayGroup {
  /** The grouping key: `job` and the other labels of the push URL (an empty value is kept as ""). */
  readonly labels: Readonly<Record<string, string>>;
  readonly job: string;
  /** Unix seconds of the last successful push; 0 when none succeeded. */
  readonly pushTimeSeconds: number;
  /** Unix seconds of the last failed push; 0 when none failed. */
  readonly pushFailureTimeSeconds: number;
  readonly lastPushSuccessful: boolean;
  /** Metric families pushed, without the Pushgateway's push_time_seconds / push_failure_time_seconds. */
  readonly metricFamilies: number;
}

export interface StaleGroup extends PushgatewayGroup {
  /** Seconds since the group's last push attempt. */
  readonly ageSeconds: number;
}

export interface StaleGroupOptions {
  readonly olderThanSeconds: number;
  /** Only groups whose job starts with this are candidates; undefined: every group (--all-jobs). */
  readonly jobPrefix: string | undefined;
  /** Unix seconds (as push_time_seconds). */
  readonly now: number;
}

interface MetricFamilyJson {
  metrics?: Array<{ labels?: Record<string, string>; value?: string }>;
}

function familyValue(family: unknown): number {
  const value = (family as MetricFamilyJson | undefined)?.metrics?.[0]?.value;
  const number = Number(value);
  return Number.isFinite(number) ? number : 0;
}

/** The groups of a `GET /api/v1/metrics` answer (Pushgateway ≥ 1.0); throws on another shape. */
export function parsePushgatewayGroups(answer: unknown): PushgatewayGroup[] {
  const root = answer as { status?: unknown; data?: unknown } | null | undefined;
  if (root?.status !== "success" || !Array.isArray(root.data)) {
    throw new Error(`not a Pushgateway /api/v1/metrics answer: ${JSON.stringify(answer).slice(0, 200)}`);
  }
  return root.data.map((entry: Record<string, unknown>) => {
    const labels = Object.fromEntries(Object.entries((entry.labels ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    const families = Object.keys(entry).filter(
      (key) => !["labels", "last_push_successful", "push_time_seconds", "push_failure_time_seconds"].includes(key),
    );
    return {
      labels,
      job: labels.job ?? "",
      pushTimeSeconds: familyValue(entry.push_time_seconds),
      pushFailureTimeSeconds: familyValue(entry.push_failure_time_seconds),
      lastPushSuccessful: entry.last_push_successful !== false,
      metricFamilies: families.length,
    };
  });
}

/**
 * Groups to delete: job starts with `jobPrefix` (any job when undefined), and the last push is older than
 * `olderThanSeconds`. Keyed on push_time_seconds; a failed push newer than the cutoff keeps the group too
 * (its process is alive, and FlinkMetricsPushFailing needs the group). Oldest first.
 */
export function findStaleGroups(groups: readonly PushgatewayGroup[], options: StaleGroupOptions): StaleGroup[] {
  return groups
    .filter((g) => options.jobPrefix === undefined || g.job.startsWith(options.jobPrefix))
    .map((g) => ({ ...g, ageSeconds: options.now - Math.max(g.pushTimeSeconds, g.pushFailureTimeSeconds) }))
    .filter((g) => g.ageSeconds > options.olderThanSeconds)
    .sort((a, b) => b.ageSeconds - a.ageSeconds);
}

function base64url(value: string): string {
  return Buffer.from(value, "utf8").toString("base64url");
}

function segment(name: string, value: string): string {
  // Pushgateway README: `@base64` for values with "/", and "=" for an empty value.
  if (value === "") return `${name}@base64/=`;
  if (value.includes("/")) return `${name}@base64/${base64url(value)}`;
  return `${name}/${encodeURIComponent(value)}`;
}

/** The path of a group: `/metrics/job/<job>{/<label>/<value>}`, with `@base64` where needed. */
export function groupPath(labels: Readonly<Record<string, string>>): string {
  const job = labels.job;
  if (job === undefined || job === "") throw new Error("a Pushgateway group needs a non-empty job label");
  const rest = Object.keys(labels)
    .filter((name) => name !== "job")
    .sort()
    .map((name) => segment(name, labels[name]!));
  return `/metrics/${[segment("job", job), ...rest].join("/")}`;
}

export interface PushgatewayClientOptions {
  readonly fetch?: FetchFunction;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
}

function fetchOf(options: PushgatewayClientOptions): FetchFunction {
  return options.fetch ?? ((input, init) => fetch(input, init));
}

/** Every group on the Pushgateway at `url`. */
export async function listPushgatewayGroups(url: string, options: PushgatewayClientOptions = {}): Promise<PushgatewayGroup[]> {
  const target = `${normalizeBaseUrl(url)}/api/v1/metrics`;
  const answer = await httpRequest(fetchOf(options), target, {}, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (answer.status !== 200) throw new HttpRequestError(`GET ${target}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`, target, answer.status);
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    throw new HttpRequestError(`GET ${target}: not JSON (is this a Pushgateway ≥ 1.0?)`, target, answer.status);
  }
  return parsePushgatewayGroups(json);
}

/** Deletes one group (HTTP DELETE; the Pushgateway answers 202 and applies it right after). */
export async function deletePushgatewayGroup(
  url: string,
  labels: Readonly<Record<string, string>>,
  options: PushgatewayClientOptions = {},
): Promise<void> {
  const target = `${normalizeBaseUrl(url)}${groupPath(labels)}`;
  const answer = await httpRequest(fetchOf(options), target, { method: "DELETE" }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (answer.status < 200 || answer.status > 299) {
    throw new HttpRequestError(`DELETE ${target}: HTTP ${answer.status} ${answer.body.trim().slice(0, 200)}`, target, answer.status);
  }
}

export interface PruneOptions extends PushgatewayClientOptions {
  readonly url: string;
  readonly olderThanSeconds: number;
  /** Only groups whose job starts with this; undefined: every group. */
  readonly jobPrefix: string | undefined;
  /** Delete; otherwise only report (dry run). */
  readonly apply: boolean;
  /** Unix seconds; default now. */
  readonly now?: number;
}

export interface PruneFailure {
  readonly group: StaleGroup;
  readonly error: string;
}

export interface PruneResult {
  readonly url: string;
  readonly dryRun: boolean;
  readonly olderThanSeconds: number;
  readonly jobPrefix: string | undefined;
  /** Every group on the Pushgateway. */
  readonly groups: readonly PushgatewayGroup[];
  /** The groups to delete (dry run) or that were to be deleted. */
  readonly stale: readonly StaleGroup[];
  readonly deleted: readonly StaleGroup[];
  readonly failed: readonly PruneFailure[];
}

/**
 * Lists the groups, picks the stale ones and (with apply) deletes them. Throws StackError E_VERIFY when
 * the Pushgateway cannot be reached; a failed DELETE is reported in `failed`.
 */
export async function prunePushgateway(options: PruneOptions): Promise<PruneResult> {
  const url = normalizeBaseUrl(options.url);
  if (!(options.olderThanSeconds > 0)) throw new RangeError(`olderThanSeconds must be > 0 (got ${options.olderThanSeconds})`);
  let groups: PushgatewayGroup[];
  try {
    groups = await listPushgatewayGroups(url, options);
  } catch (error) {
    throw new StackError("E_VERIFY", `cannot list the groups of the Pushgateway at ${url}: ${(error as Error).message}`, { cause: error });
  }
  const now = options.now ?? Date.now() / 1000;
  const stale = findStaleGroups(groups, { olderThanSeconds: options.olderThanSeconds, jobPrefix: options.jobPrefix, now });
  const deleted: StaleGroup[] = [];
  const failed: PruneFailure[] = [];
  if (options.apply) {
    await mapLimit(stale, 4, async (group) => {
      try {
        await deletePushgatewayGroup(url, group.labels, options);
        deleted.push(group);
      } catch (error) {
        failed.push({ group, error: (error as Error).message });
      }
    });
  }
  const order = (list: StaleGroup[]) => stale.filter((g) => list.includes(g));
  return {
    url,
    dryRun: !options.apply,
    olderThanSeconds: options.olderThanSeconds,
    jobPrefix: options.jobPrefix,
    groups,
    stale,
    deleted: order(deleted),
    failed: failed.sort((a, b) => stale.indexOf(a.group) - stale.indexOf(b.group)),
  };
}
