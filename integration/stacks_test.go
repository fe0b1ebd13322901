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
	"github.com/sclevine/spec/report"
)

// TestStacks builds on the Debian 13 (trixie) builder, the suite's BUILDER,
// with the index's two real toolchain generations: bookworm's OTP 25.2.3
// and Elixir 1.14.0 (which run on trixie too) and trixie's own OTP 27 and
// Elixir 1.18.3, which only the ubuntu-24.04 folder has; and on the Debian
// 12 (bookworm) builder, BUILDER_BOOKWORM, the sample and a Mix runtime app.
func TestStacks(t *testing.T) {
	suite := spec.New("stacks", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Trixie", testTrixie)
	suite("Bookworm", testBookworm)
	suite.Run(t)
}

// newestOTP27 is the OTP 27 release the index has for Debian 13, read from
// its builds.txt, so the index recipe names it in one place.
func newestOTP27(t *testing.T) string {
	data, err := os.ReadFile(filepath.Join(env("INDEX_DIR"), "builds", "otp", rtArch, "ubuntu-24.04", "builds.txt"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^OTP-(27\.[0-9.]+) `).FindStringSubmatch(string(data))
	if m == nil {
		t.Fatalf("the index has no OTP 27 for ubuntu-24.04:\n%s", data)
	}
	return m[1]
}

func testTrixie(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect     = NewWithT(t).Expect
		index      = serveIndex(env("INDEX_DIR"))
		image      string
		containers []container
		otp27      = newestOTP27(t)
		builder    = env("BUILDER")
	)

	it.Before(func() {
		image = randomName("elixir-bp-it-trixie")
	})

	it.After(func() {
		for _, c := range containers {
			c.Remove()
		}
		removeImage(image)
		index.Close()
	})

	it("builds the sample on Debian 13 with OTP 27 and Elixir 1.18 from the ubuntu-24.04 builds, and serves it", func() {
		sample, err := filepath.Abs(filepath.Join("..", "samples", "hello"))
		Expect(err).NotTo(HaveOccurred())
		b := &build{Image: image, App: sample, Index: index.URL, Builder: builder}
		Expect(b.Run()).To(Succeed(), b.Output)
		Expect(b.Output).To(ContainSubstring("Target: " + rtArch + "/ubuntu-24.04 (from the target debian 13: builds made on Ubuntu 24.04 (glibc 2.39) run on its glibc 2.41)"))
		Expect(b.Output).To(ContainSubstring("Erlang/OTP " + otp27 + " from the default: the newest for " + rtArch + "/ubuntu-24.04 that Elixir ~> 1.14 (from mix.exs) supports"))
		Expect(b.Output).To(ContainSubstring(`Elixir 1.18.3 from mix.exs (asked for "~> 1.14"), built for the installed Erlang/OTP ` + otp27))
		expectServes(t, &containers, image, "Hello from an Elixir release built by Elixir Buildpacks\n")

		// The app image is on the trixie run image: its label and its os-release.
		label, err := engine("inspect", "--format", `{{index .Config.Labels "io.buildpacks.base.distro.version"}}`, image)
		Expect(err).NotTo(HaveOccurred(), label)
		Expect(strings.TrimSpace(label)).To(Equal("13"))
		osRelease, err := engine("run", "--rm", "--entrypoint", "/bin/cat", image, "/usr/lib/os-release")
		Expect(err).NotTo(HaveOccurred(), osRelease)
		Expect(osRelease).To(ContainSubstring("VERSION_CODENAME=trixie"))
		size, _ := engine("image", "inspect", "--format", "{{.Size}}", image)
		t.Logf("sample image on the trixie builder: %s bytes", strings.TrimSpace(size))
	})

	it("switches OTP 25 → 27 and Elixir 1.14 → 1.18 on the same app, replacing what changed and clearing the Mix caches", func() {
		app := copyApp(t, "runtimes_mix_requirement")
		tv := filepath.Join(app, ".tool-versions")
		Expect(os.WriteFile(tv, []byte("erlang 25.2.3\nelixir 1.14.0-otp-25\n"), 0o644)).To(Succeed())
		first := &build{Image: image, App: app, Index: index.URL, Builder: builder}
		Expect(first.Run()).To(Succeed(), first.Output)
		Expect(first.Output).To(ContainSubstring(`Erlang/OTP 25.2.3 from .tool-versions (asked for "25.2.3"), for ` + rtArch + "/ubuntu-24.04"))
		expectServes(t, &containers, image, "runtimes_mix_requirement: Elixir 1.14.0 on Erlang/OTP 25\n", "-e", "RELEASE_DISTRIBUTION=none")

		Expect(os.WriteFile(tv, []byte("erlang 27\nelixir 1.18.3\n"), 0o644)).To(Succeed())
		second := &build{Image: image, App: app, Index: index.URL, Builder: builder}
		Expect(second.Run()).To(Succeed(), second.Output)
		Expect(second.Output).To(ContainSubstring("Clearing cache: Erlang/OTP 25.2.3 → " + otp27 + " (version changed"))
		Expect(second.Output).To(ContainSubstring("Clearing cache: Elixir 1.14.0 → 1.18.3 (version changed"))
		Expect(second.Output).To(ContainSubstring("Erlang/OTP changed (25.2.3 → " + otp27 + ")"))
		Expect(second.Output).To(ContainSubstring("Elixir changed (1.14.0 → 1.18.3)"))
		expectServes(t, &containers, image, "runtimes_mix_requirement: Elixir 1.18.3 on Erlang/OTP 27\n", "-e", "RELEASE_DISTRIBUTION=none")
	})

	it("refuses Elixir 1.18.3 on OTP 25 before any download, naming the OTP builds it has", func() {
		b := &build{Image: image, App: "runtimes_mix_requirement", Index: index.URL, Builder: builder,
			Extra: []string{"-e", "BP_ELIXIR_VERSION=1.18.3", "-e", "BP_ERLANG_VERSION=25"}}
		Expect(b.Run()).NotTo(Succeed())
		Expect(b.Output).To(ContainSubstring("ERROR: Elixir version not available"))
		Expect(b.Output).To(ContainSubstring("has Elixir 1.18.3 only for Erlang/OTP 27, not for Erlang/OTP 25 (from BP_ERLANG_VERSION)"))
		Expect(b.Output).NotTo(ContainSubstring("Downloading"))
	})
}

func testBookworm(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect     = NewWithT(t).Expect
		index      = serveIndex(env("INDEX_DIR"))
		image      string
		containers []container
		builder    = env("BUILDER_BOOKWORM")
	)

	it.Before(func() {
		image = randomName("elixir-bp-it-bookworm")
	})

	it.After(func() {
		for _, c := range containers {
			c.Remove()
		}
		removeImage(image)
		index.Close()
	})

	it("builds the sample on Debian 12 with the ubuntu-22.04 builds, the newest there being OTP 25 and Elixir 1.14", func() {
		sample, err := filepath.Abs(filepath.Join("..", "samples", "hello"))
		Expect(err).NotTo(HaveOccurred())
		b := &build{Image: image, App: sample, Index: index.URL, Builder: builder}
		Expect(b.Run()).To(Succeed(), b.Output)
		Expect(b.Output).To(ContainSubstring("Target: " + rtArch + "/ubuntu-22.04 (from the target debian 12: builds made on Ubuntu 22.04 (glibc 2.35) run on its glibc 2.36)"))
		Expect(b.Output).To(ContainSubstring("Erlang/OTP 25.2.3 from the default: the newest for " + rtArch + "/ubuntu-22.04 that Elixir ~> 1.14 (from mix.exs) supports"))
		Expect(b.Output).To(ContainSubstring(`Elixir 1.14.0 from mix.exs (asked for "~> 1.14"), built for the installed Erlang/OTP 25.2.3`))
		expectServes(t, &containers, image, "Hello from an Elixir release built by Elixir Buildpacks\n")
		label, err := engine("inspect", "--format", `{{index .Config.Labels "io.buildpacks.base.distro.version"}}`, image)
		Expect(err).NotTo(HaveOccurred(), label)
		Expect(strings.TrimSpace(label)).To(Equal("12"))
		size, _ := engine("image", "inspect", "--format", "{{.Size}}", image)
		t.Logf("sample image on the bookworm builder: %s bytes", strings.TrimSpace(size))
	})

	it("runs a Mix runtime app (no release) with mix on Debian 12", func() {
		app, stopGit := mixRuntimeApp(t)
		defer stopGit()
		b := &build{Image: image, App: app, Index: index.URL, Builder: builder}
		Expect(b.Run()).To(Succeed(), b.Output)
		// The fixture pins nothing: Debian 12's own default is the old generation.
		Expect(b.Output).To(ContainSubstring("Erlang/OTP 25.2.3 from the default: the newest for " + rtArch + "/ubuntu-22.04 that Elixir ~> 1.14 (from mix.exs) supports"))
		Expect(b.Output).To(ContainSubstring(`Elixir 1.14.0 from mix.exs (asked for "~> 1.14"), built for the installed Erlang/OTP 25.2.3`))
		Expect(b.Output).To(ContainSubstring("Mix runtime mode: mix.exs declares no releases and there is no config/runtime.exs"))
		expectServes(t, &containers, image, "mix_runtime: served by mix run, MIX_ENV=prod\n")
	})
}
