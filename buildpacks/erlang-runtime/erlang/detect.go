// Package erlang is the erlang-runtime buildpack: it installs Erlang/OTP
// from a builds.hex.pm-shaped index into a layer.
package erlang

import (
	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/plan"
)

// NewDetect always offers Erlang; the group passes only when a later
// buildpack (elixir-runtime, mix-release) requires it.
func NewDetect(_ log.Logger) libcnb.DetectFunc {
	return func(libcnb.DetectContext) (libcnb.DetectResult, error) {
		return libcnb.DetectResult{
			Pass:  true,
			Plans: []libcnb.BuildPlan{{Provides: []libcnb.BuildPlanProvide{{Name: plan.Erlang}}}},
		}, nil
	}
}
