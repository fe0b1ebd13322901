package mix

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/buildpacks/libcnb/v2"
)

// LayeredRelease splits an assembled release over two launch layers so that
// a source-only change replaces only the small one. The release root keeps
// bin/, ERTS, releases/ and every dependency application (OTP's, Elixir's,
// Hex and git deps): it is byte-identical from build to build while they do
// not change, so the exporter reuses it. The project's own applications (the
// app or the umbrella's children, and path deps, which are the project's
// source too) and the consolidated protocols move to the app layer, with
// symlinks left where they were, so bin/<name> runs unchanged: the release
// scripts find ERTS from their own physical place, which stays in the root.
type LayeredRelease struct {
	// Own names the applications that move.
	Own []string
}

// Split moves the own applications and releases/*/consolidated from the
// release root into the app layer and links them back. It returns what moved.
func (l LayeredRelease) Split(root, app *libcnb.Layer) ([]string, error) {
	fresh, err := app.Reset()
	if err != nil {
		return nil, fmt.Errorf("resetting layer %s: %w", app.Name, err)
	}
	*app = fresh
	own := map[string]bool{}
	for _, name := range l.Own {
		own[name] = true
	}

	var moved []string
	entries, err := os.ReadDir(filepath.Join(root.Path, "lib"))
	if err != nil {
		return nil, fmt.Errorf("reading the release's lib: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() || !own[appName(e.Name())] {
			continue
		}
		if err := moveAndLink(filepath.Join(root.Path, "lib", e.Name()), filepath.Join(app.Path, "lib", e.Name())); err != nil {
			return nil, err
		}
		moved = append(moved, "lib/"+e.Name())
	}
	consolidated, _ := filepath.Glob(filepath.Join(root.Path, "releases", "*", "consolidated"))
	for _, c := range consolidated {
		rel, _ := filepath.Rel(root.Path, c)
		if err := moveAndLink(c, filepath.Join(app.Path, rel)); err != nil {
			return nil, err
		}
		moved = append(moved, rel)
	}
	sort.Strings(moved)
	app.LayerTypes = libcnb.LayerTypes{Launch: true}
	return moved, nil
}

// appName is the application of a lib/ folder named NAME-VSN.
func appName(dir string) string {
	if i := strings.LastIndex(dir, "-"); i > 0 {
		return dir[:i]
	}
	return dir
}

func moveAndLink(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("moving %s to the app layer: %w", from, err)
	}
	return os.Symlink(to, from)
}

// OwnApps are the applications a source-only change can touch: the project's
// (its umbrella children) and its path deps.
func OwnApps(app string, umbrellaApps []string, pathDeps []string) []string {
	own := append([]string{}, umbrellaApps...)
	if app != "" {
		own = append(own, app)
	}
	return append(own, pathDeps...)
}
