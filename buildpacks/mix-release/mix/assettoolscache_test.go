package mix_test

import (
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
		Expect(mix.ConfiguredAssetTools(fixture("phoenix_generated_18"))).To(Equal(map[string]string{"esbuild": "0.25.4"}))
	})

	it("keys nothing for a project without config", func() {
		Expect(mix.ConfiguredAssetTools(t.TempDir())).To(BeEmpty())
	})
}
