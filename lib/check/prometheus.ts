// prometheus/prometheus.yml as promtool reads it: durations, scrape_timeout <= scrape_interval (globally and
// per job, with Prometheus' own defaulting), unique job names, and relabel regexes that compile.
import { DURATION_HINT, parsePromDuration } from "./duration.js";
import { relabelRegexProblem } from "./relabel.js";
import { isRecord, refuse, shown, type CheckedDocument } from "./report.js";

const DEFAULT_SCRAPE_INTERVAL_MS = 60_000;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function checkPrometheusConfig(doc: CheckedDocument): void {
  const config = doc.value;
  if (!isRecord(config)) {
    refuse(doc, [], "prometheus.yml must be a mapping");
    return;
  }
  const global = isRecord(config.global) ? config.global : {};
  const duration = (path: Array<string | number>, value: unknown): number | undefined => {
    if (value === undefined || value === null) return undefined;
    const ms = parsePromDuration(value);
    if (ms === undefined) refuse(doc, path, `must be a Prometheus duration such as 15s (got ${shown(value)})`, DURATION_HINT);
    return ms;
  };

  // Prometheus: an unset (or zero) scrape interval is the global one (1m); an unset per-job timeout is shortened
  // to the job's interval when needed, so only a timeout that is set can exceed its interval.
  // `||`: a zero interval means unset to Prometheus too, which then uses the global (or default) one.
  // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
  const globalInterval = duration(["global", "scrape_interval"], global.scrape_interval) || DEFAULT_SCRAPE_INTERVAL_MS;
  const globalTimeoutSet = duration(["global", "scrape_timeout"], global.scrape_timeout);
  duration(["global", "evaluation_interval"], global.evaluation_interval);
  checkLabelNames(doc, ["global", "external_labels"], global.external_labels);
  if (globalTimeoutSet && globalTimeoutSet > globalInterval) {
    refuse(
      doc,
      ["global", "scrape_timeout"],
      `must not exceed global.scrape_interval (${shown(global.scrape_interval ?? "1m")})`,
      "Prometheus refuses a scrape timeout longer than the scrape interval",
    );
  }

  const jobs = config.scrape_configs ?? [];
  if (!Array.isArray(jobs)) {
    refuse(doc, ["scrape_configs"], `must be a list of scrape configs (got ${shown(jobs)})`);
  } else {
    const names = new Map<string, number>();
    jobs.forEach((job, index) => {
      const at = ["scrape_configs", index];
      if (!isRecord(job)) {
        refuse(doc, at, `must be a scrape config mapping (got ${shown(job)})`);
        return;
      }
      if (typeof job.job_name !== "string" || job.job_name === "") {
        refuse(doc, [...at, "job_name"], `every scrape config needs a job_name (got ${shown(job.job_name)})`);
      } else {
        const first = names.get(job.job_name);
        if (first !== undefined) {
          refuse(
            doc,
            [...at, "job_name"],
            `duplicate job_name "${job.job_name}" (also scrape_configs[${first}])`,
            "Prometheus refuses two scrape configs with one job name",
          );
        } else names.set(job.job_name, index);
      }
      // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing -- zero means unset, as above
      const interval = duration([...at, "scrape_interval"], job.scrape_interval) || globalInterval;
      const timeout = duration([...at, "scrape_timeout"], job.scrape_timeout);
      if (timeout && timeout > interval) {
        refuse(
          doc,
          [...at, "scrape_timeout"],
          `must not exceed the job's scrape interval (${shown(job.scrape_interval ?? global.scrape_interval ?? "1m")})`,
          "Prometheus refuses a scrape timeout longer than the scrape interval",
        );
      }
      for (const key of ["relabel_configs", "metric_relabel_configs"]) checkRelabelConfigs(doc, [...at, key], job[key]);
      if (Array.isArray(job.static_configs)) {
        job.static_configs.forEach((group, groupIndex) => {
          if (isRecord(group)) checkLabelNames(doc, [...at, "static_configs", groupIndex, "labels"], group.labels);
        });
      }
    });
  }
  if (Array.isArray(config.remote_write)) {
    config.remote_write.forEach((target, index) => {
      if (!isRecord(target)) return;
      duration(["remote_write", index, "remote_timeout"], target.remote_timeout);
      checkRelabelConfigs(doc, ["remote_write", index, "write_relabel_configs"], target.write_relabel_configs);
    });
  }
  if (isRecord(config.alerting)) checkRelabelConfigs(doc, ["alerting", "alert_relabel_configs"], config.alerting.alert_relabel_configs);
}

function checkLabelNames(doc: CheckedDocument, path: Array<string | number>, labels: unknown): void {
  if (!isRecord(labels)) return;
  for (const name of Object.keys(labels)) {
    if (!LABEL_NAME.test(name)) {
      refuse(doc, [...path, name], `"${name}" is not a valid Prometheus label name`, "label names match [a-zA-Z_][a-zA-Z0-9_]*");
    }
  }
}

function checkRelabelConfigs(doc: CheckedDocument, path: Array<string | number>, rules: unknown): void {
  if (!Array.isArray(rules)) return;
  rules.forEach((rule, index) => {
    if (!isRecord(rule) || rule.regex === undefined) return;
    const at = [...path, index, "regex"];
    if (typeof rule.regex !== "string") {
      refuse(doc, at, `must be a regular expression string (got ${shown(rule.regex)})`);
      return;
    }
    const problem = relabelRegexProblem(rule.regex);
    if (problem) refuse(doc, at, `${shown(rule.regex)} ${problem}`);
  });
}
