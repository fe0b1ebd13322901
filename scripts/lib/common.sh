# Shared settings for the set-up scripts. Source it; it only defines things.
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Everything slow to make (tools, base image, index) lives here, outside the
# work tree, so a second set-up and every fresh clone on the machine reuse it.
CACHE_DIR=${ELIXIR_BP_CACHE:-/var/cache/elixir-buildpacks}
# What the scripts build from this checkout (buildpacks, lifecycle copy).
OUT_DIR=${ELIXIR_BP_OUT:-$REPO_ROOT/out}

# The Debian release the stack and builder are made from: the one setting
# every image name, label and package choice follows from. trixie (Debian
# 13) is the default; bookworm (12) is the second, tested one.
DEFAULT_SUITE=trixie
STACK_SUITE=${ELIXIR_BP_SUITE:-$DEFAULT_SUITE}
case $STACK_SUITE in
  trixie) STACK_DISTRO_VERSION=13 ;;
  bookworm) STACK_DISTRO_VERSION=12 ;;
  *)
    printf 'error: ELIXIR_BP_SUITE=%s is not a Debian release the stack is made for: use trixie or bookworm\n' "$STACK_SUITE" >&2
    exit 1
    ;;
esac
BASE_IMAGE=${ELIXIR_BP_BASE_IMAGE:-elixir-buildpacks/base:$STACK_SUITE}
# The builder made from builder/builder.toml names these two.
BUILD_IMAGE=elixir-buildpacks/build:$STACK_SUITE
RUN_IMAGE=elixir-buildpacks/run:$STACK_SUITE
BUILDER_IMAGE=${ELIXIR_BP_BUILDER:-elixir-buildpacks/builder:$STACK_SUITE}
INDEX_DIR=$CACHE_DIR/index
INDEX_PORT=${ELIXIR_BP_INDEX_PORT:-18484}
# The shared test data beside the checkout (../shared, as CI lays it out):
# the Hex client the index serves, and the real Hex packages and phx.new
# generator of the Phoenix 1.8 cases.
SHARED_DIR=${ELIXIR_BP_SHARED:-$(cd "$REPO_ROOT/.." && pwd)/shared}

TOOLS_BIN=$CACHE_DIR/tools/bin
export PATH="$TOOLS_BIN:/usr/local/go/bin:$PATH"
# podman's defaults raise rlimits (not allowed here) and pick crun (which
# refuses hybrid cgroups); this file lowers the limits and picks runc.
export CONTAINERS_CONF=${CONTAINERS_CONF:-$REPO_ROOT/stack/containers.conf}
export PACK_VOLUME_KEY=${PACK_VOLUME_KEY:-elixir-buildpacks}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Prints a short content hash of the given files, to key cached artefacts.
files_hash() {
  local sum
  sum=$(cat "$@" | sha256sum)
  echo "${sum:0:16}" # not cut: set-up's no-op path is mostly forks
}

