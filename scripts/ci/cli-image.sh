#!/usr/bin/env bash
# Build a stand-in for "node:24-alpine" (--base: what the default prune sidecar, runner image, builds its local CLI
# image on, through the Engine API) and for "node:24-alpine + the published flink-prometheus-stack package": the
# image the sidecar runs with `pushgateway.prune.runner: npx` (`npx --yes flink-prometheus-stack@<version> …`).
#
# What it stands in for, and where it differs (DOCKER.md: there is no registry here, so neither the node image nor
# the package can be downloaded):
#   - node:24-alpine → FROM scratch with THIS HOST's node binary (/usr/bin/node, Node 20, glibc: every library
#     `ldd` lists is copied) and the host's npm (/usr/lib/node_modules/npm, with /usr/bin/npm and /usr/bin/npx as
#     the same symlinks to npm-cli.js / npx-cli.js the host has), busybox-static as /bin/sh, wget and the other
#     applets (Alpine's userland is busybox too, so the sidecar's `wget -q --spider` healthcheck works the same),
#     /usr/bin/env for the launchers' `#!/usr/bin/env node`, /etc/passwd + group with root, node (1000) and nobody,
#     writable /tmp, /root and /home/node, and the official image's docker-entrypoint.sh as ENTRYPOINT with
#     CMD ["node"] (a first argument that is not a command is run with node; `npx …` is exec'd as is).
#   - "published on the npm registry" → the package, as `npm pack` of the current build, already installed
#     (production dependencies only, install scripts not run) under WORKDIR /opt/flink-prometheus-stack. The
#     install is `npm ci --offline` from the host's npm cache (filled by `npm ci`; see C below): nothing is downloaded.
#     The real npx resolves `flink-prometheus-stack@<version>` to that local install without the registry:
#     libnpmexec (npm/node_modules/libnpmexec/lib/index.js, missingFromTree) first loads the tree of the local
#     prefix (the WORKDIR, which has a package.json) and, for an exact-version spec, accepts a node whose pkgid is
#     `flink-prometheus-stack@<version>` without fetching any manifest; the bin then runs from
#     node_modules/.bin. On the real node:24-alpine (WORKDIR /) npx downloads the same package into ~/.npm/_npx.
#     So the command must run with its working directory here: a `working_dir:` on the service would make this
#     stand-in go to the registry (and fail) where the real image would not.
#   - Not like the real thing: Node 20 (the host's), glibc instead of musl, and install scripts not run.
# Two images: the node part, local/flink-prometheus-stack-node:node<v>-npm<v>, built only when missing (it does not
# change with this repo, and its 150 MB are most of the build time), and FROM it the package layer, tagged as the
# package version, local/flink-prometheus-stack:<package.json version>, rebuilt on every run. Labels say what is
# really inside (Node and npm versions).
#
# The label org.flink-prometheus-stack.source-sha256 is a hash of what `npm pack` packs (package.json and the
# "files" folders: dist, schemas, examples) and of package-lock.json; with the base image's id in
# org.flink-prometheus-stack.base-id it makes a re-run idempotent: after `npm run build`, an image with the same
# two labels is kept as it is (no pack, no install, no docker build). (test/prune-sidecar.test.ts runs only
# --base: the default runner's image is built by `up` itself, from the current build.)
#
#   scripts/ci/cli-image.sh                 npm run build; npm pack and build the image unless it is up to date (the
#                                           npx runner's stand-in: for checking runner npx by hand, no test uses it)
#   scripts/ci/cli-image.sh --force         the same, rebuilding the package image even when it is up to date
#   scripts/ci/cli-image.sh --check         only print the tag that would be built
#   scripts/ci/cli-image.sh --source-hash   only print the hash of the current package files (no build)
#   scripts/ci/cli-image.sh --base          only the node part (built when missing); print its tag. It is the base
#                                           test/prune-sidecar.test.ts passes as pushgateway.prune.image: the
#                                           default runner (image) builds the CLI image on it through the Engine API
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/image-lib.sh"
cd "$(dirname "$0")/../.."

require_tools cli-image "apt-get install -y docker.io busybox-static; Node 20+ with npm" docker node npm busybox ldd
BUSYBOX="$(static_busybox cli-image)"

NAME="$(node -p 'require("./package.json").name')"
VERSION="$(node -p 'require("./package.json").version')"
TAG="local/${NAME}:${VERSION}"
SOURCE_LABEL="org.flink-prometheus-stack.source-sha256"
BASE_LABEL="org.flink-prometheus-stack.base-id"
FORCE=0
case "${1:-}" in
  --check) echo "$TAG"; exit 0 ;;
  --force) FORCE=1 ;;
  --source-hash | --base | "") ;;
  *) echo "usage: scripts/ci/cli-image.sh [--check | --source-hash | --force | --base]" >&2; exit 2 ;;
esac

