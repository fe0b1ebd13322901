package mix

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"
)

// DepsLayer holds the fetched dependency sources (<root>/deps links to it), keyed by
// DepsKey: while the key holds, `mix deps.get` does not run at all.
type DepsLayer struct {
	Key Key
	// Unpinned, when set, says why the layer cannot be trusted however equal
	// the key (a project with git or Hex deps and no mix.lock gets whatever
	// versions resolve today), so the deps are fetched on every build.
	Unpinned string
	Launch   bool
	// Fetch runs `mix deps.get` into the given folder (<root>/deps).
	Fetch  func(depsPath string) error
	Logger log.Logger

	fetched bool
}

// Name is the layer's name.
func (d *DepsLayer) Name() string { return LayerDeps }

// DepsPath is the folder inside the layer that <root>/deps links to.
func DepsPath(layer libcnb.Layer) string { return filepath.Join(layer.Path, DepsDir) }

// Contribute fetches the deps unless the cached layer has them for this key,
// and says which.
func (d *DepsLayer) Contribute(layer *libcnb.Layer) error {
	changes := d.Key.Changes(layer.Metadata)
	if d.Unpinned != "" {
		changes = []string{d.Unpinned}
		// libpak compares metadata: an emptied one can never match.
		layer.Metadata = map[string]interface{}{}
	}
	if len(changes) == 0 {
		d.Logger.Header("Mix dependencies: mix.lock, every mix.exs, the compile-time config, MIX_ENV, Erlang/OTP, Elixir and the target are unchanged")
	} else {
		d.Logger.Headerf("Mix dependencies: fetching, because %s", strings.Join(changes, ", "))
	}
	types := libcnb.LayerTypes{Cache: true, Launch: d.Launch}
	lc := libpak.NewLayerContributor("Mix dependencies", d.Key.Metadata(), types, d.Logger)
	err := lc.Contribute(layer, func(layer *libcnb.Layer) error {
		d.fetched = true
		if err := os.MkdirAll(DepsPath(*layer), 0o755); err != nil {
			return err
		}
		return d.Fetch(DepsPath(*layer))
	})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(DepsPath(*layer), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", DepsPath(*layer), err)
	}
	if !d.fetched {
		d.Logger.Body("Skipped mix deps.get: the cached dependencies are those mix.lock pins")
		// See Backdate: restored times would make Mix recompile the deps.
		if err := Backdate(DepsPath(*layer)); err != nil {
			return fmt.Errorf("resetting the times of the cached deps: %w", err)
		}
	}
	clearLaunchEnv(layer)
	return nil
}

// Fetched reports whether Contribute fetched the deps this build.
func (d *DepsLayer) Fetched() bool { return d.fetched }

// clearLaunchEnv removes the env files an earlier build wrote into a
// restored layer (MIX_DEPS_PATH and MIX_BUILD_ROOT, before <root>/deps and
// <root>/_build were links): Mix at launch finds the layers through the
// links in the app folder, as it did at build time.
func clearLaunchEnv(layer *libcnb.Layer) {
	_ = os.RemoveAll(filepath.Join(layer.Path, "env.launch"))
}

// setLaunchEnv points a variable at a launch layer (Mix runtime mode).
// Env files from an earlier build live in a restored layer, so they are
// cleared first and written only when the layer ships.
func setLaunchEnv(layer *libcnb.Layer, launch bool, name, value string) {
	clearLaunchEnv(layer)
	if launch {
		// Override: the path is where this build put the files; any other
		// value would make mix look for what is not there.
		layer.LaunchEnvironment.Override(name, value)
	}
}
