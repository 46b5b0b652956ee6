#!/usr/bin/env bash
# `npm run test:ci`, the README's test command (and all that .ci/run does): on a clean Debian 12 machine, as root,
# install every tool the tests use, start what they need, run the full suite (npm test), and stop what was
# started. CI=true: a missing tool or precondition fails the tests; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CI=true DEBIAN_FRONTEND=noninteractive
started=$SECONDS
step() { echo "--- [$((SECONDS - started)) s] $*"; }

step "Debian packages: the real validators, the Docker engine, Compose v1, the stand-in images' binaries"
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  prometheus prometheus-alertmanager prometheus-pushgateway prometheus-node-exporter \
  docker.io docker-compose busybox-static ca-certificates maven unzip util-linux e2fsprogs >/dev/null
# kubectl (its built-in kustomize judges the Kubernetes target offline): the machine's own if it has one, else
# Debian's kubernetes-client (kubectl 1.20, whose kustomize builds the generated folder alike).
command -v kubectl >/dev/null || apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
# Package scripts may start the daemons on their default ports; the tests run their own.
for daemon in prometheus prometheus-alertmanager prometheus-pushgateway prometheus-node-exporter; do
  pkill -x "$daemon" 2>/dev/null || true
done

step "npm ci"
npm ci --no-audit --no-fund

step "Docker engine and stand-in images of the real Prometheus binaries"
# Stop at the end only an engine this run started (a developer's running engine stays up).
if ! timeout 10 docker info >/dev/null 2>&1; then
  bash scripts/ci/docker-engine.sh start
  trap 'bash scripts/ci/docker-engine.sh stop' EXIT
fi
bash scripts/ci/standin-images.sh
# The node base the prune sidecar's CLI image is built on by the tests (the full script, the npx runner's stand-in,
# is for checking `pushgateway.prune.runner: npx` by hand: it packs and installs the package, minutes here).
bash scripts/ci/cli-image.sh --base

step "Flink jars from Maven Central and the real-Flink harness"
bash test/flink/fetch.sh

step "The Flink Kubernetes Operator's FlinkDeployment CRD from Maven Central (the Kubernetes target's judge)"
bash test/kubernetes/fetch-crds.sh

step "npm test: build, type-check, lint, format check, every test"
npm test
step "done"
