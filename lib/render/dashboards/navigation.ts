// Links that carry the selection between dashboards: header links (variables and time range passed along)
// and data links from a series to the TaskManager it comes from.
import type { DashboardPlan, StackPlan } from "../../plan/types.js";
import type { DashboardLink, DataLink } from "./model.js";
import { dashboardLink, dashboardUrl } from "./panels.js";

/** Header links from the dashboard of `kind` to every other planned dashboard, in plan order. */
export function dashboardLinks(plan: StackPlan, kind: DashboardPlan["kind"]): DashboardLink[] {
  return plan.dashboards.filter((d) => d.kind !== kind).map((d) => dashboardLink(d));
}

/**
 * A data link to the TaskManager dashboard for the series clicked: its cluster and TaskManager label
 * (tm_id, or host when tm_id is excluded). Only for panels whose every series carries that label.
 */
export function taskManagerDataLinks(plan: StackPlan): DataLink[] {
  const target = plan.dashboards.find((d) => d.kind === "taskmanager");
  if (target === undefined) return [];
  const label = plan.taskManagerLabel;
  return [
    {
      title: `TaskManager \${__field.labels.${label}}`,
      url: `${dashboardUrl(target)}?var-cluster=\${__field.labels.cluster}&var-${label}=\${__field.labels.${label}}&\${__url_time_range}`,
    },
  ];
}
