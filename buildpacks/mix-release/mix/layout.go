package mix

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/paketo-buildpacks/libpak/v2/log"
)

// MixLayout puts the cached layers where a generated project looks for
// them: <root>/deps and <root>/_build, Mix's defaults, as links into the
// deps and mix-build layers. Phoenix's generated files hard-code these
// paths rather than asking Mix (the heroicons plugin reads ../deps,
// config.exs gives esbuild a NODE_PATH of ../deps and the build path, the
// 1.8 app.css has @source ../../_build/...), and an umbrella child's
// ../../deps and ../../_build resolve through the root's links; setting
// MIX_DEPS_PATH alone would move deps where none of those files can see.
// (MIX_BUILD_ROOT is set too, to the same folder: see the build's env.)
type MixLayout struct {
	Root   string
	Logger log.Logger
}

// Link makes <root>/<name> a link to target. A folder of that name that
// came with the source is replaced: an uploaded _build (or an empty deps)
// is a local build for another machine, never used. A committed deps/
// with files is not linked at all: the caller leaves it in place.
func (m MixLayout) Link(name, target string) error {
	p := filepath.Join(m.Root, name)
	if fi, err := os.Lstat(p); err == nil {
		if fi.Mode()&os.ModeSymlink == 0 && fi.IsDir() && nonEmptyDir(p) {
			m.Logger.Bodyf("Replacing the %s/ folder that came with the source with the cached one: it was built elsewhere", name)
		}
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("replacing %s: %w", p, err)
		}
	}
	if err := os.Symlink(target, p); err != nil {
		return fmt.Errorf("linking %s to the cached layer: %w", p, err)
	}
	return nil
}
