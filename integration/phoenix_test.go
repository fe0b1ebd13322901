//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestPhoenix builds an umbrella whose web child stands in for a Phoenix
// app (a local `phoenix` dep defining mix phx.digest, and the assets.setup /
// assets.deploy aliases), twice: the image serves the bundled and digested
// files with PHX_SERVER set and offers migrate, and the second build finds
// the bundler that assets.setup put in _build still there.
func TestPhoenix(t *testing.T) {
	suite := spec.New("phoenix", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Umbrella", testPhoenixUmbrella)
	suite.Run(t)
}

func testPhoenixUmbrella(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("builds the child's assets before the release, serves them with PHX_SERVER, offers migrate, and keeps _build's bundler", func() {
		image := f.image("elixir-bp-it-phoenix")
		b := &build{Image: image, App: "phoenix_umbrella", Index: f.url}
		Expect(b.Run()).To(Succeed(), b.Output)
		out := stripANSI(b.Output)
		Expect(out).To(ContainSubstring("umbrella with apps web"))
		Expect(out).To(ContainSubstring("Phoenix assets (web): the project's asset aliases"))
		Expect(out).To(ContainSubstring("fake-esbuild installed in _build"))
		Expect(out).To(ContainSubstring("phx.digest: 2 files digested into priv/static"))
		compile := strings.Index(out, "Running: mix compile")
		setup := strings.Index(out, "Running: mix assets.setup")
		deploy := strings.Index(out, "Running: mix assets.deploy")
		release := strings.Index(out, "Running: mix release web")
		Expect(compile).To(BeNumerically(">=", 0))
		Expect(sort.IntsAreSorted([]int{compile, setup, deploy, release})).To(BeTrue(), "compile, assets.setup, assets.deploy, release in that order")
		Expect(out).NotTo(ContainSubstring("migrated"), "no migration at build time")

		procs, err := processes(image)
		Expect(err).NotTo(HaveOccurred())
		Expect(procs).To(HaveKeyWithValue("web", "/layers/elixir-buildpacks_mix-release/launch-env/no-arguments /layers/elixir-buildpacks_mix-release/release/bin/web start"))
		Expect(procs).To(HaveKeyWithValue("migrate", "/layers/elixir-buildpacks_mix-release/release/bin/migrate"))

		port := freePort()
		c, err := f.start(image, port, uniqueNode()...)
		Expect(err).NotTo(HaveOccurred())
		base := fmt.Sprintf("http://127.0.0.1:%d", port)
		status, body, err := get(base+"/phx_server", 60*time.Second)
		Expect(err).NotTo(HaveOccurred(), c.Logs())
		Expect(status).To(Equal(200))
		Expect(body).To(Equal("PHX_SERVER=true\n"))

		status, body, err = get(base+"/cache_manifest.json", 10*time.Second)
		Expect(err).NotTo(HaveOccurred())
		Expect(status).To(Equal(200), body)
		var manifest struct {
			Latest map[string]string `json:"latest"`
		}
		Expect(json.Unmarshal([]byte(body), &manifest)).To(Succeed(), body)
		Expect(manifest.Latest).To(HaveKey("assets/app.js"))
		Expect(manifest.Latest).To(HaveKey("robots.txt"))
		Expect(manifest.Latest["assets/app.js"]).To(MatchRegexp(`^assets/app-[0-9a-f]{32}\.js$`))

		status, body, err = get(base+"/"+manifest.Latest["assets/app.js"], 10*time.Second)
		Expect(err).NotTo(HaveOccurred())
		Expect(status).To(Equal(200))
		Expect(body).To(Equal("// bundled by assets.deploy\nconsole.log(\"phoenix_umbrella\");\n"))
		status, body, err = get(base+"/"+manifest.Latest["robots.txt"], 10*time.Second)
		Expect(err).NotTo(HaveOccurred())
		Expect(status).To(Equal(200))
		Expect(body).To(Equal("User-agent: *\n"))

		run, err := engine("run", "--rm", "--entrypoint", "migrate", image)
		Expect(err).NotTo(HaveOccurred(), run)
		Expect(run).To(ContainSubstring("phoenix_umbrella: migrated"))

		// The second build, after a source change (an unchanged one runs no
		// Mix at all): assets.setup finds the bundler in the cached _build.
		changed := copyApp(t, "phoenix_umbrella")
		Expect(os.WriteFile(filepath.Join(changed, "apps", "web", "lib", "changed.ex"),
			[]byte("defmodule Web.Changed do\nend\n"), 0o644)).To(Succeed())
		again := &build{Image: image, App: changed, Index: f.url}
		Expect(again.Run()).To(Succeed(), again.Output)
		Expect(stripANSI(again.Output)).To(ContainSubstring("fake-esbuild is already installed in _build"))
	})
}
