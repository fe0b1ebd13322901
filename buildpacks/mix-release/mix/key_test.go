package mix_test

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
)

func testKey(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		root   string
		in     mix.KeyInputs
	)
	write := func(rel, content string) {
		p := filepath.Join(root, rel)
		Expect(os.MkdirAll(filepath.Dir(p), 0o755)).To(Succeed())
		Expect(os.WriteFile(p, []byte(content), 0o644)).To(Succeed())
	}
	key := func() mix.Key {
		k, err := mix.DepsKey(in)
		Expect(err).NotTo(HaveOccurred())
		return k
	}

	it.Before(func() {
		root = t.TempDir()
		in = mix.KeyInputs{Root: root, Lockfile: "mix.lock", MixEnv: "prod", OTP: "25.2.3", Elixir: "1.14.0", Target: "amd64/ubuntu-22.04"}
		write("mix.exs", "root")
		write("mix.lock", "lock")
		write("config/config.exs", "c")
		write("config/prod/db.exs", "c")
		write("config/runtime.exs", "r")
		write("apps/web/mix.exs", "web")
		write("apps/web/config/config.exs", "c")
		write("local/dep/mix.exs", "path dep")
		write("deps/fetched/mix.exs", "not ours")
		write("_build/x/mix.exs", "not ours")
		write("assets/node_modules/x/mix.exs", "not ours")
		write(".git/mix.exs", "not ours")
		write("lib/app.ex", "source")
	})

	it("holds mix.lock, every mix.exs of the tree, the compile-time config and the values", func() {
		k := key()
		names := []string{}
		for n := range k {
			names = append(names, n)
		}
		Expect(names).To(ConsistOf("mix.lock", "mix.exs", "apps/web/mix.exs", "local/dep/mix.exs",
			"config/config.exs", "config/prod/db.exs", "apps/web/config/config.exs",
			"MIX_ENV", "otp", "elixir", "target", "layout"))
		Expect(k["mix.lock"]).To(HavePrefix("sha256:"))
	})

	it("does not change with the source or runtime.exs", func() {
		before := key()
		write("lib/app.ex", "changed")
		write("config/runtime.exs", "changed")
		Expect(before.Changes(key().Metadata())).To(BeEmpty())
		Expect(before.Equal(key().Metadata())).To(BeTrue())
	})

	it("says what changed, files first", func() {
		before := key().Metadata()
		write("mix.lock", "new lock")
		Expect(os.Remove(filepath.Join(root, "config", "prod", "db.exs"))).To(Succeed())
		write("config/dev.exs", "c")
		in.Elixir = "1.14.5"
		Expect(key().Changes(before)).To(Equal([]string{
			"config/dev.exs added", "config/prod/db.exs removed", "mix.lock changed", "Elixir changed (1.14.0 → 1.14.5)",
		}))
	})

	it("tells a missing lock from a present one", func() {
		Expect(os.Remove(filepath.Join(root, "mix.lock"))).To(Succeed())
		before := key()
		Expect(before["mix.lock"]).To(Equal("absent"))
		write("mix.lock", "lock")
		Expect(key().Changes(before.Metadata())).To(Equal([]string{"mix.lock added"}))
	})

	it("hashes a committed deps/ folder when asked", func() {
		in.Vendored = true
		before := key()
		write("deps/fetched/lib/x.ex", "x")
		Expect(key().Changes(before.Metadata())).To(Equal([]string{"the committed deps/ folder changed"}))
		in.Vendored = false
		Expect(key().Changes(before.Metadata())).To(Equal([]string{"deps/ is no longer committed"}))
	})

	it("reports an empty cache as nothing cached", func() {
		Expect(key().Changes(nil)).To(Equal([]string{"nothing cached yet"}))
		Expect(key().Equal(nil)).To(BeFalse())
	})
}
