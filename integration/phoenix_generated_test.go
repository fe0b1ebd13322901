//go:build integration

package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestPhoenixGenerated builds an app with the files `mix phx.new --no-ecto`
// (1.7) and `mix phx.gen.release` generate: tailwind (a real standalone
// binary) runs the generated tailwind.config.js, whose heroicons plugin
// reads the icons from ../deps/heroicons; esbuild (a real binary) bundles
// app.js, whose imports of phoenix_html, phoenix and phoenix_live_view
// resolve only through config.exs's NODE_PATH of ../deps (both given
// through a phoenix-assets binding); phx.digest digests them; the release
// serves them with bin/server. Then it rebuilds with no change and with a
// one-line change. Once as a single app, once as the umbrella `--umbrella`
// generates, whose web child's assets resolve the root's deps
// (../../../deps in its tailwind.config.js). Phoenix 1.7's packages are
// stand-ins (the shared Hex repository holds 1.8's): TestPhoenix18 builds
// real generated 1.8 apps, and their air-gapped flow.
func TestPhoenixGenerated(t *testing.T) {
	suite := spec.New("phoenix-generated", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Single app", func(t *testing.T, context spec.G, it spec.S) {
		testPhoenixGenerated(t, context, it, phoenixShape{fixture: "phoenix_generated", web: "hello", core: "lib/hello.ex", deps: phoenix17Deps, tailwind: true})
	})
	suite("Umbrella", func(t *testing.T, context spec.G, it spec.S) {
		testPhoenixGenerated(t, context, it, phoenixShape{fixture: "phoenix_generated_umbrella", web: "hello_web", core: "apps/hello/lib/hello.ex", deps: phoenix17Deps, tailwind: true})
	})
	suite.Run(t)
}

// phoenixShape is one generated layout: its testdata folder, the app whose
// assets are built, the core module the one-line change edits and its git
// deps. markers are the shape's own strings the bundle must hold; tailwind
// says it builds app.css with the heroicons plugin.
type phoenixShape struct {
	fixture, web, core string
	deps               []string
	markers            []string
	tailwind           bool
}

// The generated apps' git deps, as mix.lock sorts them.
var (
	phoenix17Deps = []string{"esbuild", "heroicons", "phoenix", "phoenix_html", "phoenix_live_view", "tailwind"}
)

