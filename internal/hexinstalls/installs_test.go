package hexinstalls_test

import (
	"context"
	"crypto/sha512"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexinstalls"
)

func TestUnit(t *testing.T) {
	suite := spec.New("hexinstalls", spec.Report(report.Terminal{}))
	suite("Installs", testInstalls)
	suite.Run(t)
}

func sum(b []byte) string { s := sha512.Sum512(b); return hex.EncodeToString(s[:]) }

func testInstalls(t *testing.T, _ spec.G, it spec.S) {
	Expect := NewWithT(t).Expect
	a, b := strings.Repeat("a", 128), strings.Repeat("b", 128)
	csv := "2.0.0," + a + ",1.12.0,1.13.0\n" + "2.0.6," + b + ",1.13.0,1.14.0\n" + "2.1.0," + a + ",1.15.0\n"

	it("picks as Mix does: the newest line with a build for this Elixir or older, and its first such Elixir", func() {
		rows, err := hexinstalls.ParseCSV("hex", strings.NewReader(csv))
		Expect(err).NotTo(HaveOccurred())
		e, ok := hexinstalls.Pick("hex", rows, "1.14.0")
		Expect(ok).To(BeTrue())
		Expect(e).To(Equal(hexinstalls.Entry{Artifact: "hex", Version: "2.0.6", SHA512: b, Elixir: "1.13.0"}))
		Expect(e.RelPath()).To(Equal("installs/1.13.0/hex-2.0.6.ez"))
		e, _ = hexinstalls.Pick("hex", rows, "1.18.4")
		Expect(e.Version).To(Equal("2.1.0"))
		e, _ = hexinstalls.Pick("hex", rows, "1.15.0-rc.1")
		Expect(e.Version).To(Equal("2.0.6"), "a pre-release is older than its release")
		_, ok = hexinstalls.Pick("hex", rows, "1.11.4")
		Expect(ok).To(BeFalse())
		Expect(hexinstalls.Entry{Artifact: "rebar3", Version: "3.19.0", Elixir: "1.14.0"}.RelPath()).To(Equal("installs/1.14.0/rebar3-3.19.0"))
	})

	it("picks each Elixir's rebar3 from the local index's CSV (one line per toolchain generation)", func() {
		rows, err := hexinstalls.ParseCSV("rebar3", strings.NewReader("3.19.0,"+a+",1.14.0\n3.24.0,"+b+",1.18.3\n"))
		Expect(err).NotTo(HaveOccurred())
		e, _ := hexinstalls.Pick("rebar3", rows, "1.14.0")
		Expect(e.RelPath()).To(Equal("installs/1.14.0/rebar3-3.19.0"))
		e, _ = hexinstalls.Pick("rebar3", rows, "1.18.3")
		Expect(e.RelPath()).To(Equal("installs/1.18.3/rebar3-3.24.0"))
		Expect(e.SHA512).To(Equal(b))
	})

	// The same order as the Elixir resolver's: rc.10 is newer than rc.2.
	it("orders pre-releases as versions.Compare does, numerically", func() {
		rows, err := hexinstalls.ParseCSV("hex", strings.NewReader("2.1.0,"+a+",1.18.0-rc.10\n"))
		Expect(err).NotTo(HaveOccurred())
		_, ok := hexinstalls.Pick("hex", rows, "1.18.0-rc.2")
		Expect(ok).To(BeFalse(), "a build for rc.10 does not run on rc.2")
		e, ok := hexinstalls.Pick("hex", rows, "1.18.0-rc.11")
		Expect(ok).To(BeTrue())
		Expect(e.Elixir).To(Equal("1.18.0-rc.10"))
	})

	it("refuses a line that is not VERSION,SHA512,ELIXIR", func() {
		_, err := hexinstalls.ParseCSV("rebar3", strings.NewReader("3.19.0,abc,1.14.0\n"))
		Expect(err).To(MatchError(`installs/rebar3-1.x.csv line 1 is not VERSION,SHA512,ELIXIR_VERSION...: "3.19.0,abc,1.14.0"`))
	})

	it("resolves and downloads from an index, verifying the sha512 and keeping nothing that fails", func() {
		index := t.TempDir()
		content := []byte("#!/usr/bin/env escript\n")
		Expect(os.MkdirAll(filepath.Join(index, "installs", "1.14.0"), 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(index, "installs", "1.14.0", "rebar3-3.19.0"), content, 0o644)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(index, "installs", "rebar3-1.x.csv"), []byte("3.19.0,"+sum(content)+",1.14.0\n"), 0o644)).To(Succeed())
		client := hexbuilds.NewClient(index)

		e, err := hexinstalls.Resolve(context.Background(), client, "rebar3", "1.14.0")
		Expect(err).NotTo(HaveOccurred())
		dir := t.TempDir()
		file, err := hexinstalls.Download(context.Background(), client, e, dir)
		Expect(err).NotTo(HaveOccurred())
		Expect(file).To(Equal(filepath.Join(dir, "rebar3-3.19.0")))

		e.SHA512 = a
		dir = t.TempDir()
		_, err = hexinstalls.Download(context.Background(), client, e, dir)
		Expect(err).To(MatchError("checksum mismatch for installs/1.14.0/rebar3-3.19.0: expected sha512 " + a + ", got " + sum(content)))
		entries, _ := os.ReadDir(dir)
		Expect(entries).To(BeEmpty())

		_, err = hexinstalls.Resolve(context.Background(), client, "rebar3", "1.13.0")
		Expect(err).To(MatchError("installs/rebar3-1.x.csv lists no rebar3 built for Elixir 1.13.0 or older"))
	})
}
