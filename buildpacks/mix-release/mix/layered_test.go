package mix_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
)

func testLayeredRelease(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect    = NewWithT(t).Expect
		root, app libcnb.Layer
	)

	it.Before(func() {
		layers := libcnb.Layers{Path: t.TempDir()}
		var err error
		root, err = layers.Layer("release")
		Expect(err).NotTo(HaveOccurred())
		app, err = layers.Layer("release-app")
		Expect(err).NotTo(HaveOccurred())
		for _, dir := range []string{"bin", "erts-13.1.5/bin", "lib/kernel-8.5.3/ebin", "lib/elixir-1.14.0/ebin",
			"lib/shop-0.1.0/ebin", "lib/shop_web-0.2.0/priv", "lib/my_dep-1.0.0/ebin", "lib/jason-1.4.1/ebin",
			"releases/0.1.0/consolidated"} {
			Expect(os.MkdirAll(filepath.Join(root.Path, dir), 0o755)).To(Succeed())
		}
		Expect(os.WriteFile(filepath.Join(root.Path, "lib/shop-0.1.0/ebin/shop.app"), []byte("app"), 0o644)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(root.Path, "releases/0.1.0/start.boot"), []byte("boot"), 0o644)).To(Succeed())
	})

	it("moves the own apps and consolidated protocols to the app layer and links them back", func() {
		moved, err := mix.LayeredRelease{Own: mix.OwnApps("", []string{"shop", "shop_web"}, []string{"my_dep"})}.Split(&root, &app)
		Expect(err).NotTo(HaveOccurred())
		Expect(moved).To(Equal([]string{"lib/my_dep-1.0.0", "lib/shop-0.1.0", "lib/shop_web-0.2.0", "releases/0.1.0/consolidated"}))
		Expect(app.LayerTypes).To(Equal(libcnb.LayerTypes{Launch: true}))

		for _, m := range moved {
			link, err := os.Readlink(filepath.Join(root.Path, m))
			Expect(err).NotTo(HaveOccurred())
			Expect(link).To(Equal(filepath.Join(app.Path, m)))
		}
		Expect(os.ReadFile(filepath.Join(root.Path, "lib/shop-0.1.0/ebin/shop.app"))).To(Equal([]byte("app")))
		// What stays: ERTS, dependency apps, the rest of releases/.
		for _, stays := range []string{"erts-13.1.5/bin", "lib/kernel-8.5.3/ebin", "lib/elixir-1.14.0/ebin", "lib/jason-1.4.1/ebin", "releases/0.1.0/start.boot"} {
			fi, err := os.Lstat(filepath.Join(root.Path, stays))
			Expect(err).NotTo(HaveOccurred())
			Expect(fi.Mode()&os.ModeSymlink).To(BeZero(), stays)
		}
	})

	it("takes app-VSN names apart at the last dash", func() {
		_, err := mix.LayeredRelease{Own: []string{"shop"}}.Split(&root, &app)
		Expect(err).NotTo(HaveOccurred())
		fi, err := os.Lstat(filepath.Join(root.Path, "lib/shop_web-0.2.0"))
		Expect(err).NotTo(HaveOccurred())
		Expect(fi.Mode()&os.ModeSymlink).To(BeZero(), "shop_web is not shop")
	})
}
