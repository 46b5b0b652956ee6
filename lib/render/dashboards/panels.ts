// Typed builders for the panels we use, and the layout that gives them ids and grid positions.
// A builder returns undefined when none of its queries exists for the configured Flink version, so
// version gating is just "leave the metric undefined in the table".
import type {
  AnnotationQuery,
  Dashboard,
  DashboardLink,
  DataLink,
  DatasourceRef,
  FieldConfig,
  GridPos,
  Panel,
  QueryPanel,
  QueryPanelType,
  QueryVariable,
  Target,
  ThresholdStep,
} from "./model.js";
import { SCHEMA_VERSION } from "./model.js";

export const GRID_COLUMNS = 24;

/** One PromQL query of a panel; undefined entries (metric absent in this version) are dropped. */
export interface Query {
  readonly expr: string;
  readonly legend: string;
}

export type MaybeQuery = Query | undefined;

/** A query when `metric` exists in this Flink version, else undefined. */
export function when(metric: string | undefined, build: (metric: string) => Query): MaybeQuery {
  return metric === undefined ? undefined : build(metric);
}

export function query(expr: string, legend: string): Query {
  return { expr, legend };
}

/** A panel before layout: everything but id and gridPos. */
export interface PanelDraft {
  readonly panel: Omit<QueryPanel, "id" | "gridPos">;
  readonly w: number;
  readonly h: number;
}

export interface PanelSpec {
  readonly title: string;
  readonly description?: string;
  /** Grafana unit id: bytes, Bps, ms, s, percentunit, ops, short, none… */
  readonly unit: string;
  readonly queries: readonly MaybeQuery[];
  readonly w?: number;
  readonly h?: number;
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
  /** Draw a red threshold line (timeseries) / turn red (stat) at this value. */
  readonly warnAt?: number;
  /** For stat panels: a value at or below which the stat turns red (e.g. 0 TaskManagers). */
  readonly criticalBelowOrAt?: number;
  readonly stack?: boolean;
  /** Stat panels: "value_and_name" shows the legend (e.g. a job's state) beside the value. */
  readonly textMode?: "auto" | "value_and_name";
  /** Stat panels: query only the current value (series that ended earlier in the range are not shown). */
  readonly instant?: boolean;
  /** Data links on every series, e.g. to the TaskManager dashboard of the series' tm_id. */
  readonly links?: readonly DataLink[];
}

const REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function targets(datasource: DatasourceRef, queries: readonly MaybeQuery[], instant = false): Target[] {
  const present = queries.filter((q): q is Query => q !== undefined);
  if (present.length > REF_IDS.length) throw new Error(`too many queries in one panel: ${present.length}`);
  return present.map((q, index) => ({
    datasource,
    editorMode: "code",
    expr: q.expr,
    legendFormat: q.legend,
    range: !instant,
    instant,
    refId: REF_IDS.charAt(index),
  }));
}

function thresholdSteps(spec: PanelSpec): ThresholdStep[] {
  if (spec.criticalBelowOrAt !== undefined) {
    return [
      { color: "red", value: null },
      { color: "green", value: spec.criticalBelowOrAt + 1 },
    ];
  }
  const steps: ThresholdStep[] = [{ color: "green", value: null }];
  if (spec.warnAt !== undefined) steps.push({ color: "red", value: spec.warnAt });
  return steps;
}

function fieldDefaults(spec: PanelSpec, extra: Readonly<Record<string, unknown>>): FieldConfig["defaults"] {
  const defaults: Record<string, unknown> & { unit: string } = { unit: spec.unit };
  if (spec.min !== undefined) defaults.min = spec.min;
  if (spec.max !== undefined) defaults.max = spec.max;
  if (spec.decimals !== undefined) defaults.decimals = spec.decimals;
  defaults.thresholds = { mode: "absolute", steps: thresholdSteps(spec) };
  if (spec.links !== undefined && spec.links.length > 0) defaults.links = spec.links;
  return { ...defaults, ...extra };
}

function draft(
  type: QueryPanelType,
  datasource: DatasourceRef,
  spec: PanelSpec,
  fieldConfig: FieldConfig,
  options: Readonly<Record<string, unknown>>,
  size: { w: number; h: number },
): PanelDraft | undefined {
  const panelTargets = targets(datasource, spec.queries, spec.instant);
  if (panelTargets.length === 0) return undefined;
  return {
    panel: {
      type,
      title: spec.title,
      description: spec.description ?? "",
      datasource,
      fieldConfig,
      options,
      targets: panelTargets,
    },
    w: spec.w ?? size.w,
    h: spec.h ?? size.h,
  };
}

