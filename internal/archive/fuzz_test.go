package archive_test

import (
	"archive/tar"
	"compress/gzip"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/archive"
)

// The fuzz targets build archives of three entries (a kind each: dir, file,
// symlink, hard link; names and link targets free) and check, whatever the
// extractor returns, that nothing appeared or changed outside the
// destination and that no link left inside resolves outside it. "@OUT" in a
// link target stands for the absolute path of the folder beside dest.

var kinds = []byte{tar.TypeDir, tar.TypeReg, tar.TypeSymlink, tar.TypeLink}

func seeds(f *testing.F) {
	f.Add("top/link", "@OUT", uint8(2), "top/link/evil", "", uint8(1), "top/ok")
	f.Add("top/a/l", "../../outside", uint8(2), "top/a/l/evil", "", uint8(1), "top/ok")
	f.Add("top/x/y/up", "../..", uint8(2), "top/x/y/out", "up/../../..", uint8(2), "top/x/y/out/outside/evil")
	f.Add("top/h", "top/../../outside/secret", uint8(3), "top/f", "", uint8(1), "top/h")
	f.Add("top/s", "@OUT/secret", uint8(2), "top/h", "top/s", uint8(3), "top/h")
	f.Add("top/d", "", uint8(0), "top/d/../../outside/evil", "", uint8(1), "/top/../../evil")
	f.Add("top/bin/erl", "", uint8(1), "top/bin/erlc", "erl", uint8(2), "top/bin/erlc")
}

func FuzzExtractTarGz(f *testing.F) {
	seeds(f)
	base := f.TempDir()
	f.Fuzz(func(t *testing.T, n1, l1 string, k1 uint8, n2, l2 string, k2 uint8, n3 string) {
		run := newRun(t, base)
		if !encodeTarGz(run.archive, run.entries(n1, l1, k1, n2, l2, k2, n3)) {
			return // no tar can hold these names: nothing to extract
		}
		_ = archive.ExtractTarGz(run.archive, run.dest, 1)
		run.check(t)
	})
}

func FuzzExtractZip(f *testing.F) {
	seeds(f)
	base := f.TempDir()
	f.Fuzz(func(t *testing.T, n1, l1 string, k1 uint8, n2, l2 string, k2 uint8, n3 string) {
		run := newRun(t, base)
		var entries []entry
		for _, e := range run.entries(n1, l1, k1, n2, l2, k2, n3) {
			if e.kind != tar.TypeLink { // zip has no hard links
				entries = append(entries, e)
			}
		}
		writeZip(t, run.archive, entries)
		_ = archive.ExtractZip(run.archive, run.dest, 1)
		run.check(t)
	})
}

// encodeTarGz is writeTarGz for inputs that archive/tar may refuse.
func encodeTarGz(path string, entries []entry) bool {
	f, err := os.Create(path)
	if err != nil {
		return false
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.kind, Mode: e.mode, Linkname: e.link}
		if e.kind == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if tw.WriteHeader(h) != nil {
			return false
		}
		if e.kind == tar.TypeReg {
			_, _ = tw.Write([]byte(e.body))
		}
	}
	return tw.Close() == nil && gz.Close() == nil
}

// fuzzRun is one case: dir holds the archive, dest, and outside/secret.
type fuzzRun struct {
	dir, archive, dest, outside string
}

func newRun(t *testing.T, base string) fuzzRun {
	dir, err := os.MkdirTemp(base, "case")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	r := fuzzRun{dir: dir, archive: filepath.Join(dir, "archive"), dest: filepath.Join(dir, "dest"), outside: filepath.Join(dir, "outside")}
	if err := os.Mkdir(r.outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.outside, "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r fuzzRun) entries(n1, l1 string, k1 uint8, n2, l2 string, k2 uint8, n3 string) []entry {
	out := func(s string) string { return strings.ReplaceAll(s, "@OUT", r.outside) }
	return []entry{
		{name: n1, link: out(l1), kind: kinds[int(k1)%len(kinds)], mode: 0o755, body: "1"},
		{name: n2, link: out(l2), kind: kinds[int(k2)%len(kinds)], mode: 0o755, body: "2"},
		{name: n3, kind: tar.TypeReg, mode: 0o644, body: "3"},
	}
}

func (r fuzzRun) check(t *testing.T) {
	t.Helper()
	top, err := os.ReadDir(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range top {
		if n := e.Name(); n != "archive" && n != "dest" && n != "outside" {
			t.Fatalf("extraction wrote %s beside its destination", n)
		}
	}
	outside, err := os.ReadDir(r.outside)
	if err != nil {
		t.Fatal(err)
	}
	if len(outside) != 1 {
		t.Fatalf("extraction wrote into the folder beside its destination: %v", outside)
	}
	secret := filepath.Join(r.outside, "secret")
	if b, err := os.ReadFile(secret); err != nil || string(b) != "secret" {
		t.Fatalf("extraction changed a file outside its destination: %q, %v", b, err)
	}
	if fi, err := os.Lstat(secret); err != nil || fi.Mode().Type() != 0 || nlink(fi) != 1 {
		t.Fatalf("extraction linked to a file outside its destination (%v)", err)
	}
	dest, _ := filepath.EvalSymlinks(r.dest)
	_ = filepath.WalkDir(r.dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			return nil // dangling: points at nothing
		}
		if rel, err := filepath.Rel(dest, real); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			t.Fatalf("extraction left %s resolving to %s, outside its destination", p, real)
		}
		return nil
	})
}
