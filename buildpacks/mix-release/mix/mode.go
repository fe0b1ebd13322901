package mix

import (
	"os"
	"path/filepath"
	"regexp"

	"github.com/buildpacks/libcnb/v2"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
)

// Mode is what the image ships: a release, or the compiled app run by mix.
type Mode int

const (
	ModeRelease Mode = iota
	ModeRuntime
)

func (m Mode) String() string {
	if m == ModeRuntime {
		return "Mix runtime mode"
	}
	return "Release mode"
}

// A `releases:` key outside a comment. Detection cannot run Elixir, so this
// is the one place mix.exs is read as text; the build reads the releases
// through Mix.
var releasesKey = regexp.MustCompile(`(?m)^[^#\n]*\breleases:`)

// DetectMode decides the mode from BP_MIX_RELEASE, as lookup reads it, and
// the files, and says why. An unparsable BP_MIX_RELEASE is ignored here:
// detection cannot fail the build, so the build reports it.
func DetectMode(root string, lookup settings.Lookup) (Mode, string) {
	if release, ok, _ := lookup.Bool(ReleaseModeVar); ok {
		if release {
			return ModeRelease, ReleaseModeVar + "=true"
		}
		return ModeRuntime, ReleaseModeVar + "=false"
	}
	if data, err := os.ReadFile(filepath.Join(root, "mix.exs")); err == nil && releasesKey.Match(data) {
		return ModeRelease, "mix.exs declares releases"
	}
	if _, err := os.Stat(filepath.Join(root, "config", "runtime.exs")); err == nil {
		return ModeRelease, "config/runtime.exs exists"
	}
	return ModeRuntime, "mix.exs declares no releases and there is no config/runtime.exs (set " + ReleaseModeVar + "=true to build a release)"
}

// BuildMode is the mode detection chose, read back from the plan: Erlang
// and Elixir are launch layers exactly in Mix runtime mode, so the build
// must not decide otherwise. With no plan entry (a platform that runs build
// alone), the files decide as detection would.
func BuildMode(ctx libcnb.BuildContext, root string, lookup settings.Lookup) (Mode, string, error) {
	if _, _, err := lookup.Bool(ReleaseModeVar); err != nil {
		return 0, "", err
	}
	mode, why := DetectMode(root, lookup)
	for _, e := range ctx.Plan.Entries {
		if e.Name != PlanMix {
			continue
		}
		planned := ModeRelease
		if e.Metadata[PlanModeKey] == PlanModeRuntime {
			planned = ModeRuntime
		}
		if planned != mode {
			why = "as detection planned it"
		}
		return planned, why, nil
	}
	return mode, why, nil
}
