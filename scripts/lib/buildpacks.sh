# Compiles the buildpacks from this checkout into out/ and makes the builder,
# each only when what it is made from changed: set-up runs before every
# scripts/pack-build.sh, so its no-op path must cost well under a second.
# shellcheck shell=bash

BUILDPACKS=(erlang-runtime elixir-runtime mix-release)

# Each buildpack gets pack's multi-platform layout, linux/<arch>/bin/, with a
# binary per target arch of buildpack.toml, so its buildpackages hold the
# right binary for each arch; and bin/ for this machine's arch, which is what
# pack builder create reads from a folder.
TARGET_ARCHS=(amd64 arm64)

# The key each part of out/ was made from, one file per part. Beside
# buildpacks/, not in it: pack builder create packs every file of a
# buildpack's folder into the builder.
KEYS_DIR=$OUT_DIR/.keys
BUILDER_KEY_LABEL=org.elixir-buildpacks.builder.key

# What out/'s parts are made from, read once per run by ensure_buildpacks:
# one find and one sha256sum over every input ("SUM  PATH" lines), and one
# grep for imports between buildpacks ("FILE:IMPORT" lines), instead of one
# of each per buildpack; forks are most of what the no-op path costs.
INPUT_SUMS=
GO_IMPORTS=
# "PART KEY" lines of the parts of out/ as ensure_buildpacks left them.
OUT_KEYS=

read_inputs() {
  INPUT_SUMS=$(file_sums buildpacks internal go.mod go.sum VERSION builder/builder.toml scripts/lib/buildpacks.sh)
  GO_IMPORTS=$(cd "$REPO_ROOT" && grep -roE --include='*.go' --exclude='*_test.go' \
    '/elixir-buildpacks/buildpacks/[A-Za-z0-9_-]+' buildpacks internal || true)
}

