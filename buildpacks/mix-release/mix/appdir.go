package mix

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// LockAppDir takes group and other write permission off the app folder and
// everything in it. pack hands the build a /workspace of mode 0777, and the
// exporter keeps that mode: without this the run user could add, remove or
// replace files in the app folder (the source Mix runtime mode runs from).
// Symbolic links are not followed; entries the build user does not own are
// left as they are.
func LockAppDir(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if mode := info.Mode().Perm(); mode&0o022 != 0 {
			if err := os.Chmod(path, mode&^0o022); err != nil && !errors.Is(err, fs.ErrPermission) {
				return err
			}
		}
		return nil
	})
}