# file_sums PATH...: "SHA256  PATH" lines, sorted, for the files at or under
# PATHs (relative to REPO_ROOT, so a checkout anywhere on the machine gets
# the same keys, and an added or removed file changes them). Test files and
# testdata/ are left out: they are no input of a binary.
file_sums() {
  (cd "$REPO_ROOT" && find "$@" -type f ! -name '*_test.go' ! -path '*/testdata/*' -print0 |
    LC_ALL=C sort -z | xargs -0 -r sha256sum)
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Another apt or dpkg run (unattended-upgrades or cloud-init at boot) holds
# one of these locks while it works; set-up waits for it, bounded, rather
# than failing at once. APT_LOCKS is overridable for the script tests.
APT_LOCKS=${APT_LOCKS:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock}
APT_LOCK_TIMEOUT=${APT_LOCK_TIMEOUT:-600}

# The pid holding one of APT_LOCKS, if any (lslocks lists fcntl locks too,
# which is what apt and dpkg take).
apt_lock_holder() {
  lslocks -n -r -o PID,PATH 2>/dev/null | awk -v locks=" $APT_LOCKS " 'index(locks, " " $2 " ") { print $1; exit }'
}

wait_for_apt_locks() {
  local pid waited=0
  pid=$(apt_lock_holder)
  [ -z "$pid" ] && return 0
  log "waiting up to ${APT_LOCK_TIMEOUT}s for another apt/dpkg run (pid $pid $(ps -o comm= -p "$pid" 2>/dev/null)) to release its lock"
  while pid=$(apt_lock_holder) && [ -n "$pid" ]; do
    [ "$waited" -ge "$APT_LOCK_TIMEOUT" ] &&
      die "another apt/dpkg run (pid $pid) still holds its lock after ${APT_LOCK_TIMEOUT}s: let it finish (or stop it) and run this again; APT_LOCK_TIMEOUT=SECONDS waits longer"
    sleep 1
    waited=$((waited + 1))
  done
  log "the apt lock was released after ${waited}s"
}

apt_install() {
  local missing=()
  # One dpkg call for all of them first: each call reads dpkg's whole status
  # file, and set-up asks before every build.
  dpkg -s "$@" >/dev/null 2>&1 && return 0
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  wait_for_apt_locks
  # apt's own wait covers a run that starts between the check and the call.
  local lock=(-o "DPkg::Lock::Timeout=$APT_LOCK_TIMEOUT")
  if [ ! -f "$CACHE_DIR/.apt-updated" ] || [ -n "$(find "$CACHE_DIR/.apt-updated" -mmin +720)" ]; then
    as_root apt-get "${lock[@]}" update -qq && mkdir -p "$CACHE_DIR" && touch "$CACHE_DIR/.apt-updated"
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

docker_api_ok() { curl -fsS --max-time 3 --unix-socket "$1" http://d/_ping >/dev/null 2>&1; }

# The engine set-up uses and, where none answers, starts: docker (the
# default, the engine most users run pack on) or podman.
ENGINE_CHOICE=${ELIXIR_BP_ENGINE:-}
DOCKER_SOCK=/var/run/docker.sock
PODMAN_SOCK=/run/podman/podman.sock

# Exports DOCKER_HOST. With ELIXIR_BP_ENGINE unset, an engine that already
# answers at DOCKER_HOST, then at the Docker socket, is used as it is;
# otherwise Docker is installed (Debian's docker.io) and started. With
# ELIXIR_BP_ENGINE set, that engine, on its own socket.
ensure_engine() {
  case $ENGINE_CHOICE in
    "")
      if [ -n "${DOCKER_HOST:-}" ] && [[ $DOCKER_HOST == unix://* ]] && docker_api_ok "${DOCKER_HOST#unix://}"; then return 0; fi
      ensure_docker
      ;;
    docker) ensure_docker ;;
    podman) ensure_podman ;;
    *) die "ELIXIR_BP_ENGINE=$ENGINE_CHOICE names no engine set-up knows: unset it (Docker) or set it to docker or podman" ;;
  esac
}

# detached CMD...: runs a service that outlives this script and this
# checkout. It must not inherit a descriptor (a caller's flock, a pipe) that
# would keep something open forever, nor keep a checkout as its working
# folder: runc, which engines start in theirs, fails every container once
# that folder is deleted. Output goes to $CACHE_DIR/$SERVICE_LOG.
detached() {
  mkdir -p "$CACHE_DIR"
  (
    cd /
    for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null
    exec setsid nohup "$@" >"$CACHE_DIR/$SERVICE_LOG" 2>&1 </dev/null
  ) &
}

# wait_for_engine SOCK LOG: up to 30 s for the API to answer.
wait_for_engine() {
  for _ in $(seq 1 150); do docker_api_ok "$1" && return 0; sleep 0.2; done
  die "the engine did not answer on $1 within 30 s: see $CACHE_DIR/$2"
}

ensure_docker() {
  export DOCKER_HOST=unix://$DOCKER_SOCK
  docker_api_ok "$DOCKER_SOCK" && return 0
  command -v dockerd >/dev/null || without_service_start apt_install docker.io curl ca-certificates
  log "starting dockerd on $DOCKER_SOCK (log: $CACHE_DIR/dockerd.log)"
  # Not as a system service: there may be no init to run one. No iptables
  # rules or forwarding, which a sandbox may refuse and the suite does not
  # need (builds and test containers use the host network or published
  # ports on the default bridge, which stays: without it a published port
  # answers nothing).
  SERVICE_LOG=dockerd.log detached dockerd --iptables=false --ip-forward=false --pidfile /run/elixir-buildpacks-dockerd.pid
  wait_for_engine "$DOCKER_SOCK" dockerd.log
}

ensure_podman() {
  export DOCKER_HOST=unix://$PODMAN_SOCK
  # A service that answers is one set-up started before: podman is there.
  docker_api_ok "$PODMAN_SOCK" && return 0
  apt_install podman runc uidmap curl ca-certificates
  log "starting the podman API service on $PODMAN_SOCK"
  mkdir -p /run/podman "$CACHE_DIR"
  # podman reads containers.conf again for an image load: a copy, so a
  # deleted checkout does not take the service's settings with it.
  cp "$CONTAINERS_CONF" "$CACHE_DIR/podman-containers.conf"
  CONTAINERS_CONF=$CACHE_DIR/podman-containers.conf SERVICE_LOG=podman-service.log \
    detached podman system service --time=0 "unix://$PODMAN_SOCK"
  wait_for_engine "$PODMAN_SOCK" podman-service.log
}

# without_service_start CMD...: runs an apt install with Debian's
# policy-rc.d saying no, so a package's service (dockerd, PostgreSQL) is not
# started at install: set-up starts what it needs itself, or nothing.
without_service_start() {
  local policy=/usr/sbin/policy-rc.d ours=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null && as_root chmod 755 "$policy" && ours=1
  fi
  local status=0
  ("$@") || status=$?
  [ -z "$ours" ] || as_root rm -f "$policy"
  return "$status"
}

# The CLI for image work (build, import, save) is that of the engine
# answering at DOCKER_HOST, asked through its version endpoint as the
# integration suite does: podman being installed says nothing about which
# engine pack talks to.
engine_cli() {
  local sock=${DOCKER_HOST:-unix:///var/run/docker.sock}
  if curl -fsS --max-time 5 --unix-socket "${sock#unix://}" http://d/version 2>/dev/null | grep -q '"Name":"Podman'; then
    echo podman
  else
    echo docker
  fi
}
engine_cli_cached() {
  if [ -z "${_engine_cli:-}" ] || [ "${_engine_host:-}" != "${DOCKER_HOST:-}" ]; then
    _engine_host=${DOCKER_HOST:-}
    _engine_cli=$(engine_cli)
  fi
}
engine() {
  engine_cli_cached
  "$_engine_cli" "$@"
}

# engine_push IMAGE: pushes to a registry, with each engine's flags. podman
# wants plain HTTP allowed for a registry on loopback (--tls-verify=false)
# and v2s2 asked for, which keeps the manifests pack's rebase writes
# readable by every engine; Docker trusts 127.0.0.0/8 over HTTP itself, has
# neither flag, and pushes v2s2 anyway.
engine_push() {
  local image=$1 host=${1%%/*}
  engine_cli_cached
  if [ "$_engine_cli" = podman ]; then
    local tls=true
    case $host in localhost:* | localhost | 127.* | "[::1]"*) tls=false ;; esac
    engine push --tls-verify="$tls" --format v2s2 "$image"
  else
    engine push "$image"
  fi
}

# engine_name: the CLI engine() runs (podman or docker), for messages too.
engine_name() {
  engine_cli_cached
  echo "$_engine_cli"
}

# Image look-ups go to the engine's Docker API (podman serves it too), not
# its CLI: a curl costs ~0.03 s here where `podman image inspect` costs
# ~0.1 s, and set-up's no-op path is mostly look-ups. inspect_images asks
# about several images in one curl and keeps the answers (the compact JSON
# of the inspect endpoint, empty for no such image) for image_id and
# image_label; whatever makes an image forgets it (forget_image).
declare -gA IMAGE_JSON=()

inspect_images() {
  local sock=${DOCKER_HOST:-unix:///var/run/docker.sock} names=("$@") urls=() lines=() line body= i=0 name
  for name in "$@"; do urls+=("http://d/images/$name/json"); done
  # Each answer is followed by a line of its status code, as the bodies may
  # or may not end in a newline.
  mapfile -t lines < <(curl -sS --max-time 10 --unix-socket "${sock#unix://}" \
    -w '\n@@status %{http_code}\n' "${urls[@]}" 2>/dev/null || true)
  for name in "$@"; do IMAGE_JSON[$name]=; done
  for line in "${lines[@]}"; do
    if [[ $line == "@@status "* ]]; then
      if [ "${line#@@status }" = 200 ]; then IMAGE_JSON[${names[i]}]=$body; fi
      body= i=$((i + 1))
    else
      body+=$line
    fi
  done
}

forget_image() { unset "IMAGE_JSON[$1]"; }

# json_string_field JSON KEY: the value of the first "KEY":"..." in JSON
# (values without quotes, as ours are); nothing when there is none. A bash
# regex, no process: ${json#*"..."} would cost tens of ms on an 8 kB builder.
json_string_field() {
  local re="\"${2//./\\.}\":\"([^\"]*)\""
  if [[ $1 =~ $re ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; fi
}

# config_part JSON: the image's own Config of an inspect answer, which the
# API lists after a ContainerConfig that may hold other labels.
config_part() {
  local re=',"Config":\{(.*)'
  if [[ $1 =~ $re ]]; then printf '%s' "${BASH_REMATCH[1]}"; else printf '%s' "$1"; fi
}

# The image's id (sha256:...), empty when there is no such image.
image_id() {
  [[ -v IMAGE_JSON[$1] ]] || inspect_images "$1"
  json_string_field "${IMAGE_JSON[$1]}" Id
}
image_exists() { [ -n "$(image_id "$1")" ]; }
# One label's value, from the image's Config.
image_label() {
  [[ -v IMAGE_JSON[$1] ]] || inspect_images "$1"
  json_string_field "$(config_part "${IMAGE_JSON[$1]}")" "$2"
}
