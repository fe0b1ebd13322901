# Builds pack, crane and the lifecycle tarball from the pinned tools module.
# shellcheck shell=bash

LIFECYCLE_VERSION=0.21.14
PACK_VERSION=0.40.6

ensure_tools() {
  local stamp want
  want=$(files_hash "$REPO_ROOT/tools/go.mod" "$REPO_ROOT/tools/go.sum" "$REPO_ROOT/scripts/lib/tools.sh" \
    "$REPO_ROOT"/scripts/lifecycletool/*.go "$REPO_ROOT"/internal/gobinsbom/*.go "$REPO_ROOT"/internal/cyclonedx/*.go)
  stamp=$CACHE_DIR/tools/.stamp
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -x "$TOOLS_BIN/pack" ] && [ -f "$CACHE_DIR/tools/lifecycle.tgz" ]; then
    return 0
  fi
  log "building pack, crane and lifecycle $LIFECYCLE_VERSION from the pinned tools module"
  rm -rf "$CACHE_DIR/tools.tmp" && mkdir -p "$CACHE_DIR/tools.tmp/bin" "$CACHE_DIR/tools.tmp/lifecycle"
  (
    cd "$REPO_ROOT/tools"
    # pack stamps its version into builders it makes ("Created By").
    go build -trimpath -ldflags "-X github.com/buildpacks/pack/pkg/client.Version=$PACK_VERSION" \
      -o "$CACHE_DIR/tools.tmp/bin/" github.com/buildpacks/pack
    go build -trimpath -o "$CACHE_DIR/tools.tmp/bin/" \
      github.com/google/go-containerregistry/cmd/crane \
      github.com/buildpacks/lifecycle/tools/packager
    # The lifecycle runs inside build and run images: static binaries only.
    # It reports the version its Makefile stamps (kpack compares it with the
    # ClusterLifecycle's, and rebuilds every image while they differ).
    CGO_ENABLED=0 go build -trimpath -ldflags "-X github.com/buildpacks/lifecycle/cmd.Version=$LIFECYCLE_VERSION" \
      -o "$CACHE_DIR/tools.tmp/lifecycle/" \
      github.com/buildpacks/lifecycle/cmd/lifecycle \
      github.com/buildpacks/lifecycle/cmd/launcher
  )
  local lc=$CACHE_DIR/tools.tmp/lifecycle
  for phase in analyzer builder creator detector exporter extender rebaser restorer; do
    ln -s lifecycle "$lc/$phase"
  done
  # The SBOMs upstream archives ship beside the binaries; without them the
  # exporter warns six times on every build.
  (cd "$REPO_ROOT" && go run ./scripts/lifecycletool sbom "$lc" "$LIFECYCLE_VERSION")
  local mod
  mod=$(cd "$REPO_ROOT/tools" && go list -m -f '{{.Dir}}' github.com/buildpacks/lifecycle)
  "$CACHE_DIR/tools.tmp/bin/packager" -inputDir "$lc" \
    -archivePath "$CACHE_DIR/tools.tmp/lifecycle.tgz" \
    -descriptorPath "$mod/lifecycle.toml" -version "$LIFECYCLE_VERSION" >/dev/null
  echo "$want" >"$CACHE_DIR/tools.tmp/.stamp"
  rm -rf "$CACHE_DIR/tools" && mv "$CACHE_DIR/tools.tmp" "$CACHE_DIR/tools"
}
