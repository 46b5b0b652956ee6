/**
 * What the real-Flink end-to-end test (test/flink-e2e.test.ts) and bench/stale.ts need besides the Flink
 * harness: free port ranges, the address containers reach the host at, a webhook sink for Alertmanager,
 * and readers of Prometheus's and Alertmanager's alert APIs.
 */
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import net from "node:net";
import { networkInterfaces } from "node:os";
import { sleep } from "./cluster.js";

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive ports that nobody listens on, on `host` (0.0.0.0 for ports Flink's pull reporter binds:
 * it listens on the wildcard address). Below the kernel's ephemeral range, so outgoing connections of other
 * processes do not take them meanwhile.
 */
export async function freePortRange(count: number, host = "127.0.0.1", taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 10000);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) {
      ok = !taken.has(p) && (await canBind(p, host)) && (host === "0.0.0.0" || (await canBind(p, "0.0.0.0")));
    }
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports found on ${host}`);
}

// ---------------------------------------------------------------------------------------------
// The host as containers see it
// ---------------------------------------------------------------------------------------------

/**
 * The IPv4 address at which containers reach processes on this host: the default bridge's gateway, which is
 * what `host-gateway` (extra_hosts host.docker.internal:host-gateway) resolves to. From `docker network inspect
 * bridge`, else the docker0 interface.
 */
export function dockerHostGateway(): string {
  try {
    const gw = execFileSync("docker", ["network", "inspect", "bridge", "--format", "{{range .IPAM.Config}}{{.Gateway}}{{end}}"], {
      encoding: "utf8",
    }).trim();
    if (/^\d+\.\d+\.\d+\.\d+$/.test(gw)) return gw;
  } catch {
    /* fall through */
  }
  // os.networkInterfaces() leaves out interfaces without carrier, as docker0 is while no container uses it
  const docker0 = networkInterfaces().docker0?.find((a) => a.family === "IPv4")?.address;
  if (docker0) return docker0;
  try {
    const m = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(execFileSync("ip", ["-4", "-o", "addr", "show", "dev", "docker0"], { encoding: "utf8" }));
    if (m?.[1]) return m[1];
  } catch {
    /* no ip tool or no docker0 */
  }
  throw new Error("cannot find the Docker bridge gateway (no Gateway in `docker network inspect bridge`, no docker0 interface)");
}

// ---------------------------------------------------------------------------------------------
// Webhook sink: what Alertmanager's webhook receiver sends
// ---------------------------------------------------------------------------------------------

export interface WebhookAlert {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

export interface WebhookNotification {
  /** URL path the receiver posted to (one per scenario). */
  path: string;
  receivedAt: number;
  receiver: string;
  status: "firing" | "resolved";
  alerts: WebhookAlert[];
}

export interface WebhookSink {
  host: string;
  port: number;
  /** The URL a receiver posts to, e.g. http://172.17.0.1:PORT/<path>. */
  url(path: string): string;
  notifications: WebhookNotification[];
  close(): Promise<void>;
}

/** An HTTP server on host:0 that records every JSON POST (Alertmanager webhook payloads). */
export async function startWebhookSink(host: string): Promise<WebhookSink> {
  const notifications: WebhookNotification[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      try {
        const j = JSON.parse(body) as Omit<WebhookNotification, "path" | "receivedAt">;
        notifications.push({ path: req.url ?? "/", receivedAt: Date.now(), receiver: j.receiver, status: j.status, alerts: j.alerts ?? [] });
      } catch {
        /* not a webhook payload */
      }
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port: 0 }, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    host,
    port,
    url: (path) => `http://${host}:${port}/${path.replace(/^\//, "")}`,
    notifications,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// ---------------------------------------------------------------------------------------------
// Alert APIs
// ---------------------------------------------------------------------------------------------

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

export interface RuleAlert {
  /** Rule group (= our bundle: flink, pushgateway, node, stack). */
  group: string;
  name: string;
  state: "pending" | "firing" | "inactive";
  labels: Record<string, string>;
  activeAt: string;
  value: string;
}

export interface RulesView {
  alerts: RuleAlert[];
  /** Alerting rules whose last evaluation failed. */
  errors: Array<{ group: string; rule: string; error: string }>;
  ruleCount: number;
}

