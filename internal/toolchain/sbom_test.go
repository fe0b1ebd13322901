package toolchain_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
)

func testSBOM(t *testing.T, when spec.G, it spec.S) {
	Expect := NewWithT(t).Expect
	const sum = "83C3FFCE5FA1B5F3CFD621694C0E785083E8B9A641012881201471F91ED9F842"
	entry := toolchain.SBOMEntry{
		ID:      "erlang-otp-25.2.3",
		Name:    "erlang-otp",
		Title:   "Erlang/OTP",
		Version: "25.2.3",
		License: "Apache-2.0",
		CPE:     "cpe:2.3:a:erlang:erlang\\/otp:25.2.3:*:*:*:*:*:*:*",
		FoundBy: "elixir-buildpacks/erlang-runtime",
		URL:     "https://builds.hex.pm/builds/otp/amd64/ubuntu-22.04/OTP-25.2.3.tar.gz",
	}

	it("makes a generic purl with the checksum and download URL", func() {
		Expect(entry.PURL(sum)).To(Equal("pkg:generic/erlang-otp@25.2.3?checksum=sha256:83c3ffce5fa1b5f3cfd621694c0e785083e8b9a641012881201471f91ed9f842&download_url=https://builds.hex.pm/builds/otp/amd64/ubuntu-22.04/OTP-25.2.3.tar.gz"))
		e := entry
		e.URL = "https://m.example/a b?x=1&y"
		Expect(e.PURL("")).To(Equal("pkg:generic/erlang-otp@25.2.3?download_url=https://m.example/a+b%3Fx%3D1%26y"))
		e.URL = ""
		Expect(e.PURL("")).To(Equal("pkg:generic/erlang-otp@25.2.3"))
	})

	it("writes a Syft and a CycloneDX document naming what the layer holds", func() {
		layers := libcnb.Layers{Path: t.TempDir()}
		layer, err := layers.Layer("erlang")
		Expect(err).NotTo(HaveOccurred())
		Expect(entry.Write(layer, sum)).To(Succeed())

		var syft struct {
			Artifacts []struct {
				ID, Name, Version, Type, FoundBy, PURL string
				Licenses, CPEs                         []string
				Locations                              []struct{ Path string }
			}
			Source struct{ Type, Target string }
		}
		data, err := os.ReadFile(filepath.Join(layers.Path, "erlang.sbom.syft.json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(json.Unmarshal(data, &syft)).To(Succeed())
		Expect(syft.Artifacts).To(HaveLen(1))
		a := syft.Artifacts[0]
		Expect([]string{a.ID, a.Name, a.Version, a.FoundBy, a.PURL}).To(Equal([]string{"erlang-otp-25.2.3", "Erlang/OTP", "25.2.3", "elixir-buildpacks/erlang-runtime", entry.PURL(sum)}))
		Expect(a.Licenses).To(Equal([]string{"Apache-2.0"}))
		Expect(a.CPEs).To(Equal([]string{entry.CPE}))
		Expect(a.Locations[0].Path).To(Equal(layer.Path))
		Expect(syft.Source.Target).To(Equal(layer.Path))

		data, err = os.ReadFile(filepath.Join(layers.Path, "erlang.sbom.cdx.json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(data).To(MatchJSON(`{
		  "bomFormat": "CycloneDX",
		  "specVersion": "1.4",
		  "version": 1,
		  "metadata": {"tools": [{"name": "elixir-buildpacks/erlang-runtime"}]},
		  "components": [{
		    "bom-ref": "erlang-otp-25.2.3",
		    "type": "application",
		    "name": "erlang-otp",
		    "version": "25.2.3",
		    "description": "Erlang/OTP",
		    "hashes": [{"alg": "SHA-256", "content": "83c3ffce5fa1b5f3cfd621694c0e785083e8b9a641012881201471f91ed9f842"}],
		    "licenses": [{"license": {"id": "Apache-2.0"}}],
		    "cpe": "cpe:2.3:a:erlang:erlang\\/otp:25.2.3:*:*:*:*:*:*:*",
		    "purl": "` + entry.PURL(sum) + `",
		    "externalReferences": [{"type": "distribution", "url": "https://builds.hex.pm/builds/otp/amd64/ubuntu-22.04/OTP-25.2.3.tar.gz"}]
		  }]
		}`))
	})

	it("reports a folder it cannot write", func() {
		err := entry.Write(libcnb.Layer{Name: "x", Path: filepath.Join(t.TempDir(), "missing", "x")}, sum)
		Expect(err).To(HaveOccurred())
	})
}
