// The slice of Grafana's classic dashboard JSON model we generate, as Grafana 12.2 writes it (schemaVersion
// 42: migrations 40–42 normalize `refresh` to a string, drop `timepicker.time_options` and add
// `hideFrom.tooltip` to overrides; our JSON needs none of them). Only current panel types: timeseries,
// stat, table, gauge, row (never graph / singlestat). test/grafana-judge.test.ts checks every dashboard
// against the types Grafana publishes for the image the stack runs (@grafana/schema of that version).

export const SCHEMA_VERSION = 42;

export interface DatasourceRef {
  readonly type: "prometheus";
  readonly uid: string;
}

export interface GridPos {
  readonly h: number;
  readonly w: number;
  readonly x: number;
  readonly y: number;
}

export interface Target {
  readonly datasource: DatasourceRef;
  readonly editorMode: "code";
  readonly expr: string;
  readonly legendFormat: string;
  readonly range: boolean;
  readonly instant: boolean;
  readonly refId: string;
}

export interface ThresholdStep {
  readonly color: string;
  /** null is the base step (Grafana's -Infinity). */
  readonly value: number | null;
}

export interface FieldConfig {
  readonly defaults: Readonly<Record<string, unknown>> & { readonly unit: string };
  readonly overrides: readonly unknown[];
}

export type QueryPanelType = "timeseries" | "stat" | "table" | "gauge";

export interface QueryPanel {
  readonly id: number;
  readonly type: QueryPanelType;
  readonly title: string;
  readonly description: string;
  readonly datasource: DatasourceRef;
  readonly gridPos: GridPos;
  readonly fieldConfig: FieldConfig;
  readonly options: Readonly<Record<string, unknown>>;
  readonly targets: readonly Target[];
}

export interface RowPanel {
  readonly id: number;
  readonly type: "row";
  readonly title: string;
  readonly collapsed: false;
  readonly gridPos: GridPos;
  readonly panels: readonly [];
}

export type Panel = QueryPanel | RowPanel;

export interface QueryVariable {
  readonly type: "query";
  readonly name: string;
  readonly label: string;
  readonly datasource: DatasourceRef;
  readonly query: { readonly qryType: 1; readonly query: string; readonly refId: string };
  /** 2 = on time range change. */
  readonly refresh: 2;
  readonly regex: "";
  /** 1 = alphabetical ascending. */
  readonly sort: 1;
  readonly multi: boolean;
  readonly includeAll: boolean;
  readonly allValue: string;
  /** The selection a fresh dashboard opens with: All. Grafana's VariableOption needs text and value. */
  readonly current: { readonly text: readonly string[]; readonly value: readonly string[] };
  readonly options: readonly [];
  readonly hide: 0;
}

/** A link in the dashboard's header to another dashboard, carrying the variables and the time range. */
export interface DashboardLink {
  readonly title: string;
  readonly type: "link";
  readonly url: string;
  readonly icon: "dashboard";
  readonly tooltip: string;
  readonly tags: readonly [];
  readonly asDropdown: false;
  readonly targetBlank: false;
  readonly includeVars: true;
  readonly keepTime: true;
}

/** A data link of a panel's series: Grafana fills ${__field.labels.x} from the series clicked. */
export interface DataLink {
  readonly title: string;
  readonly url: string;
}

/**
 * A Prometheus annotation query. Grafana 12.2's AnnotationQuery has no titleFormat / tagKeys /
 * useValueForTime at its top level: the query lives in `target` (the datasource's query model).
 */
export interface AnnotationQuery {
  readonly name: string;
  readonly datasource: DatasourceRef;
  readonly enable: true;
  readonly hide: false;
  readonly iconColor: string;
  readonly target: { readonly expr: string; readonly refId: string };
}

export interface Dashboard {
  readonly annotations: { readonly list: readonly AnnotationQuery[] };
  readonly description: string;
  readonly editable: boolean;
  readonly fiscalYearStartMonth: 0;
  /** 1 = shared crosshair. */
  readonly graphTooltip: 1;
  readonly id: null;
  readonly links: readonly DashboardLink[];
  readonly panels: readonly Panel[];
  readonly refresh: string;
  readonly schemaVersion: number;
  readonly tags: readonly string[];
  readonly templating: { readonly list: readonly QueryVariable[] };
  readonly time: { readonly from: string; readonly to: string };
  readonly timepicker: Readonly<Record<string, never>>;
  readonly timezone: "browser";
  readonly title: string;
  readonly uid: string;
  readonly version: 1;
  readonly weekStart: "";
}

export function isQueryPanel(panel: Panel): panel is QueryPanel {
  return panel.type !== "row";
}
