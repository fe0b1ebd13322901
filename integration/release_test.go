//go:build integration

package integration

import (
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
)

func testRelease(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect     = NewWithT(t).Expect
		index      = serveIndex(env("INDEX_DIR"))
		image      string
		containers []container
	)

	it.Before(func() {
		image = randomName("elixir-bp-it-release")
	})

	it.After(func() {
		for _, c := range containers {
			c.Remove()
		}
		removeImage(image)
		index.Close()
	})

	context("an :inets release app with no Hex deps", func() {
		it("builds it, serves HTTP as a non-root user with no source or Mix, and reuses the runtimes on rebuild", func() {
			b := &build{Image: image, App: "inets_release", Index: index.URL}
			Expect(b.Run()).To(Succeed(), b.Output)
			Expect(b.Output).To(ContainLines(
				"Erlang/OTP " + newOTP + " from the default",
			))
			Expect(b.Output).To(ContainLines(
				`Elixir ` + newElixir + ` from mix.exs (asked for "~> 1.14")`,
			))
			Expect(b.Output).To(ContainSubstring("Running: mix release hello --overwrite --path"))

			serves := func(image string) { expectServes(t, &containers, image, inetsBody) }
			serves(image)

			user, err := engine("run", "--rm", "--entrypoint", "id", image, "-u")
			Expect(err).NotTo(HaveOccurred(), user)
			Expect(strings.TrimSpace(user)).To(Equal("1002"))

			// No source, no mix.exs, and no elixir, iex or mix on the launch PATH.
			out, err := engine("run", "--rm", "--user", "0", "--entrypoint", "/cnb/lifecycle/launcher", image,
				"sh", "-c", `find / -xdev \( -name '*.ex' -o -name 'mix.exs' -o -name 'mix' \) -print; `+
					`for p in elixir iex mix; do command -v $p; done; ls -A /workspace; echo end-of-check`)
			Expect(err).NotTo(HaveOccurred(), out)
			Expect(strings.TrimSpace(out)).To(Equal("end-of-check"))

			rebuild := &build{Image: image, App: "inets_release", Index: index.URL}
			Expect(rebuild.Run()).To(Succeed(), rebuild.Output)
			Expect(rebuild.Output).To(ContainSubstring("Erlang/OTP " + newOTP + ": Reusing cached layer"))
			Expect(rebuild.Output).To(ContainSubstring("Elixir " + newElixir + ": Reusing cached layer"))
			// Nothing changed: no Mix command runs, and the release layers are reused.
			Expect(rebuild.Output).To(ContainSubstring("no Mix command runs"))
			Expect(rebuild.Output).NotTo(ContainSubstring("Running: mix"))
			Expect(rebuild.Output).NotTo(ContainSubstring("Running: elixir"))
			Expect(rebuild.Output).To(ContainSubstring("Reusing layer 'elixir-buildpacks/mix-release:release'"))
			Expect(rebuild.Output).To(ContainSubstring("Reusing layer 'elixir-buildpacks/mix-release:release-app'"))
			// The reused release keeps its SBOM.
			sboms := t.TempDir()
			out, err = run("pack", "sbom", "download", image, "--output-dir", sboms)
			Expect(err).NotTo(HaveOccurred(), out)
			for _, f := range []string{"sbom.syft.json", "sbom.cdx.json"} {
				Expect(filepath.Join(sboms, "layers", "sbom", "launch", "elixir-buildpacks_mix-release", "release", f)).To(BeARegularFile())
			}
			serves(image)
		})
	})
}
