package toolchain_test

import (
	"context"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

const amd64OTPs = `master 0 2025-05-01T00:00:00Z aaaa
OTP-25.2.3 1 2023-01-01T00:00:00Z 2523
OTP-25.3.2.12 1 2024-05-01T00:00:00Z 2532
OTP-26.2.5 1 2024-05-01T00:00:00Z 2625
OTP-26.2.5.1 1 2024-06-01T00:00:00Z 26251
OTP-27.0-rc1 1 2024-02-01T00:00:00Z 270
OTP-27.3.4 1 2025-05-01T00:00:00Z 2734
OTP-28.0.1 1 2025-06-01T00:00:00Z 2801
`

const arm64OTPs = "OTP-26.2.5 1 2024-05-01T00:00:00Z 2625\n"

const elixirBuilds = `v1.14.0-otp-25 1 2022-09-01T00:00:00Z e1140
v1.14.5-otp-25 1 2023-05-01T00:00:00Z e114525
v1.14.5-otp-26 1 2023-05-01T00:00:00Z e114526
v1.15.8-otp-26 1 2024-05-01T00:00:00Z e1158
v1.16.3-otp-26 1 2024-05-01T00:00:00Z e1163
v1.17.3-otp-26 1 2024-09-01T00:00:00Z e117326
v1.17.3-otp-27 1 2024-09-01T00:00:00Z e117327
v1.18.0-rc.1-otp-27 1 2024-12-01T00:00:00Z e118rc
v1.18.4-otp-25 1 2025-05-01T00:00:00Z e118425
v1.18.4-otp-26 1 2025-05-01T00:00:00Z e118426
v1.18.4-otp-27 1 2025-05-01T00:00:00Z e118427
v1.19.0-rc.0-otp-28 1 2025-06-01T00:00:00Z e119rc
main-otp-28 1 2025-06-01T00:00:00Z emain
`

func testResolver(t *testing.T, when spec.G, it spec.S) {
	var (
		Expect   = NewWithT(t).Expect
		ctx      = context.Background()
		root     string
		resolver toolchain.Resolver
	)

	it.Before(func() {
		root = t.TempDir()
		write(t, filepath.Join(root, "builds/otp/amd64/ubuntu-22.04/builds.txt"), amd64OTPs)
		write(t, filepath.Join(root, "builds/otp/arm64/ubuntu-22.04/builds.txt"), arm64OTPs)
		write(t, filepath.Join(root, "builds/otp/amd64/ubuntu-24.04/builds.txt"), "master 0 2025-05-01T00:00:00Z aaaa\n")
		write(t, filepath.Join(root, "builds/elixir/builds.txt"), elixirBuilds)
		resolver = toolchain.Resolver{
			Index:  hexbuilds.NewIndex(root),
			Target: toolchain.Target{Arch: "amd64", OSDir: "ubuntu-22.04", From: "from the target debian 12"},
		}
	})

	req := func(raw, source string) toolchain.Request { return toolchain.Request{Raw: raw, Source: source} }
	noOTP := toolchain.Request{Source: "the default"}
	defaultElixir := req("1.18.4", "the default")

	otp := func(o, e toolchain.Request) (toolchain.Choice, error) { return resolver.OTP(ctx, o, e) }
	otpOK := func(o, e toolchain.Request) toolchain.Choice {
		c, err := otp(o, e)
		Expect(err).NotTo(HaveOccurred())
		return c
	}
	installed := func(s string) versions.Version {
		v, err := versions.ParseOTP(s)
		Expect(err).NotTo(HaveOccurred())
		return v
	}

	when("no Erlang/OTP is asked for", func() {
		it("picks the newest OTP the default Elixir supports and is built for", func() {
			c := otpOK(noOTP, defaultElixir)
			Expect(c.Version.String()).To(Equal("27.3.4"))
			Expect(c.Build).To(Equal(hexbuilds.Build{Name: "OTP-27.3.4", GitSHA: "1", Date: "2025-05-01T00:00:00Z", SHA256: "2734"}))
			Expect(c.RelPath).To(Equal("builds/otp/amd64/ubuntu-22.04/OTP-27.3.4.tar.gz"))
		})

		for _, c := range []struct{ elixir, otp string }{
			{"~> 1.14", "27.3.4"},   // a range: its newest match, 1.18.4
			{"1.14", "26.2.5.1"},    // partial: 1.14.5, which supports 26
			{"1.14.0", "25.3.2.12"}, // 23 to 25, built for 25 only
			{"v1.17.3", "27.3.4"},   // built for 26 and 27
			{"1.18.4-otp-26", "26.2.5.1"},
			{"1.19.0-rc.0", "28.0.1"}, // a pre-release asked for exactly
			{">= 1.15.0 and < 1.16.0", "26.2.5.1"},
		} {
			it("picks "+c.otp+" for Elixir "+c.elixir, func() {
				Expect(otpOK(noOTP, req(c.elixir, "BP_ELIXIR_VERSION")).Version.String()).To(Equal(c.otp))
			})
		}

		it("names an Elixir the index lacks and the nearest it has", func() {
			_, err := otp(noOTP, req("1.13", ".elixir-version"))
			Expect(err).To(MatchError("the build index at " + root + " has no Elixir 1.13 (from .elixir-version); the nearest it has: 1.18.4, 1.17.3, 1.16.3, 1.15.8, 1.14.5, 1.14.0; ask for one of those, or point HEX_BUILDS_URL at an index that has it"))
			Expect(headline(err)).To(Equal("Elixir version not available"))

			_, err = otp(noOTP, req("~> 2.0", "mix.exs"))
			Expect(err).To(MatchError("the build index at " + root + " has no Elixir ~> 2.0 (from mix.exs); the nearest it has: 1.18.4, 1.17.3, 1.16.3, 1.15.8, 1.14.5, 1.14.0; ask for one of those, or point HEX_BUILDS_URL at an index that has it"))
		})

		it("says when no OTP for the target suits the Elixir", func() {
			resolver.Target = toolchain.Target{Arch: "arm64", OSDir: "ubuntu-22.04"}
			_, err := otp(noOTP, req("1.19.0-rc.0", "BP_ELIXIR_VERSION"))
			Expect(err).To(MatchError("the build index at " + root + " has no Erlang/OTP build for arm64/ubuntu-22.04 that Elixir 1.19.0-rc.0 (from BP_ELIXIR_VERSION) supports (OTP 26 to 28) and is built for; it has Erlang/OTP 26.2.5: set BP_ERLANG_VERSION and BP_ELIXIR_VERSION to a pair the index has"))
			Expect(headline(err)).To(Equal("No Erlang/OTP for this Elixir"))
		})

		it("tries older matches of a range before giving up", func() {
			resolver.Target = toolchain.Target{Arch: "arm64", OSDir: "ubuntu-22.04"}
			Expect(otpOK(noOTP, req("~> 1.14", "mix.exs")).Version.String()).To(Equal("26.2.5"))
		})
	})

	when("Erlang/OTP is asked for", func() {
		for _, c := range []struct{ want, got string }{
			{"26", "26.2.5.1"},
			{"26.2.5", "26.2.5"},
			{"OTP-25.2.3", "25.2.3"},
			{"27", "27.3.4"},
			{"27.0-rc1", "27.0-rc1"},
		} {
			it("resolves "+c.want+" to "+c.got, func() {
				Expect(otpOK(req(c.want, "BP_ERLANG_VERSION"), req("~> 1.14", "mix.exs")).Version.String()).To(Equal(c.got))
			})
		}

		it("names a version the target lacks and the nearest it has", func() {
			_, err := otp(req("26.2.4", ".tool-versions"), defaultElixir)
			Expect(err).To(MatchError("the build index at " + root + " has no Erlang/OTP 26.2.4 for amd64/ubuntu-22.04 (from .tool-versions); the nearest it has: 28.0.1, 27.3.4, 26.2.5.1, 26.2.5, 25.3.2.12, 25.2.3; ask for one of those, or point HEX_BUILDS_URL at an index that has it"))
			Expect(headline(err)).To(Equal("Erlang/OTP version not available"))
		})

		it("fails on an incompatible pair before reading the index", func() {
			resolver.Index = hexbuilds.NewIndex(filepath.Join(root, "nowhere"))
			_, err := otp(req("27", "BP_ERLANG_VERSION"), req("1.14.0", ".tool-versions"))
			Expect(err).To(MatchError("Elixir 1.14.0 (from .tool-versions) does not support Erlang/OTP 27 (from BP_ERLANG_VERSION); it supports Erlang/OTP 23 to 25: use Erlang/OTP 23 to 25 with Elixir 1.14.0, or an Elixir that supports Erlang/OTP 27"))
			Expect(headline(err)).To(Equal("Incompatible Elixir and Erlang/OTP"))

			_, err = otp(req("27.3.4", "BP_ERLANG_VERSION"), req("1.14", ".elixir-version"))
			Expect(err).To(MatchError("Elixir 1.14 (from .elixir-version) does not support Erlang/OTP 27.3.4 (from BP_ERLANG_VERSION); it supports Erlang/OTP 23 to 26: use Erlang/OTP 23 to 26 with Elixir 1.14, or an Elixir that supports Erlang/OTP 27.3.4"))

			_, err = otp(req("26", ".tool-versions"), req("1.18.4-otp-27", ".tool-versions"))
			Expect(err).To(MatchError("Elixir 1.18.4-otp-27 (from .tool-versions) is built for Erlang/OTP 27, not for Erlang/OTP 26 (from .tool-versions): ask for Erlang/OTP 27, or for an Elixir built for OTP 26"))
			Expect(headline(err)).To(Equal("Incompatible Elixir and Erlang/OTP"))
		})

		it("tells a user of the default Elixir to choose one", func() {
			_, err := otp(req("28", "BP_ERLANG_VERSION"), defaultElixir)
			Expect(err).To(MatchError("Elixir 1.18.4 (the default) does not support Erlang/OTP 28 (from BP_ERLANG_VERSION); it supports Erlang/OTP 25 to 27: set BP_ELIXIR_VERSION to an Elixir that supports Erlang/OTP 28, or use Erlang/OTP 25 to 27"))
		})

		it("finds a range incompatible through the index", func() {
			_, err := otp(req("28", "BP_ERLANG_VERSION"), req("~> 1.14", "mix.exs"))
			Expect(err).To(MatchError("Elixir 1.18.4 (from mix.exs) does not support Erlang/OTP 28.0.1 (from BP_ERLANG_VERSION); it supports Erlang/OTP 25 to 27: use Erlang/OTP 25 to 27 with Elixir 1.18.4, or an Elixir that supports Erlang/OTP 28.0.1"))
		})

		it("names an Elixir the index lacks for that OTP", func() {
			_, err := otp(req("27", "BP_ERLANG_VERSION"), req("1.17.0", "BP_ELIXIR_VERSION"))
			Expect(err).To(MatchError("the build index at " + root + " has no Elixir 1.17.0 built for Erlang/OTP 27 (from BP_ELIXIR_VERSION); for OTP 27 it has: 1.18.4, 1.17.3; ask for one of those, or point HEX_BUILDS_URL at an index that has it"))
			Expect(headline(err)).To(Equal("Elixir version not available"))
		})
	})

	it("refuses versions it cannot read, naming the source", func() {
		_, err := otp(req("ref:master", ".tool-versions"), defaultElixir)
		Expect(err).To(MatchError(`.tool-versions asks for Erlang/OTP "ref:master", which is not a version: write one such as 27, 27.3, 27.3.4 or OTP-27.3.4`))
		Expect(headline(err)).To(Equal("Unparsable Erlang/OTP version"))

		_, err = otp(noOTP, req("latest", "mise.toml"))
		Expect(err).To(MatchError(`mise.toml asks for Elixir "latest", which is not a version: write one such as 1.18, 1.18.4, 1.18.4-otp-27 or ~> 1.17`))
		Expect(headline(err)).To(Equal("Unparsable Elixir version"))

		_, err = resolver.Elixir(ctx, req("1.x", "BP_ELIXIR_VERSION"), installed("25.2.3"))
		Expect(headline(err)).To(Equal("Unparsable Elixir version"))
	})

	when("the target has no builds", func() {
		it("says so and how to pick another folder", func() {
			resolver.Target = toolchain.Target{Arch: "riscv64", OSDir: "ubuntu-22.04", From: "from the target debian 12"}
			_, err := otp(noOTP, defaultElixir)
			Expect(err).To(MatchError("the build index at " + root + " has no Erlang/OTP builds for riscv64/ubuntu-22.04 (from the target debian 12): set BP_ERLANG_OS_DIR to an OS folder the index has (ubuntu-22.04 or ubuntu-24.04), or point HEX_BUILDS_URL at an index with builds for riscv64"))
			Expect(headline(err)).To(Equal("No Erlang/OTP builds for this target"))

			resolver.Target = toolchain.Target{Arch: "amd64", OSDir: "ubuntu-24.04", From: "BP_ERLANG_OS_DIR"}
			_, err = otp(req("27", "BP_ERLANG_VERSION"), defaultElixir)
			Expect(headline(err)).To(Equal("No Erlang/OTP builds for this target"))
		})

		it("reports a missing index as such, not as a missing target", func() {
			resolver.Index = hexbuilds.NewIndex(filepath.Join(root, "nowhere"))
			_, err := otp(noOTP, defaultElixir)
			Expect(err).To(MatchError("index has no " + filepath.Join(root, "nowhere/builds/elixir/builds.txt") + ": check HEX_BUILDS_URL or the version you asked for"))
			Expect(headline(err)).To(Equal("Build not found"))
		})
	})

	when("choosing Elixir for the installed OTP", func() {
		elixir := func(raw, source, otp string) (toolchain.Choice, error) {
			return resolver.Elixir(ctx, req(raw, source), installed(otp))
		}

		for _, c := range []struct{ req, otp, build string }{
			{"1.18.4", "25.2.3", "v1.18.4-otp-25"},
			{"~> 1.14", "26.2.5", "v1.18.4-otp-26"},
			{"1.14", "25.2.3", "v1.14.5-otp-25"},
			{"1.14.0", "25.2.3", "v1.14.0-otp-25"},
			{"~> 1.14.0", "26.2.5.1", "v1.14.5-otp-26"},
			{"1.18.0-rc.1", "27.3.4", "v1.18.0-rc.1-otp-27"},
			{"1.18.4-otp-27", "27.0", "v1.18.4-otp-27"},
		} {
			it("picks "+c.build+" for "+c.req+" on OTP "+c.otp, func() {
				ch, err := elixir(c.req, "BP_ELIXIR_VERSION", c.otp)
				Expect(err).NotTo(HaveOccurred())
				Expect(ch.Build.Name).To(Equal(c.build))
				Expect(ch.RelPath).To(Equal("builds/elixir/" + c.build + ".zip"))
			})
		}

		it("never picks a pre-release for a range", func() {
			ch, err := elixir("~> 1.18", "mix.exs", "27.3.4")
			Expect(err).NotTo(HaveOccurred())
			Expect(ch.Version.String()).To(Equal("1.18.4"))
		})

		it("explains each failure", func() {
			_, err := elixir("1.18.4-otp-27", ".tool-versions", "26.2.5")
			Expect(err).To(MatchError("Elixir 1.18.4-otp-27 (from .tool-versions) is built for Erlang/OTP 27, not for Erlang/OTP 26.2.5 (installed): ask for Erlang/OTP 27, or for an Elixir built for OTP 26"))

			_, err = elixir("1.14.0", ".tool-versions", "27.3.4")
			Expect(err).To(MatchError("Elixir 1.14.0 (from .tool-versions) does not support Erlang/OTP 27.3.4 (installed); it supports Erlang/OTP 23 to 25: use Erlang/OTP 23 to 25 with Elixir 1.14.0, or an Elixir that supports Erlang/OTP 27.3.4"))

			_, err = elixir("1.16", "BP_ELIXIR_VERSION", "25.2.3")
			Expect(err).To(MatchError("the build index at " + root + " has Elixir 1.16.3 only for Erlang/OTP 26, not for Erlang/OTP 25 (installed); for OTP 25 it has: 1.18.4, 1.14.5, 1.14.0; " +
				"ask for Erlang/OTP 26 with Elixir 1.16.3, or for an Elixir the index has for OTP 25"))

			_, err = elixir("1.13", "BP_ELIXIR_VERSION", "25.2.3")
			Expect(err).To(MatchError("the build index at " + root + " has no Elixir 1.13 built for Erlang/OTP 25 (from BP_ELIXIR_VERSION); for OTP 25 it has: 1.18.4, 1.14.5, 1.14.0; ask for one of those, or point HEX_BUILDS_URL at an index that has it"))
		})
	})
}
