package mix

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/effect"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// Build compiles the project and assembles its release into a launch layer.
type Build struct {
	Logger   log.Logger
	Executor effect.Executor
	Env      settings.Lookup // the process environment; os.LookupEnv outside tests
}

// NewBuild is the build phase with the real executor and environment.
func NewBuild(logger log.Logger) libcnb.BuildFunc {
	return Build{Logger: logger, Executor: effect.NewExecutor(), Env: os.LookupEnv}.Build
}

// Build runs the Mix steps in order and returns the layers and processes.
func (b Build) Build(ctx libcnb.BuildContext) (libcnb.BuildResult, error) {
	result, err := b.build(ctx)
	return result, usererr.Report(b.Logger, err)
}

func (b Build) build(ctx libcnb.BuildContext) (libcnb.BuildResult, error) {
	lookup, err := settings.Start(ctx, b.Logger, b.Env)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	mixEnv := lookup.Get("MIX_ENV")
	root := ProjectRoot(ctx.ApplicationPath, ctx.Platform.Environment)

	mixHome, err := homeLayer(ctx, LayerMixHome)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	hexHome, err := homeLayer(ctx, LayerHexHome)
	if err != nil {
		return libcnb.BuildResult{}, err
	}

	release := Release{
		Root:   root,
		Name:   firstSet(lookup.Get(ReleaseVar), lookup.Get(ReleaseNameVar)),
		MixEnv: mixEnv,
		Env: map[string]string{
			"MIX_ENV":  mixEnv,
			"MIX_HOME": mixHome.Path,
			"HEX_HOME": hexHome.Path,
			"LANG":     firstSet(lookup.Get("LANG"), "C.UTF-8"),
		},
		Runner: command.Runner{Executor: b.Executor, Logger: b.Logger, Debug: command.DebugEnabled(lookup)},
		Logger: b.Logger,
	}
	layer, err := ctx.Layers.Layer(LayerRelease)
	if err != nil {
		return libcnb.BuildResult{}, fmt.Errorf("creating layer %s: %w", LayerRelease, err)
	}
	if err := release.Contribute(&layer); err != nil {
		return libcnb.BuildResult{}, err
	}
	processes, err := release.ProcessTypes(&layer)
	if err != nil {
		return libcnb.BuildResult{}, err
	}

	// The image is the release: source, deps and _build stay out of it.
	if err := clearDir(ctx.ApplicationPath); err != nil {
		return libcnb.BuildResult{}, fmt.Errorf("removing the source from the app folder: %w", err)
	}
	b.Logger.Header("Removed the source and build files from the app folder: the image holds only the release")

	result := libcnb.NewBuildResult()
	result.Layers = append(result.Layers, mixHome, hexHome, layer)
	result.Processes = processes
	return result, nil
}

// homeLayer is a cache-only layer for a tool's home folder, kept between
// builds and never exported.
func homeLayer(ctx libcnb.BuildContext, name string) (libcnb.Layer, error) {
	layer, err := ctx.Layers.Layer(name)
	if err != nil {
		return libcnb.Layer{}, fmt.Errorf("creating layer %s: %w", name, err)
	}
	if err := os.MkdirAll(layer.Path, 0o755); err != nil {
		return libcnb.Layer{}, fmt.Errorf("creating %s: %w", layer.Path, err)
	}
	layer.LayerTypes = libcnb.LayerTypes{Cache: true}
	return layer, nil
}

func clearDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func firstSet(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// releaseScripts lists the release start scripts in bin/ (not the .bat ones).
func releaseScripts(binDir string) ([]string, error) {
	entries, err := os.ReadDir(binDir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && !strings.HasSuffix(e.Name(), ".bat") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}
