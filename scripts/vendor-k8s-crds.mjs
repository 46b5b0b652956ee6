// Vendors the Prometheus Operator CRD schemas the Kubernetes target's tests judge manifests with:
//   node scripts/vendor-k8s-crds.mjs <prometheus-operator checkout>
// writes test/fixtures/kubernetes/<plural>.monitoring.coreos.com-<version>.schema.json: the openAPIV3Schema of
// the served version, descriptions removed (they are most of the bytes and judge nothing), with its source.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import yaml from "js-yaml";

const repo = process.argv[2];
if (!repo) throw new Error("usage: node scripts/vendor-k8s-crds.mjs <prometheus-operator git dir>");
const git = (...args) => execFileSync("git", ["--git-dir", repo, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
const commit = git("rev-parse", "HEAD").trim();
const CRDS = [
  ["podmonitors", "v1"],
  ["servicemonitors", "v1"],
  ["prometheusrules", "v1"],
  ["alertmanagerconfigs", "v1alpha1"],
];

function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== "description")
      .map(([key, value]) => [key, strip(value)]),
  );
}

for (const [plural, version] of CRDS) {
  const path = `example/prometheus-operator-crd/monitoring.coreos.com_${plural}.yaml`;
  const crd = yaml.load(git("show", `HEAD:${path}`));
  const served = crd.spec.versions.find((entry) => entry.name === version);
  const out = {
    $comment: `openAPIV3Schema of ${crd.spec.names.kind} ${crd.spec.group}/${version} from github.com/prometheus-operator/prometheus-operator ${path} at ${commit} (operator ${crd.metadata.annotations["operator.prometheus.io/version"]}); descriptions removed by scripts/vendor-k8s-crds.mjs`,
    ...strip(served.schema.openAPIV3Schema),
  };
  writeFileSync(
    new URL(`../test/fixtures/kubernetes/${plural}.monitoring.coreos.com-${version}.schema.json`, import.meta.url),
    `${JSON.stringify(out)}\n`,
  );
}