// phoenixGeneratedApp copies a testdata fixture, serves its git deps and
// pins them in its mix.lock.
func phoenixGeneratedApp(t *testing.T, fixture string, names []string) (app, base string, commits map[string]string, stop func()) {
	base, commits, stop = gitRepos(t, names...)
	app = filepath.Join(t.TempDir(), fixture)
	copyDir(t, filepath.Join("testdata", fixture), app)
	lock := "%{\n"
	for _, n := range names {
		opts := "[]"
		if n == "heroicons" {
			opts = `[sparse: "optimized"]`
		}
		lock += fmt.Sprintf("  %q: {:git, \"%s/%s.git\", \"%s\", %s},\n", n, base, n, commits[n], opts)
	}
	if err := os.WriteFile(filepath.Join(app, "mix.lock"), []byte(lock+"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return app, base, commits, stop
}

// assetsBinding is a phoenix-assets binding holding the real esbuild and,
// with tailwind, the real standalone tailwind that Phoenix 1.7 pins.
func assetsBinding(t *testing.T, tailwind bool) string {
	tools := map[string]string{"esbuild": env("ESBUILD_BIN")}
	if tailwind {
		tools["tailwind"] = env("TAILWIND_BIN")
	}
	return phoenixAssetsBinding(t, tools)
}

// phoenixAssetsBinding is a binding of type phoenix-assets with one file
// per tool (esbuild, tailwind), copied from the given binaries.
func phoenixAssetsBinding(t *testing.T, tools map[string]string) string {
	dir := filepath.Join(t.TempDir(), "assets")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, path := range tools {
		bin, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), bin, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "type"), []byte("phoenix-assets"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func testPhoenixGenerated(t *testing.T, context spec.G, it spec.S, shape phoenixShape) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("bundles app.js through ../deps, serves the digested bundle, and rebuilds with no change and with one line changed", func() {
		app, base, _, stopGit := phoenixGeneratedApp(t, shape.fixture, shape.deps)
		f.stopLater(stopGit)
		image := f.image("elixir-bp-it-phx-gen")
		binding := assetsBinding(t, shape.tailwind)
		newBuild := func() *build {
			return &build{Image: image, App: app, Index: f.url,
				Volumes: []string{binding + ":/platform/bindings/assets:ro"},
				Extra:   []string{"-e", "GIT_DEPS_BASE=" + base}}
		}
		b := newBuild()
		Expect(b.Run()).To(Succeed(), b.Output)
		out := stripANSI(b.Output)
		Expect(out).To(ContainSubstring("Phoenix assets: esbuild from the phoenix-assets binding assets, as _build/esbuild-linux-x64 (and MIX_ESBUILD_PATH)"))
		Expect(out).To(ContainSubstring("Phoenix assets (" + shape.web + "): the project's asset aliases"))
		Expect(out).To(ContainSubstring("Running: mix assets.deploy"))
		Expect(out).NotTo(ContainSubstring("Downloading esbuild"), "the binding's binary is used, nothing downloaded")
		Expect(out).To(MatchRegexp(`assets/(js/)?app\.js\s+[0-9.]+k?b`), "esbuild's own report of the bundle")
		Expect(out).To(ContainSubstring("phx.digest: "))
		Expect(out).To(ContainSubstring("Adding layer 'elixir-buildpacks/mix-release:release-app'"), "the exporter names the layers it adds")
		if shape.tailwind {
			Expect(out).To(ContainSubstring("Phoenix assets: tailwind from the phoenix-assets binding assets, as _build/tailwind-linux-x64 (and MIX_TAILWIND_PATH)"))
			Expect(out).NotTo(ContainSubstring("Downloading tailwind"))
			Expect(out).To(MatchRegexp(`Done in [0-9]+ms`), "tailwind's own report")
			Expect(out).To(ContainSubstring("Asset tools: esbuild-linux-x64, tailwind-linux-x64 kept in the asset-tools cache layer for the next build (esbuild 0.17.11, tailwind 3.4.3, linux-x64), not in _build or the image"))
		}

		// The digested app.css holds what the heroicons plugin read from
		// deps/heroicons: a class per icon the components use, each with
		// the SVG of its variant, and the utilities tailwind found in lib/.
		checkTailwindCSS := func(page string, port int) {
			m := regexp.MustCompile(`href="(/assets/app-[0-9a-f]{32}\.css)"`).FindStringSubmatch(page)
			Expect(m).To(HaveLen(2), page)
			status, css, err := get(fmt.Sprintf("http://127.0.0.1:%d%s", port, m[1]), 10*time.Second)
			Expect(err).NotTo(HaveOccurred())
			Expect(status).To(Equal(200))
			Expect(css).To(MatchRegexp(`\.hero-arrow-path\{--hero-arrow-path:url\('data:image/svg\+xml;utf8,<svg [^']*<path d="M4 4h16v16H4z"/></svg>'\)`), "24/outline, from deps/heroicons")
			Expect(css).To(MatchRegexp(`\.hero-academic-cap-mini\{--hero-academic-cap-mini:url\('data:image/svg\+xml;utf8,<svg [^']*<path d="M3 3h14v14H3z"/></svg>'\)`), "20/solid, from deps/heroicons")
			Expect(css).To(ContainSubstring(".animate-spin{"), "a utility of core_components.ex")
			Expect(css).NotTo(ContainSubstring("@tailwind"), "built, not copied")
		}
		serve := func() string {
			port := freePort()
			c, err := f.start(image, port, "-e", "SECRET_KEY_BASE="+strings.Repeat("k", 64))
			Expect(err).NotTo(HaveOccurred())
			status, page, err := get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
			Expect(err).NotTo(HaveOccurred(), c.Logs())
			Expect(status).To(Equal(200), page)
			m := regexp.MustCompile(`src="(/assets/(?:js/)?app-[0-9a-f]{32}\.js)"`).FindStringSubmatch(page)
			Expect(m).To(HaveLen(2), page)
			status, js, err := get(fmt.Sprintf("http://127.0.0.1:%d%s", port, m[1]), 10*time.Second)
			Expect(err).NotTo(HaveOccurred())
			Expect(status).To(Equal(200))
			for _, marker := range append([]string{"phoenix-html-stand-in", "phoenix-socket-stand-in", "phoenix-live-view-stand-in"}, shape.markers...) {
				Expect(js).To(ContainSubstring(marker), "the bundle holds the deps' JavaScript")
			}
			Expect(js).NotTo(ContainSubstring(`from "phoenix`), "bundled, not left as imports")
			if shape.tailwind {
				checkTailwindCSS(page, port)
			}
			c.Remove()
			return m[1]
		}
		digested := serve()

		id := func() string {
			out, err := engine("image", "inspect", "--format", "{{.Id}}", image)
			Expect(err).NotTo(HaveOccurred(), out)
			return strings.TrimSpace(out)
		}
		firstID := id()
		firstLayers, err := layers(image)
		Expect(err).NotTo(HaveOccurred())

		b = newBuild()
		Expect(b.Run()).To(Succeed(), b.Output)
		out = stripANSI(b.Output)
		Expect(out).To(ContainSubstring("no Mix command runs"))
		Expect(out).NotTo(ContainSubstring("Running: mix"))
		Expect(out).NotTo(ContainSubstring("Adding layer 'elixir-buildpacks/"), "every image layer reused")
		Expect(id()).To(Equal(firstID), "a no-change rebuild gives the same image")
		if i := strings.Index(out, "===> BUILDING"); i >= 0 {
			t.Logf("%s: the no-change rebuild, from the build phase on:\n%s", shape.fixture, out[i:])
		}

		// Kept under another name, to measure what the next build replaces.
		before := image + "-before-change"
		Expect(engine("tag", image, before)).Error().NotTo(HaveOccurred())
		f.images = append(f.images, before)

		lib := filepath.Join(app, shape.core)
		src := changeHello(t, lib)
		b = newBuild()
		Expect(b.Run()).To(Succeed(), b.Output)
		out = stripANSI(b.Output)
		Expect(out).To(ContainSubstring("Skipped mix deps.compile"))
		expectOneLayerReplaced(t, before, image, shape.fixture)
		Expect(serve()).To(Equal(digested), "the same bundle, the same digest")

		// Back to the first source: a full build (the key differs from the
		// last build's) that must give the first build's layers, although
		// phx.digest wrote this build's time into cache_manifest.json.
		Expect(os.WriteFile(lib, src, 0o644)).To(Succeed())
		b = newBuild()
		Expect(b.Run()).To(Succeed(), b.Output)
		out = stripANSI(b.Output)
		Expect(out).To(ContainSubstring("Running: mix assets.deploy"))
		Expect(out).To(MatchRegexp(`cache_manifest\.json: [0-9]+ mtime fields set to 1980-01-01`))
		Expect(layers(image)).To(Equal(firstLayers), "the same source gives the same layers")
	})
}

// changeHello makes the one-line change of the fixtures' core module at
// path, and returns what the file held before. Code, not a doc: the
// release strips docs from the beams.
func changeHello(t *testing.T, path string) []byte {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(src), "defmodule Hello do\n", "defmodule Hello do\n  def changed?, do: true\n", 1)
	if changed == string(src) {
		t.Fatalf("%s has no defmodule Hello line to change", path)
	}
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	return src
}
