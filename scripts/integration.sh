#!/usr/bin/env bash
# Runs the integration suite (after the set-up): real pack builds through the
# container engine. Extra arguments go to go test, e.g. -run TestPlatforms.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$REPO_ROOT/scripts/lib/tools.sh"
source "$REPO_ROOT/scripts/lib/stack.sh"
source "$REPO_ROOT/scripts/lib/asset-tools.sh"
source "$REPO_ROOT/scripts/lib/postgres.sh"
cd "$REPO_ROOT"

# Both builders: the default, Debian 13 (trixie), which every case builds
# on, and Debian 12 (bookworm), on which TestStacks builds the sample and a
# Mix runtime app.
bash "$REPO_ROOT/scripts/setup.sh"
ELIXIR_BP_SUITE=bookworm ELIXIR_BP_BUILDER= bash "$REPO_ROOT/scripts/setup.sh"
ensure_engine
ensure_esbuild
ensure_tailwind
ensure_esbuild18
ensure_tailwind4
ensure_postgres
export BUILDER=$BUILDER_IMAGE RUN_IMAGE BUILDER_BOOKWORM=elixir-buildpacks/builder:bookworm
# The real Hex packages, Hex client and phx.new generator of the Phoenix 1.8
# cases (TestPhoenix18), in the shared test data beside the checkout.
[ -d "$SHARED_DIR/hex-phoenix18/repo" ] || die "no shared test data at $SHARED_DIR/hex-phoenix18: put it beside the checkout (../shared) or set ELIXIR_BP_SHARED"
export INDEX_DIR DOCKER_HOST LIFECYCLE_IMAGE ESBUILD_BIN TAILWIND_BIN ESBUILD18_BIN TAILWIND4_BIN BUILD_IMAGE SHARED_DIR
status=0
# -race: the helpers read build logs while exec's copiers write them.
command -v gcc >/dev/null || apt_install gcc libc6-dev
go test -race -count=1 -tags integration -timeout 45m -v ./integration/ "$@" || status=$?
# pack leaves an ephemeral builder image (pack.local/builder/...) behind for
# some builds, and the app and layers volumes of untrusted-builder builds;
# without this every run would add to the engine's storage. Volumes still in
# use are kept: rm without -f refuses them.
for leftover in $(engine volume ls -q | grep -E '^pack-(app|layers)-'); do
  engine volume rm "$leftover" >/dev/null 2>&1 || true
done
for leftover in $(engine images --format '{{.Repository}}:{{.Tag}}' | grep '^pack.local/builder/'); do
  engine rmi -f "$leftover" >/dev/null 2>&1 || true
done
exit "$status"
