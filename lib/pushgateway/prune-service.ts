// The prune sidecar: prunePushgateway in a loop, serving its own health and metrics over HTTP so the container
// healthcheck, `up` and Prometheus can all tell whether it is doing its job.
import { createServer, type Server } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { prunePushgateway, type PruneOptions, type PruneResult } from "./prune.js";

export interface PruneServiceOptions extends Omit<PruneOptions, "now"> {
  readonly everySeconds: number;
  /** Serve /-/healthy, /-/ready and /metrics here; nothing when undefined. */
  readonly listen?: { readonly host: string; readonly port: number };
  /** Stops the loop and the server. */
  readonly signal: AbortSignal;
  /** Called after every round with its result, or the error that ended it. */
  readonly onRound?: (outcome: PruneResult | Error) => void;
  /** Called once the server listens (with the bound port). */
  readonly onListening?: (port: number) => void;
}

/** Counters and gauges of the loop, as Prometheus's text exposition format shows them. */
export class PruneStats {
  private runsOk = 0;
  private runsFailed = 0;
  private deleted = 0;
  private deleteFailures = 0;
  private groups = 0;
  private staleGroups = 0;
  private lastRun = 0;
  private lastSuccess = 0;

  constructor(private readonly olderThanSeconds: number) {}

  /** True once a round has finished, whatever its result. */
  get ready(): boolean {
    return this.runsOk + this.runsFailed > 0;
  }

  record(outcome: PruneResult | Error, nowSeconds: number): void {
    this.lastRun = nowSeconds;
    if (outcome instanceof Error) {
      this.runsFailed++;
      return;
    }
    this.deleted += outcome.deleted.length;
    this.deleteFailures += outcome.failed.length;
    this.groups = outcome.groups.length;
    this.staleGroups = outcome.stale.length;
    if (outcome.failed.length > 0) {
      this.runsFailed++;
    } else {
      this.runsOk++;
      this.lastSuccess = nowSeconds;
    }
  }

  exposition(): string {
    const metric = (name: string, type: "counter" | "gauge", help: string, samples: Array<[labels: string, value: number]>) =>
      [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.map(([labels, value]) => `${name}${labels} ${value}`)].join("\n");
    return (
      [
        metric(
          "pushgateway_prune_runs_total",
          "counter",
          "Prune rounds by result (failure: the Pushgateway could not be listed or a delete failed).",
          [
            ['{result="success"}', this.runsOk],
            ['{result="failure"}', this.runsFailed],
          ],
        ),
        metric("pushgateway_prune_deleted_groups_total", "counter", "Pushgateway groups deleted.", [["", this.deleted]]),
        metric("pushgateway_prune_delete_failures_total", "counter", "Deletes the Pushgateway refused or did not answer.", [
          ["", this.deleteFailures],
        ]),
        metric("pushgateway_prune_groups", "gauge", "Groups on the Pushgateway at the last round that listed them.", [["", this.groups]]),
        metric("pushgateway_prune_stale_groups", "gauge", "Stale groups found at the last round that listed them, before deleting.", [
          ["", this.staleGroups],
        ]),
        metric("pushgateway_prune_last_run_timestamp_seconds", "gauge", "When the last round ended.", [["", this.lastRun]]),
        metric("pushgateway_prune_last_success_timestamp_seconds", "gauge", "When the last round without any failure ended.", [
          ["", this.lastSuccess],
        ]),
        metric("pushgateway_prune_older_than_seconds", "gauge", "A group is deleted after this long without a push.", [["", this.olderThanSeconds]]),
      ].join("\n") + "\n"
    );
  }
}

function serve(stats: PruneStats, listen: { host: string; port: number }): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { "Content-Type": type }).end(request.method === "HEAD" ? undefined : body);
    };
    if (request.method !== "GET" && request.method !== "HEAD") send(405, "text/plain", "Method Not Allowed\n");
    else if (path === "/metrics") send(200, "text/plain; version=0.0.4; charset=utf-8", stats.exposition());
    else if (path === "/-/healthy") send(200, "text/plain", "Healthy.\n");
    else if (path === "/-/ready") send(stats.ready ? 200 : 503, "text/plain", stats.ready ? "Ready.\n" : "Not ready: no round finished yet.\n");
    else send(404, "text/plain", "Not Found\n");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => resolve(server));
  });
}

/** Runs rounds every `everySeconds` until the signal aborts; a failed round is recorded, never fatal. */
export async function runPruneService(options: PruneServiceOptions): Promise<PruneStats> {
  const { everySeconds, listen, signal, onRound, onListening, ...prune } = options;
  if (!(everySeconds >= 1)) throw new RangeError(`everySeconds must be ≥ 1 (got ${everySeconds})`);
  const stats = new PruneStats(prune.olderThanSeconds);
  const server = listen ? await serve(stats, listen) : undefined;
  if (server) {
    const address = server.address();
    onListening?.(typeof address === "object" && address ? address.port : listen!.port);
  }
  try {
    while (!signal.aborted) {
      let outcome: PruneResult | Error;
      try {
        outcome = await prunePushgateway(prune);
      } catch (error) {
        outcome = error instanceof Error ? error : new Error(String(error));
      }
      stats.record(outcome, Date.now() / 1000);
      onRound?.(outcome);
      try {
        await sleep(everySeconds * 1000, undefined, { signal });
      } catch {
        break; // aborted
      }
    }
  } finally {
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return stats;
}
