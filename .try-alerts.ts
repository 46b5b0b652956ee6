import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { validateConfig, resolveConfig, planStack } from "/work/main/lib/index.js";
import { renderAlertRules } from "/work/main/lib/render/alert-rules.js";
import { renderAlertmanagerConfig } from "/work/main/lib/render/alertmanager.js";

const configs: Record<string, unknown> = {
  v118pull: { flink: { version: "1.18", reporter: { mode: "pull" }, clusters: [{ name: "prod", jobmanagers: ["jm1:9249"], taskmanagers: ["tm1:9249", "tm2:9249"] }] } },
  v120push: { flink: { version: "1.20", clusters: [{ name: "prod", jobmanagers: ["jm1"], taskmanagers: ["tm1", "tm2", "tm3"] }, { name: "dev", jobmanagers: ["jm2"] }] } },
  v19push: { flink: { version: "1.9", clusters: [{ name: "a", jobmanagers: ["jm1"], taskmanagers: ["tm1"] }] } },
  v21pull: { flink: { version: "2.1", reporter: { mode: "pull" }, clusters: [{ name: "a", jobmanagers: ["jm1"], taskmanagers: ["tm1"] }] } },
};
const which = process.argv[2];
for (const [name, raw] of Object.entries(configs)) {
  if (which && which !== name) continue;
  const plan = planStack(resolveConfig(validateConfig(raw)));
  const dir = `/tmp/art/${name}`;
  rmSync(dir, { recursive: true, force: true });
  for (const a of [...renderAlertRules(plan), renderAlertmanagerConfig(plan)]) {
    const file = path.join(dir, a.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, a.contents);
  }
  const rules = path.join(dir, "prometheus/rules");
  const files = plan.ruleFiles.map((f) => path.join(dir, f));
  const check = spawnSync("promtool", ["check", "rules", ...files], { encoding: "utf8" });
  console.log(name, "check", check.status, check.stdout.slice(-300), check.stderr.slice(-2000));
  const tests = plan.ruleFiles.map((f) => path.join(rules, "tests", path.basename(f).replace(".rules.yml", ".test.yml")));
  const t = spawnSync("promtool", ["test", "rules", ...tests], { encoding: "utf8", cwd: "/" });
  console.log(name, "test", t.status, t.stdout.slice(-6000), t.stderr.slice(-3000));
  const am = spawnSync("amtool", ["check-config", path.join(dir, "alertmanager/alertmanager.yml")], { encoding: "utf8" });
  console.log(name, "am", am.status, am.stdout, am.stderr);
}
