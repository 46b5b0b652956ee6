// alertmanager/alertmanager.yml as amtool check-config reads it: unique receiver names, every receiver and
// time interval the route tree names exists (nested routes too), a root receiver, and valid durations.
import { DURATION_HINT, parsePromDuration } from "./duration.js";
import { matchersProblem } from "./matchers.js";
import { isRecord, refuse, shown, type CheckedDocument } from "./report.js";

const ROUTE_DURATIONS = ["group_wait", "group_interval", "repeat_interval"] as const;
/** Alertmanager refuses these at zero. */
const NON_ZERO = new Set(["group_interval", "repeat_interval"]);

export function checkAlertmanagerConfig(doc: CheckedDocument): void {
  const config = doc.value;
  if (!isRecord(config)) {
    refuse(doc, [], "alertmanager.yml must be a mapping");
    return;
  }
  const receivers = new Map<string, number>();
  if (!Array.isArray(config.receivers)) {
    refuse(doc, ["receivers"], `must be a list of receivers (got ${shown(config.receivers)})`);
  } else {
    config.receivers.forEach((receiver, index) => {
      const name = isRecord(receiver) ? receiver.name : undefined;
      if (typeof name !== "string" || name === "") {
        refuse(doc, ["receivers", index, "name"], `every receiver needs a name (got ${shown(name)})`);
        return;
      }
      const first = receivers.get(name);
      if (first !== undefined) {
        refuse(
          doc,
          ["receivers", index, "name"],
          `duplicate receiver name "${name}" (also receivers[${first}])`,
          "Alertmanager refuses two receivers with one name",
        );
      } else receivers.set(name, index);
    });
  }
  const intervals = new Set<string>();
  for (const key of ["time_intervals", "mute_time_intervals"]) {
    const list = config[key];
    if (Array.isArray(list)) for (const entry of list) if (isRecord(entry) && typeof entry.name === "string") intervals.add(entry.name);
  }
  if (isRecord(config.global)) {
    const timeout = config.global.resolve_timeout;
    if (timeout !== undefined && parsePromDuration(timeout) === undefined) {
      refuse(doc, ["global", "resolve_timeout"], `must be a duration such as 5m (got ${shown(timeout)})`, DURATION_HINT);
    }
  }
  if (!isRecord(config.route)) {
    refuse(doc, ["route"], `must be a route mapping (got ${shown(config.route)})`);
    return;
  }
  if (typeof config.route.receiver !== "string" || config.route.receiver === "") {
    refuse(doc, ["route", "receiver"], "the root route must name a receiver");
  }
  checkRoute(doc, config.route, ["route"], receivers, intervals);
  if (Array.isArray(config.inhibit_rules)) {
    config.inhibit_rules.forEach((rule, index) => {
      if (!isRecord(rule)) return;
      for (const key of ["source_matchers", "target_matchers"]) checkMatchers(doc, ["inhibit_rules", index, key], rule[key]);
    });
  }
}

function checkMatchers(doc: CheckedDocument, path: Array<string | number>, matchers: unknown): void {
  if (matchers === undefined) return;
  if (!Array.isArray(matchers)) {
    refuse(doc, path, `must be a list of matcher strings (got ${shown(matchers)})`);
    return;
  }
  matchers.forEach((text, index) => {
    const problem = typeof text === "string" ? matchersProblem(text) : `must be a matcher string such as team="db" (got ${shown(text)})`;
    if (problem) refuse(doc, [...path, index], problem);
  });
}

function checkRoute(
  doc: CheckedDocument,
  route: Record<string, unknown>,
  path: Array<string | number>,
  receivers: ReadonlyMap<string, number>,
  intervals: ReadonlySet<string>,
): void {
  if (route.receiver !== undefined) {
    if (typeof route.receiver !== "string") refuse(doc, [...path, "receiver"], `must be a receiver name (got ${shown(route.receiver)})`);
    else if (route.receiver !== "" && !receivers.has(route.receiver)) {
      refuse(
        doc,
        [...path, "receiver"],
        `no receiver is named "${route.receiver}"`,
        receivers.size > 0 ? `receivers: ${[...receivers.keys()].join(", ")}` : "add it to receivers",
      );
    }
  }
  for (const key of ROUTE_DURATIONS) {
    const value = route[key];
    if (value === undefined) continue;
    const ms = parsePromDuration(value);
    if (ms === undefined) refuse(doc, [...path, key], `must be a duration such as 5m (got ${shown(value)})`, DURATION_HINT);
    else if (ms === 0 && NON_ZERO.has(key)) refuse(doc, [...path, key], "must not be zero");
  }
  checkMatchers(doc, [...path, "matchers"], route.matchers);
  for (const key of ["mute_time_intervals", "active_time_intervals"]) {
    const names = route[key];
    if (!Array.isArray(names)) continue;
    names.forEach((name, index) => {
      if (typeof name !== "string" || !intervals.has(name)) {
        refuse(doc, [...path, key, index], `no time interval is named ${shown(name)}`, "define it under time_intervals");
      }
    });
  }
  if (route.routes === undefined) return;
  if (!Array.isArray(route.routes)) {
    refuse(doc, [...path, "routes"], `must be a list of routes (got ${shown(route.routes)})`);
    return;
  }
  route.routes.forEach((child, index) => {
    if (isRecord(child)) checkRoute(doc, child, [...path, "routes", index], receivers, intervals);
    else refuse(doc, [...path, "routes", index], `must be a route mapping (got ${shown(child)})`);
  });
}
