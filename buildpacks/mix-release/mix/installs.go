package mix

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexinstalls"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// Installs downloads the Hex archive and rebar3 from the installs/ folder
// of the index: HEX_BUILDS_URL (the same index as Erlang and Elixir), else
// HEX_MIRROR (where Mix before 1.15 looks), else builds.hex.pm.
type Installs struct {
	Base    string
	Offline bool // HEX_OFFLINE: a failure is then reported as such
	Fetcher hexinstalls.Fetcher
}

// NewInstalls reads the index base from the settings.
func NewInstalls(lookup settings.Lookup) Installs {
	base := firstSet(lookup.Get(HexBuildsURLVar), lookup.Get(HexMirrorVar))
	client := hexbuilds.NewClient(base)
	return Installs{Base: client.Base, Offline: hexTrue(lookup.Get(HexOfflineVar)), Fetcher: client}
}

// hexTrue reads a boolean the way Hex reads its variables ("1" or "true").
func hexTrue(s string) bool {
	s = strings.TrimSpace(s)
	return s == "1" || strings.EqualFold(s, "true")
}

// Fetch resolves the artifact for the installed Elixir and downloads it
// into dir, verified.
func (i Installs) Fetch(artifact, elixir, why, dir string) (hexinstalls.Entry, string, error) {
	ctx := context.Background()
	e, err := hexinstalls.Resolve(ctx, i.Fetcher, artifact, elixir)
	if err == nil {
		var file string
		if file, err = hexinstalls.Download(ctx, i.Fetcher, e, dir); err == nil {
			return e, file, nil
		}
	}
	if i.Offline {
		return e, "", usererr.New(artifact+" needed while offline",
			fmt.Sprintf("%s, but %s is not cached and %s is set, and the index at %s gave: %v", why, artifact, HexOfflineVar, i.Base, err),
			fmt.Sprintf("build once with %s (or %s) reachable so %s is cached, or unset %s", HexBuildsURLVar, HexMirrorVar, artifact, HexOfflineVar))
	}
	var be *hexbuilds.Error
	if errors.As(err, &be) {
		return e, "", usererr.New(be.Headline, be.Cause, be.Fix)
	}
	var ce *hexinstalls.ChecksumError
	if errors.As(err, &ce) {
		return e, "", usererr.New("Checksum mismatch", ce.Error(), "the mirror or download is corrupt, nothing was cached")
	}
	return e, "", fmt.Errorf("installing %s from %s: %w", artifact, i.Base, err)
}
