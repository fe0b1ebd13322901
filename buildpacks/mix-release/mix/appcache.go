package mix

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// AppCacheDir is where the links LinkAppCaches makes point: a folder every
// user can write in both stack images.
const AppCacheDir = "/tmp"

// LinkAppCaches makes Mix's app cache of each project app a link to a file
// in AppCacheDir, for Mix runtime mode. Mix (compile.all, run by `mix run
// --no-compile` at every boot) rewrites _build/ENV/lib/APP/.mix/
// compile.app_cache when it is older than the project's config, whose
// mtime Mix never dates before 2000-01-01; every file of a CNB image is
// dated 1980-01-01, so each boot writes it, and the run user cannot write
// _build: the app stopped with "could not write to file …
// compile.app_cache: permission denied". Through the link that one write
// lands in a writable place; the cache only lists each app's modules, and
// a missing one reads as empty. apps are the project's own applications
// (an umbrella's children), whose manifests Mix keeps under _build;
// dependencies are compiled with no app cache.
func LinkAppCaches(buildRoot, mixEnv string, apps []string) ([]string, error) {
	var linked []string
	for _, app := range apps {
		manifest := filepath.Join(buildRoot, mixEnv, "lib", app, ".mix", "compile.app_cache")
		target := filepath.Join(AppCacheDir, fmt.Sprintf("mix-%s-%s.compile.app_cache", mixEnv, app))
		if dest, err := os.Readlink(manifest); err == nil && dest == target {
			linked = append(linked, app)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(manifest), 0o755); err != nil {
			return nil, err
		}
		if err := os.Remove(manifest); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if err := os.Symlink(target, manifest); err != nil {
			return nil, fmt.Errorf("linking the app cache of %s: %w", app, err)
		}
		linked = append(linked, app)
	}
	return linked, nil
}
