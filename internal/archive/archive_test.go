package archive_test

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
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
	})
}
