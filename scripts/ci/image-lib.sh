# Shared by the stand-in image scripts (sourced, not run): checks and the steps every FROM-scratch image needs.

# require_tools <script name> <install hint> <tool>…: exits 1 naming the first missing tool.
require_tools() {
  local script="$1" hint="$2" tool
  shift 2
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$script: $tool not found ($hint)" >&2; exit 1; }
  done
}

# static_busybox <script name>: prints busybox's path; exits 1 unless it is the static build (the images have no libc
# of their own for it).
static_busybox() {
  local busybox
  busybox="$(command -v busybox)"
  if ldd "$busybox" >/dev/null 2>&1; then
    echo "$1: $busybox is dynamically linked; install busybox-static" >&2
    exit 1
  fi
  echo "$busybox"
}

# copy_with_libs <binary> <image root> <path in the image>: the binary and every library ldd lists, at their paths.
copy_with_libs() {
  local binary="$1" root="$2" target="$3" lib
  mkdir -p "$root$(dirname "$target")"
  cp "$binary" "$root$target"
  while read -r lib; do
    [[ -n "$lib" ]] || continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done < <(ldd "$binary" | grep -o '/[^ ]*' | sort -u)
}

# build_image <tag> <context>: the legacy builder (no buildx plugin here), its deprecation banner hidden.
build_image() {
  DOCKER_BUILDKIT=0 docker build -q -t "$1" "$2" \
    2> >(grep -v -e 'DEPRECATED: The legacy builder' -e 'BuildKit is currently disabled' -e 'environment-variable.' -e '^$' >&2) >/dev/null
}
