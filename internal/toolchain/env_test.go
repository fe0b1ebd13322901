package toolchain_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
)

func testEnv(t *testing.T, when spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		ctx    libcnb.BuildContext
		env    map[string]string
		out    *bytes.Buffer
		logger log.Logger
	)

	it.Before(func() {
		ctx = libcnb.BuildContext{
			TargetInfo:   libcnb.TargetInfo{OS: "linux", Arch: "amd64"},
			TargetDistro: libcnb.TargetDistro{Name: "debian", Version: "13"},
		}
		env = map[string]string{}
		out = &bytes.Buffer{}
		logger = log.NewPaketoLogger(out)
	})

	newEnv := func() toolchain.Env {
		e, err := toolchain.NewEnv(ctx, lookupOf(env), logger)
		Expect(err).NotTo(HaveOccurred())
		return e
	}

	it("reads the default index and the target, and says so", func() {
		e := newEnv()
		Expect(e.Sources).To(Equal([]hexbuilds.Source{{Base: "https://builds.hex.pm", From: "the default"}}))
		Expect(e.Index.Clients).To(HaveLen(1))
		Expect(e.Target).To(Equal(toolchain.Target{Arch: "amd64", OSDir: "ubuntu-24.04",
			From:   "from the target debian 13: builds made on Ubuntu 24.04 (glibc 2.39) run on its glibc 2.41",
			Distro: libcnb.TargetDistro{Name: "debian", Version: "13"}}))
		Expect(e.AllowUnverified).To(BeFalse())
		Expect(plain(out.String())).To(Equal("    Build index: https://builds.hex.pm (the default)\n    Target: amd64/ubuntu-24.04 (from the target debian 13: builds made on Ubuntu 24.04 (glibc 2.39) run on its glibc 2.41)\n"))
	})

	it("lists the mirrors, bindings and override", func() {
		env["HEX_BUILDS_URL"] = "https://me:secret@mirror.example/hex"
		env["BP_HEX_BUILDS_MIRRORS"] = "/srv/index"
		env["BP_ERLANG_OS_DIR"] = "ubuntu-22.04"
		env["BP_ALLOW_UNVERIFIED_DOWNLOADS"] = "true"
		ctx.Platform.Bindings = libcnb.Bindings{
			{Name: "maps", Type: "dependency-mapping", Secret: map[string]string{"sha256:ABC": "file:///deps/otp.tar.gz"}},
			{Name: "other", Type: "ca-certificates", Secret: map[string]string{"x": "y"}},
		}
		e := newEnv()
		Expect(e.Index.Clients).To(HaveLen(2))
		Expect(e.Index.Mappings).To(Equal(map[string]string{"sha256:abc": "file:///deps/otp.tar.gz"}))
		Expect(e.AllowUnverified).To(BeTrue())
		Expect(plain(out.String())).To(Equal("    Build index: https://me:xxxxx@mirror.example/hex (HEX_BUILDS_URL)\n" +
			"      then: /srv/index (BP_HEX_BUILDS_MIRRORS)\n" +
			"    Dependency mappings: 1, used for archives with those sha256 sums\n" +
			"    Target: amd64/ubuntu-22.04 (BP_ERLANG_OS_DIR)\n"))
	})

	// A slice, not a map: spec finds each case again by its order.
	for _, c := range []struct {
		v     string
		allow bool
	}{{"1", true}, {"yes", true}, {"0", false}, {"no", false}, {"TRUE", true}} {
		v, allow := c.v, c.allow
		it("takes BP_ALLOW_UNVERIFIED_DOWNLOADS="+v, func() {
			env["BP_ALLOW_UNVERIFIED_DOWNLOADS"] = v
			Expect(newEnv().AllowUnverified).To(Equal(allow))
		})
	}

	it("takes a dependency-mirror binding", func() {
		ctx.Platform.Bindings = libcnb.Bindings{{Name: "m", Type: "Dependency-Mirror", Secret: map[string]string{"Default": "https://m.example/{originalHost}"}}}
		Expect(newEnv().Sources[0].Base).To(Equal("https://m.example/builds.hex.pm"))
	})

	it("refuses bad settings and conflicting bindings", func() {
		env["BP_ALLOW_UNVERIFIED_DOWNLOADS"] = "maybe"
		_, err := toolchain.NewEnv(ctx, lookupOf(env), logger)
		Expect(err).To(MatchError("BP_ALLOW_UNVERIFIED_DOWNLOADS=maybe is neither true nor false: set it to true, false, 1, 0, yes or no (in any case), or unset it"))
		Expect(headline(err)).To(Equal("Invalid setting"))

		delete(env, "BP_ALLOW_UNVERIFIED_DOWNLOADS")
		ctx.Platform.Bindings = libcnb.Bindings{
			{Name: "a", Type: "dependency-mapping", Secret: map[string]string{"abc": "file:///a"}},
			{Name: "b", Type: "dependency-mapping", Secret: map[string]string{"ABC": "file:///b"}},
		}
		_, err = toolchain.NewEnv(ctx, lookupOf(env), logger)
		Expect(err).To(MatchError(`two dependency-mapping bindings have the key "abc": keep one of them`))
		Expect(headline(err)).To(Equal("Conflicting bindings"))

		ctx.Platform.Bindings = nil
		env["HEX_BUILDS_URL"] = "relative"
		_, err = toolchain.NewEnv(ctx, lookupOf(env), logger)
		Expect(headline(err)).To(Equal("Bad build index URL"))
	})

	when("a build has no sha256", func() {
		choice := toolchain.Choice{Build: hexbuilds.Build{Name: "OTP-25.2.3"}}

		it("is refused unless the user opts in", func() {
			env["HEX_BUILDS_URL"] = "/srv/index"
			e := newEnv()
			err := e.CheckVerifiable(choice, logger)
			Expect(err).To(MatchError("the build index at /srv/index lists no sha256 for OTP-25.2.3, so its download cannot be verified: ask for a version whose line has a sha256, or set BP_ALLOW_UNVERIFIED_DOWNLOADS=true to install it unverified"))
			Expect(headline(err)).To(Equal("Unverifiable download refused"))

			out.Reset()
			e.AllowUnverified = true
			Expect(e.CheckVerifiable(choice, logger)).To(Succeed())
			Expect(plain(out.String())).To(Equal("  WARNING: the build index at /srv/index lists no sha256 for OTP-25.2.3; installing it unverified because BP_ALLOW_UNVERIFIED_DOWNLOADS=true\n"))
		})

		it("passes quietly with one", func() {
			e := newEnv()
			out.Reset()
			Expect(e.CheckVerifiable(toolchain.Choice{Build: hexbuilds.Build{Name: "x", SHA256: "ab"}}, logger)).To(Succeed())
			Expect(plain(out.String())).To(BeEmpty())
		})
	})

	it("gives the archive URL the SBOM records", func() {
		env["HEX_BUILDS_URL"] = "https://me:secret@mirror.example/hex/"
		Expect(newEnv().ArchiveURL("builds/elixir/v1.18.4-otp-27.zip")).To(Equal("https://me:xxxxx@mirror.example/hex/builds/elixir/v1.18.4-otp-27.zip"))
		dir := t.TempDir()
		env["HEX_BUILDS_URL"] = dir
		Expect(newEnv().ArchiveURL("builds/elixir/a b.zip")).To(Equal("file://" + filepath.ToSlash(dir) + "/builds/elixir/a%20b.zip"))
		Expect(toolchain.Env{}.ArchiveURL("x")).To(BeEmpty())
	})

	it("logs each warning once", func() {
		toolchain.LogWarnings(logger, toolchain.Request{Warnings: []string{"a", "b"}}, toolchain.Request{Warnings: []string{"a"}})
		Expect(plain(out.String())).To(Equal("  WARNING: a\n  WARNING: b\n"))
	})
}
