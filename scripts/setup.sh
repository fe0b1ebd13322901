#!/usr/bin/env bash
# Idempotent set-up on a fresh Debian 12 machine (as root, or with sudo):
# a container engine, pack and the lifecycle, the stack images, the local
# index and the builder. Slow parts are cached in $ELIXIR_BP_CACHE
# (/var/cache/elixir-buildpacks), and each part is keyed on what it is made
# from, so a run with nothing changed makes nothing and takes well under a
# second (scripts/pack-build.sh runs this before every build).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$REPO_ROOT/scripts/lib/tools.sh"
source "$REPO_ROOT/scripts/lib/stack.sh"
source "$REPO_ROOT/scripts/lib/index.sh"
source "$REPO_ROOT/scripts/lib/buildpacks.sh"

mkdir -p "$CACHE_DIR"
apt_install curl ca-certificates python3
command -v go >/dev/null || die "Go is not installed: install Go 1.26 (see go.mod) and run again"
ensure_engine
# Every image set-up looks at, asked about in one call (see inspect_images).
inspect_images "$BASE_IMAGE" "$BUILD_IMAGE" "$RUN_IMAGE" "$LIFECYCLE_IMAGE" "$BUILDER_IMAGE"
ensure_tools
ensure_stack
# One lifecycle image, on the default release's base: the lifecycle is
# static Go, and the suite and kpack name it by its version only.
[ "$STACK_SUITE" != "$DEFAULT_SUITE" ] || ensure_lifecycle_image
ensure_index
ensure_builder
log "set-up done: builder $BUILDER_IMAGE, DOCKER_HOST=$DOCKER_HOST"
