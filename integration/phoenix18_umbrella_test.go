//go:build integration

package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
)

// testPhoenix18Umbrella builds `mix phx.new shop --umbrella --no-ecto` as
// the generator makes it. Its mix.exs declares no release and its
// config/runtime.exs asks for one, so a plain build stops, and so does one
// whose RELEASE names a release that is not declared, each in one line.
// With BP_MIX_RELEASE=false it runs with Mix (the generated app has two git
// deps, which Mix would check with git at boot); with the release Phoenix's
// deployment guide has users declare, and the server: true line the
// generated runtime.exs says to uncomment for a release, it builds as that
// release.
func testPhoenix18Umbrella(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("stops in one line without a release, runs with Mix with BP_MIX_RELEASE=false, and as the release the guide declares", func() {
		h := serveHexPhoenix18(t)
		f.stopLater(h.stop)
		app := generatePhoenix(t, h, "shop", []string{"--umbrella", "--no-ecto"})
		image := f.image("elixir-bp-it-phx18-umbrella")
		binding := phoenix18Binding(t)
		newBuild := func(env ...string) *build {
			return &build{Image: image, App: app, Index: f.url,
				Volumes: []string{binding + ":/platform/bindings/assets:ro"}, Extra: append(h.packEnv(), env...)}
		}

		b := newBuild()
		Expect(b.Run()).NotTo(Succeed(), b.Output)
		Expect(stripANSI(b.Output)).To(ContainLines("ERROR: No release to build",
			"the umbrella's mix.exs declares no releases, and an umbrella has no default one: "+
				"declare releases: in the umbrella's mix.exs, or set BP_MIX_RELEASE=false to run it with mix"))

		b = newBuild("-e", "RELEASE=shop_umbrella")
		Expect(b.Run()).NotTo(Succeed(), b.Output)
		Expect(stripANSI(b.Output)).To(ContainLines("ERROR: No such release",
			"RELEASE=shop_umbrella names no release: the umbrella's mix.exs declares none; "+
				"declare it there, releases: [shop_umbrella: [applications: [shop: :permanent, shop_web: :permanent]]], "+
				"or set BP_MIX_RELEASE=false to run it with mix"))
		Expect(b.Output).NotTo(ContainSubstring("Running: mix deps.get"), "it fails before any work")

		b = newBuild("-e", "BP_MIX_RELEASE=false")
		Expect(timedBuild(t, "Mix runtime mode", b)).To(Succeed(), b.Output)
		Expect(stripANSI(b.Output)).To(ContainSubstring("Mix runtime mode: BP_MIX_RELEASE=false"))
		logSize(t, "Mix runtime mode", image)
		c, port, err := startPhoenix(f, image, nil)
		Expect(err).NotTo(HaveOccurred())
		expectPhoenix18Home(t, c, port)
		Expect(c.Logs()).NotTo(ContainSubstring("Compiling"))
		c.Remove()

		// As Phoenix's deployment guide declares an umbrella's release, and
		// as the generated runtime.exs says to start the endpoint in one.
		mixExs := filepath.Join(app, "mix.exs")
		src, err := os.ReadFile(mixExs)
		Expect(err).NotTo(HaveOccurred())
		declared := strings.Replace(string(src), "      deps: deps(),\n",
			"      deps: deps(),\n      releases: [shop_umbrella: [applications: [shop: :permanent, shop_web: :permanent]]],\n", 1)
		Expect(declared).NotTo(Equal(string(src)), "the generated umbrella mix.exs has a deps: line")
		Expect(os.WriteFile(mixExs, []byte(declared), 0o644)).To(Succeed())
		// The umbrella's generated config/runtime.exs does not read
		// PHX_SERVER; it says to uncomment this line for a release.
		runtimeExs := filepath.Join(app, "config", "runtime.exs")
		src, err = os.ReadFile(runtimeExs)
		Expect(err).NotTo(HaveOccurred())
		serving := regexp.MustCompile(`(?m)^(\s*)#\s+(config :shop_web, ShopWeb\.Endpoint, server: true)$`).ReplaceAllString(string(src), "$1$2")
		Expect(serving).NotTo(Equal(string(src)), "the generated runtime.exs has the commented server: true line")
		Expect(os.WriteFile(runtimeExs, []byte(serving), 0o644)).To(Succeed())

		b = newBuild("-e", "RELEASE=shop_umbrella")
		Expect(timedBuild(t, "release", b)).To(Succeed(), b.Output)
		out := stripANSI(b.Output)
		Expect(out).To(ContainSubstring("Release to build: shop_umbrella (from RELEASE)"))
		logSize(t, "release", image)
		c, port, err = startPhoenix(f, image, nil)
		Expect(err).NotTo(HaveOccurred())
		expectPhoenix18Home(t, c, port)
		procs, err := processes(image)
		Expect(err).NotTo(HaveOccurred())
		Expect(procs["web"]).To(HaveSuffix("bin/shop_umbrella start"))
	})
}

// logSize logs an image's size, for the note and the docs.
func logSize(t *testing.T, what, image string) {
	size, err := engine("image", "inspect", "--format", "{{.Size}}", image)
	if err != nil {
		t.Fatalf("inspecting %s: %v: %s", image, err, size)
	}
	t.Logf("%s: image size %s bytes", what, strings.TrimSpace(size))
}
