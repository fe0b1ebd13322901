package mix

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/buildpacks/libcnb/v2"
)

// LaunchEnv is a small launch layer with the defaults every process gets,
// each overridable at run time (`docker run -e PORT=4000`), and the exec.d
// scripts that make sure HOME is writable and a crash dump can be written.
type LaunchEnv struct {
	MixEnv string
	// WebGuard is the script the web process runs through (GuardWeb), written
	// as WebGuardFile; none when empty.
	WebGuard string
}

// Name is the layer's name.
func (LaunchEnv) Name() string { return LayerLaunchEnv }

// homeScript gives the process a writable HOME when the one it got is not
// (an arbitrary uid with no home, a read-only root): Erlang, Mix and Hex
// write under HOME. A writable HOME, set or default, is left alone.
const homeScript = `#!/bin/sh
# Written by the elixir-buildpacks/mix-release buildpack.
if [ -z "${HOME:-}" ] || [ ! -d "$HOME" ] || [ ! -w "$HOME" ]; then
  printf 'HOME = "%s"\n' /tmp >&3
fi
`

// Contribute writes the layer afresh: it is a few bytes.
func (e LaunchEnv) Contribute(layer *libcnb.Layer) error {
	fresh, err := layer.Reset()
	if err != nil {
		return fmt.Errorf("resetting layer %s: %w", layer.Name, err)
	}
	*layer = fresh
	layer.LaunchEnvironment.Default("PORT", DefaultPort)
	layer.LaunchEnvironment.Default("LANG", DefaultLang)
	layer.LaunchEnvironment.Default("MIX_ENV", e.MixEnv)
	if err := writeExecD(layer, "home", homeScript); err != nil {
		return err
	}
	if err := writeExecD(layer, "crash-dump", crashDumpScript); err != nil {
		return err
	}
	if e.WebGuard != "" {
		if err := os.WriteFile(filepath.Join(layer.Path, WebGuardFile), []byte(e.WebGuard), 0o755); err != nil {
			return fmt.Errorf("writing the web process guard: %w", err)
		}
	}
	layer.LayerTypes = libcnb.LayerTypes{Launch: true}
	return nil
}
