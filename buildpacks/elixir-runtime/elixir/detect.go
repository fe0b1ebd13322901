// Package elixir is the elixir-runtime buildpack: it installs the Elixir
// build made for the installed OTP major into a layer.
package elixir

import (
	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/plan"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
)

// NewDetect offers Elixir and asks for Erlang at build time; the group
// passes only when mix-release requires Elixir. The Erlang entry carries
// the default Elixir of this buildpack's buildpack.toml, the one place it
// is written, since erlang-runtime picks the OTP for it.
func NewDetect(_ log.Logger) libcnb.DetectFunc {
	return func(ctx libcnb.DetectContext) (libcnb.DetectResult, error) {
		def, err := settings.Default(ctx.Buildpack.Metadata, toolchain.ElixirVersionVar)
		if err != nil {
			return libcnb.DetectResult{}, err
		}
		return libcnb.DetectResult{
			Pass: true,
			Plans: []libcnb.BuildPlan{{
				Provides: []libcnb.BuildPlanProvide{{Name: plan.Elixir}},
				Requires: []libcnb.BuildPlanRequire{{Name: plan.Erlang, Metadata: map[string]interface{}{
					plan.Build: true, toolchain.DefaultElixirKey: def,
				}}},
			}},
		}, nil
	}
}
