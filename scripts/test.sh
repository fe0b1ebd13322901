#!/usr/bin/env bash
# Runs every test: go vet, the unit tests (with the fuzz seed corpora), then
# the integration suite, which does the set-up first (see scripts/setup.sh)
# and runs real pack builds through the container engine.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

log "go vet"
go vet ./...
go vet -tags integration ./integration/

log "unit tests"
go test -count=1 ./...

log "set-up for the integration suite"
bash "$REPO_ROOT/scripts/setup.sh"
ensure_engine
export BUILDER=$BUILDER_IMAGE INDEX_DIR DOCKER_HOST

log "integration suite"
go test -count=1 -tags integration -timeout 45m -v ./integration/
