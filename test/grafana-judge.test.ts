// Every generated dashboard, judged by the types Grafana publishes for the image the stack runs
// (test/support/grafana-judge.ts): the examples and a spread of configs over every Flink version,
// both reporter modes and the dashboard switches. The judge is pinned to the Grafana image: bumping
// the image without bumping @grafana/schema and regenerating the schemas fails here. And the judge
// is shown to fail: mutated dashboards are rejected with the expected message.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { buildStack, SUPPORTED_FLINK_VERSIONS, type Artifact } from "../lib/index.js";
import { DEFAULT_IMAGES } from "../lib/config/defaults.js";
import { SCHEMA_VERSION } from "../lib/render/dashboards/model.js";
import { buildExample, exampleNames } from "./support/examples.js";
import {
  grafanaSchemaDir,
  installedVersion,
  judgeDashboard,
  judgeStack,
  provisionedDatasources,
  readManifest,
  variablesUsed,
} from "./support/grafana-judge.js";

const JUDGED_PACKAGES = ["@grafana/schema", "@grafana/grafana-foundation-sdk", "ts-json-schema-generator"] as const;

function excludesSupported(version: string): boolean {
  const [major, minor] = version.split(".").map(Number) as [number, number];
  return major > 1 || minor >= 10;
}

function dashboardsOf(artifacts: readonly Artifact[]): Artifact[] {
  return artifacts.filter((artifact) => artifact.path.startsWith("grafana/dashboards/"));
}

describe("grafana judge: pinned to the Grafana image the stack runs", () => {
  const imageVersion = /:(\d+\.\d+\.\d+)/.exec(DEFAULT_IMAGES.grafana)?.[1];

  it("the default Grafana image and @grafana/schema are the same release", () => {
    assert.ok(imageVersion, `no x.y.z tag in ${DEFAULT_IMAGES.grafana}`);
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { devDependencies: Record<string, string> };
    assert.equal(
      pkg.devDependencies["@grafana/schema"],
      imageVersion,
      `package.json pins @grafana/schema ${pkg.devDependencies["@grafana/schema"]} but the stack runs ${DEFAULT_IMAGES.grafana}: ` +
        `npm install -D -E @grafana/schema@${imageVersion} && npm run gen:grafana-schema`,
    );
    assert.equal(installedVersion("@grafana/schema"), imageVersion, "installed @grafana/schema (run npm ci)");
  });

  it("the committed schemas were generated from the installed packages", () => {
    assert.ok(existsSync(grafanaSchemaDir()), `no ${grafanaSchemaDir()} for the installed @grafana/schema: npm run gen:grafana-schema`);
    const manifest = readManifest();
    for (const name of JUDGED_PACKAGES) {
      assert.equal(
        manifest.packages[name],
        installedVersion(name),
        `${grafanaSchemaDir()}manifest.json was generated from ${name} ${manifest.packages[name]}, ${installedVersion(name)} is installed: npm run gen:grafana-schema`,
      );
    }
  });

  it("the dashboards' schemaVersion is the one this Grafana writes", async () => {
    const { defaultDashboard } = await import("@grafana/schema");
    assert.equal(readManifest().schemaVersion, defaultDashboard.schemaVersion);
    assert.equal(SCHEMA_VERSION, defaultDashboard.schemaVersion);
  });
});

describe("grafana judge: every generated dashboard passes", () => {
  for (const name of exampleNames()) {
    it(`example ${name}`, () => {
      const { artifacts } = buildExample(name);
      assert.ok(dashboardsOf(artifacts).length > 0, "the example has dashboards");
      assert.deepEqual(judgeStack(artifacts), []);
    });
  }

  // Every Flink version in both modes, with every dashboard; some cases switch dashboards off or
  // exclude tm_id (legends change); one without Grafana has nothing to judge.
  const variants = [
    { name: "all dashboards", grafana: { enabled: true }, nodeExporter: true, excludeLabels: undefined },
    // scope.variables.excludes exists from Flink 1.10.
    {
      name: "no hosts, tm_id excluded from 1.10",
      grafana: { enabled: true, dashboards: { hosts: false } },
      nodeExporter: false,
      excludeLabels: ["tm_id"],
    },
    {
      name: "job dashboard only",
      grafana: { enabled: true, dashboards: { cluster: false, hosts: false } },
      nodeExporter: true,
      excludeLabels: undefined,
    },
    { name: "no Grafana", grafana: { enabled: false }, nodeExporter: true, excludeLabels: undefined },
  ];
  for (const mode of ["pushgateway", "pull"] as const) {
    it(`every Flink version, ${mode} mode, ${variants.map((v) => v.name).join(" / ")}`, () => {
      let judged = 0;
      for (const version of SUPPORTED_FLINK_VERSIONS) {
        for (const variant of variants) {
          const raw = {
            name: "judge",
            flink: {
              version,
              reporter: { mode, ...(variant.excludeLabels && excludesSupported(version) ? { excludeLabels: variant.excludeLabels } : {}) },
              clusters: [
                { name: "a", jobmanagers: ["jm-a"], taskmanagers: ["tm-a1", "tm-a2"] },
                { name: "b", jobmanagers: ["jm-b"] },
              ],
            },
            nodeExporter: { enabled: variant.nodeExporter },
            grafana: variant.grafana,
          };
          const { artifacts } = buildStack(raw);
          const dashboards = dashboardsOf(artifacts);
          if (!variant.grafana.enabled) assert.equal(dashboards.length, 0, `${version} ${variant.name}: no dashboards without Grafana`);
          judged += dashboards.length;
          assert.deepEqual(judgeStack(artifacts), [], `Flink ${version} ${mode}, ${variant.name}`);
        }
      }
      assert.ok(judged >= SUPPORTED_FLINK_VERSIONS.length * 4, `judged ${judged} dashboards`);
    });
  }
});

