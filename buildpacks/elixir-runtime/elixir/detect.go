// Package elixir is the elixir-runtime buildpack: it installs the Elixir
// build made for the installed OTP major into a layer.
package elixir

import (
	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/plan"
)

// NewDetect offers Elixir and asks for Erlang at build time; the group
// passes only when mix-release requires Elixir.
func NewDetect(_ log.Logger) libcnb.DetectFunc {
	return func(libcnb.DetectContext) (libcnb.DetectResult, error) {
		return libcnb.DetectResult{
			Pass: true,
			Plans: []libcnb.BuildPlan{{
				Provides: []libcnb.BuildPlanProvide{{Name: plan.Elixir}},
				Requires: []libcnb.BuildPlanRequire{{Name: plan.Erlang, Metadata: map[string]interface{}{plan.Build: true}}},
			}},
		}, nil
	}
}
