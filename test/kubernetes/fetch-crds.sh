#!/usr/bin/env bash
# Fetch the Flink Kubernetes Operator's FlinkDeployment CRD (the schema test/kubernetes.test.ts judges the
# generated flinkConfiguration patches with) from Maven Central: org.apache.flink:flink-kubernetes-operator-api,
# META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml, into test/kubernetes/target/. Nothing is committed.
# .ci/run calls this before `npm test`. Idempotent; fails, never skips, when mvn or the jar is missing.
#   OPERATOR_VERSION=1.10.0 bash test/kubernetes/fetch-crds.sh
set -euo pipefail
cd "$(dirname "$0")"
VERSION="${OPERATOR_VERSION:-1.10.0}"
CRD="flinkdeployments.flink.apache.org-v1.yml"
out="$PWD/target/$VERSION"
if [[ -s "$out/$CRD" ]]; then echo "fetch-crds.sh: FlinkDeployment CRD $VERSION present ($out)"; exit 0; fi
for tool in mvn unzip; do
  command -v "$tool" >/dev/null 2>&1 || { echo "fetch-crds.sh: $tool is not installed (apt-get install -y maven unzip)" >&2; exit 1; }
done
mvn -q -B -Dstyle.color=never dependency:get "-Dartifact=org.apache.flink:flink-kubernetes-operator-api:$VERSION" -Dtransitive=false 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
jar="$(mvn -q -B help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g')/org/apache/flink/flink-kubernetes-operator-api/$VERSION/flink-kubernetes-operator-api-$VERSION.jar"
[[ -s "$jar" ]] || { echo "fetch-crds.sh: $jar was not downloaded" >&2; exit 1; }
mkdir -p "$out"
unzip -p "$jar" "META-INF/fabric8/$CRD" >"$out/$CRD.tmp"
[[ -s "$out/$CRD.tmp" ]] || { echo "fetch-crds.sh: $jar has no META-INF/fabric8/$CRD" >&2; exit 1; }
mv "$out/$CRD.tmp" "$out/$CRD"
echo "fetch-crds.sh: FlinkDeployment CRD $VERSION from $jar"
