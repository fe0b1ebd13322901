# The local builds.hex.pm-shaped index, and a static server for it on loopback.
# shellcheck shell=bash

ensure_index() {
  ELIXIR_BP_SHARED=$SHARED_DIR bash "$REPO_ROOT/scripts/lib/make-index.sh" "$INDEX_DIR"
}

index_url() { echo "http://127.0.0.1:$INDEX_PORT"; }

# Serves INDEX_DIR on 127.0.0.1:INDEX_PORT unless it is already served.
ensure_index_server() {
  if curl -fsS --max-time 2 "$(index_url)/builds/elixir/builds.txt" >/dev/null 2>&1; then return 0; fi
  log "serving the local index on $(index_url)"
  # detached: a server that kept a caller's descriptor (a flock a CI job
  # holds around the build) would hold that lock for as long as it serves.
  SERVICE_LOG=index-server.log detached python3 -m http.server "$INDEX_PORT" --bind 127.0.0.1 --directory "$INDEX_DIR"
  for _ in $(seq 1 50); do
    curl -fsS --max-time 2 "$(index_url)/builds/elixir/builds.txt" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "the local index server did not start: see $CACHE_DIR/index-server.log"
}
