package erlang

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/effect"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/plan"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// Build resolves the OTP version and installs it.
type Build struct {
	Logger   log.Logger
	Executor effect.Executor
	Env      settings.Lookup // the process environment; os.LookupEnv outside tests
}

// NewBuild is the build phase with the real executor and environment.
func NewBuild(logger log.Logger) libcnb.BuildFunc {
	return Build{Logger: logger, Executor: effect.NewExecutor(), Env: os.LookupEnv}.Build
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

	otpReq, err := toolchain.OTPRequest(ctx.ApplicationPath, lookup)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	elixirReq, err := toolchain.ElixirRequest(ctx.ApplicationPath, lookup)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	target := toolchain.NewTarget(ctx.TargetInfo, ctx.TargetDistro, lookup.Get(toolchain.OSDirVar))
	index := hexbuilds.NewClient(lookup.Get(HexBuildsURLVar))
	choice, err := toolchain.Resolver{Index: index, Target: target}.OTP(context.Background(), otpReq, elixirReq)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	if otpReq.Explicit() {
		b.Logger.Headerf("Erlang/OTP %s from %s (asked for %q), for %s", choice.Version, otpReq.Source, otpReq.Raw, target)
	} else {
		b.Logger.Headerf("Erlang/OTP %s from the default: the newest OTP in the index that Elixir %s (from %s) supports, for %s",
			choice.Version, elixirReq.Raw, elixirReq.Source, target)
	}

	runner := b.runner(lookup)
	contributor := toolchain.InstallLayer{
		LayerName: LayerErlang,
		Title:     "Erlang/OTP " + choice.Version.String(),
		Index:     index,
		IndexURL:  index.Base,
		RelPath:   choice.RelPath,
		SHA256:    choice.Build.SHA256,
		Version:   choice.Version.String(),
		Target:    target.String(),
		Launch:    plan.LaunchWanted(ctx.Plan, plan.Erlang),
		Extract:   extractOTP,
		// OTP bakes its absolute root into its scripts: Install writes the
		// layer's final path into them.
		Finish: func(root string) error {
			return runner.Run(commandInstall(root))
		},
		SBOM:   sbomArtifact(choice.Version.String(), choice.Build.SHA256, index.Base+"/"+choice.RelPath),
		Logger: b.Logger,
	}
	layer, err := ctx.Layers.Layer(contributor.Name())
	if err != nil {
		return libcnb.BuildResult{}, fmt.Errorf("creating layer %s: %w", contributor.Name(), err)
	}
	if err := contributor.Contribute(&layer); err != nil {
		return libcnb.BuildResult{}, err
	}
	if _, err := os.Stat(filepath.Join(layer.Path, "bin", "erl")); err != nil {
		return libcnb.BuildResult{}, fmt.Errorf("the Erlang/OTP layer has no bin/erl: %w", err)
	}
	result := libcnb.NewBuildResult()
	result.Layers = append(result.Layers, layer)
	return result, nil
}
