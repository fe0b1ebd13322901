package mix

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"
)

// BuildCache is _build (<root>/_build links to it), kept between builds so `mix compile`
// only recompiles what changed (never --force). It has no key: Mix tracks
// staleness itself. Its metadata only records the DepsKey the dependencies
// in it were compiled for, so a _build that lost them (or holds another
// set) gets `mix deps.compile` even when the deps layer was reused.
type BuildCache struct {
	Launch bool
	// MixEnv names the folder of _build the app is compiled into.
	MixEnv string
	Logger log.Logger
}

// Name is the layer's name.
func (BuildCache) Name() string { return LayerBuild }

// BuildRoot is the folder inside the layer that <root>/_build links to.
func BuildRoot(layer libcnb.Layer) string { return filepath.Join(layer.Path, BuildDir) }

// Prepare makes the layer usable and reports the DepsKey changes since the
// deps in it were compiled (empty: they are up to date).
func (c BuildCache) Prepare(layer *libcnb.Layer, key Key) ([]string, error) {
	if err := os.MkdirAll(BuildRoot(*layer), 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", BuildRoot(*layer), err)
	}
	if err := Backdate(BuildRoot(*layer)); err != nil {
		return nil, fmt.Errorf("resetting the times of the cached _build: %w", err)
	}
	compiled, _ := layer.Metadata["compiled-deps"].(map[string]interface{})
	changes := key.Changes(compiled)
	if len(changes) == 0 {
		c.Logger.Header("_build: reusing the cached build; mix compile recompiles only what changed")
	} else {
		c.Logger.Headerf("_build: the dependencies in it need compiling, because %s", strings.Join(changes, ", "))
	}
	return changes, nil
}

// Finish records the key the deps were compiled for and sets the types.
func (c BuildCache) Finish(layer *libcnb.Layer, key Key) {
	layer.Metadata = map[string]interface{}{"compiled-deps": key.Metadata()}
	layer.LayerTypes = libcnb.LayerTypes{Cache: true, Launch: c.Launch}
	setLaunchEnv(layer, c.Launch, "MIX_BUILD_ROOT", BuildRoot(*layer))
	if c.Launch {
		// Mix finds a task that a dep brings (phx.server, ecto.migrate) only
		// once the deps are on the code path; until then it loads them with
		// deps.loadpaths, without the process's --no-deps-check, and that
		// check asks git about every git dep (heroicons in every Phoenix
		// app): the run image has no git, so the process would die at boot.
		// On ERL_LIBS, every compiled app's ebin is on the code path from
		// the start, the task is found at once and runs with its own flags.
		layer.LaunchEnvironment.Prepend("ERL_LIBS", ":", LibDir(*layer, c.MixEnv))
	}
}

// LibDir is the folder of the compiled apps (the project's and its deps')
// for a MIX_ENV.
func LibDir(layer libcnb.Layer, mixEnv string) string {
	return filepath.Join(BuildRoot(layer), mixEnv, "lib")
}

// epoch is older than any file a platform hands the build.
var epoch = time.Unix(1, 0)

// Backdate sets every file and folder under dir (a restored cache) to the
// epoch. The lifecycle restores cache layers with the extraction time as
// their mtime (and exports them at 1980-01-01), so Mix's mtime checks
// against them mean nothing: an edited source older than the restore would
// look older than its manifest and not be recompiled, and a dep's .fetch
// restored a moment after its compile.fetch would look freshly fetched and
// be recompiled. At the epoch every source is newer than its manifest, so
// Elixir compares contents (digests) and recompiles exactly what changed,
// while a dep's .fetch and compile.fetch are equal, so it is left alone.
func Backdate(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		return os.Chtimes(p, epoch, epoch)
	})
}