/** /api/v1/rules?type=alert: every active alert with its rule group, and rules that fail to evaluate. */
export async function prometheusRules(promUrl: string): Promise<RulesView> {
  const j = await getJson<{
    data: {
      groups: Array<{
        name: string;
        rules: Array<{ name: string; health: string; lastError?: string; alerts?: Array<Omit<RuleAlert, "group" | "name">> }>;
      }>;
    };
  }>(`${promUrl}/api/v1/rules?type=alert`);
  const alerts: RuleAlert[] = [];
  const errors: RulesView["errors"] = [];
  let ruleCount = 0;
  for (const g of j.data.groups) {
    for (const r of g.rules) {
      ruleCount++;
      if (r.health === "err") errors.push({ group: g.name, rule: r.name, error: r.lastError ?? "" });
      for (const a of r.alerts ?? []) alerts.push({ ...a, group: g.name, name: r.name });
    }
  }
  return { alerts, errors, ruleCount };
}

export interface AmAlert {
  labels: Record<string, string>;
  startsAt: string;
  status: { state: "active" | "suppressed" | "unprocessed"; inhibitedBy: string[]; silencedBy: string[] };
}

/** Alertmanager /api/v2/alerts (active, inhibited and silenced alike). */
export function alertmanagerAlerts(amUrl: string): Promise<AmAlert[]> {
  return getJson<AmAlert[]>(`${amUrl}/api/v2/alerts`);
}

const matches = (labels: Record<string, string>, want: Record<string, string>): boolean => Object.entries(want).every(([k, v]) => labels[k] === v);

export interface AlertArrival {
  alert: string;
  labels: Record<string, string>;
  /** ms from the event to: the alert's expression true (Prometheus activeAt: pending), firing (the startsAt
   * Prometheus sent to Alertmanager), delivered to the webhook (received by the sink). */
  pendingMs: number;
  firingMs: number;
  webhookMs: number;
}

export interface AlertEndpoints {
  promUrl: string;
  amUrl: string;
  sink: WebhookSink;
  /** The webhook path of this stack's receiver. */
  sinkPath: string;
}

/**
 * Waits until alert `name` (with `labels`) that started after `since` (ms) fires in Prometheus, is active in
 * Alertmanager and reached the webhook receiver. `since` minus 1 s of slack: Prometheus timestamps come from the
 * same clock (containers share the host kernel's).
 */
export async function waitForAlert(
  ep: AlertEndpoints,
  name: string,
  since: number,
  labels: Record<string, string> = {},
  timeoutMs = 90000,
): Promise<AlertArrival> {
  const after = (iso: string): boolean => Date.parse(iso) >= since - 1000;
  const want = { alertname: name, ...labels };
  let pending: number | undefined;
  let firing: number | undefined;
  let hook: number | undefined;
  let found: Record<string, string> = {};
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      if (pending === undefined) {
        const a = (await prometheusRules(ep.promUrl)).alerts.find(
          (x) => x.state === "firing" && matches({ alertname: x.name, ...x.labels }, want) && after(x.activeAt),
        );
        if (a) {
          pending = Date.parse(a.activeAt) - since;
          found = { alertname: a.name, ...a.labels };
        }
      }
      if (firing === undefined) {
        const a = (await alertmanagerAlerts(ep.amUrl)).find((x) => matches(x.labels, want) && after(x.startsAt));
        if (a) firing = Date.parse(a.startsAt) - since;
      }
      if (hook === undefined) {
        const n = ep.sink.notifications.find(
          (x) => x.path === `/${ep.sinkPath}` && x.alerts.some((a) => a.status === "firing" && matches(a.labels, want) && after(a.startsAt)),
        );
        if (n) hook = n.receivedAt - since;
      }
      if (pending !== undefined && firing !== undefined && hook !== undefined) {
        return { alert: name, labels: found, pendingMs: pending, firingMs: firing, webhookMs: hook };
      }
    } catch (e) {
      last = String(e);
    }
    await sleep(500);
  }
  const view = await prometheusRules(ep.promUrl).catch(() => undefined);
  const active =
    view?.alerts.map(
      (a) =>
        `${a.name}{${Object.entries(a.labels)
          .map(([k, v]) => `${k}="${v}"`)
          .join(",")}} ${a.state} since ${a.activeAt}`,
    ) ?? [];
  throw new Error(
    `alert ${name} ${JSON.stringify(labels)} after ${new Date(since).toISOString()}: ` +
      `firing in Prometheus: ${pending === undefined ? "no" : "yes"}, in Alertmanager: ${firing === undefined ? "no" : "yes"}, at the webhook: ${hook === undefined ? "no" : "yes"} within ${timeoutMs} ms.` +
      `\nActive in Prometheus now:\n  ${active.join("\n  ") || "(none)"}${last ? `\nlast error: ${last}` : ""}`,
  );
}
