# Shared settings for the set-up scripts. Source it; it only defines things.
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Everything slow to make (tools, base image, index) lives here, outside the
# work tree, so a second set-up and every fresh clone on the machine reuse it.
CACHE_DIR=${ELIXIR_BP_CACHE:-/var/cache/elixir-buildpacks}
# What the scripts build from this checkout (buildpacks, lifecycle copy).
OUT_DIR=${ELIXIR_BP_OUT:-$REPO_ROOT/out}

BASE_IMAGE=${ELIXIR_BP_BASE_IMAGE:-elixir-buildpacks/base:bookworm}
# builder/builder.toml names these two.
BUILD_IMAGE=elixir-buildpacks/build:bookworm
RUN_IMAGE=elixir-buildpacks/run:bookworm
BUILDER_IMAGE=${ELIXIR_BP_BUILDER:-elixir-buildpacks/builder:bookworm}
INDEX_DIR=$CACHE_DIR/index
INDEX_PORT=${ELIXIR_BP_INDEX_PORT:-18484}

TOOLS_BIN=$CACHE_DIR/tools/bin
export PATH="$TOOLS_BIN:/usr/local/go/bin:$PATH"
# podman's defaults raise rlimits (not allowed here) and pick crun (which
# refuses hybrid cgroups); this file lowers the limits and picks runc.
export CONTAINERS_CONF=${CONTAINERS_CONF:-$REPO_ROOT/stack/containers.conf}
export PACK_VOLUME_KEY=${PACK_VOLUME_KEY:-elixir-buildpacks}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Prints a short content hash of the given files, to key cached artefacts.
files_hash() { cat "$@" | sha256sum | cut -c1-16; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  if [ ! -f "$CACHE_DIR/.apt-updated" ] || [ -n "$(find "$CACHE_DIR/.apt-updated" -mmin +720)" ]; then
    as_root apt-get update -qq && mkdir -p "$CACHE_DIR" && touch "$CACHE_DIR/.apt-updated"
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

docker_api_ok() { curl -fsS --max-time 3 --unix-socket "$1" http://d/_ping >/dev/null 2>&1; }

# Uses a Docker-API engine that already answers; otherwise installs podman and
# serves its Docker API on a socket. Exports DOCKER_HOST.
ensure_engine() {
  if [ -n "${DOCKER_HOST:-}" ] && [[ $DOCKER_HOST == unix://* ]] && docker_api_ok "${DOCKER_HOST#unix://}"; then return 0; fi
  if docker_api_ok /var/run/docker.sock; then export DOCKER_HOST=unix:///var/run/docker.sock; return 0; fi
  apt_install podman runc uidmap curl ca-certificates
  local sock=/run/podman/podman.sock
  export DOCKER_HOST=unix://$sock
  if ! docker_api_ok "$sock"; then
    log "starting the podman API service on $sock"
    mkdir -p /run/podman "$CACHE_DIR"
    setsid nohup podman system service --time=0 "unix://$sock" >"$CACHE_DIR/podman-service.log" 2>&1 </dev/null &
    for _ in $(seq 1 50); do docker_api_ok "$sock" && break; sleep 0.2; done
    docker_api_ok "$sock" || die "the podman API service did not start: see $CACHE_DIR/podman-service.log"
  fi
}

# Is there an engine CLI for image work (build, import, save)? podman when we
# run it, else docker.
engine() { if command -v podman >/dev/null 2>&1; then podman "$@"; else docker "$@"; fi; }

image_exists() { engine image inspect "$1" >/dev/null 2>&1; }
image_label() { engine image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null; }