# sha256 over "<path>\0<sha256 of contents>\n" of package.json, package-lock.json (the production dependencies)
# and every file under package.json's "files".
source_hash() {
  node -e '
    const { createHash } = require("node:crypto");
    const fs = require("node:fs");
    const path = require("node:path");
    const files = ["package.json", "package-lock.json"];
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.isFile()) files.push(file);
      }
    };
    for (const entry of require("./package.json").files ?? []) {
      if (!fs.existsSync(entry)) continue;
      if (fs.statSync(entry).isDirectory()) walk(entry);
      else files.push(entry);
    }
    const hash = createHash("sha256");
    for (const file of files.sort()) hash.update(`${file}\0${createHash("sha256").update(fs.readFileSync(file)).digest("hex")}\n`);
    console.log(hash.digest("hex"));
  '
}
if [[ "${1:-}" == "--source-hash" ]]; then source_hash; exit 0; fi

NODE_BIN="$(readlink -f "$(command -v node)")"
# npm's own folder: the host's npm launcher is a symlink into <prefix>/lib/node_modules/npm/bin.
NPM_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
[[ -f "$NPM_DIR/package.json" && -d "$NPM_DIR/node_modules/libnpmexec" ]] || {
  echo "cli-image: cannot find npm's folder (looked at $NPM_DIR)" >&2
  exit 1
}
NODE_VERSION="$("$NODE_BIN" --version)"
NPM_VERSION="$(node -p "require('$NPM_DIR/package.json').version")"

BASE_TAG="local/${NAME}-node:node${NODE_VERSION#v}-npm${NPM_VERSION}"

WORK="$(mktemp -d /tmp/cli-image.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT


