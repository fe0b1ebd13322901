#!/usr/bin/env bash
# Makes the buildpackages of this checkout, each as a file
# (out/packages/<name>-<version>.cnb) and as an image in the engine
# (elixir-buildpacks/<name>:<version>). The composite's package holds all three.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$REPO_ROOT/scripts/lib/buildpacks.sh"
source "$REPO_ROOT/scripts/lib/package.sh"

bash "$REPO_ROOT/scripts/setup.sh"
ensure_engine
mkdir -p "$OUT_DIR/packages"
for bp in "${PACKAGES[@]}"; do
  name=$(package_name "$bp")
  package_buildpack "$bp" "$OUT_DIR/packages/${name#elixir-buildpacks/}-$VERSION.cnb" --format file
  package_buildpack "$bp" "$name:$VERSION" --format image --pull-policy never
  log "packaged $name $VERSION: out/packages/${name#elixir-buildpacks/}-$VERSION.cnb and image $name:$VERSION"
done
