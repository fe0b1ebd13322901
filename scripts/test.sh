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

# The whole suite on Docker, the engine most users run pack on; then the
# flows whose engine code differs (building and running an app, a Phoenix
# app with its assets and the umbrella in Mix runtime mode and as a release,
# the untrusted builder's phases, a registry, rebase, publishing) again on
# podman, so both stay proven. Set-up starts each
# engine where none answers (see ensure_engine).
log "integration suite on Docker (with its set-up)"
ELIXIR_BP_ENGINE=docker bash "$REPO_ROOT/scripts/integration.sh"
log "integration suite on podman: the sample on both builders, platforms, packaging, two generated Phoenix 1.8 apps"
ELIXIR_BP_ENGINE=podman bash "$REPO_ROOT/scripts/integration.sh" -run 'TestStacks|TestPlatforms|TestPackaging'
ELIXIR_BP_ENGINE=podman bash "$REPO_ROOT/scripts/integration.sh" -run 'TestPhoenix18/phoenix-1.8/^--(no-ecto|umbrella_--no-ecto)$'
