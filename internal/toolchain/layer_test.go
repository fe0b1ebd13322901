package toolchain_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/archive"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
)

func testInstallLayer(t *testing.T, when spec.G, it spec.S) {
	var (
		Expect   = NewWithT(t).Expect
		index    string
		layers   libcnb.Layers
		out      *bytes.Buffer
		finished []string
		tgz      []byte
		newOTP   []byte
	)

	const rel = "builds/otp/amd64/ubuntu-22.04/OTP-25.2.3.tar.gz"
	const rel26 = "builds/otp/amd64/ubuntu-22.04/OTP-26.2.5.tar.gz"

	it.Before(func() {
		index = t.TempDir()
		tgz = tarGz(t, map[string]string{"OTP-25.2.3/bin/erl*": "#!/bin/sh\n", "OTP-25.2.3/releases/25/OTP_VERSION": "25.2.3\n"})
		newOTP = tarGz(t, map[string]string{"OTP-26.2.5/bin/erl*": "#!/bin/sh\n", "OTP-26.2.5/releases/26/OTP_VERSION": "26.2.5\n"})
		write(t, filepath.Join(index, rel), string(tgz))
		write(t, filepath.Join(index, rel26), string(newOTP))
		layers = libcnb.Layers{Path: t.TempDir()}
		out = &bytes.Buffer{}
		finished = nil
	})

	contributor := func(version, relPath string, archiveBytes []byte) toolchain.InstallLayer {
		return toolchain.InstallLayer{
			LayerName: "erlang",
			Product:   "Erlang/OTP",
			Version:   version,
			Build:     "OTP-" + version,
			SHA256:    sha(archiveBytes),
			Target:    "amd64/ubuntu-22.04",
			Index:     hexbuilds.NewIndex(index),
			RelPath:   relPath,
			Extract:   func(a, dest string) error { return archive.ExtractTarGz(a, dest, 1) },
			Finish: func(root string) error {
				finished = append(finished, root)
				return nil
			},
			SBOM:   toolchain.SBOMEntry{ID: "erlang-otp-" + version, Name: "erlang-otp", Title: "Erlang/OTP", Version: version, License: "Apache-2.0", FoundBy: "test"},
			Logger: log.NewPaketoLogger(out),
		}
	}

	// layer reads the layer as the next build would find it: its .toml
	// written by libcnb, its folder restored from the cache.
	layer := func() libcnb.Layer {
		l, err := layers.Layer("erlang")
		Expect(err).NotTo(HaveOccurred())
		return l
	}
	// finish plays libcnb's part at the end of a build: write the .toml.
	finish := func(l libcnb.Layer) {
		var md bytes.Buffer
		for _, k := range []string{"build", "sha256", "target", "version"} {
			fmt.Fprintf(&md, "  %s = %q\n", k, l.Metadata[k])
		}
		toml := fmt.Sprintf("[types]\n  build = %t\n  cache = %t\n  launch = %t\n\n[metadata]\n%s", l.Build, l.Cache, l.Launch, md.String())
		Expect(os.WriteFile(filepath.Join(layers.Path, "erlang.toml"), []byte(toml), 0o644)).To(Succeed())
	}

	it("installs a verified archive into a build and cache layer", func() {
		l := layer()
		Expect(contributor("25.2.3", rel, tgz).Contribute(&l)).To(Succeed())
		Expect(filepath.Join(l.Path, "bin", "erl")).To(BeARegularFile())
		Expect(finished).To(Equal([]string{l.Path}))
		Expect(l.LayerTypes).To(Equal(libcnb.LayerTypes{Build: true, Cache: true}))
		Expect(l.Metadata).To(Equal(map[string]interface{}{"version": "25.2.3", "build": "OTP-25.2.3", "sha256": sha(tgz), "target": "amd64/ubuntu-22.04"}))
		log := plain(out.String())
		Expect(log).To(ContainSubstring("Erlang/OTP 25.2.3: Contributing to layer"))
		Expect(log).To(ContainSubstring("Downloading " + rel))
		Expect(log).To(ContainSubstring("Downloaded " + filepath.Join(index, rel) + ", sha256 " + sha(tgz) + " verified"))
		Expect(log).NotTo(ContainSubstring("Clearing"))
		Expect(l.SBOMPath(libcnb.SyftJSON)).To(BeARegularFile())
		Expect(l.SBOMPath(libcnb.CycloneDXJSON)).To(BeARegularFile())
	})

	it("is a launch layer when asked", func() {
		l := layer()
		c := contributor("25.2.3", rel, tgz)
		c.Launch = true
		Expect(c.Contribute(&l)).To(Succeed())
		Expect(l.LayerTypes).To(Equal(libcnb.LayerTypes{Build: true, Cache: true, Launch: true}))
	})

	it("reuses the cached layer while version, build, sha256 and target match", func() {
		l := layer()
		Expect(contributor("25.2.3", rel, tgz).Contribute(&l)).To(Succeed())
		finish(l)
		Expect(os.Remove(l.SBOMPath(libcnb.CycloneDXJSON))).To(Succeed())
		Expect(os.RemoveAll(index)).To(Succeed()) // no download possible
		out.Reset()

		l = layer()
		c := contributor("25.2.3", rel, tgz)
		c.Launch = true
		Expect(c.Contribute(&l)).To(Succeed())
		Expect(plain(out.String())).To(Equal("  Erlang/OTP 25.2.3: Reusing cached layer\n"))
		Expect(finished).To(HaveLen(1))
		Expect(l.LayerTypes).To(Equal(libcnb.LayerTypes{Build: true, Cache: true, Launch: true}))
		Expect(l.SBOMPath(libcnb.CycloneDXJSON)).To(BeARegularFile())
	})

	it("replaces the layer when the version changes, and says why", func() {
		l := layer()
		Expect(contributor("25.2.3", rel, tgz).Contribute(&l)).To(Succeed())
		finish(l)
		out.Reset()

		l = layer()
		Expect(contributor("26.2.5", rel26, newOTP).Contribute(&l)).To(Succeed())
		log := plain(out.String())
		Expect(log).To(HavePrefix("  Clearing cache: Erlang/OTP 25.2.3 → 26.2.5 (version changed)\n  Erlang/OTP 26.2.5: Contributing to layer\n"))
		Expect(filepath.Join(l.Path, "releases", "26", "OTP_VERSION")).To(BeARegularFile())
		Expect(filepath.Join(l.Path, "releases", "25")).NotTo(BeADirectory())
		Expect(l.Metadata["version"]).To(Equal("26.2.5"))
	})

	it("says when only the target or the index's sha256 changed", func() {
		l := layer()
		Expect(contributor("25.2.3", rel, tgz).Contribute(&l)).To(Succeed())
		finish(l)

		c := contributor("25.2.3", rel, tgz)
		c.Target = "arm64/ubuntu-22.04"
		Expect(c.Changed(layer().Metadata)).To(Equal("Erlang/OTP 25.2.3 → 25.2.3 (target changed from amd64/ubuntu-22.04 to arm64/ubuntu-22.04)"))
		c = contributor("25.2.3", rel, tgz)
		c.SHA256 = sha([]byte("remade"))
		Expect(c.Changed(layer().Metadata)).To(Equal("Erlang/OTP 25.2.3 → 25.2.3 (the index's sha256 changed: the build was remade)"))
		c = contributor("25.2.3", rel, tgz)
		c.Build = "OTP-25.2.3-other"
		Expect(c.Changed(layer().Metadata)).To(Equal("Erlang/OTP 25.2.3 → 25.2.3 (build changed)"))
		Expect(c.Changed(nil)).To(BeEmpty())
		Expect(c.Changed(map[string]interface{}{"cached": "elsewhere"})).To(Equal("Erlang/OTP (unknown) → 25.2.3 (version changed, target changed from  to amd64/ubuntu-22.04)"))
	})

	it("fails on a checksum mismatch and leaves nothing in the layer", func() {
		l := layer()
		Expect(contributor("25.2.3", rel, tgz).Contribute(&l)).To(Succeed())
		finish(l)

		write(t, filepath.Join(index, rel26), "tampered")
		l = layer()
		err := contributor("26.2.5", rel26, newOTP).Contribute(&l)
		Expect(errors.Is(err, hexbuilds.ErrChecksum)).To(BeTrue())
		Expect(headline(err)).To(Equal("Checksum mismatch"))
		entries, _ := os.ReadDir(l.Path)
		Expect(entries).To(BeEmpty())
		Expect(l.Metadata["version"]).To(Equal("25.2.3")) // not replaced: libcnb writes no .toml for a failed build
		Expect(l.SBOMPath(libcnb.SyftJSON)).NotTo(BeAnExistingFile())
		tmp, _ := filepath.Glob(filepath.Join(os.TempDir(), "toolchain-*", "OTP-26.2.5.tar.gz"))
		Expect(tmp).To(BeEmpty())
	})

	it("leaves nothing when Install fails", func() {
		l := layer()
		c := contributor("25.2.3", rel, tgz)
		c.Finish = func(string) error { return errors.New("Install failed") }
		Expect(c.Contribute(&l)).To(MatchError("Install failed"))
		entries, _ := os.ReadDir(l.Path)
		Expect(entries).To(BeEmpty())
	})

	it("reports an archive it cannot extract", func() {
		write(t, filepath.Join(index, rel), "not a tarball")
		l := layer()
		err := contributor("25.2.3", rel, []byte("not a tarball")).Contribute(&l)
		Expect(err).To(MatchError(ContainSubstring("extracting OTP-25.2.3.tar.gz: ")))
	})

	it("refuses a verified archive that links outside its layer, and leaves nothing", func() {
		outside := t.TempDir()
		hostile := tarGzLinks(t, []string{"OTP-25.2.3/bin@" + outside, "OTP-25.2.3/bin/erl*"})
		write(t, filepath.Join(index, rel), string(hostile))
		l := layer()
		err := contributor("25.2.3", rel, hostile).Contribute(&l)
		Expect(err).To(MatchError(fmt.Sprintf(`OTP-25.2.3.tar.gz from %s: archive entry "OTP-25.2.3/bin" links to %q, outside the destination; nothing was installed from it; point HEX_BUILDS_URL at an index you trust`, filepath.Join(index, rel), outside)))
		Expect(headline(err)).To(Equal("Unsafe archive refused"))
		Expect(finished).To(BeEmpty())
		entries, _ := os.ReadDir(outside)
		Expect(entries).To(BeEmpty())
		entries, _ = os.ReadDir(l.Path)
		Expect(entries).To(BeEmpty())
	})

	when("the index lists no sha256", func() {
		it("refuses to download", func() {
			l := layer()
			c := contributor("25.2.3", rel, tgz)
			c.SHA256 = ""
			err := c.Contribute(&l)
			Expect(err).To(MatchError("the index lists no sha256 for OTP-25.2.3, so its download cannot be verified: ask for a version whose line has a sha256, or set BP_ALLOW_UNVERIFIED_DOWNLOADS=true to install it unverified"))
			Expect(headline(err)).To(Equal("Unverifiable download refused"))
			Expect(l.Path).NotTo(BeADirectory())
		})

		it("installs unverified when allowed, and says so", func() {
			l := layer()
			c := contributor("25.2.3", rel, tgz)
			c.SHA256, c.AllowUnverified = "", true
			Expect(c.Contribute(&l)).To(Succeed())
			Expect(plain(out.String())).To(ContainSubstring("Downloaded " + filepath.Join(index, rel) + ", NOT verified: the index lists no sha256"))
			data, err := os.ReadFile(l.SBOMPath(libcnb.CycloneDXJSON))
			Expect(err).NotTo(HaveOccurred())
			var bom map[string]interface{}
			Expect(json.Unmarshal(data, &bom)).To(Succeed())
			Expect(bom["components"].([]interface{})[0]).NotTo(HaveKey("hashes"))
		})
	})
}
