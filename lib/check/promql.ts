// PromQL in the generated rule files, parsed with the Prometheus UI's own grammar (@prometheus-io/lezer-promql).
// The rule files are generated (overrides cannot reach them), but label values from the config end up inside
// their selectors: a syntax error here is caught before promtool or Prometheus would refuse the file.
import { parser } from "@prometheus-io/lezer-promql";
import { isRecord, refuse, type CheckedDocument } from "./report.js";

/** The offset of the first syntax error in `expr`, or undefined when it parses. */
export function promqlErrorAt(expr: string): number | undefined {
  if (expr.trim() === "") return 0;
  let at: number | undefined;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (at !== undefined) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  return at;
}

export function checkRuleFile(doc: CheckedDocument): void {
  const groups = isRecord(doc.value) ? doc.value.groups : undefined;
  if (!Array.isArray(groups)) {
    refuse(doc, ["groups"], "a rule file needs a list of groups");
    return;
  }
  groups.forEach((group, groupIndex) => {
    const rules = isRecord(group) ? group.rules : undefined;
    if (!Array.isArray(rules)) return;
    rules.forEach((rule, ruleIndex) => {
      if (!isRecord(rule)) return;
      const name = typeof rule.alert === "string" ? `alert ${rule.alert}` : `record ${String(rule.record)}`;
      const path = ["groups", groupIndex, "rules", ruleIndex, "expr"];
      if (typeof rule.expr !== "string") {
        refuse(doc, path, `${name}: expr must be a PromQL string`);
        return;
      }
      const at = promqlErrorAt(rule.expr);
      if (at !== undefined) {
        refuse(
          doc,
          path,
          `${name}: PromQL syntax error at offset ${at} (near ${JSON.stringify(rule.expr.slice(at, at + 30))})`,
          "a label value or name from the config probably broke the expression: check the labels the rule uses",
        );
      }
    });
  });
}
