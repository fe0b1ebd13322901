package mix_test

import (
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixproject"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

func testReleaseName(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect
	two := app("shop")
	two.Releases = []string{"web", "worker"}
	one := app("shop")
	one.Releases = []string{"api"}
	none := app("shop")
	umbrella := mixproject.Project{Umbrella: true, Apps: []mixproject.App{{Name: "a", Path: "apps/a"}}}

	choose := func(p mixproject.Project, release, name string) (string, string) {
		got, source, err := mix.ChooseRelease(p, release, name)
		Expect(err).NotTo(HaveOccurred())
		return got, source
	}
	fail := func(p mixproject.Project, release, name string) error {
		_, _, err := mix.ChooseRelease(p, release, name)
		Expect(err).To(BeAssignableToTypeOf(&usererr.Error{}))
		return err
	}

	it("takes RELEASE, then BP_MIX_RELEASE_NAME", func() {
		name, source := choose(two, "worker", "web")
		Expect([]string{name, source}).To(Equal([]string{"worker", "RELEASE"}))
		name, source = choose(two, " ", "web")
		Expect([]string{name, source}).To(Equal([]string{"web", "BP_MIX_RELEASE_NAME"}))
	})

	it("then default_release, the only release, the app name", func() {
		withDefault := two
		withDefault.DefaultRelease = "worker"
		name, source := choose(withDefault, "", "")
		Expect([]string{name, source}).To(Equal([]string{"worker", "default_release in mix.exs"}))
		name, source = choose(one, "", "")
		Expect([]string{name, source}).To(Equal([]string{"api", "the only release in mix.exs"}))
		name, source = choose(none, "", "")
		Expect([]string{name, source}).To(Equal([]string{"shop", "the app name (mix.exs declares no releases)"}))
		name, _ = choose(none, "shop", "")
		Expect(name).To(Equal("shop"))
	})

	it("fails listing the releases when there are several and none is chosen", func() {
		Expect(fail(two, "", "")).To(MatchError("mix.exs declares several releases (web, worker) and none was chosen: " +
			"set RELEASE (or BP_MIX_RELEASE_NAME) to one of them, for example pack build -e RELEASE=web"))
	})

	it("fails listing those that exist when the named release does not", func() {
		Expect(fail(two, "api", "")).To(MatchError("RELEASE=api names no release of mix.exs, which declares web, worker: set RELEASE to one of those"))
		Expect(fail(one, "", "web")).To(MatchError("BP_MIX_RELEASE_NAME=web names no release of mix.exs, which declares api: set BP_MIX_RELEASE_NAME to one of those"))
		Expect(fail(none, "web", "")).To(MatchError("RELEASE=web names no release: mix.exs declares none, so the only release is shop; " +
			"unset RELEASE, or declare the release under releases: in mix.exs"))
	})

	it("fails for an umbrella that declares no releases", func() {
		msg := "the umbrella's mix.exs declares no releases, and an umbrella has no default one: " +
			"declare releases: in the umbrella's mix.exs, or set BP_MIX_RELEASE=false to run it with mix"
		Expect(fail(umbrella, "", "")).To(MatchError(msg))
	})

	it("fails naming the release an umbrella that declares none does not have, and how to declare it", func() {
		shop := mixproject.Project{Umbrella: true, Apps: []mixproject.App{{Name: "shop", Path: "apps/shop"}, {Name: "shop_web", Path: "apps/shop_web"}}}
		Expect(fail(shop, "shop_umbrella", "")).To(MatchError("RELEASE=shop_umbrella names no release: the umbrella's mix.exs declares none; " +
			"declare it there, releases: [shop_umbrella: [applications: [shop: :permanent, shop_web: :permanent]]], " +
			"or set BP_MIX_RELEASE=false to run it with mix"))
		Expect(fail(shop, "", "web")).To(MatchError(ContainSubstring("BP_MIX_RELEASE_NAME=web names no release: the umbrella's mix.exs declares none; declare it there, releases: [web: ")))
	})
}