export function timeseries(datasource: DatasourceRef, spec: PanelSpec): PanelDraft | undefined {
  const custom = {
    drawStyle: "line",
    lineInterpolation: "linear",
    lineWidth: 1,
    fillOpacity: spec.stack ? 30 : 10,
    gradientMode: "none",
    showPoints: "never",
    spanNulls: false,
    axisPlacement: "auto",
    stacking: { mode: spec.stack ? "normal" : "none", group: "A" },
    thresholdsStyle: { mode: spec.warnAt === undefined ? "off" : "dashed" },
  };
  const fieldConfig: FieldConfig = {
    defaults: fieldDefaults(spec, { color: { mode: "palette-classic" }, custom }),
    overrides: [],
  };
  const options = {
    legend: { showLegend: true, displayMode: "list", placement: "bottom", calcs: [] },
    tooltip: { mode: "multi", sort: "desc" },
  };
  return draft("timeseries", datasource, spec, fieldConfig, options, { w: 12, h: 8 });
}

export function stat(datasource: DatasourceRef, spec: PanelSpec): PanelDraft | undefined {
  const fieldConfig: FieldConfig = {
    defaults: fieldDefaults(spec, { color: { mode: "thresholds" } }),
    overrides: [],
  };
  const options = {
    reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
    colorMode: "value",
    graphMode: "area",
    justifyMode: "auto",
    orientation: "auto",
    textMode: spec.textMode ?? "auto",
    wideLayout: true,
    showPercentChange: false,
    percentChangeColorMode: "standard",
  };
  return draft("stat", datasource, spec, fieldConfig, options, { w: 4, h: 4 });
}

/** A titled group of panels; becomes a row panel followed by its panels. Empty sections vanish. */
export interface Section {
  readonly title: string;
  readonly panels: ReadonlyArray<PanelDraft | undefined>;
}

/**
 * Assigns sequential ids (from 1, in reading order) and grid positions: each section starts with a
 * full-width row; panels flow left to right and wrap when the 24 columns are full. A line is as tall
 * as its tallest panel, so nothing overlaps.
 */
export function layout(sections: readonly Section[]): Panel[] {
  const panels: Panel[] = [];
  let y = 0;
  const nextId = (): number => panels.length + 1;
  for (const section of sections) {
    const drafts = section.panels.filter((p): p is PanelDraft => p !== undefined);
    if (drafts.length === 0) continue;
    panels.push({ id: nextId(), type: "row", title: section.title, collapsed: false, gridPos: { h: 1, w: GRID_COLUMNS, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const d of drafts) {
      const w = Math.min(Math.max(1, d.w), GRID_COLUMNS);
      if (x + w > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      const gridPos: GridPos = { h: d.h, w, x, y };
      panels.push({ id: nextId(), gridPos, ...d.panel });
      x += w;
      lineHeight = Math.max(lineHeight, d.h);
    }
    y += lineHeight;
  }
  return panels;
}

export interface QueryVariableSpec {
  readonly name: string;
  readonly label: string;
  /** A Grafana Prometheus variable query such as `label_values(metric{…}, label)`. */
  readonly query: string;
}

export function queryVariable(datasource: DatasourceRef, spec: QueryVariableSpec): QueryVariable {
  return {
    type: "query",
    name: spec.name,
    label: spec.label,
    datasource,
    // No `definition` (the editor's display copy of the query): Grafana's VariableModel has no such field.
    query: { qryType: 1, query: spec.query, refId: "PrometheusVariableQueryEditor-VariableQuery" },
    refresh: 2,
    regex: "",
    sort: 1,
    multi: true,
    includeAll: true,
    allValue: ".*",
    // "$__all" is Grafana's value of the All option.
    current: { text: ["All"], value: ["$__all"] },
    options: [],
    hide: 0,
  };
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly variables: readonly QueryVariable[];
  readonly sections: readonly Section[];
  readonly links?: readonly DashboardLink[];
  readonly annotations?: readonly AnnotationQuery[];
}

/** Grafana's dashboard URL slug of a title ("Flink TaskManager" → "flink-taskmanager"). */
export function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The path of a dashboard in Grafana, relative to its root URL. */
export function dashboardUrl(target: { readonly uid: string; readonly title: string }): string {
  return `/d/${target.uid}/${slug(target.title)}`;
}

/** A header link to `target`, passing this dashboard's variables and time range along. */
export function dashboardLink(target: { readonly uid: string; readonly title: string }): DashboardLink {
  return {
    title: target.title,
    type: "link",
    url: dashboardUrl(target),
    icon: "dashboard",
    tooltip: `Open ${target.title} with the same selection and time range`,
    tags: [],
    asDropdown: false,
    targetBlank: false,
    includeVars: true,
    keepTime: true,
  };
}

export function dashboard(spec: DashboardSpec): Dashboard {
  return {
    annotations: { list: spec.annotations ?? [] },
    description: spec.description,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: spec.links ?? [],
    panels: layout(spec.sections),
    refresh: "30s",
    schemaVersion: SCHEMA_VERSION,
    tags: ["flink", ...spec.tags],
    templating: { list: spec.variables },
    time: { from: "now-1h", to: "now" },
    timepicker: {},
    timezone: "browser",
    title: spec.title,
    uid: spec.uid,
    version: 1,
    weekStart: "",
  };
}
