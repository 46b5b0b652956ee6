// Judges a generated Grafana dashboard by Grafana's own definitions, since Grafana cannot run here.
// The JSON Schemas under test/fixtures/grafana-schema/<version>/ are generated (npm run
// gen:grafana-schema) from the published types of the Grafana release the stack runs: the dashboard
// kind and panel plugin types of @grafana/schema, the Prometheus query of the foundation SDK. Those
// types are closed, so an unknown property is an error, as in TypeScript. On top of the types, the
// judge checks what the types cannot say: Angular-only panels, datasource references to the
// provisioned datasource, unique ids and refIds, the 24-column grid, defined variables and the
// schemaVersion this Grafana writes.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import yaml from "js-yaml";

const FIXTURES = fileURLToPath(new URL("../fixtures/grafana-schema/", import.meta.url));
const NODE_MODULES = fileURLToPath(new URL("../../node_modules/", import.meta.url));

/** The version of an installed package (its package.json, not the lock file). */
export function installedVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(`${NODE_MODULES}${name}/package.json`, "utf8")) as { version: string };
  return pkg.version.replace(/^v/, "");
}

export interface GrafanaSchemaManifest {
  readonly packages: Readonly<Record<string, string>>;
  /** The dashboard schemaVersion this Grafana release writes (its DashboardMigrator's latest). */
  readonly schemaVersion: number;
  readonly panels: Readonly<Record<string, { readonly options: boolean; readonly fieldConfig: boolean }>>;
}

/** The generated schema directory of a @grafana/schema version (default: the installed one). */
export function grafanaSchemaDir(version = installedVersion("@grafana/schema")): string {
  return `${FIXTURES}${version}/`;
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

export function readManifest(dir = grafanaSchemaDir()): GrafanaSchemaManifest {
  return readJson(`${dir}manifest.json`) as unknown as GrafanaSchemaManifest;
}

/** Panel ids of Grafana's Angular plugins, removed in Grafana 12: such a panel renders as an error. */
export const ANGULAR_ONLY_PANELS: ReadonlySet<string> = new Set(["graph", "singlestat", "table-old"]);

/**
 * Grafana's global variables and those data links offer (they are never defined by a dashboard).
 * https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#global-variables
 */
export const BUILT_IN_VARIABLES: ReadonlySet<string> = new Set([
  "__dashboard",
  "__from",
  "__to",
  "__interval",
  "__interval_ms",
  "__name",
  "__org",
  "__user",
  "__range",
  "__range_s",
  "__range_ms",
  "__rate_interval",
  "__rate_interval_ms",
  "__timeFilter",
  "timeFilter",
  "__timezone",
  "__data",
  "__field",
  "__series",
  "__value",
  "__url_time_range",
  "__all_variables",
  "__url",
]);

/** The datasources a stack provisions: `uid` → plugin `type`. */
export type ProvisionedDatasources = ReadonlyMap<string, string>;

/** Reads grafana/provisioning/datasources/*.yml as Grafana does: apiVersion 1, datasources[].{uid,type}. */
export function provisionedDatasources(files: ReadonlyArray<{ path: string; contents: string }>): ProvisionedDatasources {
  const map = new Map<string, string>();
  for (const file of files) {
    if (!/^grafana\/provisioning\/datasources\/[^/]+\.ya?ml$/.test(file.path)) continue;
    const doc = yaml.load(file.contents) as { datasources?: Array<{ uid?: unknown; type?: unknown }> } | undefined;
    for (const ds of doc?.datasources ?? []) {
      if (typeof ds.uid === "string" && typeof ds.type === "string") map.set(ds.uid, ds.type);
    }
  }
  return map;
}

interface Validators {
  readonly manifest: GrafanaSchemaManifest;
  readonly dashboard: ValidateFunction;
  readonly panel: ValidateFunction;
  readonly rowPanel: ValidateFunction;
  readonly variable: ValidateFunction;
  readonly annotationTarget: ValidateFunction;
  readonly prometheusQuery: ValidateFunction;
  readonly panelOptions: ReadonlyMap<string, ValidateFunction>;
  readonly panelFieldConfig: ReadonlyMap<string, ValidateFunction>;
}

let cached: Validators | undefined;

function validators(): Validators {
  if (cached) return cached;
  const dir = grafanaSchemaDir();
  const manifest = readManifest(dir);
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const load = (file: string, id: string) => ajv.addSchema(readJson(`${dir}${file}`), id);
  load("dashboard.schema.json", "dashboard");
  load("prometheus-dataquery.schema.json", "prometheus-dataquery");
  const byRef = (ref: string) => ajv.compile({ $ref: ref });
  const panelOptions = new Map<string, ValidateFunction>();
  const panelFieldConfig = new Map<string, ValidateFunction>();
  for (const [type, has] of Object.entries(manifest.panels)) {
    load(`panels/${type}.options.schema.json`, `${type}-options`);
    panelOptions.set(type, byRef(`${type}-options`));
    if (has.fieldConfig) {
      load(`panels/${type}.field-config.schema.json`, `${type}-field-config`);
      panelFieldConfig.set(type, byRef(`${type}-field-config`));
    }
  }
  cached = {
    manifest,
    dashboard: byRef("dashboard"),
    panel: byRef("dashboard#/definitions/Panel"),
    rowPanel: byRef("dashboard#/definitions/RowPanel"),
    variable: byRef("dashboard#/definitions/VariableModel"),
    annotationTarget: byRef("dashboard#/definitions/AnnotationTarget"),
    prometheusQuery: byRef("prometheus-dataquery"),
    panelOptions,
    panelFieldConfig,
  };
  return cached;
}

function schemaErrors(validate: ValidateFunction, value: unknown, path: string, what: string): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => {
    const extra =
      error.keyword === "additionalProperties"
        ? ` "${(error.params as { additionalProperty: string }).additionalProperty}"`
        : error.keyword === "enum"
          ? ` (${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)})`
          : "";
    return `${`${path}${error.instancePath}` || "/"}: ${error.message ?? error.keyword}${extra} (${what})`;
  });
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const withoutKey = (value: Json, key: string): Json => Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));

