# Buildpackages (pack buildpack package) of the buildpacks in out/.
# shellcheck shell=bash

VERSION=$(tr -d ' \n' <"$REPO_ROOT/VERSION")
PACKAGES=(erlang-runtime elixir-runtime mix-release elixir-meta)

# The image name of a buildpackage: the composite is elixir-buildpacks/elixir.
package_name() {
  case $1 in
    elixir-meta) echo "elixir-buildpacks/elixir" ;;
    *) echo "elixir-buildpacks/$1" ;;
  esac
}

# package_buildpack BP NAME [PACK_ARGS...]: runs from the packaged folder, so
# package.toml's relative URIs find the buildpacks beside it.
package_buildpack() {
  local bp=$1 name=$2
  shift 2
  (cd "$OUT_DIR/buildpacks/$bp" && pack buildpack package "$name" --config package.toml "$@") \
    >"$CACHE_DIR/package-$bp.log" 2>&1 ||
    { tail -20 "$CACHE_DIR/package-$bp.log" >&2; die "packaging $bp failed: see $CACHE_DIR/package-$bp.log"; }
}
