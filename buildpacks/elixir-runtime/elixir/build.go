package elixir

import (
	"context"
	"os"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/archive"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/facts"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/plan"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// Build resolves the Elixir version for the installed OTP and installs it.
type Build struct {
	Logger log.Logger
	Env    settings.Lookup // the process environment; os.LookupEnv outside tests
}

// NewBuild is the build phase with the real environment.
func NewBuild(logger log.Logger) libcnb.BuildFunc {
	return Build{Logger: logger, Env: os.LookupEnv}.Build
}

func (b Build) Build(ctx libcnb.BuildContext) (libcnb.BuildResult, error) {
	result, err := b.build(ctx)
	return result, usererr.Report(b.Logger, err)
}

func (b Build) build(ctx libcnb.BuildContext) (libcnb.BuildResult, error) {
	lookup, err := settings.Start(ctx, b.Logger, b.Env)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	// No fallback: detection requires erlang, which only erlang-runtime
	// provides, and it publishes the OTP it installed.
	erlang, err := facts.ReadErlang(facts.Lookup(b.Env))
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	otp := erlang.OTP
	// Unset, the setting's value is this buildpack's default.
	req, err := toolchain.ElixirRequest(ctx.ApplicationPath, lookup, lookup.Get(toolchain.ElixirVersionVar))
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	toolchain.LogWarnings(b.Logger, req)
	env, err := toolchain.NewEnv(ctx, lookup, b.Logger)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	choice, err := toolchain.Resolver{Index: env.Index, Target: env.Target}.Elixir(context.Background(), req, otp)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	if req.Explicit() {
		b.Logger.Headerf("Elixir %s from %s (asked for %q), built for the installed Erlang/OTP %s", choice.Version, req.Source, req.Raw, otp)
	} else {
		b.Logger.Headerf("Elixir %s from the default, built for the installed Erlang/OTP %s", choice.Version, otp)
	}
	if err := env.CheckVerifiable(choice, b.Logger); err != nil {
		return libcnb.BuildResult{}, err
	}

	version := choice.Version.String()
	contributor := toolchain.InstallLayer{
		LayerName:       LayerElixir,
		Product:         "Elixir",
		Version:         version,
		Build:           choice.Build.Name,
		SHA256:          choice.Build.SHA256,
		Target:          env.Target.String(),
		Index:           env.Index,
		RelPath:         choice.RelPath,
		Launch:          plan.LaunchWanted(ctx.Plan, plan.Elixir),
		AllowUnverified: env.AllowUnverified,
		// Elixir's zip has no top folder.
		Extract: func(zip, dest string) error { return archive.ExtractZip(zip, dest, 0) },
		SBOM: toolchain.SBOMEntry{
			ID:      "elixir-" + choice.Build.Name,
			Name:    "elixir",
			Title:   "Elixir",
			Version: version,
			License: "Apache-2.0",
			CPE:     "cpe:2.3:a:elixir-lang:elixir:" + version + ":*:*:*:*:*:*:*",
			FoundBy: "elixir-buildpacks/elixir-runtime",
			URL:     env.ArchiveURL(choice.RelPath),
		},
		Logger: b.Logger,
	}
	result, err := contributor.Result(ctx.Layers, "mix")
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	facts.PublishElixir(&result.Layers[0], version)
	return result, nil
}
