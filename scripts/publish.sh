#!/usr/bin/env bash
# Publishes everything a platform needs to one registry:
#   scripts/publish.sh REGISTRY     (e.g. registry.example.com/team or 127.0.0.1:5000)
# REGISTRY/elixir-buildpacks/{build,run}:SUITE (the stack images of ELIXIR_BP_SUITE,
# trixie by default),
# REGISTRY/elixir-buildpacks/<buildpack>:<version> (the buildpackages, the
# composite elixir-buildpacks/elixir holding all three), and
# REGISTRY/elixir-buildpacks/builder:SUITE (plus :<version>), whose
# buildpacks and images all point into REGISTRY, so it can be pinned there.
# A registry on loopback is used over plain HTTP; others need TLS and a login.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$REPO_ROOT/scripts/lib/buildpacks.sh"
source "$REPO_ROOT/scripts/lib/package.sh"

[ $# -eq 1 ] || die "usage: scripts/publish.sh REGISTRY (for example 127.0.0.1:5000)"
registry=${1%/}
prefix=$registry/elixir-buildpacks

bash "$REPO_ROOT/scripts/setup.sh"
ensure_engine

for kind in build run; do
  image=$prefix/$kind:$STACK_SUITE
  log "pushing the $kind image to $image"
  engine tag "elixir-buildpacks/$kind:$STACK_SUITE" "$image"
  engine_push "$image" >"$CACHE_DIR/push-$kind.log" 2>&1 ||
    die "pushing $image failed: see $CACHE_DIR/push-$kind.log"
  engine rmi "$image" >/dev/null
done

for bp in "${PACKAGES[@]}"; do
  name=$(package_name "$bp")
  log "publishing the buildpackage $registry/$name:$VERSION"
  package_buildpack "$bp" "$registry/$name:$VERSION" --format image --publish
done

publish_dir=$OUT_DIR/publish
mkdir -p "$publish_dir"
# builder/builder.toml, made of the published parts instead of out/.
description=$(render_builder_config | grep -m1 "^description")
cat >"$publish_dir/builder.toml" <<TOML
$description

[[buildpacks]]
  # A plain image reference: pack 0.40 misreads docker:// with a port.
  uri = "$prefix/elixir:$VERSION"

[[order]]
  [[order.group]]
    id = "elixir-buildpacks/elixir"
    version = "$VERSION"

[build]
  image = "$prefix/build:$STACK_SUITE"

[[run.images]]
  image = "$prefix/run:$STACK_SUITE"

[stack]
  id = "io.buildpacks.stacks.$STACK_SUITE"
  build-image = "$prefix/build:$STACK_SUITE"
  run-image = "$prefix/run:$STACK_SUITE"

[lifecycle]
  uri = "$OUT_DIR/lifecycle.tgz"

[[targets]]
  os = "linux"
  arch = "amd64"
TOML
log "publishing the builder $prefix/builder:$STACK_SUITE"
pack builder create "$prefix/builder:$STACK_SUITE" --config "$publish_dir/builder.toml" --publish \
  --pull-policy always --tag "$prefix/builder:$VERSION" >"$CACHE_DIR/publish-builder.log" 2>&1 ||
  { tail -20 "$CACHE_DIR/publish-builder.log" >&2; die "publishing the builder failed: see $CACHE_DIR/publish-builder.log"; }
log "published to $registry: elixir-buildpacks/{build,run}:$STACK_SUITE, the buildpackages at $VERSION, and elixir-buildpacks/builder:$STACK_SUITE"
