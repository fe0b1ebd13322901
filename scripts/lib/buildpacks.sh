# Compiles the buildpacks from this checkout into out/ and makes the builder.
# shellcheck shell=bash

BUILDPACKS=(erlang-runtime elixir-runtime mix-release)

# Each buildpack gets pack's multi-platform layout, linux/<arch>/bin/, with a
# binary per target arch of buildpack.toml, so its buildpackages hold the
# right binary for each arch; and bin/ for this machine's arch, which is what
# pack builder create reads from a folder.
TARGET_ARCHS=(amd64 arm64)

build_buildpacks() {
  rm -rf "$OUT_DIR/buildpacks" && mkdir -p "$OUT_DIR/buildpacks"
  for bp in "${BUILDPACKS[@]}"; do
    local dest=$OUT_DIR/buildpacks/$bp
    for arch in "${TARGET_ARCHS[@]}"; do
      local bin=$dest/linux/$arch/bin
      mkdir -p "$bin"
      # Static, so it runs on any build image whatever its libc.
      (cd "$REPO_ROOT" && CGO_ENABLED=0 GOOS=linux GOARCH=$arch go build -trimpath -ldflags='-s -w' \
        -o "$bin/main" "./buildpacks/$bp/run")
      ln -s main "$bin/detect"
      ln -s main "$bin/build"
      # Files a buildpack runs besides its binary (mix-release's Mix
      # introspection script), found through CNB_BUILDPACK_DIR.
      if [ -d "$REPO_ROOT/buildpacks/$bp/resources" ]; then
        cp -R "$REPO_ROOT/buildpacks/$bp/resources" "$dest/linux/$arch/resources"
      fi
    done
    cp -a "$dest/linux/$(go env GOARCH)/." "$dest/"
    cp "$REPO_ROOT/buildpacks/$bp/buildpack.toml" "$REPO_ROOT/buildpacks/$bp/package.toml" "$dest/"
  done
  mkdir -p "$OUT_DIR/buildpacks/elixir-meta"
  cp "$REPO_ROOT/buildpacks/elixir-meta/buildpack.toml" "$REPO_ROOT/buildpacks/elixir-meta/package.toml" \
    "$OUT_DIR/buildpacks/elixir-meta/"
  cp "$CACHE_DIR/tools/lifecycle.tgz" "$OUT_DIR/lifecycle.tgz"
}

ensure_builder() {
  build_buildpacks
  log "creating the builder $BUILDER_IMAGE"
  pack builder create "$BUILDER_IMAGE" --config "$REPO_ROOT/builder/builder.toml" \
    --pull-policy never >"$CACHE_DIR/builder.log" 2>&1 ||
    { tail -20 "$CACHE_DIR/builder.log" >&2; die "pack builder create failed: see $CACHE_DIR/builder.log"; }
}
