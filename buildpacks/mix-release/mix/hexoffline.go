package mix

import (
	"fmt"
	"regexp"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// hexOfflineMiss is Hex's own line when HEX_OFFLINE is set and a package it
// needs is not in HEX_HOME's registry cache.
var hexOfflineMiss = regexp.MustCompile(`Hex is running in offline mode and the registry entry for package (\S+) is not cached locally`)

// ErrHexOffline is the one-line error for a mix deps.get that Hex's offline
// mode stopped (Mix's output stays above it), nil for any other failure.
func ErrHexOffline(output string) error {
	m := hexOfflineMiss.FindStringSubmatch(output)
	if m == nil {
		return nil
	}
	return usererr.New("Hex needed while offline",
		fmt.Sprintf("mix deps.get needs the Hex package %s, which is not cached, and %s is set", m[1], HexOfflineVar),
		fmt.Sprintf("build once with %s unset so the deps are cached, or commit deps/, or unset %s", HexOfflineVar, HexOfflineVar))
}
