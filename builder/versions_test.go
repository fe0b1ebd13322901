// Package builder_test checks that every version stamp agrees with VERSION,
// the one place a release's version is set (scripts/set-version.sh).
package builder_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var versionLine = regexp.MustCompile(`(?m)^\s*version = "([^"]*)"`)

func TestVersionsMatchVERSION(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(string(raw))
	files, _ := filepath.Glob(filepath.Join("..", "buildpacks", "*", "buildpack.toml"))
	files = append(files, "builder.toml")
	if len(files) != 5 {
		t.Fatalf("expected 4 buildpack.toml files and builder.toml, found %v", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		matches := versionLine.FindAllStringSubmatch(string(data), -1)
		if len(matches) == 0 {
			t.Errorf("%s has no version", f)
		}
		for _, m := range matches {
			if m[1] != want {
				t.Errorf("%s says version %q, VERSION says %q: run scripts/set-version.sh %s", f, m[1], want, want)
			}
		}
	}
}
