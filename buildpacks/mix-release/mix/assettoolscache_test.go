package mix_test

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
)

func testAssetToolsCache(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect
	fixture := func(name string) string { return filepath.Join("..", "..", "..", "integration", "testdata", name) }

	it("reads the versions the config.exs of mix phx.new pins, for a single app and an umbrella", func() {
		want := map[string]string{"esbuild": "0.17.11", "tailwind": "3.4.3"}
		Expect(mix.ConfiguredAssetTools(fixture("phoenix_generated"))).To(Equal(want))
		Expect(mix.ConfiguredAssetTools(fixture("phoenix_generated_umbrella"))).To(Equal(want))
		// The blocks phx.new 1.8.9 writes (the suite generates such apps at
		// test time: TestPhoenix18).
		app18 := t.TempDir()
		Expect(os.MkdirAll(filepath.Join(app18, "config"), 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(app18, "config", "config.exs"), []byte(`import Config

# Configure esbuild (the version is required)
config :esbuild,
  version: "0.25.4",
  hello: [
    args:
      ~w(js/app.js --bundle --target=es2022 --outdir=../priv/static/assets/js --external:/fonts/* --external:/images/* --alias:@=.),
    cd: Path.expand("../assets", __DIR__),
    env: %{"NODE_PATH" => [Path.expand("../deps", __DIR__), Mix.Project.build_path()]}
  ]

# Configure tailwind (the version is required)
config :tailwind,
  version: "4.3.0",
  hello: [
    args: ~w(
      --input=assets/css/app.css
      --output=priv/static/assets/css/app.css
    ),
    cd: Path.expand("..", __DIR__)
  ]
`), 0o644)).To(Succeed())
		Expect(mix.ConfiguredAssetTools(app18)).To(Equal(map[string]string{"esbuild": "0.25.4", "tailwind": "4.3.0"}))
	})

	it("names a binary as the locked package version looks for it", func() {
		for _, c := range []struct{ tool, arch, pkg, version, want string }{
			{"esbuild", "x64", "0.10.0", "0.25.4", "esbuild-linux-x64"},
			{"esbuild", "arm64", "0.8.2", "0.17.11", "esbuild-linux-arm64"},
			{"tailwind", "x64", "0.5.1", "4.3.0", "tailwind-linux-x64-4.3.0"},
			{"tailwind", "arm64", "0.5.0", "4.1.12", "tailwind-linux-arm64-4.1.12"},
			{"tailwind", "x64", "0.4.1", "4.1.12", "tailwind-linux-x64"},
			{"tailwind", "x64", "0.2.3", "3.4.3", "tailwind-linux-x64"},
			{"tailwind", "x64", "", "4.3.0", "tailwind-linux-x64"}, // a git dep: not locked by version
			{"tailwind", "x64", "0.5.1", "", "tailwind-linux-x64"}, // no literal version in config
			{"tailwind", "x64", "1.0.0", "4.3.0", "tailwind-linux-x64-4.3.0"},
		} {
			Expect(mix.ToolFile(c.tool, c.arch, c.pkg, c.version)).To(Equal(c.want), "%+v", c)
		}
	})

	it("reads the versions of the Hex packages mix.lock locks, and none of a git dep", func() {
		root := t.TempDir()
		Expect(os.WriteFile(filepath.Join(root, "mix.lock"), []byte(`%{
  "esbuild": {:hex, :esbuild, "0.10.0", "011f03e5d6795bf141dac66bccf86a78214f2c9e354fe0d3ddc857c9a461c463", [:mix], [{:jason, "~> 1.4", [hex: :jason, repo: "hexpm", optional: false]}], "hexpm", "420e71ca568db1fb02ad8ec3486a93284465a6fe04c89b758ccbf698d3af4ae0"},
  "tailwind": {:git, "https://github.com/phoenixframework/tailwind.git", "4f1e3c8", []},
}
`), 0o644)).To(Succeed())
		Expect(mix.LockedAssetPackages(root, "")).To(Equal(map[string]string{"esbuild": "0.10.0"}))
		Expect(mix.LockedAssetPackages(t.TempDir(), "mix.lock")).To(BeEmpty())
	})

	it("names the version config pins when a download URL (a mirror's) names none", func() {
		err := mix.ErrAssetDownload("assets.setup", "** (RuntimeError) Couldn't fetch https://mirror.example/tailwind/tailwindcss-linux-x64: {:error, :timeout}\n", map[string]string{"tailwind": "4.3.0"})
		Expect(err).To(MatchError("mix assets.setup could not download tailwind 4.3.0 from https://mirror.example/tailwind/tailwindcss-linux-x64: give the binary in a phoenix-assets binding (a file named tailwind), or commit it to the app and name it in config :tailwind, path: ...; see docs/phoenix.md"))
		Expect(mix.ErrAssetDownload("assets.setup", "** (CompileError) lib/app.ex:3: undefined function foo/0\n", nil)).To(BeNil())
	})

	it("keys nothing for a project without config", func() {
		Expect(mix.ConfiguredAssetTools(t.TempDir())).To(BeEmpty())
	})
}