/** `$name`, `${name}`, `${name:format}`, `${name.path}`, `[[name]]`: Grafana's variable syntax. */
const VARIABLE_USE = /\$(\w+)|\$\{(\w+)(?:\.[^:}]*)?(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]/g;

/** Variable names a string uses. `$1`-style names are regex capture groups (label_replace), not variables. */
export function variablesUsed(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(VARIABLE_USE)) {
    const name = match[1] ?? match[2] ?? match[3]!;
    if (!/^\d+$/.test(name)) names.push(name);
  }
  return names;
}

function checkDatasourceRef(ref: unknown, path: string, provisioned: ProvisionedDatasources, errors: string[]): void {
  if (!isObject(ref)) {
    errors.push(`${path}: datasource reference must be {type, uid}, got ${JSON.stringify(ref)}`);
    return;
  }
  const keys = Object.keys(ref).sort().join(",");
  if (keys !== "type,uid" || typeof ref.type !== "string" || typeof ref.uid !== "string") {
    errors.push(`${path}: datasource reference must be exactly {type, uid} strings, got ${JSON.stringify(ref)}`);
    return;
  }
  const type = provisioned.get(ref.uid);
  if (type === undefined) {
    errors.push(`${path}: datasource uid "${ref.uid}" is not provisioned (provisioned: ${[...provisioned.keys()].join(", ") || "none"})`);
  } else if (type !== ref.type) {
    errors.push(`${path}: datasource "${ref.uid}" has type "${type}", the reference says "${ref.type}"`);
  }
}

