// Package mix is the mix-release buildpack: it builds a Mix project into a
// release and makes that release the image's processes.
package mix

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/plan"
)

// NewDetect passes when the app has a mix.exs at its root (or in
// BP_MIX_PROJECT_PATH). Detection runs before any Elixir exists, so it only
// looks at files.
func NewDetect(logger log.Logger) libcnb.DetectFunc {
	return func(ctx libcnb.DetectContext) (libcnb.DetectResult, error) {
		root := ProjectRoot(ctx.ApplicationPath, ctx.Platform.Environment)
		if _, err := os.Stat(filepath.Join(root, "mix.exs")); err != nil {
			if !os.IsNotExist(err) {
				return libcnb.DetectResult{}, fmt.Errorf("reading %s: %w", root, err)
			}
			logger.Bodyf("SKIPPED: no mix.exs in %s: this is not a Mix project (set %s if mix.exs is in a sub-folder)",
				rel(ctx.ApplicationPath, root), ProjectPathVar)
			return libcnb.DetectResult{Pass: false}, nil
		}
		return libcnb.DetectResult{
			Pass: true,
			Plans: []libcnb.BuildPlan{{
				Requires: []libcnb.BuildPlanRequire{
					{Name: plan.Erlang, Metadata: map[string]interface{}{plan.Build: true}},
					{Name: plan.Elixir, Metadata: map[string]interface{}{plan.Build: true}},
				},
			}},
		}, nil
	}
}

// ProjectRoot is the folder that holds mix.exs.
func ProjectRoot(appPath string, env map[string]string) string {
	if sub := env[ProjectPathVar]; sub != "" {
		return filepath.Join(appPath, filepath.Clean("/"+sub))
	}
	return appPath
}

func rel(base, path string) string {
	if r, err := filepath.Rel(base, path); err == nil && r != "." {
		return r
	}
	return "the app root"
}
