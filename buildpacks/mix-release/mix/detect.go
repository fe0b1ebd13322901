// Package mix is the mix-release buildpack: it fetches and compiles a Mix
// project's deps into cached layers, compiles the app, and ships either its
// release or, in Mix runtime mode, the compiled app run by mix.
package mix

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/plan"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
)

// NewDetect passes when the app has a mix.exs at its root (or in
// BP_MIX_PROJECT_PATH). Detection runs before any Elixir exists, so it only
// looks at files; that is also why it decides the mode (release or Mix
// runtime) from files: the plan must say then whether Erlang and Elixir are
// needed at launch.
func NewDetect(logger log.Logger) libcnb.DetectFunc {
	return func(ctx libcnb.DetectContext) (libcnb.DetectResult, error) {
		lookup, err := settings.ForDetect(ctx, nil)
		if err != nil {
			return libcnb.DetectResult{}, err
		}
		root := ProjectRoot(ctx.ApplicationPath, lookup.Get)
		if _, err := os.Stat(filepath.Join(root, "mix.exs")); err != nil {
			if !os.IsNotExist(err) {
				return libcnb.DetectResult{}, fmt.Errorf("reading %s: %w", root, err)
			}
			logger.Bodyf("SKIPPED: no mix.exs in %s: this is not a Mix project (set %s if mix.exs is in a sub-folder)",
				rel(ctx.ApplicationPath, root), ProjectPathVar)
			return libcnb.DetectResult{Pass: false}, nil
		}
		mode, why := DetectMode(root, lookup)
		logger.Bodyf("%s: %s", mode, why)
		metadata := func() map[string]interface{} {
			m := map[string]interface{}{plan.Build: true}
			if mode == ModeRuntime {
				m[plan.Launch] = true
			}
			return m
		}
		planned := PlanModeRelease
		if mode == ModeRuntime {
			planned = PlanModeRuntime
		}
		return libcnb.DetectResult{
			Pass: true,
			Plans: []libcnb.BuildPlan{{
				Provides: []libcnb.BuildPlanProvide{{Name: PlanMix}},
				Requires: []libcnb.BuildPlanRequire{
					{Name: plan.Erlang, Metadata: metadata()},
					{Name: plan.Elixir, Metadata: metadata()},
					{Name: PlanMix, Metadata: map[string]interface{}{PlanModeKey: planned}},
				},
			}},
		}, nil
	}
}

// ProjectRoot is the folder that holds mix.exs, from BP_MIX_PROJECT_PATH as
// get (a settings lookup's Get) reads it.
func ProjectRoot(appPath string, get func(string) string) string {
	return toolchain.ProjectDir(appPath, get(ProjectPathVar))
}

func rel(base, path string) string {
	if r, err := filepath.Rel(base, path); err == nil && r != "." {
		return r
	}
	return "the app root"
}
