package erlang

import (
	"context"
	"os"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/effect"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/facts"
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
	// Read only to default the OTP and to check the pair before any
	// download; elixir-runtime installs it, and gives its default.
	elixirReq, err := toolchain.ElixirRequest(ctx.ApplicationPath, lookup, plan.Value(ctx.Plan, plan.Erlang, toolchain.DefaultElixirKey))
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	toolchain.LogWarnings(b.Logger, otpReq, elixirReq)
	env, err := toolchain.NewEnv(ctx, lookup, b.Logger)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	choice, err := toolchain.Resolver{Index: env.Index, Target: env.Target}.OTP(context.Background(), otpReq, elixirReq)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	if otpReq.Explicit() {
		b.Logger.Headerf("Erlang/OTP %s from %s (asked for %q), for %s", choice.Version, otpReq.Source, otpReq.Raw, env.Target)
	} else {
		b.Logger.Headerf("Erlang/OTP %s from the default: the newest for %s that Elixir %s (%s) supports",
			choice.Version, env.Target, elixirReq.Raw, elixirReq.From())
	}
	if err := env.CheckVerifiable(choice, b.Logger); err != nil {
		return libcnb.BuildResult{}, err
	}

	runner := b.runner(lookup)
	version := choice.Version.String()
	contributor := toolchain.InstallLayer{
		LayerName:       LayerErlang,
		Product:         "Erlang/OTP",
		Version:         version,
		Build:           choice.Build.Name,
		SHA256:          choice.Build.SHA256,
		Target:          env.Target.String(),
		Index:           env.Index,
		RelPath:         choice.RelPath,
		Launch:          plan.LaunchWanted(ctx.Plan, plan.Erlang),
		AllowUnverified: env.AllowUnverified,
		Extract:         extractOTP,
		// OTP bakes its absolute root into its scripts: Install writes the
		// layer's final path into them.
		Finish: func(root string) error {
			return runner.Run(commandInstall(root))
		},
		SBOM:   sbomEntry(version, env.ArchiveURL(choice.RelPath)),
		Logger: b.Logger,
	}
	result, err := contributor.Result(ctx.Layers, "erl")
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	facts.PublishErlang(&result.Layers[0], version, env.Target.String())
	return result, nil
}
