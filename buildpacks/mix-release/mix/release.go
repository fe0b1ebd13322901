package mix

import (
	"fmt"
	"path/filepath"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// Release runs the Mix steps and assembles the release into its layer.
type Release struct {
	Root   string // the folder holding mix.exs
	Name   string // the release to build; empty builds Mix's default
	MixEnv string
	Env    map[string]string // added to every Mix command
	Runner command.Runner
	Logger log.Logger

	// name is the release actually assembled, read back from its bin/.
	name string
}

// Contribute builds the release into the (emptied) layer, a launch-only layer:
// it ships in the image and is never restored into a build.
func (r *Release) Contribute(layer *libcnb.Layer) error {
	fresh, err := layer.Reset()
	if err != nil {
		return fmt.Errorf("resetting layer %s: %w", layer.Name, err)
	}
	*layer = fresh

	r.Logger.Headerf("Building the %s release with MIX_ENV=%s", describe(r.Name), r.MixEnv)
	releaseArgs := []string{"release"}
	if r.Name != "" {
		releaseArgs = append(releaseArgs, r.Name)
	}
	releaseArgs = append(releaseArgs, "--overwrite", "--path", layer.Path)
	steps := [][]string{
		{"deps.get", "--only", r.MixEnv},
		{"deps.compile"},
		{"compile"},
		releaseArgs,
	}
	for _, args := range steps {
		if err := r.Runner.Run(command.Cmd{Dir: r.Root, Name: "mix", Args: args, Env: r.Env}); err != nil {
			return usererr.New("Mix failed",
				fmt.Sprintf("mix %s failed (its output is above)", args[0]),
				"fix the error Mix reports, then build again")
		}
	}

	scripts, err := releaseScripts(filepath.Join(layer.Path, "bin"))
	if err != nil || len(scripts) == 0 {
		return fmt.Errorf("mix release made no start script in %s", filepath.Join(layer.Path, "bin"))
	}
	r.name = scripts[0]
	if r.Name != "" {
		r.name = r.Name
	}
	r.Logger.Bodyf("Release %s assembled", r.name)

	layer.LayerTypes = libcnb.LayerTypes{Launch: true}
	// Defaults only: every one of them can be overridden at run time.
	layer.LaunchEnvironment.Default("PORT", DefaultPort)
	layer.LaunchEnvironment.Default("LANG", "C.UTF-8")
	layer.LaunchEnvironment.Default("MIX_ENV", r.MixEnv)
	// The release folder is read-only for the run user; runtime.exs writes
	// its generated sys.config under RELEASE_TMP.
	layer.LaunchEnvironment.Default("RELEASE_TMP", "/tmp")
	return nil
}

// ProcessTypes are web (the default), console and remote.
func (r *Release) ProcessTypes(layer *libcnb.Layer) ([]libcnb.Process, error) {
	bin := filepath.Join(layer.Path, "bin", r.name)
	return []libcnb.Process{
		{Type: "web", Command: []string{bin}, Arguments: []string{"start"}, Default: true},
		{Type: "console", Command: []string{bin}, Arguments: []string{"start_iex"}},
		{Type: "remote", Command: []string{bin}, Arguments: []string{"remote"}},
	}, nil
}

func describe(name string) string {
	if name == "" {
		return "default"
	}
	return name
}
