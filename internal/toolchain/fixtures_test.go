package toolchain_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// lookupOf is a settings.Lookup over a map.
func lookupOf(env map[string]string) settings.Lookup {
	return func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func sortedKeys(files map[string]string) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// tarGz makes a gzip'd tarball; names ending in "*" are executable (the
// star is dropped).
func tarGz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, name := range sortedKeys(files) {
		mode, n := int64(0o644), name
		if name[len(name)-1] == '*' {
			mode, n = 0o755, name[:len(name)-1]
		}
		body := files[name]
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: mode, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tarGzLinks makes a tarball of entries in the given order: "name@target"
// is a symbolic link, "name*" an executable file, anything else a file.
func tarGzLinks(t *testing.T, entries []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e, Mode: 0o644, Typeflag: tar.TypeReg}
		if name, target, ok := strings.Cut(e, "@"); ok {
			h = &tar.Header{Name: name, Mode: 0o777, Typeflag: tar.TypeSymlink, Linkname: target}
		} else if name, ok := strings.CutSuffix(e, "*"); ok {
			h = &tar.Header{Name: name, Mode: 0o755, Typeflag: tar.TypeReg}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipOf makes a zip with the same naming rule as tarGz.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(files) {
		mode, n := os.FileMode(0o644), name
		if name[len(name)-1] == '*' {
			mode, n = 0o755, name[:len(name)-1]
		}
		h := &zip.FileHeader{Name: n, Method: zip.Deflate}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func osMkdir(path string) error { return os.MkdirAll(path, 0o755) }

// headline is a user error's headline, or "" for other errors.
func headline(err error) string {
	var ue *usererr.Error
	if errors.As(err, &ue) {
		return ue.Headline
	}
	return ""
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// plain drops the log's colours.
func plain(s string) string { return ansi.ReplaceAllString(s, "") }
