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

func testNoChange(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect   = NewWithT(t).Expect
		app      string
		settings map[string]string
		get      = func(k string) string { return settings[k] }
		salt     = []byte("0123456789abcdef0123456789abcdef")
		key      = func(platform map[string]string) (string, string) {
			k, why, err := mix.SourceKey(app, platform, get, "otp 25.2.3 elixir 1.14.0", "0.1.0", salt)
			Expect(err).NotTo(HaveOccurred())
			return k, why
		}
	)

	it.Before(func() {
		app = t.TempDir()
		settings = map[string]string{"MIX_ENV": "prod"}
		Expect(os.MkdirAll(filepath.Join(app, "lib"), 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(app, "mix.exs"), []byte("defmodule X do end"), 0o644)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(app, "lib", "x.ex"), []byte("1"), 0o644)).To(Succeed())
	})

	context("SourceKey", func() {
		it("is stable for the same inputs and changes with a file, a setting or the toolchains", func() {
			k1, why := key(map[string]string{"HEX_BUILDS_URL": "http://127.0.0.1:1", "DEBUG": "1"})
			Expect(why).To(BeEmpty())
			k2, _ := key(nil)
			Expect(k2).To(Equal(k1), "index and log settings do not shape the release")

			Expect(os.WriteFile(filepath.Join(app, "lib", "x.ex"), []byte("2"), 0o644)).To(Succeed())
			k3, _ := key(nil)
			Expect(k3).NotTo(Equal(k1))

			settings["RELEASE"] = "web"
			k4, _ := key(nil)
			Expect(k4).NotTo(Equal(k3))

			k5, _, err := mix.SourceKey(app, nil, get, "otp 26.2.5 elixir 1.14.0", "0.1.0", salt)
			Expect(err).NotTo(HaveOccurred())
			Expect(k5).NotTo(Equal(k4))
		})

		// rel/overlays/bin/server made executable changes what the release
		// ships, with the same bytes.
		it("changes with a file's mode", func() {
			k1, _ := key(nil)
			Expect(os.Chmod(filepath.Join(app, "lib", "x.ex"), 0o755)).To(Succeed())
			k2, _ := key(nil)
			Expect(k2).NotTo(Equal(k1))
		})

		it("keys other platform variables by an HMAC of their value under the salt, never by the value or its plain hash", func() {
			secret := map[string]string{"SECRET_KEY_BASE": "s3cr3t", "DATABASE_URL": "x"}
			k1, why := key(secret)
			Expect(why).To(BeEmpty())
			Expect(k1).To(MatchRegexp(`^[0-9a-f]{64}$`))
			k2, _ := key(map[string]string{"SECRET_KEY_BASE": "s3cr3t", "DATABASE_URL": "x"})
			Expect(k2).To(Equal(k1), "the same values give the same key")

			k3, _ := key(map[string]string{"SECRET_KEY_BASE": "another", "DATABASE_URL": "x"})
			Expect(k3).NotTo(Equal(k1), "a new secret may change what Mix compiles")
			k4, _ := key(map[string]string{"SECRET_KEY_BASE": "s3cr3t"})
			Expect(k4).NotTo(Equal(k1), "a variable gone")
			k5, _ := key(nil)
			Expect(k5).NotTo(Equal(k4))

			salt = []byte("fedcba9876543210fedcba9876543210")
			k6, _ := key(secret)
			Expect(k6).NotTo(Equal(k1), "the key depends on the salt, so guesses cannot be tested without it")
		})

		it("keys nothing when there are platform variables and no salt, and says why", func() {
			salt = nil
			k, why := key(map[string]string{"SECRET_KEY_BASE": "s3cr3t", "DATABASE_URL": "x"})
			Expect(k).To(BeEmpty())
			Expect(why).To(Equal("no key salt to hash platform variables DATABASE_URL, SECRET_KEY_BASE with"))
			k, why = key(nil)
			Expect(why).To(BeEmpty(), "settings alone need no salt")
			Expect(k).NotTo(BeEmpty())
		})

		it("makes a 32-byte salt in a cache-only layer once and reads it back", func() {
			layers := libcnb.Layers{Path: t.TempDir()}
			l, s1, err := mix.KeySalt(layers)
			Expect(err).NotTo(HaveOccurred())
			Expect(s1).To(HaveLen(32))
			Expect(l.LayerTypes).To(Equal(libcnb.LayerTypes{Cache: true}))
			fi, err := os.Stat(filepath.Join(l.Path, "salt"))
			Expect(err).NotTo(HaveOccurred())
			Expect(fi.Mode().Perm()).To(Equal(os.FileMode(0o600)))
			_, s2, err := mix.KeySalt(layers)
			Expect(err).NotTo(HaveOccurred())
			Expect(s2).To(Equal(s1))
			Expect(os.RemoveAll(l.Path)).To(Succeed())
			_, s3, err := mix.KeySalt(layers)
			Expect(err).NotTo(HaveOccurred())
			Expect(s3).NotTo(Equal(s1), "a cleared cache makes a new salt")
		})
	})

	context("Unchanged and KeptLayers", func() {
		it("reuses the release layers only when both recorded the key, with their processes", func() {
			layers := libcnb.Layers{Path: t.TempDir()}
			root, _ := layers.Layer("release")
			app, _ := layers.Layer("release-app")
			procs := []libcnb.Process{{Type: "web", Command: []string{"/layers/x/release/bin/app"}, Arguments: []string{"start"}, Default: true}}
			Expect(mix.Remember(&root, &app, "k1", procs)).To(Succeed())
			write := func(l libcnb.Layer, types string) {
				body := types + "\n[metadata]\n"
				for k, v := range l.Metadata {
					body += k + " = '" + v.(string) + "'\n"
				}
				Expect(os.WriteFile(filepath.Join(layers.Path, l.Name+".toml"), []byte(body), 0o644)).To(Succeed())
			}
			// As the lifecycle restores them from the app image: metadata, no types.
			write(root, "")
			write(app, "")
			Expect(os.WriteFile(filepath.Join(layers.Path, "deps.toml"), []byte("[types]\ncache = true\n"), 0o644)).To(Succeed())

			got, ok := mix.Unchanged(layers, "k1")
			Expect(ok).To(BeTrue())
			Expect(got).To(Equal(procs))
			_, ok = mix.Unchanged(layers, "k2")
			Expect(ok).To(BeFalse())
			_, ok = mix.Unchanged(layers, "")
			Expect(ok).To(BeFalse())

			kept, err := mix.KeptLayers(layers)
			Expect(err).NotTo(HaveOccurred())
			types := map[string]libcnb.LayerTypes{}
			for _, l := range kept {
				types[l.Name] = l.LayerTypes
			}
			Expect(types).To(Equal(map[string]libcnb.LayerTypes{
				"deps":        {Cache: true},
				"release":     {Launch: true},
				"release-app": {Launch: true},
			}))
		})
	})
}