# select_sums PATH...: the lines of INPUT_SUMS for files at or under PATHs.
select_sums() {
  local line path p
  while IFS= read -r line; do
    path=${line#*  }
    for p in "$@"; do
      if [[ $path == "$p" || $path == "$p"/* ]]; then printf '%s\n' "$line" && break; fi
    done
  done <<<"$INPUT_SUMS"
}

# imported_buildpacks BP: the other buildpacks' folders whose Go packages
# BP's code or the shared internal/ code imports (none today, but a key
# must not miss one), repeated once per import.
imported_buildpacks() {
  local line file target
  while IFS= read -r line; do
    file=${line%%:*} target=${line#*/elixir-buildpacks/}
    if [[ -n $line && ($file == buildpacks/$1/* || $file == internal/*) && $target != "buildpacks/$1" ]]; then
      echo "$target"
    fi
  done <<<"$GO_IMPORTS"
}

# buildpack_key BP GOVERSION: what BP's folder in out/ is made from: its own
# folder (buildpack.toml, package.toml, resources/, Go code), for a Go
# buildpack also internal/ (all of it: asking go list for the exact packages
# costs a third of a second), any buildpack folder it imports, the module
# files, the Go toolchain and the target archs; VERSION and this script.
buildpack_key() {
  local bp=$1 paths=("buildpacks/$1" VERSION scripts/lib/buildpacks.sh) go= sum
  if [ "$bp" != elixir-meta ]; then
    # shellcheck disable=SC2207 # folder names hold no spaces
    paths+=(internal go.mod go.sum $(imported_buildpacks "$bp"))
    go="$2 ${TARGET_ARCHS[*]}"
  fi
  sum=$({ select_sums "${paths[@]}"; echo "$go"; } | sha256sum)
  echo "${sum:0:16}"
}

# build_buildpack BP DEST: the binaries for every target arch, the files
# pack reads, and resources/.
build_buildpack() {
  local bp=$1 dest=$2
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
}

# ensure_buildpack BP GOVERSION: remakes BP's folder in out/ when its key
# changed. It is made beside and renamed into place, and its key written
# last, so an interrupted run leaves no folder that looks current.
ensure_buildpack() {
  local bp=$1 key dest=$OUT_DIR/buildpacks/$1
  key=$(buildpack_key "$bp" "$2")
  OUT_KEYS+="$bp $key"$'\n'
  if [ -d "$dest" ] && [ -f "$KEYS_DIR/$bp" ] && [ "$(<"$KEYS_DIR/$bp")" = "$key" ]; then return 0; fi
  log "building the buildpack $bp"
  rm -f "$KEYS_DIR/$bp"
  rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
  if [ "$bp" = elixir-meta ]; then
    # The composite has no code: its buildpack.toml names the other three.
    cp "$REPO_ROOT/buildpacks/$bp/buildpack.toml" "$REPO_ROOT/buildpacks/$bp/package.toml" "$dest.tmp/"
  else
    build_buildpack "$bp" "$dest.tmp"
  fi
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
  echo "$key" >"$KEYS_DIR/$bp"
}

# The lifecycle tarball builder.toml names, copied from the tools when the
# tools' stamp (which keys the tarball) changed.
ensure_out_lifecycle() {
  local key
  key=$(<"$CACHE_DIR/tools/.stamp")
  OUT_KEYS+="lifecycle $key"$'\n'
  if [ -f "$OUT_DIR/lifecycle.tgz" ] && [ -f "$KEYS_DIR/lifecycle" ] && [ "$(<"$KEYS_DIR/lifecycle")" = "$key" ]; then return 0; fi
  rm -f "$KEYS_DIR/lifecycle"
  cp "$CACHE_DIR/tools/lifecycle.tgz" "$OUT_DIR/lifecycle.tgz.tmp" && mv "$OUT_DIR/lifecycle.tgz.tmp" "$OUT_DIR/lifecycle.tgz"
  echo "$key" >"$KEYS_DIR/lifecycle"
}

ensure_buildpacks() {
  local go_version bp
  go_version=$(go env GOVERSION)
  read_inputs
  OUT_KEYS=
  mkdir -p "$KEYS_DIR" "$OUT_DIR/buildpacks"
  for bp in "${BUILDPACKS[@]}" elixir-meta; do ensure_buildpack "$bp" "$go_version"; done
  ensure_out_lifecycle
}

# builder_key: what the builder is made from: the parts in out/ (their
# keys), builder.toml, the build and run images (their ids: pack copies the
# build image into the builder) and this script. pack's own version is in
# the lifecycle's key, the tools' stamp. Call it after ensure_buildpacks.
builder_key() {
  local sum
  sum=$({
    printf '%s' "$OUT_KEYS"
    image_id "$BUILD_IMAGE"
    image_id "$RUN_IMAGE"
    echo "$STACK_SUITE $OUT_DIR"
    select_sums builder/builder.toml scripts/lib/buildpacks.sh
  } | sha256sum)
  echo "${sum:0:16}"
}

# builder/builder.toml for STACK_SUITE: its images and description name that
# Debian release instead of trixie, and its paths into out/ are absolute, so
# the copy works from out/ (and from an ELIXIR_BP_OUT elsewhere).
render_builder_config() {
  sed -e "s/trixie/$STACK_SUITE/g" -e "s/Debian 13/Debian $STACK_DISTRO_VERSION/g" \
    -e "s#\"\.\./out/#\"$OUT_DIR/#g" "$REPO_ROOT/builder/builder.toml"
}

# Makes the builder unless the image of that name carries the same key (a
# label), so a removed or foreign image of that name is remade too.
ensure_builder() {
  ensure_buildpacks
  local key
  key=$(builder_key)
  if [ "$(image_label "$BUILDER_IMAGE" "$BUILDER_KEY_LABEL")" = "$key" ]; then return 0; fi
  log "creating the builder $BUILDER_IMAGE"
  local config=$OUT_DIR/builder-$STACK_SUITE.toml
  render_builder_config >"$config"
  pack builder create "$BUILDER_IMAGE" --config "$config" \
    --label "$BUILDER_KEY_LABEL=$key" --pull-policy never >"$CACHE_DIR/builder.log" 2>&1 ||
    { tail -20 "$CACHE_DIR/builder.log" >&2; die "pack builder create failed: see $CACHE_DIR/builder.log"; }
  forget_image "$BUILDER_IMAGE"
}
