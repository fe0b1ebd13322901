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

# The race detector needs cgo and so a C compiler.
command -v gcc >/dev/null || apt_install gcc libc6-dev

log "unit tests (with the race detector)"
go test -race -count=1 ./...

# The seeds ran above; a short run of each fuzz target looks for new
# archives that write or link outside their destination. A count, not a
# duration: a -fuzztime duration that ends while a worker is busy makes go
# test fail with "context deadline exceeded" though nothing was found.
log "fuzzing the archive extractor (${FUZZ_TIME:=10000x} a target)"
for target in FuzzExtractTarGz FuzzExtractZip; do
  go test -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZ_TIME" ./internal/archive
done

log "integration suite (with its set-up)"
bash "$REPO_ROOT/scripts/integration.sh"
