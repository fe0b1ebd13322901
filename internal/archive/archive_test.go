package archive_test

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/archive"
)

type entry struct {
	name, body, link string
	kind             byte
	mode             int64
}

func writeTarGz(t *testing.T, path string, entries []entry) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.kind, Mode: e.mode, Linkname: e.link, Size: int64(len(e.body))}
		if e.kind != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.kind == tar.TypeReg {
			_, _ = tw.Write([]byte(e.body))
		}
	}
	_ = tw.Close()
	_ = gz.Close()
}

// writeZip writes entries in order; a TypeSymlink entry is stored as zip
// does, with the link's target as its body and the symlink mode bit.
func writeZip(t *testing.T, path string, entries []entry) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name}
		body := e.body
		switch e.kind {
		case tar.TypeSymlink:
			h.SetMode(os.ModeSymlink | 0o777)
			body = e.link
		case tar.TypeDir:
			h.Name += "/"
			h.SetMode(os.ModeDir | 0o755)
		default:
			h.SetMode(0o644)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

func testArchive(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		dir    string
		dest   string
	)

	it.Before(func() {
		dir = t.TempDir()
		dest = filepath.Join(dir, "dest")
	})

	context("ExtractTarGz", func() {
		it("strips the top folder and keeps modes, symlinks and hard links", func() {
			tgz := filepath.Join(dir, "otp.tar.gz")
			writeTarGz(t, tgz, []entry{
				{name: "OTP-25.2.3/", kind: tar.TypeDir, mode: 0o755},
				{name: "OTP-25.2.3/Install", kind: tar.TypeReg, mode: 0o755, body: "#!/bin/sh\n"},
				{name: "OTP-25.2.3/bin/erl", kind: tar.TypeReg, mode: 0o755, body: "erl"},
				{name: "OTP-25.2.3/bin/erlc", kind: tar.TypeSymlink, link: "../erts/bin/erlc"},
				{name: "OTP-25.2.3/bin/erl2", kind: tar.TypeLink, link: "OTP-25.2.3/bin/erl"},
			})
			Expect(archive.ExtractTarGz(tgz, dest, 1)).To(Succeed())

			info, err := os.Stat(filepath.Join(dest, "Install"))
			Expect(err).NotTo(HaveOccurred())
			Expect(info.Mode().Perm()).To(Equal(os.FileMode(0o755)))
			Expect(os.Readlink(filepath.Join(dest, "bin", "erlc"))).To(Equal("../erts/bin/erlc"))
			Expect(os.ReadFile(filepath.Join(dest, "bin", "erl2"))).To(Equal([]byte("erl")))
		})

		it("refuses an entry that escapes the destination", func() {
			tgz := filepath.Join(dir, "evil.tar.gz")
			writeTarGz(t, tgz, []entry{{name: "top/../../evil", kind: tar.TypeReg, mode: 0o644, body: "x"}})
			Expect(archive.ExtractTarGz(tgz, dest, 1)).To(MatchError(`archive entry "top/../../evil" points outside the destination`))
			Expect(filepath.Join(dir, "evil")).NotTo(BeAnExistingFile())
		})

		// outsideEmpty says nothing was written next to dest: the hostile
		// entries below all aim at dir/outside.
		outsideEmpty := func() {
			t.Helper()
			entries, err := os.ReadDir(filepath.Join(dir, "outside"))
			Expect(err).NotTo(HaveOccurred())
			Expect(entries).To(BeEmpty())
		}

		it("refuses a link to an absolute path before anything is written through it", func() {
			outside := filepath.Join(dir, "outside")
			Expect(os.Mkdir(outside, 0o755)).To(Succeed())
			tgz := filepath.Join(dir, "evil.tar.gz")
			writeTarGz(t, tgz, []entry{
				{name: "top/link", kind: tar.TypeSymlink, link: outside},
				{name: "top/link/evil", kind: tar.TypeReg, mode: 0o644, body: "x"},
			})
			Expect(archive.ExtractTarGz(tgz, dest, 1)).To(MatchError(fmt.Sprintf(`archive entry "top/link" links to %q, outside the destination`, outside)))
			outsideEmpty()
		})

		it("refuses a relative link that climbs out", func() {
			Expect(os.Mkdir(filepath.Join(dir, "outside"), 0o755)).To(Succeed())
			tgz := filepath.Join(dir, "evil.tar.gz")
			writeTarGz(t, tgz, []entry{
				{name: "top/bin/link", kind: tar.TypeSymlink, link: "../../outside"},
				{name: "top/bin/link/evil", kind: tar.TypeReg, mode: 0o644, body: "x"},
			})
			Expect(archive.ExtractTarGz(tgz, dest, 1)).To(MatchError(`archive entry "top/bin/link" links to "../../outside", outside the destination`))
			outsideEmpty()
		})

		// Each link looks inside on its own: x/y/up goes to the top, and
		// x/y/out = x/y/up/../../.. reads as the top too, but resolves to
		// the top's parent.
		chain := []entry{
			{name: "top/x/y/up", kind: tar.TypeSymlink, link: "../.."},
			{name: "top/x/y/out", kind: tar.TypeSymlink, link: "up/../../.."},
		}

		it("refuses a write through links that together climb out", func() {
			Expect(os.Mkdir(filepath.Join(dir, "outside"), 0o755)).To(Succeed())
			tgz := filepath.Join(dir, "evil.tar.gz")
			writeTarGz(t, tgz, append(chain, entry{name: "top/x/y/out/outside/evil", kind: tar.TypeReg, mode: 0o644, body: "x"}))
			Expect(archive.ExtractTarGz(tgz, dest, 1)).To(MatchError(`archive entry "top/x/y/out/outside/evil" lands outside the destination`))
			outsideEmpty()
		})

		it("refuses links that together point outside, even with nothing written through them", func() {
			tgz := filepath.Join(dir, "evil.tar.gz")
			writeTarGz(t, tgz, chain)
			err := archive.ExtractTarGz(tgz, dest, 1)
			Expect(err).To(MatchError(`archive link "x/y/out" to "up/../../.." resolves outside the destination`))
			Expect(errors.Is(err, archive.ErrOutside)).To(BeTrue())
		})

		it("refuses a hard link to a file outside", func() {
			outside := filepath.Join(dir, "outside")
			Expect(os.Mkdir(outside, 0o755)).To(Succeed())
			Expect(os.WriteFile(filepath.Join(dir, "secret"), []byte("s"), 0o600)).To(Succeed())
			tgz := filepath.Join(dir, "evil.tar.gz")
			writeTarGz(t, tgz, []entry{{name: "top/h", kind: tar.TypeLink, link: "top/../../secret"}})
			Expect(archive.ExtractTarGz(tgz, dest, 1)).To(MatchError(`archive entry "top/../../secret" points outside the destination`))
			Expect(filepath.Join(dest, "h")).NotTo(BeAnExistingFile())
		})

		it("replaces a link with a later file of the same name instead of writing through it", func() {
			Expect(os.Mkdir(filepath.Join(dir, "outside"), 0o755)).To(Succeed())
			Expect(os.WriteFile(filepath.Join(dir, "target"), []byte("keep"), 0o644)).To(Succeed())
			tgz := filepath.Join(dir, "otp.tar.gz")
			writeTarGz(t, tgz, []entry{
				{name: "top/real", kind: tar.TypeReg, mode: 0o644, body: "real"},
				{name: "top/f", kind: tar.TypeSymlink, link: "real"},
				{name: "top/f", kind: tar.TypeReg, mode: 0o644, body: "new"},
			})
			Expect(archive.ExtractTarGz(tgz, dest, 1)).To(Succeed())
			Expect(os.ReadFile(filepath.Join(dest, "real"))).To(Equal([]byte("real")))
			Expect(os.ReadFile(filepath.Join(dest, "f"))).To(Equal([]byte("new")))
		})

		it("says when the file is not gzip", func() {
			bad := filepath.Join(dir, "bad.tar.gz")
			Expect(os.WriteFile(bad, []byte("<html>not found</html>"), 0o644)).To(Succeed())
			Expect(archive.ExtractTarGz(bad, dest, 1)).To(MatchError(ContainSubstring("bad.tar.gz is not a gzip file")))
		})
	})

	context("ExtractZip", func() {
		it("extracts files with their modes", func() {
			zp := filepath.Join(dir, "elixir.zip")
			f, err := os.Create(zp)
			Expect(err).NotTo(HaveOccurred())
			zw := zip.NewWriter(f)
			h := &zip.FileHeader{Name: "bin/elixir"}
			h.SetMode(0o755)
			w, err := zw.CreateHeader(h)
			Expect(err).NotTo(HaveOccurred())
			_, _ = w.Write([]byte("#!/bin/sh\n"))
			w, err = zw.Create("lib/elixir/ebin/elixir.app")
			Expect(err).NotTo(HaveOccurred())
			_, _ = w.Write([]byte("app"))
			Expect(zw.Close()).To(Succeed())
			Expect(f.Close()).To(Succeed())

			Expect(archive.ExtractZip(zp, dest, 0)).To(Succeed())
			info, err := os.Stat(filepath.Join(dest, "bin", "elixir"))
			Expect(err).NotTo(HaveOccurred())
			Expect(info.Mode().Perm()).To(Equal(os.FileMode(0o755)))
			Expect(os.ReadFile(filepath.Join(dest, "lib", "elixir", "ebin", "elixir.app"))).To(Equal([]byte("app")))
		})

		it("refuses a symlink entry that points outside, and writes nothing through it", func() {
			outside := filepath.Join(dir, "outside")
			Expect(os.Mkdir(outside, 0o755)).To(Succeed())
			zp := filepath.Join(dir, "evil.zip")
			writeZip(t, zp, []entry{
				{name: "lib", kind: tar.TypeSymlink, link: outside},
				{name: "lib/evil", kind: tar.TypeReg, body: "x"},
			})
			Expect(archive.ExtractZip(zp, dest, 0)).To(MatchError(fmt.Sprintf(`archive entry "lib" links to %q, outside the destination`, outside)))
			entries, err := os.ReadDir(outside)
			Expect(err).NotTo(HaveOccurred())
			Expect(entries).To(BeEmpty())
		})

		it("keeps a symlink that stays inside", func() {
			zp := filepath.Join(dir, "elixir.zip")
			writeZip(t, zp, []entry{
				{name: "bin/elixir", kind: tar.TypeReg, body: "#!/bin/sh\n"},
				{name: "bin/iex", kind: tar.TypeSymlink, link: "elixir"},
			})
			Expect(archive.ExtractZip(zp, dest, 0)).To(Succeed())
			Expect(os.ReadFile(filepath.Join(dest, "bin", "iex"))).To(Equal([]byte("#!/bin/sh\n")))
		})
	})
}
