package mix_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixproject"
)

const sbomLock = `%{
  "jason": {:hex, :jason, "1.4.1", "af1504e35f629ddcdd6addb3513c3853991f694921b1b9368b0bd32beb9f1b63", [:mix], [{:decimal, "~> 1.0 or ~> 2.0", [hex: :decimal, repo: "hexpm", optional: true]}], "hexpm", "FBB01ECDFD565B56261302F7E1FCC27C4FB8F32D56EAB74DB621FC154604A7A1"},
  "ranch": {:hex, :ranch, "1.8.0", "inner", [:make, :rebar3], [], "hexpm", "49fbcfd3682fab1f5d109351b61257676da1a2fdbe295904176d5e521a2ddfe5"},
  "secret_lib": {:hex, :secret_lib, "0.3.0", "inner", [:mix], [], "hexpm:acme", "ABCDEF"},
  "other": {:hex, :other, "1.0.0", "inner", [:mix], [], "myrepo", "00ff"},
  "plug": {:git, "https://github.com/elixir-plug/plug.git", "8a5f8a7b2b8e5c1e0d9f1c2b3a4d5e6f7a8b9c0d", [branch: "main"]},
  "shouty": {:git, "git://127.0.0.1:9418/shouty.git", "0123456789abcdef0123456789abcdef01234567", []},
}
`

func TestSBOM(t *testing.T) {
	spec.Run(t, "ReleaseSBOM", testSBOM, spec.Report(report.Terminal{}))
}

