# Compiles the buildpacks from this checkout into out/ and makes the builder.
# shellcheck shell=bash

BUILDPACKS=(erlang-runtime elixir-runtime mix-release)

build_buildpacks() {
  local arch
  arch=$(go env GOARCH)
  rm -rf "$OUT_DIR/buildpacks" && mkdir -p "$OUT_DIR/buildpacks"
  for bp in "${BUILDPACKS[@]}"; do
    local dest=$OUT_DIR/buildpacks/$bp
    mkdir -p "$dest/bin"
    # Static, so it runs on any build image whatever its libc.
    (cd "$REPO_ROOT" && CGO_ENABLED=0 GOOS=linux GOARCH=$arch go build -trimpath -ldflags='-s -w' \
      -o "$dest/bin/main" "./buildpacks/$bp/run")
    ln -s main "$dest/bin/detect"
    ln -s main "$dest/bin/build"
    cp "$REPO_ROOT/buildpacks/$bp/buildpack.toml" "$dest/"
    # Files a buildpack runs besides its binary (mix-release's Mix
    # introspection script), found through CNB_BUILDPACK_DIR.
    if [ -d "$REPO_ROOT/buildpacks/$bp/resources" ]; then
      cp -R "$REPO_ROOT/buildpacks/$bp/resources" "$dest/resources"
    fi
  done
  mkdir -p "$OUT_DIR/buildpacks/elixir-meta"
  cp "$REPO_ROOT/buildpacks/elixir-meta/buildpack.toml" "$OUT_DIR/buildpacks/elixir-meta/"
  cp "$CACHE_DIR/tools/lifecycle.tgz" "$OUT_DIR/lifecycle.tgz"
}

ensure_builder() {
  build_buildpacks
  log "creating the builder $BUILDER_IMAGE"
  pack builder create "$BUILDER_IMAGE" --config "$REPO_ROOT/builder/builder.toml" \
    --pull-policy never >"$CACHE_DIR/builder.log" 2>&1 ||
    { tail -20 "$CACHE_DIR/builder.log" >&2; die "pack builder create failed: see $CACHE_DIR/builder.log"; }
}
