#!/usr/bin/env bash
# Build stand-in images for prom/prometheus, prom/pushgateway, prom/alertmanager and prom/node-exporter from
# Debian's packaged binaries (DOCKER.md: there is no registry here, so `docker pull` cannot work).
#
# Each image is FROM scratch and holds: the Debian binary at the upstream path (/bin/prometheus, …), the two
# files it links against (libc.so.6, ld-linux-x86-64.so.2), /bin/busybox from busybox-static with sh and wget
# links (upstream prom/* images are busybox-based, so the same `wget --spider` healthchecks work), /etc/passwd
# and /etc/group with nobody (65534), USER 65534, the data directory (/prometheus, /alertmanager, /pushgateway)
# owned by 65534 so named volumes inherit it, the web/template assets Debian's builds read from
# /usr/share/prometheus/<component> (Debian patches the binaries to read them from disk instead of embedding
# them), and the upstream ENTRYPOINT/CMD. Checked: Debian's Alertmanager 0.25 exits at start without
# /usr/share/prometheus/alertmanager/default.tmpl ("failed to parse templates"); Debian's Prometheus 2.42 starts
# and answers /-/ready and its API without the console libraries and web assets (they only serve the UI).
#
# Tags are honest: local/<name>:debian-<major.minor> of the binary actually copied (checked with --version).
#
#   scripts/ci/standin-images.sh           build all four (prints the tags)
#   scripts/ci/standin-images.sh --check   only print the tags that would be built
set -euo pipefail

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/image-lib.sh"
require_tools standin-images "apt-get install -y docker.io prometheus prometheus-pushgateway prometheus-alertmanager prometheus-node-exporter busybox-static" \
  docker busybox ldd prometheus prometheus-pushgateway prometheus-alertmanager prometheus-node-exporter
BUSYBOX="$(static_busybox standin-images)"

# "prometheus, version 2.42.0+ds (branch: …" → 2.42.0
full_version() { "$1" --version 2>&1 | sed -n 's/^[a-z_]*, version \([0-9][0-9.]*\).*/\1/p' | head -n 1; }
minor_of() { echo "$1" | cut -d. -f1-2; }

CHECK_ONLY=0
[[ "${1:-}" == "--check" ]] && CHECK_ONLY=1

WORK="$(mktemp -d /tmp/standin-images.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# build <name> <debian binary> <upstream binary name> <data dir or ""> <debian asset dir or ""> <EXPOSE port>
#       <entrypoint json> <cmd json or ""> [<default config src> <default config dest>]
build() {
  local name="$1" bin="$2" upstream="$3" datadir="$4" assets="$5" port="$6" entrypoint="$7" cmd="$8"
  local confsrc="${9:-}" confdest="${10:-}"
  local binpath version tag ctx
  binpath="$(command -v "$bin")"
  version="$(full_version "$binpath")"
  [[ -n "$version" ]] || { echo "standin-images: cannot read the version of $binpath" >&2; exit 1; }
  tag="local/${name}:debian-$(minor_of "$version")"
  if (( CHECK_ONLY )); then echo "$tag ($bin $version)"; return; fi

  ctx="$WORK/$name"
  mkdir -p "$ctx/root/bin" "$ctx/root/etc" "$ctx/root/lib/x86_64-linux-gnu" "$ctx/root/lib64" "$ctx/data"
  # With every library it needs (Debian's Go builds use cgo: libc + the dynamic loader).
  copy_with_libs "$binpath" "$ctx/root" "/bin/$upstream"
  cp "$BUSYBOX" "$ctx/root/bin/busybox"
  ln -s busybox "$ctx/root/bin/sh"
  ln -s busybox "$ctx/root/bin/wget"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$ctx/root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$ctx/root/etc/group"
  if [[ -n "$assets" && -d "$assets" ]]; then
    mkdir -p "$ctx/root$(dirname "$assets")"
    # -a keeps symlinks as they are: Debian links the browser UI's JS libraries into /usr/share/javascript
    # (200+ MB when dereferenced). They dangle in the image; the HTTP APIs and /-/ready do not need them.
    cp -a "$assets" "$ctx/root$assets"
  fi
  if [[ -n "$confsrc" ]]; then
    mkdir -p "$ctx/root$(dirname "$confdest")"
    printf '%s' "$confsrc" >"$ctx/root$confdest"
  fi
  local datalines=""
  if [[ -n "$datadir" ]]; then
    mkdir -p "$ctx/data$datadir"
    datalines="COPY --chown=65534:65534 data$datadir $datadir
WORKDIR $datadir"
    # Upstream declares VOLUME for Prometheus and Alertmanager data, not for the Pushgateway's directory.
    [[ "$name" == "pushgateway" ]] || datalines="$datalines
VOLUME [\"$datadir\"]"
  fi
  local debver
  debver="$(dpkg-query -W -f '${Package} ${Version}' "$(dpkg -S "$binpath" | cut -d: -f1)" 2>/dev/null || echo "$bin $version")"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM scratch
LABEL org.opencontainers.image.title="${name} (stand-in)" \\
      org.opencontainers.image.version="${version}" \\
      org.opencontainers.image.description="Debian ${debver} binary in a scratch image; stand-in for the upstream image in tests"
COPY root/ /
${datalines}
USER 65534
EXPOSE ${port}
ENTRYPOINT ${entrypoint}
DOCKERFILE
  [[ -n "$cmd" ]] && echo "CMD ${cmd}" >>"$ctx/Dockerfile"
  local previous
  previous="$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)"
  build_image "$tag" "$ctx"
  # A rebuild leaves the old image untagged: remove it (only it, and only if no container uses it).
  if [[ -n "$previous" && "$previous" != "$(docker image inspect -f '{{.Id}}' "$tag")" ]]; then
    docker rmi "$previous" >/dev/null 2>&1 || true
  fi
  echo "$tag ($bin $version)"
}

PROM_CONF='global:
  scrape_interval: 15s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ["localhost:9090"]
'
AM_CONF='route:
  receiver: default
receivers:
  - name: default
'

# Upstream Dockerfiles: prometheus CMD keeps the config/storage paths (our generated command overrides them);
# alertmanager likewise; pushgateway and node_exporter have no CMD.
build prometheus prometheus prometheus /prometheus /usr/share/prometheus/web 9090 \
  '["/bin/prometheus"]' \
  '["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
  "$PROM_CONF" /etc/prometheus/prometheus.yml
build pushgateway prometheus-pushgateway pushgateway /pushgateway /usr/share/prometheus/pushgateway 9091 \
  '["/bin/pushgateway"]' ''
build alertmanager prometheus-alertmanager alertmanager /alertmanager /usr/share/prometheus/alertmanager 9093 \
  '["/bin/alertmanager"]' \
  '["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]' \
  "$AM_CONF" /etc/alertmanager/alertmanager.yml
build node-exporter prometheus-node-exporter node_exporter "" "" 9100 \
  '["/bin/node_exporter"]' ''
