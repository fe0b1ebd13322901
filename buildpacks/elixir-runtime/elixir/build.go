package elixir

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/paketo-buildpacks/libpak/v2/sbom"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/archive"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/plan"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// Build resolves the Elixir version for the installed OTP and installs it.
type Build struct {
	Logger   log.Logger
	Env      settings.Lookup              // os.LookupEnv outside tests
	LookPath func(string) (string, error) // finds erl; exec.LookPath outside tests
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
	otp, err := toolchain.InstalledOTP(b.LookPath)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	req, err := toolchain.ElixirRequest(ctx.ApplicationPath, lookup)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	target := toolchain.NewTarget(ctx.TargetInfo, ctx.TargetDistro, lookup.Get(toolchain.OSDirVar))
	index := hexbuilds.NewClient(lookup.Get(HexBuildsURLVar))
	choice, err := toolchain.Resolver{Index: index, Target: target}.Elixir(context.Background(), req, otp.Major())
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	if req.Explicit() {
		b.Logger.Headerf("Elixir %s from %s (asked for %q), built for the installed Erlang/OTP %s", choice.Version, req.Source, req.Raw, otp)
	} else {
		b.Logger.Headerf("Elixir %s from the default, built for the installed Erlang/OTP %s", choice.Version, otp)
	}

	contributor := toolchain.InstallLayer{
		LayerName: LayerElixir,
		Title:     "Elixir " + choice.Version.String(),
		Index:     index,
		IndexURL:  index.Base,
		RelPath:   choice.RelPath,
		SHA256:    choice.Build.SHA256,
		Version:   choice.Build.Name,
		Target:    target.String(),
		Launch:    plan.LaunchWanted(ctx.Plan, plan.Elixir),
		// Elixir's zip has no top folder.
		Extract: func(zip, dest string) error { return archive.ExtractZip(zip, dest, 0) },
		SBOM: sbom.SyftArtifact{
			ID:       "elixir-" + choice.Build.Name,
			Name:     "Elixir",
			Version:  choice.Version.String(),
			Type:     "UnknownPackage",
			FoundBy:  "elixir-buildpacks/elixir-runtime",
			Licenses: []string{"Apache-2.0"},
			CPEs:     []string{"cpe:2.3:a:elixir-lang:elixir:" + choice.Version.String() + ":*:*:*:*:*:*:*"},
			PURL:     "pkg:github/elixir-lang/elixir@v" + choice.Version.String() + "?checksum=sha256:" + choice.Build.SHA256,
		},
		Logger: b.Logger,
	}
	layer, err := ctx.Layers.Layer(contributor.Name())
	if err != nil {
		return libcnb.BuildResult{}, fmt.Errorf("creating layer %s: %w", contributor.Name(), err)
	}
	if err := contributor.Contribute(&layer); err != nil {
		return libcnb.BuildResult{}, err
	}
	if _, err := os.Stat(filepath.Join(layer.Path, "bin", "mix")); err != nil {
		return libcnb.BuildResult{}, fmt.Errorf("the Elixir layer has no bin/mix: %w", err)
	}
	result := libcnb.NewBuildResult()
	result.Layers = append(result.Layers, layer)
	return result, nil
}
