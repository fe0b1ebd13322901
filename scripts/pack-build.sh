#!/usr/bin/env bash
# Builds an app image with our builder:
#   scripts/pack-build.sh [APP_DIR] [IMAGE] [PACK_ARGS...]
# APP_DIR defaults to the bundled sample (samples/hello), IMAGE to
# elixir-buildpacks-sample. PACK_ARGS go to pack as they are (for example
# -e RELEASE=web or --clear-cache). Unless HEX_BUILDS_URL is set, Erlang and
# Elixir come from the local index served on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$REPO_ROOT/scripts/lib/index.sh"

app=${1:-$REPO_ROOT/samples/hello}
image=${2:-elixir-buildpacks-sample}
shift $(( $# < 2 ? $# : 2 ))

bash "$REPO_ROOT/scripts/setup.sh"
ensure_engine
if [ -z "${HEX_BUILDS_URL:-}" ]; then
  ensure_index_server
  HEX_BUILDS_URL=$(index_url)
fi
pack build "$image" --builder "$BUILDER_IMAGE" --path "$app" \
  --pull-policy never --trust-builder --network host --docker-host inherit \
  -e "HEX_BUILDS_URL=$HEX_BUILDS_URL" "$@"
log "built $image: run it with  $(engine_name) run --rm -p 8080:8080 $image  (DOCKER_HOST=$DOCKER_HOST)"