interface PlacedPanel {
  readonly path: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function checkGridPos(panel: Json, path: string, errors: string[], placed: PlacedPanel[]): void {
  const grid = panel.gridPos;
  if (!isObject(grid)) {
    errors.push(`${path}: gridPos missing`);
    return;
  }
  const [x, y, w, h] = (["x", "y", "w", "h"] as const).map((k) => grid[k]) as number[];
  if (![x, y, w, h].every((n) => Number.isInteger(n))) {
    errors.push(`${path}/gridPos: x, y, w, h must be integers, got ${JSON.stringify(grid)}`);
    return;
  }
  if (x! < 0 || y! < 0 || w! < 1 || h! < 1 || x! + w! > 24) {
    errors.push(`${path}/gridPos: outside the 24-column grid: ${JSON.stringify(grid)}`);
  }
  for (const other of placed) {
    if (x! < other.x + other.w && other.x < x! + w! && y! < other.y + other.h && other.y < y! + h!) {
      errors.push(`${path}/gridPos: overlaps ${other.path}/gridPos`);
    }
  }
  placed.push({ path, x: x!, y: y!, w: w!, h: h! });
}

function checkQueryPanel(
  panel: Json,
  path: string,
  v: Validators,
  provisioned: ProvisionedDatasources,
  errors: string[],
  uses: Array<[string, string]>,
): void {
  const type = String(panel.type);
  errors.push(...schemaErrors(v.panel, panel, path, "Grafana Panel"));
  const options = v.panelOptions.get(type);
  if (options === undefined) {
    errors.push(`${path}: panel type "${type}" is not a judged built-in panel (judged: ${[...v.panelOptions.keys()].join(", ")})`);
    return;
  }
  errors.push(...schemaErrors(options, panel.options ?? {}, `${path}/options`, `${type} Options`));
  const defaults = isObject(panel.fieldConfig) ? panel.fieldConfig.defaults : undefined;
  const custom = isObject(defaults) ? defaults.custom : undefined;
  const fieldConfig = v.panelFieldConfig.get(type);
  if (fieldConfig) {
    if (custom !== undefined) errors.push(...schemaErrors(fieldConfig, custom, `${path}/fieldConfig/defaults/custom`, `${type} FieldConfig`));
  } else if (custom !== undefined && !(isObject(custom) && Object.keys(custom).length === 0)) {
    errors.push(`${path}/fieldConfig/defaults/custom: panel type "${type}" has no custom field config, got ${JSON.stringify(custom)}`);
  }

  const targets = arrayOf(panel.targets);
  if (targets.length > 0) {
    if (panel.datasource === undefined) errors.push(`${path}: a panel with queries must name its datasource`);
    else checkDatasourceRef(panel.datasource, `${path}/datasource`, provisioned, errors);
  }
  const refIds = new Set<string>();
  targets.forEach((target, index) => {
    const at = `${path}/targets/${index}`;
    errors.push(...schemaErrors(v.prometheusQuery, target, at, "Prometheus query"));
    if (!isObject(target)) return;
    if (target.datasource !== undefined) checkDatasourceRef(target.datasource, `${at}/datasource`, provisioned, errors);
    const refId = target.refId;
    if (typeof refId === "string") {
      if (refIds.has(refId)) errors.push(`${at}: duplicate refId "${refId}" in this panel`);
      refIds.add(refId);
    }
    for (const key of ["expr", "legendFormat"]) if (typeof target[key] === "string") uses.push([`${at}/${key}`, target[key]]);
  });
  for (const key of ["title", "description"]) if (typeof panel[key] === "string") uses.push([`${path}/${key}`, panel[key]]);
  arrayOf(panel.links).forEach((link, index) => {
    if (!isObject(link)) return;
    for (const key of ["url", "title", "tooltip"]) if (typeof link[key] === "string") uses.push([`${path}/links/${index}/${key}`, link[key]]);
  });
  // Data links: the field config types them `unknown`, Grafana reads url and title.
  arrayOf(isObject(defaults) ? defaults.links : undefined).forEach((link, index) => {
    if (!isObject(link)) return;
    for (const key of ["url", "title"])
      if (typeof link[key] === "string") uses.push([`${path}/fieldConfig/defaults/links/${index}/${key}`, link[key]]);
  });
}

/**
 * Everything wrong with one dashboard JSON, as "<json path>: <problem>" lines; empty when Grafana's
 * types and the judge's rules accept it.
 */
export function judgeDashboard(dashboard: unknown, provisioned: ProvisionedDatasources): string[] {
  const v = validators();
  const errors: string[] = [];
  if (!isObject(dashboard)) return ["/: a dashboard is a JSON object"];
  // The dashboard without its panels and variables, which are judged one by one for clearer messages,
  // and without annotation targets: @grafana/schema's exported AnnotationQuery types `target` as the
  // datasource's query (the kind's AnnotationTarget fits only Grafana's built-in annotations).
  const templating = isObject(dashboard.templating) ? dashboard.templating : undefined;
  const annotations = isObject(dashboard.annotations) ? dashboard.annotations : undefined;
  const annotationList = arrayOf(annotations?.list);
  const shell = {
    ...dashboard,
    panels: [],
    ...(templating ? { templating: { ...templating, list: [] } } : {}),
    ...(annotations ? { annotations: { ...annotations, list: annotationList.map((a) => (isObject(a) ? withoutKey(a, "target") : a)) } } : {}),
  };
  errors.push(...schemaErrors(v.dashboard, shell, "", "Grafana Dashboard"));
  if (dashboard.schemaVersion !== v.manifest.schemaVersion) {
    errors.push(
      `/schemaVersion: ${JSON.stringify(dashboard.schemaVersion)}, but Grafana ${v.manifest.packages["@grafana/schema"]} writes ${v.manifest.schemaVersion}`,
    );
  }

  const uses: Array<[string, string]> = [];
  for (const key of ["title", "description"]) if (typeof dashboard[key] === "string") uses.push([`/${key}`, dashboard[key]]);
  arrayOf(dashboard.links).forEach((link, index) => {
    if (!isObject(link)) return;
    for (const key of ["url", "title", "tooltip"]) if (typeof link[key] === "string") uses.push([`/links/${index}/${key}`, link[key]]);
  });

  // Variables: Grafana's VariableModel, a provisioned datasource for query variables, unique names.
  const defined = new Set<string>();
  arrayOf(templating?.list).forEach((variable, index) => {
    const path = `/templating/list/${index}`;
    errors.push(...schemaErrors(v.variable, variable, path, "Grafana VariableModel"));
    if (!isObject(variable)) return;
    const name = String(variable.name);
    if (defined.has(name)) errors.push(`${path}: variable "${name}" defined twice`);
    defined.add(name);
    if (variable.type === "query") {
      if (variable.datasource === undefined) errors.push(`${path}: a query variable must name its datasource`);
      else checkDatasourceRef(variable.datasource, `${path}/datasource`, provisioned, errors);
      const query = variable.query;
      const text = typeof query === "string" ? query : isObject(query) && typeof query.query === "string" ? query.query : undefined;
      if (text === undefined) errors.push(`${path}: a query variable needs a query`);
      else uses.push([`${path}/query`, text]);
    }
  });

  annotationList.forEach((annotation, index) => {
    const path = `/annotations/list/${index}`;
    if (!isObject(annotation)) return;
    const ref = annotation.datasource;
    const target = annotation.target;
    // The built-in annotation query reads Grafana's own store.
    if (isObject(ref) && ref.type === "grafana" && ref.uid === "-- Grafana --") {
      if (target !== undefined) errors.push(...schemaErrors(v.annotationTarget, target, `${path}/target`, "Grafana AnnotationTarget"));
      return;
    }
    checkDatasourceRef(ref, `${path}/datasource`, provisioned, errors);
    if (target === undefined) return;
    errors.push(...schemaErrors(v.prometheusQuery, target, `${path}/target`, "Prometheus query"));
    if (isObject(target) && typeof target.expr === "string") uses.push([`${path}/target/expr`, target.expr]);
  });

  // Panels: rows and query panels, ids unique over the dashboard (row children included).
  const ids = new Map<number, string>();
  const placed: PlacedPanel[] = [];
  const visit = (panel: unknown, path: string, nested: boolean) => {
    if (!isObject(panel)) {
      errors.push(`${path}: a panel is a JSON object`);
      return;
    }
    const id = panel.id;
    if (typeof id === "number") {
      const first = ids.get(id);
      if (first !== undefined) errors.push(`${path}: panel id ${id} already used by ${first}`);
      else ids.set(id, path);
    }
    // Children of a collapsed row carry their own positions, laid out when the row opens.
    if (!nested) checkGridPos(panel, path, errors, placed);
    const type = panel.type;
    if (typeof type === "string" && ANGULAR_ONLY_PANELS.has(type)) {
      errors.push(`${path}: panel type "${type}" is Angular-only: Grafana 12 no longer renders it`);
      return;
    }
    if (type === "row") {
      errors.push(...schemaErrors(v.rowPanel, { ...panel, panels: [] }, path, "Grafana RowPanel"));
      if (typeof panel.title === "string") uses.push([`${path}/title`, panel.title]);
      arrayOf(panel.panels).forEach((child, index) => visit(child, `${path}/panels/${index}`, true));
      return;
    }
    checkQueryPanel(panel, path, v, provisioned, errors, uses);
  };
  arrayOf(dashboard.panels).forEach((panel, index) => visit(panel, `/panels/${index}`, false));

  for (const [path, text] of uses) {
    for (const name of variablesUsed(text)) {
      if (!defined.has(name) && !BUILT_IN_VARIABLES.has(name))
        errors.push(`${path}: uses $${name}, which is neither a dashboard variable nor a Grafana built-in`);
    }
  }
  return errors;
}

/** Judges every dashboard of a generated stack against the datasources it provisions. */
export function judgeStack(files: ReadonlyArray<{ path: string; contents: string }>): string[] {
  const provisioned = provisionedDatasources(files);
  return files
    .filter((file) => /^grafana\/dashboards\/[^/]+\.json$/.test(file.path))
    .flatMap((file) => judgeDashboard(JSON.parse(file.contents), provisioned).map((error) => `${file.path}#${error}`));
}
