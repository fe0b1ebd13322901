#!/usr/bin/env bash
# Sets the release version everywhere it is stamped:
#   scripts/set-version.sh 0.2.0
# VERSION, each buildpack.toml, the composite's order and builder.toml.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
[ $# -eq 1 ] && [[ $1 =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] ||
  die "usage: scripts/set-version.sh X.Y.Z (a semantic version)"
echo "$1" >"$REPO_ROOT/VERSION"
sed -i -E "s/^(\s*version = )\"[^\"]*\"/\1\"$1\"/" \
  "$REPO_ROOT"/buildpacks/*/buildpack.toml "$REPO_ROOT/builder/builder.toml"
log "version set to $1"
