//go:build integration

package integration

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestSBOM builds the app with path, git and rebar3 deps and reads the
// release's SBOM back with `pack sbom download`.
func TestSBOM(t *testing.T) {
	suite := spec.New("sbom", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Release", testSBOMRelease)
	suite.Run(t)
}

func testSBOMRelease(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("lists the deps, the OTP and Elixir apps, ERTS, Erlang/OTP and Elixir in Syft and CycloneDX", func() {
		app, base, commits, stopGit := mixDepsApp(t)
		f.stopLater(stopGit)

		image := f.image("elixir-bp-it-sbom")
		b := &build{Image: image, App: app, Index: f.url, Extra: []string{"-e", "GIT_DEPS_BASE=" + base}}
		Expect(b.Run()).To(Succeed(), b.Output)
		Expect(b.Output).To(ContainSubstring("SBOM of the release (Syft and CycloneDX): "))
		// One section per buildpack, each opening with its configuration
		// table (libpak's), and the slow steps say how long they took.
		for _, title := range []string{"Elixir Buildpacks Erlang/OTP Runtime", "Elixir Buildpacks Elixir Runtime", "Elixir Buildpacks Mix Release"} {
			Expect(stripANSI(b.Output)).To(MatchRegexp(`\n.*`+regexp.QuoteMeta(title)+` [0-9.]+\n.*https://.*\n.*Build Configuration:\n`), title)
		}
		for _, step := range []string{"Downloading builds/otp/", "Downloading builds/elixir/", "Running: mix deps.compile", "Running: mix release", "rebar3 " + newRebar3} {
			Expect(stripANSI(b.Output)).To(MatchRegexp(`(?s)`+regexp.QuoteMeta(step)+`.*?Completed in [0-9.]+(ms|s)`), step)
		}

		dir := t.TempDir()
		out, err := run("pack", "sbom", "download", image, "--output-dir", dir)
		Expect(err).NotTo(HaveOccurred(), out)
		launch := filepath.Join(dir, "layers", "sbom", "launch", "elixir-buildpacks_mix-release", "release")

		var syft struct {
			Artifacts []struct {
				Name, Version, Type, PURL string
				Locations                 []struct{ Path string }
			}
		}
		data, err := os.ReadFile(filepath.Join(launch, "sbom.syft.json"))
		Expect(err).NotTo(HaveOccurred(), listFiles(dir))
		Expect(json.Unmarshal(data, &syft)).To(Succeed())
		syftBy := map[string]string{}
		for _, a := range syft.Artifacts {
			syftBy[a.Name] = a.Version + " " + a.PURL
		}

		var cdx struct {
			BOMFormat  string
			Components []struct{ Name, Version, Purl string }
		}
		data, err = os.ReadFile(filepath.Join(launch, "sbom.cdx.json"))
		Expect(err).NotTo(HaveOccurred(), listFiles(dir))
		Expect(json.Unmarshal(data, &cdx)).To(Succeed())
		Expect(cdx.BOMFormat).To(Equal("CycloneDX"))
		cdxBy := map[string]string{}
		for _, c := range cdx.Components {
			cdxBy[c.Name] = c.Version + " " + c.Purl
		}

		t.Logf("release SBOM: %v", cdxBy)
		for _, by := range []map[string]string{syftBy, cdxBy} {
			Expect(by).To(HaveKeyWithValue("elixir", HavePrefix(newElixir+" pkg:generic/elixir@"+newElixir)))
			Expect(by).To(HaveKeyWithValue("erlang-otp", HavePrefix(newOTP+" pkg:generic/erlang-otp@"+newOTP)))
			Expect(by).To(HaveKeyWithValue("erts", MatchRegexp(`^`+newERTSMajor+`\.[0-9.]+ pkg:otp/erts@`+newERTSMajor+`\.`)))
			for _, otp := range []string{"kernel", "stdlib", "inets", "crypto"} {
				Expect(by).To(HaveKeyWithValue(otp, MatchRegexp(`^[0-9.]+ pkg:otp/`+otp+`@`)))
			}
			Expect(by).To(HaveKeyWithValue("logger", HavePrefix(newElixir+" pkg:otp/logger@"+newElixir)))
			Expect(by).To(HaveKeyWithValue("greeting", MatchRegexp(`^[0-9.]+ pkg:generic/greeting@[0-9.]+#local/greeting$`)))
			Expect(by).To(HaveKeyWithValue("shouty", HaveSuffix("?vcs_url="+base+"/shouty.git%40"+commits["shouty"])))
			Expect(by).To(HaveKeyWithValue("erlcount", ContainSubstring("%40"+commits["erlcount"])))
			Expect(by).To(HaveKeyWithValue("mix_deps", HavePrefix("0.1.0 pkg:generic/mix_deps@0.1.0")))
		}
		for _, a := range syft.Artifacts {
			if a.Name == "kernel" {
				Expect(a.Type).To(Equal("erlang-otp"))
				Expect(a.Locations[0].Path).To(HavePrefix("/layers/elixir-buildpacks_mix-release/release/lib/kernel-"))
			}
		}
	})
}

func listFiles(dir string) string {
	var files []string
	_ = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			files = append(files, strings.TrimPrefix(p, dir))
		}
		return nil
	})
	return strings.Join(files, "\n")
}
