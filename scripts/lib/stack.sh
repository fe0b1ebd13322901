# Makes the base image (debootstrap, no registry needed) and the stack images.
# shellcheck shell=bash

# apt_mirror: Debian's mirror as this machine's apt uses it.
source "$REPO_ROOT/scripts/lib/apt-mirror.sh"

# Sets BASE_KEY, the base image's part of the stack and lifecycle images'
# keys, making the base image first if there is none. It is 19 hex digits of
# the image id, as the keys already on the images have it (from podman's
# CLI, which prints ids without their sha256: prefix), so they stay valid.
ensure_base_image() {
  image_exists "$BASE_IMAGE" || make_base_image
  local id
  id=$(image_id "$BASE_IMAGE")
  id=${id#sha256:}
  BASE_KEY=${id:0:19}
}

make_base_image() {
  local tarball=$CACHE_DIR/base/$STACK_SUITE-minbase.tar
  if [ ! -f "$tarball" ]; then
    apt_install debootstrap
    log "making the Debian $STACK_SUITE base image with debootstrap (about a minute)"
    local root=$CACHE_DIR/base/rootfs-$STACK_SUITE.tmp ssl=libssl3t64
    # OpenSSL 3 is libssl3t64 from Debian 13 on.
    [ "$STACK_SUITE" != bookworm ] || ssl=libssl3
    as_root rm -rf "$root" && mkdir -p "$root"
    # libssl3 and ca-certificates are what ERTS needs beyond minbase.
    as_root debootstrap --variant=minbase --include=ca-certificates,$ssl "$STACK_SUITE" "$root" "$(apt_mirror)" \
      >"$CACHE_DIR/base/debootstrap-$STACK_SUITE.log" 2>&1 ||
      die "debootstrap failed: see $CACHE_DIR/base/debootstrap-$STACK_SUITE.log"
    as_root rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -c --numeric-owner . >"$tarball.tmp" && mv "$tarball.tmp" "$tarball"
    as_root rm -rf "$root"
  fi
  engine import "$tarball" "$BASE_IMAGE" >/dev/null
  forget_image "$BASE_IMAGE"
}

# Builds one stack image unless an image built from the same Dockerfile and
# base already exists.
build_stack_image() {
  local kind=$1 image=$2 key
  key=$(files_hash "$REPO_ROOT/stack/$kind.Dockerfile")-$BASE_KEY
  if [ "$(image_label "$image" org.elixir-buildpacks.stack.key)" = "$key" ]; then return 0; fi
  log "building the $kind image $image"
  engine build --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --build-arg "DEBIAN_SUITE=$STACK_SUITE" --build-arg "DEBIAN_VERSION=$STACK_DISTRO_VERSION" \
    --label "org.elixir-buildpacks.stack.key=$key" \
    -f "$REPO_ROOT/stack/$kind.Dockerfile" -t "$image" "$REPO_ROOT/stack" >"$CACHE_DIR/stack-$STACK_SUITE-$kind.log" 2>&1 ||
    die "building the $kind image failed: see $CACHE_DIR/stack-$STACK_SUITE-$kind.log"
  forget_image "$image"
}

ensure_stack() {
  ensure_base_image
  build_stack_image build "$BUILD_IMAGE"
  build_stack_image run "$RUN_IMAGE"
}

# The lifecycle as an image, for platforms that run each phase in its own
# container (pack with an untrusted builder, kpack).
# The localhost/ prefix keeps pack from looking for it on a registry.
LIFECYCLE_IMAGE=localhost/elixir-buildpacks/lifecycle:$LIFECYCLE_VERSION

ensure_lifecycle_image() {
  local key
  [ -n "${BASE_KEY:-}" ] || ensure_base_image
  key=$(<"$CACHE_DIR/tools/.stamp")-$BASE_KEY
  if [ "$(image_label "$LIFECYCLE_IMAGE" org.elixir-buildpacks.lifecycle.key)" = "$key" ]; then return 0; fi
  log "building the lifecycle image $LIFECYCLE_IMAGE"
  local ctx=$CACHE_DIR/lifecycle-image
  rm -rf "$ctx" && mkdir -p "$ctx" && cp -a "$CACHE_DIR/tools/lifecycle" "$ctx/lifecycle"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
ARG BASE_IMAGE
FROM \${BASE_IMAGE}
COPY lifecycle /cnb/lifecycle
DOCKERFILE
  # The labels of the upstream lifecycle image, which kpack reads.
  local labels=() l
  while IFS= read -r l; do labels+=(--label "$l"); done < <(cd "$REPO_ROOT" && go run ./scripts/lifecycletool labels "$CACHE_DIR/tools/lifecycle.tgz")
  [ ${#labels[@]} -eq 6 ] || die "could not read the lifecycle's descriptor from $CACHE_DIR/tools/lifecycle.tgz"
  engine build --build-arg "BASE_IMAGE=$BASE_IMAGE" --label "org.elixir-buildpacks.lifecycle.key=$key" "${labels[@]}" \
    -t "$LIFECYCLE_IMAGE" "$ctx" >"$CACHE_DIR/lifecycle-image.log" 2>&1 ||
    die "building the lifecycle image failed: see $CACHE_DIR/lifecycle-image.log"
  forget_image "$LIFECYCLE_IMAGE"
}