describe("grafana judge: rejects what Grafana would not accept", () => {
  const { artifacts } = buildExample("pushgateway");
  const provisioned = provisionedDatasources(artifacts);
  const jobFile = artifacts.find((a) => a.path === "grafana/dashboards/flink-job.json");
  assert.ok(jobFile, "the pushgateway example has a job dashboard");
  // Mutations reach deep into the JSON: loosely typed on purpose.
  /* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/restrict-plus-operands */
  type Json = Record<string, any>;
  const pristine = JSON.parse(jobFile.contents) as Json;
  const panelIndex = (type: string) => (pristine.panels as Json[]).findIndex((p) => p.type === type);

  it("accepts the unmutated dashboard (so each rejection below is the mutation's)", () => {
    assert.ok(provisioned.size > 0, "the provisioning file names a datasource");
    assert.deepEqual(judgeDashboard(pristine, provisioned), []);
    assert.ok(panelIndex("timeseries") >= 0 && panelIndex("stat") >= 0, "a timeseries and a stat panel");
  });

  // Annotations as Grafana 12 saves them: its built-in one and a Prometheus query (target: the query).
  const ds = () => structuredClone(pristine.panels.find((p: Json) => p.type !== "row").datasource);
  const builtInAnnotation = () => ({
    builtIn: 1,
    datasource: { type: "grafana", uid: "-- Grafana --" },
    enable: true,
    hide: true,
    iconColor: "rgba(0, 211, 255, 1)",
    name: "Annotations & Alerts",
    type: "dashboard",
    target: { limit: 100, matchAny: false, tags: [], type: "dashboard" },
  });
  const restartAnnotation = () => ({
    datasource: ds(),
    enable: true,
    iconColor: "red",
    name: "Restarts",
    target: { expr: 'changes(flink_jobmanager_job_numRestarts{cluster=~"$cluster"}[$__interval]) > 0', refId: "Anno" },
  });
  const withAnnotations = (d: Json) => {
    d.annotations.list = [builtInAnnotation(), restartAnnotation()];
  };
  const dataLink = { title: "Job ${job_name}", url: "/d/flink-job?var-cluster=${cluster}&${__url_time_range}" };

  it("accepts annotations and data links that use defined variables", () => {
    const annotated = structuredClone(pristine);
    withAnnotations(annotated);
    annotated.panels[panelIndex("timeseries")].fieldConfig.defaults.links = [dataLink];
    assert.deepEqual(judgeDashboard(annotated, provisioned), []);
  });

  const mutations: Array<{ name: string; mutate: (d: Json) => void; expected: RegExp }> = [
    {
      name: "unknown dashboard property",
      mutate: (d) => {
        d.bogus = true;
      },
      expected: /^\/: must NOT have additional properties "bogus" \(Grafana Dashboard\)$/,
    },
    {
      name: "unknown panel property",
      mutate: (d) => {
        d.panels[panelIndex("timeseries")].colour = "red";
      },
      expected: /^\/panels\/\d+: must NOT have additional properties "colour" \(Grafana Panel\)$/,
    },
    {
      name: "unknown timeseries option",
      mutate: (d) => {
        d.panels[panelIndex("timeseries")].options.legend.shown = true;
      },
      expected: /^\/panels\/\d+\/options\/legend: must NOT have additional properties "shown" \(timeseries Options\)$/,
    },
    {
      name: "wrong timeseries field config value",
      mutate: (d) => {
        d.panels[panelIndex("timeseries")].fieldConfig.defaults.custom.drawStyle = "curve";
      },
      expected: /^\/panels\/\d+\/fieldConfig\/defaults\/custom\/drawStyle: must be equal to one of the allowed values .*\(timeseries FieldConfig\)$/,
    },
    {
      name: "missing stat option",
      mutate: (d) => {
        delete d.panels[panelIndex("stat")].options.percentChangeColorMode;
      },
      expected: /^\/panels\/\d+\/options: must have required property 'percentChangeColorMode' \(stat Options\)$/,
    },
    {
      name: "custom field config on a stat panel",
      mutate: (d) => {
        d.panels[panelIndex("stat")].fieldConfig.defaults.custom = { lineWidth: 1 };
      },
      expected: /panel type "stat" has no custom field config/,
    },
    {
      name: "unknown Prometheus query property",
      mutate: (d) => {
        d.panels[panelIndex("timeseries")].targets[0].step = 10;
      },
      expected: /^\/panels\/\d+\/targets\/0: must NOT have additional properties "step" \(Prometheus query\)$/,
    },
    {
      name: "a graph panel",
      mutate: (d) => {
        d.panels[panelIndex("timeseries")].type = "graph";
      },
      expected: /^\/panels\/\d+: panel type "graph" is Angular-only/,
    },
    {
      name: "a singlestat panel",
      mutate: (d) => {
        d.panels[panelIndex("stat")].type = "singlestat";
      },
      expected: /panel type "singlestat" is Angular-only/,
    },
    {
      name: "a table-old panel",
      mutate: (d) => {
        d.panels[panelIndex("stat")].type = "table-old";
      },
      expected: /panel type "table-old" is Angular-only/,
    },
    {
      name: "a panel type without a schema",
      mutate: (d) => {
        d.panels[panelIndex("stat")].type = "piechart";
      },
      expected: /panel type "piechart" is not a judged built-in panel/,
    },
    {
      name: "a panel datasource without uid",
      mutate: (d) => {
        d.panels[panelIndex("timeseries")].datasource = { type: "prometheus" };
      },
      expected: /^\/panels\/\d+\/datasource: datasource reference must be exactly \{type, uid\}/,
    },
    {
      name: "a target datasource by name",
      mutate: (d) => {
        d.panels[panelIndex("timeseries")].targets[0].datasource = "Prometheus";
      },
      expected: /^\/panels\/\d+\/targets\/0\/datasource: datasource reference must be \{type, uid\}/,
    },
    {
      name: "an unprovisioned datasource uid",
      mutate: (d) => {
        d.panels[panelIndex("timeseries")].datasource.uid = "elsewhere";
      },
      expected: /datasource uid "elsewhere" is not provisioned/,
    },
    {
      name: "a datasource of the wrong type",
      mutate: (d) => {
        d.panels[panelIndex("timeseries")].targets[0].datasource.type = "loki";
      },
      expected: /has type "prometheus", the reference says "loki"/,
    },
    {
      name: "a query variable without datasource",
      mutate: (d) => {
        delete d.templating.list[0].datasource;
      },
      expected: /^\/templating\/list\/0: a query variable must name its datasource$/,
    },
    {
      name: "a query variable with an unprovisioned uid",
      mutate: (d) => {
        d.templating.list[0].datasource.uid = "gone";
      },
      expected: /^\/templating\/list\/0\/datasource: datasource uid "gone" is not provisioned/,
    },
    {
      name: "a variable defined twice",
      mutate: (d) => {
        d.templating.list.push(structuredClone(d.templating.list[0]));
      },
      expected: /^\/templating\/list\/\d+: variable "cluster" defined twice$/,
    },
    {
      name: "a panel relying on the default datasource",
      mutate: (d) => {
        delete d.panels[panelIndex("stat")].datasource;
      },
      expected: /^\/panels\/\d+: a panel with queries must name its datasource$/,
    },
    {
      name: "current: {}",
      mutate: (d) => {
        d.templating.list[0].current = {};
      },
      expected: /^\/templating\/list\/0\/current: must have required property 'text' \(Grafana VariableModel\)$/,
    },
    {
      name: "overlapping panels",
      mutate: (d) => {
        d.panels[2].gridPos = { ...d.panels[1].gridPos };
      },
      expected: /^\/panels\/2\/gridPos: overlaps \/panels\/1\/gridPos$/,
    },
    {
      name: "a panel past column 24",
      mutate: (d) => {
        const last = d.panels.at(-1);
        last.gridPos = { ...last.gridPos, x: 20, w: 12 };
      },
      expected: /gridPos: outside the 24-column grid/,
    },
    {
      name: "a duplicate panel id",
      mutate: (d) => {
        d.panels[2].id = d.panels[1].id;
      },
      expected: /^\/panels\/2: panel id \d+ already used by \/panels\/1$/,
    },
    {
      name: "a duplicate refId",
      mutate: (d) => {
        const p = d.panels[panelIndex("timeseries")];
        p.targets.push({ ...p.targets[0], expr: "up" });
      },
      expected: /^\/panels\/\d+\/targets\/1: duplicate refId "A" in this panel$/,
    },
    {
      name: "an undefined $variable in a query",
      mutate: (d) => {
        d.panels[panelIndex("timeseries")].targets[0].expr += ' and on() up{job="$nope"}';
      },
      expected: /targets\/0\/expr: uses \$nope, which is neither a dashboard variable nor a Grafana built-in/,
    },
    {
      name: "an undefined ${variable:format} in a title",
      mutate: (d) => {
        d.panels[panelIndex("stat")].title += " ${tenant:csv}";
      },
      expected: /\/title: uses \$tenant/,
    },
    {
      name: "an undefined variable in a variable query",
      mutate: (d) => {
        d.templating.list.at(-1).query.query = 'label_values(up{env="$env"}, job)';
      },
      expected: /\/templating\/list\/\d+\/query: uses \$env/,
    },
    {
      name: "an annotation query with an unknown property",
      mutate: (d) => {
        withAnnotations(d);
        d.annotations.list[1].target.step = "60s";
      },
      expected: /^\/annotations\/list\/1\/target: must NOT have additional properties "step" \(Prometheus query\)$/,
    },
    {
      name: "an annotation on an unprovisioned datasource",
      mutate: (d) => {
        withAnnotations(d);
        d.annotations.list[1].datasource.uid = "gone";
      },
      expected: /^\/annotations\/list\/1\/datasource: datasource uid "gone" is not provisioned/,
    },
    {
      name: "an annotation with an undefined variable",
      mutate: (d) => {
        withAnnotations(d);
        d.annotations.list[1].target.expr += ' and on() up{job="$nope"}';
      },
      expected: /^\/annotations\/list\/1\/target\/expr: uses \$nope/,
    },
    {
      name: "an annotation missing iconColor",
      mutate: (d) => {
        withAnnotations(d);
        delete d.annotations.list[1].iconColor;
      },
      expected: /^\/annotations\/list\/1: must have required property 'iconColor' \(Grafana Dashboard\)$/,
    },
    {
      name: "a data link with an undefined variable",
      mutate: (d) => {
        d.panels[panelIndex("timeseries")].fieldConfig.defaults.links = [{ ...dataLink, url: "/d/x?var-tm=${tm}" }];
      },
      expected: /fieldConfig\/defaults\/links\/0\/url: uses \$tm/,
    },
    {
      name: "a dashboard link with an undefined variable",
      mutate: (d) => {
        d.links = [
          {
            asDropdown: false,
            icon: "dashboard",
            includeVars: true,
            keepTime: true,
            tags: [],
            targetBlank: false,
            title: "$other",
            tooltip: "",
            type: "link",
            url: "/d/x",
          },
        ];
      },
      expected: /^\/links\/0\/title: uses \$other/,
    },
    {
      name: "schemaVersion 39",
      mutate: (d) => {
        d.schemaVersion = 39;
      },
      expected: /^\/schemaVersion: 39, but Grafana 12\.2\.0 writes 42$/,
    },
  ];
  for (const { name, mutate, expected } of mutations) {
    it(`rejects ${name}`, () => {
      const mutated = structuredClone(pristine);
      mutate(mutated);
      const errors = judgeDashboard(mutated, provisioned);
      assert.ok(
        errors.some((error) => expected.test(error)),
        `expected ${expected}, got:\n${errors.join("\n")}`,
      );
    });
  }

  it("judgeStack names the file of each problem", () => {
    const mutated = structuredClone(pristine);
    mutated.schemaVersion = 41;
    const files = artifacts.map((a) => (a === jobFile ? { ...a, contents: JSON.stringify(mutated) } : a));
    assert.deepEqual(judgeStack(files), ["grafana/dashboards/flink-job.json#/schemaVersion: 41, but Grafana 12.2.0 writes 42"]);
  }); /* eslint-enable */
});

describe("grafana judge: variable syntax", () => {
  it("finds $name, ${name}, ${name:format}, ${name.path} and [[name]]; $1 is a capture group", () => {
    assert.deepEqual(
      variablesUsed('rate(x{a=~"$cluster", b="${job_name}", c=~"${instance:regex}"}[$__rate_interval]) ${__field.labels.tm} [[old]] "$1" $'),
      ["cluster", "job_name", "instance", "__rate_interval", "__field", "old"],
    );
  });
});
