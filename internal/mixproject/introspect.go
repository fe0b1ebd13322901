package mixproject

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
)

// ScriptName is the introspection script, in the buildpack's resources/.
const ScriptName = "introspect.exs"

// Introspector runs the introspection script with the installed Elixir.
type Introspector struct {
	Runner command.Runner
	// Script is the path of introspect.exs inside the packaged buildpack.
	Script string
}

// Run loads the project in dir with the given environment (MIX_ENV and the
// homes, as every Mix command of the build gets them).
func (i Introspector) Run(dir string, env, pass map[string]string) (Project, error) {
	tmp, err := os.MkdirTemp("", "mix-introspect-")
	if err != nil {
		return Project{}, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "project.json")
	cmd := command.Cmd{Dir: dir, Name: "elixir", Args: []string{i.Script, out}, Env: env, Pass: pass}
	if err := i.Runner.Run(cmd); err != nil {
		return Project{}, &LoadError{Err: err}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return Project{}, fmt.Errorf("the introspection script wrote no report: %w", err)
	}
	return Parse(data)
}

// LoadError is Mix failing to load the project (a broken mix.exs): its own
// error is in the log above.
type LoadError struct{ Err error }

func (e *LoadError) Error() string { return "loading the Mix project: " + e.Err.Error() }
func (e *LoadError) Unwrap() error { return e.Err }