func testSBOM(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		root   string
		rel    string
		layer  libcnb.Layer
	)

	it.Before(func() {
		root = t.TempDir()
		rel = t.TempDir()
		layers := t.TempDir()
		Expect(os.WriteFile(filepath.Join(root, "mix.lock"), []byte(sbomLock), 0o644)).To(Succeed())
		for _, d := range []string{"erts-13.1.5/bin", "lib/kernel-8.5.3", "lib/stdlib-4.2", "lib/inets-8.2.2", "lib/elixir-1.14.0",
			"lib/logger-1.14.0", "lib/jason-1.4.1", "lib/ranch-1.8.0", "lib/plug-1.15.0", "lib/shouty-0.1.0", "lib/greeting-0.2.0",
			"lib/my_app-0.1.0", "releases/0.1.0"} {
			Expect(os.MkdirAll(filepath.Join(rel, d), 0o755)).To(Succeed())
		}
		layer = libcnb.Layer{Name: "release", Path: filepath.Join(layers, "release")}
		Expect(os.MkdirAll(layer.Path, 0o755)).To(Succeed())
	})

	sbom := func() mix.ReleaseSBOM {
		return mix.ReleaseSBOM{Root: root, Dirs: []string{rel}, OTP: "25.2.3", Elixir: "1.14.0", Project: mixproject.Project{
			App: "my_app", Lockfile: "mix.lock",
			Deps: []mixproject.Dep{
				{Name: "jason", SCM: "hex"}, {Name: "ranch", SCM: "hex", Manager: "rebar3"},
				{Name: "plug", SCM: "git"}, {Name: "shouty", SCM: "git"},
				{Name: "greeting", SCM: "path", Path: "local/greeting"},
			}}}
	}

	it("lists every lock entry, path dep, own app, OTP app, ERTS, Erlang/OTP and Elixir", func() {
		cs, err := sbom().Components()
		Expect(err).NotTo(HaveOccurred())
		byName := map[string]mix.Component{}
		for _, c := range cs {
			Expect(byName).NotTo(HaveKey(c.Name), "listed once: "+c.Name)
			byName[c.Name] = c
		}
		Expect(byName["jason"].PURL).To(Equal("pkg:hex/jason@1.4.1?checksum=sha256:fbb01ecdfd565b56261302f7e1fcc27c4fb8f32d56eab74db621fc154604a7a1"))
		Expect(byName["jason"].SHA256).To(Equal("fbb01ecdfd565b56261302f7e1fcc27c4fb8f32d56eab74db621fc154604a7a1"))
		Expect(byName["jason"].Path).To(Equal(filepath.Join(rel, "lib", "jason-1.4.1")))
		Expect(byName["ranch"].Language).To(Equal("erlang"))
		Expect(byName["other"].PURL).To(Equal("pkg:hex/other@1.0.0?checksum=sha256:00ff"))
		Expect(byName["other"].Repo).To(Equal("myrepo"))
		Expect(byName["secret_lib"].PURL).To(Equal("pkg:hex/acme/secret_lib@0.3.0?checksum=sha256:abcdef"))
		Expect(byName["plug"].PURL).To(Equal("pkg:github/elixir-plug/plug@8a5f8a7b2b8e5c1e0d9f1c2b3a4d5e6f7a8b9c0d"))
		Expect(byName["plug"].Version).To(Equal("1.15.0"))
		Expect(byName["shouty"].PURL).To(Equal("pkg:generic/shouty@0.1.0?vcs_url=git://127.0.0.1:9418/shouty.git%400123456789abcdef0123456789abcdef01234567"))
		Expect(byName["shouty"].VCS).To(Equal("git://127.0.0.1:9418/shouty.git"))
		Expect(byName["greeting"].Kind).To(Equal("path"))
		Expect(byName["greeting"].Version).To(Equal("0.2.0"))
		Expect(byName["greeting"].PURL).To(Equal("pkg:generic/greeting@0.2.0#local/greeting"))
		Expect(byName["my_app"].Kind).To(Equal("app"))
		Expect(byName["kernel"].PURL).To(Equal("pkg:otp/kernel@8.5.3"))
		Expect(byName["inets"].Version).To(Equal("8.2.2"))
		Expect(byName["logger"].Kind).To(Equal("elixir-app"))
		Expect(byName["elixir"].Version).To(Equal("1.14.0"))
		Expect(byName["elixir"].Path).To(Equal(filepath.Join(rel, "lib", "elixir-1.14.0")))
		Expect(byName["erts"].Version).To(Equal("13.1.5"))
		Expect(byName["erlang-otp"].CPE).To(Equal(`cpe:2.3:a:erlang:erlang\/otp:25.2.3:*:*:*:*:*:*:*`))
		Expect(byName).NotTo(HaveKey("releases"))
		Expect(mix.Summary(cs)).To(Equal("15 components: hex 4, git 2, path 1, app 1, elixir 1, elixir-app 1, erlang-otp 1, erts 1, otp 3"))
	})

	it("writes the Syft and CycloneDX files of the layer", func() {
		_, err := sbom().Write(layer)
		Expect(err).NotTo(HaveOccurred())

		var syft struct {
			Artifacts []struct{ Name, Version, PURL, Type string }
		}
		data, err := os.ReadFile(layer.SBOMPath(libcnb.SyftJSON))
		Expect(err).NotTo(HaveOccurred())
		Expect(json.Unmarshal(data, &syft)).To(Succeed())
		Expect(syft.Artifacts).To(HaveLen(15))
		Expect(syft.Artifacts[0].Name).To(Equal("jason"))
		Expect(syft.Artifacts[0].Type).To(Equal("hex"))
		Expect(syft.Artifacts[0].PURL).To(HavePrefix("pkg:hex/jason@1.4.1?checksum=sha256:"))

		var cdx struct {
			BOMFormat  string
			Components []struct {
				Name, Version, Purl string
				Hashes              []struct{ Alg, Content string }
			}
		}
		data, err = os.ReadFile(layer.SBOMPath(libcnb.CycloneDXJSON))
		Expect(err).NotTo(HaveOccurred())
		Expect(json.Unmarshal(data, &cdx)).To(Succeed())
		Expect(cdx.BOMFormat).To(Equal("CycloneDX"))
		Expect(cdx.Components).To(HaveLen(15))
		Expect(cdx.Components[0].Name).To(Equal("jason"))
		Expect(cdx.Components[0].Hashes[0].Content).To(Equal("fbb01ecdfd565b56261302f7e1fcc27c4fb8f32d56eab74db621fc154604a7a1"))
		again, err := os.ReadFile(layer.SBOMPath(libcnb.CycloneDXJSON))
		Expect(err).NotTo(HaveOccurred())
		_, err = sbom().Write(layer)
		Expect(err).NotTo(HaveOccurred())
		data, _ = os.ReadFile(layer.SBOMPath(libcnb.CycloneDXJSON))
		Expect(data).To(Equal(again), "an unchanged release has an unchanged SBOM")
	})

	it("works with no mix.lock and refuses a lock holding code", func() {
		Expect(os.Remove(filepath.Join(root, "mix.lock"))).To(Succeed())
		cs, err := sbom().Components()
		Expect(err).NotTo(HaveOccurred())
		Expect(mix.Summary(cs)).To(ContainSubstring("git 2"))
		Expect(os.WriteFile(filepath.Join(root, "mix.lock"), []byte(`%{"a": System.cmd("id", [])}`), 0o644)).To(Succeed())
		_, err = sbom().Components()
		Expect(err).To(MatchError(ContainSubstring("reading mix.lock for the SBOM")))
	})
}
