package mix_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
)

func TestLockAppDir(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "outside")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(outside, nil, 0o666))
	must(os.Chmod(outside, 0o666))
	must(os.MkdirAll(filepath.Join(dir, "lib", "sub"), 0o777))
	must(os.WriteFile(filepath.Join(dir, "lib", "a.ex"), nil, 0o666))
	must(os.WriteFile(filepath.Join(dir, "run.sh"), nil, 0o775))
	must(os.Symlink(outside, filepath.Join(dir, "link")))
	for _, p := range []string{dir, filepath.Join(dir, "lib"), filepath.Join(dir, "lib", "sub"), filepath.Join(dir, "lib", "a.ex")} {
		info, _ := os.Stat(p)
		must(os.Chmod(p, info.Mode().Perm()|0o022))
	}

	must(mix.LockAppDir(dir))

	want := map[string]os.FileMode{
		dir:                               0o755,
		filepath.Join(dir, "lib"):         0o755,
		filepath.Join(dir, "lib", "sub"):  0o755,
		filepath.Join(dir, "lib", "a.ex"): 0o644,
		filepath.Join(dir, "run.sh"):      0o755,
		outside:                           0o666, // a link's target is not touched
	}
	for p, mode := range want {
		info, err := os.Stat(p)
		must(err)
		if info.Mode().Perm() != mode {
			t.Errorf("%s: mode %o, want %o", p, info.Mode().Perm(), mode)
		}
	}
}
