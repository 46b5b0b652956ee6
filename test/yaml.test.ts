// The direct writer of flat quoted maps (every Flink config.yaml) writes exactly what js-yaml writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import yaml from "js-yaml";
import { toYaml } from "../lib/render/yaml.js";

const jsYaml = (value: unknown): string => yaml.dump(value, { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: '"', forceQuotes: true });

test("flat maps of dotted keys to strings: the same bytes as js-yaml", () => {
  const samples: Array<Record<string, string>> = [
    { "metrics.reporter.promgateway.factory.class": "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory" },
    { "metrics.reporter.promgateway.interval": "15 SECONDS", "metrics.reporter.promgateway.hostUrl": "http://mon.internal:9091" },
    {
      "a.b": "",
      "a.c": " leading and trailing ",
      "a.d": "true",
      "a.e": "15",
      "a.f": "null",
      "a.g": "~",
      "a.h": "- x",
      "a.i": "x: y",
      "a.j": "#x",
      "a.k": "'single'",
    },
    { "metrics.reporter.x.groupingKey": "cluster=prod;instance=tm1.prod.internal", "metrics.scope.tm": "<host>.taskmanager.<tm_id>" },
  ];
  for (const sample of samples) assert.equal(toYaml(sample, { quoteStrings: true }), jsYaml(sample), JSON.stringify(sample));
});

test("anything else goes through js-yaml", () => {
  const samples: unknown[] = [
    { "a.b": 'with "quotes"' },
    { "a.b": "back\\slash" },
    { "a.b": "tab\there" },
    { "a.b": "ünïcode" },
    { plain: "no dot in the key" },
    { "a.b": 1 },
    { "a.b": { nested: "x" } },
    {},
  ];
  for (const sample of samples) assert.equal(toYaml(sample, { quoteStrings: true }), jsYaml(sample), JSON.stringify(sample));
});
