package mix_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// FuzzReadProcfile: any Procfile either gives processes a launcher can run
// (a valid type, sh -c and a non-empty command) or a user error naming the
// problem, never a panic or a bare library error.
func FuzzReadProcfile(f *testing.F) {
	for _, s := range []string{
		"",
		"web: bin/app start\n",
		"# c\n\nworker.1: echo a: b\r\n",
		"web:\n",
		": cmd\n",
		"we b: x\n",
		"\x00: \x00\n",
		"\ufeffweb: x\n",
		"web: " + strings.Repeat("x", 70000) + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "Procfile")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		procs, err := mix.ReadProcfile(path)
		if err != nil {
			var ue *usererr.Error
			if !errors.As(err, &ue) || !strings.Contains(ue.Error(), "Procfile") {
				t.Fatalf("not a user error naming the Procfile: %v", err)
			}
			return
		}
		for _, p := range procs {
			if p.Type == "" || strings.ContainsAny(p.Type, " \t:/") {
				t.Fatalf("bad process type %q", p.Type)
			}
			if len(p.Command) != 3 || p.Command[0] != "sh" || p.Command[1] != "-c" || strings.TrimSpace(p.Command[2]) == "" {
				t.Fatalf("bad command %q", p.Command)
			}
		}
	})
}
