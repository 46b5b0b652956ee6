// Grafana's datasource provisioning file: the structure Grafana needs to provision the datasource at all.
import { isRecord, refuse, shown, type CheckedDocument } from "./report.js";

export function checkGrafanaDatasources(doc: CheckedDocument): void {
  const config = doc.value;
  if (!isRecord(config)) {
    refuse(doc, [], "the datasource provisioning file must be a mapping");
    return;
  }
  if (config.apiVersion !== 1) refuse(doc, ["apiVersion"], `must be 1 (got ${shown(config.apiVersion)})`);
  if (!Array.isArray(config.datasources)) {
    refuse(doc, ["datasources"], `must be a list (got ${shown(config.datasources)})`);
    return;
  }
  config.datasources.forEach((datasource, index) => {
    if (!isRecord(datasource)) {
      refuse(doc, ["datasources", index], `must be a mapping (got ${shown(datasource)})`);
      return;
    }
    for (const key of ["name", "type", "url"]) {
      const value = datasource[key];
      if (typeof value !== "string" || value.trim() === "") {
        refuse(doc, ["datasources", index, key], `must be a non-empty string (got ${shown(value)})`);
      }
    }
    if (typeof datasource.url === "string" && datasource.url.trim() !== "" && !/^https?:\/\/[^\s/]+/.test(datasource.url)) {
      refuse(doc, ["datasources", index, "url"], `must be an http:// or https:// URL (got ${shown(datasource.url)})`);
    }
  });
}