# A. The "node:24-alpine" part, built once per host node/npm version (it does not depend on this repo; 150 MB
#    of context, so rebuilding it every time would cost most of this script's run time).
if ! docker image inspect "$BASE_TAG" >/dev/null 2>&1; then
  ROOT="$WORK/base/root"
  mkdir -p "$ROOT/bin" "$ROOT/usr/bin" "$ROOT/usr/lib/node_modules" "$ROOT/usr/local/bin" "$ROOT/etc" \
    "$ROOT/tmp" "$ROOT/root" "$WORK/base/home/node"
  # Node, its libraries, npm with the host's launcher links.
  copy_with_libs "$NODE_BIN" "$ROOT" /usr/bin/node
  cp -a "$NPM_DIR" "$ROOT/usr/lib/node_modules/npm"
  for launcher in npm npx; do
    ln -s "$(readlink "$(command -v "$launcher")" 2>/dev/null || echo "../lib/node_modules/npm/bin/${launcher}-cli.js")" \
      "$ROOT/usr/bin/$launcher"
  done
  # busybox userland (Alpine's is busybox as well) and /usr/bin/env for `#!/usr/bin/env node`.
  cp "$BUSYBOX" "$ROOT/bin/busybox"
  for applet in $("$BUSYBOX" --list); do
    [[ "$applet" == busybox || "$applet" == */* ]] && continue
    ln -s busybox "$ROOT/bin/$applet"
  done
  ln -s /bin/busybox "$ROOT/usr/bin/env"
  # Users (node:24-alpine runs as root and has a node user 1000), the official image's entrypoint.
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' \
    >"$ROOT/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' >"$ROOT/etc/group"
  cat >"$ROOT/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e

# Run command with node if the first argument contains a "-" or is not a system command. The last
# part inside the "{}" is a workaround for the following bug in ash/dash:
# https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=874264
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
SH
  chmod 0755 "$ROOT/usr/local/bin/docker-entrypoint.sh"
  chmod 1777 "$ROOT/tmp"
  chmod 0700 "$ROOT/root"
  cat >"$WORK/base/Dockerfile" <<DOCKERFILE
FROM scratch
LABEL org.opencontainers.image.title="node (stand-in)" \\
      org.opencontainers.image.version="${NODE_VERSION#v}" \\
      org.opencontainers.image.description="Stand-in for node:24-alpine: host node ${NODE_VERSION} + npm ${NPM_VERSION} + busybox-static in a scratch image (scripts/ci/cli-image.sh)"
COPY root/ /
COPY --chown=1000:1000 home/ /home/
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
DOCKERFILE
  build_image "$BASE_TAG" "$WORK/base"
fi
if [[ "${1:-}" == "--base" ]]; then echo "$BASE_TAG"; exit 0; fi

# B. The package as it would be published: the current build, packed.
APP="$WORK/app/$NAME"
mkdir -p "$APP"
npm run --silent build >&2
SOURCE_HASH="$(source_hash)"
BASE_ID="$(docker image inspect -f '{{.Id}}' "$BASE_TAG")"
# Idempotent: the same package files on the same base make the same image; keep it (its id too).
current="$(docker image inspect -f "{{index .Config.Labels \"$SOURCE_LABEL\"}} {{index .Config.Labels \"$BASE_LABEL\"}}" "$TAG" 2>/dev/null || true)"
if (( ! FORCE )) && [[ "$current" == "$SOURCE_HASH $BASE_ID" ]]; then
  echo "$TAG (node ${NODE_VERSION}, npm ${NPM_VERSION}, ${NAME} ${VERSION}; up to date with the current build)"
  exit 0
fi
npm pack --silent --pack-destination "$WORK" >"$WORK/packed"
TARBALL="$(tail -n 1 "$WORK/packed")"
[[ -f "$WORK/$TARBALL" ]] || { echo "cli-image: npm pack did not leave $TARBALL" >&2; exit 1; }

# C. Installed into the WORKDIR from the tarball, offline: `npm ci --offline` with a package-lock.json made here
#    from the repo's: the package itself (file: the tarball) and every production entry of the repo's lock (same
#    versions, same integrity, same node_modules layout minus the dev-only entries), each with its registry
#    tarball URL. So npm takes every dependency tarball from the host's npm cache by its integrity (`npm ci` of this
#    repo put them there) and needs no registry metadata. Without a lock, npm 11's `npm install` builds an ideal
#    tree from full packuments (build-ideal-tree.js #fetchManifest: fullMetadata: true), which `npm ci` never
#    fetches: --offline then fails with ENOTCACHED on a fresh machine. Install scripts are not run (ssh2's
#    optional native crypto binding, pulled in by dockerode, is not needed by the CLI).
cp "$WORK/$TARBALL" "$APP/$TARBALL"
REGISTRY="$(npm config get registry)"
APP="$APP" TARBALL="$TARBALL" REGISTRY="$REGISTRY" node -e '
  const { createHash } = require("node:crypto");
  const fs = require("node:fs");
  const path = require("node:path");
  const { APP, TARBALL, REGISTRY } = process.env;
  const pkg = require("./package.json");
  const repoLock = require("./package-lock.json");
  if (repoLock.lockfileVersion < 2) throw new Error("package-lock.json: lockfileVersion 2 or 3 expected");
  const registry = REGISTRY.endsWith("/") ? REGISTRY : `${REGISTRY}/`;
  const root = { name: `${pkg.name}-image`, private: true,
    description: `stand-in for the npx download of ${pkg.name}@${pkg.version} (scripts/ci/cli-image.sh)`,
    dependencies: { [pkg.name]: `file:${TARBALL}` } };
  const integrity = `sha512-${createHash("sha512").update(fs.readFileSync(path.join(APP, TARBALL))).digest("base64")}`;
  const packages = {
    "": { name: root.name, dependencies: root.dependencies },
    [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: `file:${TARBALL}`, integrity, license: pkg.license,
      dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const [key, entry] of Object.entries(repoLock.packages)) {
    if (key === "" || entry.dev || entry.link || !key.startsWith("node_modules/")) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
    const { dev, ...rest } = entry;
    packages[key] = { ...rest,
      resolved: entry.resolved ?? `${registry}${name}/-/${name.split("/").pop()}-${entry.version}.tgz` };
  }
  fs.writeFileSync(path.join(APP, "package.json"), JSON.stringify(root, null, 2) + "\n");
  fs.writeFileSync(path.join(APP, "package-lock.json"),
    JSON.stringify({ name: root.name, lockfileVersion: 3, requires: true, packages }, null, 2) + "\n");
'
(cd "$APP" && npm ci --offline --omit=dev --ignore-scripts --no-audit --no-fund --no-update-notifier \
  --loglevel=error >/dev/null) || {
  echo "cli-image: offline npm ci of $TARBALL failed: the host's npm cache lacks a production dependency (run npm ci)" >&2
  exit 1
}
[[ -x "$APP/node_modules/.bin/$NAME" ]] || { echo "cli-image: the install left no node_modules/.bin/$NAME" >&2; exit 1; }

cat >"$WORK/app/Dockerfile" <<DOCKERFILE
FROM ${BASE_TAG}
LABEL org.opencontainers.image.title="${NAME} ${VERSION} on node (stand-in)" \\
      org.opencontainers.image.version="${VERSION}" \\
      ${SOURCE_LABEL}="${SOURCE_HASH}" \\
      ${BASE_LABEL}="${BASE_ID}" \\
      org.opencontainers.image.description="Stand-in for node:24-alpine running npx ${NAME}@${VERSION} from the registry: ${BASE_TAG} (host node ${NODE_VERSION}, npm ${NPM_VERSION}) with the package installed from npm pack of the current build in the WORKDIR (scripts/ci/cli-image.sh)"
COPY ${NAME}/ /opt/${NAME}/
WORKDIR /opt/${NAME}
DOCKERFILE

previous="$(docker image inspect -f '{{.Id}}' "$TAG" 2>/dev/null || true)"
build_image "$TAG" "$WORK/app"
# A rebuild leaves the old image untagged: remove it (only it, and only if no container uses it).
if [[ -n "$previous" && "$previous" != "$(docker image inspect -f '{{.Id}}' "$TAG")" ]]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi
echo "$TAG (node ${NODE_VERSION}, npm ${NPM_VERSION}, ${NAME} ${VERSION} from ${TARBALL})"
