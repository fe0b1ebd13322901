package toolchain_test

import (
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
)

func testRequest(t *testing.T, when spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		app    string
		env    map[string]string
	)

	it.Before(func() {
		app = t.TempDir()
		env = map[string]string{}
	})

	elixir := func() toolchain.Request {
		r, err := toolchain.ElixirRequest(app, lookupOf(env), "1.20")
		Expect(err).NotTo(HaveOccurred())
		return r
	}
	otp := func() toolchain.Request {
		r, err := toolchain.OTPRequest(app, lookupOf(env))
		Expect(err).NotTo(HaveOccurred())
		return r
	}
	file := func(name, content string) { write(t, filepath.Join(app, name), content) }

	when("nothing names a version", func() {
		it("gives Elixir's default and no OTP request", func() {
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "1.20", Source: "the default"}))
			Expect(elixir().Explicit()).To(BeFalse())
			Expect(elixir().From()).To(Equal("the default"))
			Expect(otp()).To(Equal(toolchain.Request{Source: "the default"}))
			Expect(otp().Explicit()).To(BeFalse())
		})
	})

	when("every source names a version", func() {
		it.Before(func() {
			env["BP_ELIXIR_VERSION"] = " 1.17.3 "
			env["BP_ERLANG_VERSION"] = "26"
			file(".elixir-version", "1.16\n")
			file(".erlang-version", "25\n")
			file("mise.toml", "[tools]\nelixir = \"1.15\"\nerlang = \"24\"\n")
			file(".mise.toml", "[tools]\nelixir = \"1.14.5\"\nerlang = \"23\"\n")
			file(".tool-versions", "elixir 1.14.0\nerlang 22\n")
			file("mix.exs", `def project, do: [elixir: "~> 1.13"]`)
		})

		it("takes them in order, first match wins", func() {
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "1.17.3", Source: "BP_ELIXIR_VERSION"}))
			Expect(elixir().From()).To(Equal("from BP_ELIXIR_VERSION"))
			Expect(otp()).To(Equal(toolchain.Request{Raw: "26", Source: "BP_ERLANG_VERSION"}))

			env["BP_ELIXIR_VERSION"], env["BP_ERLANG_VERSION"] = "  ", ""
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "1.16", Source: ".elixir-version"}))
			Expect(otp()).To(Equal(toolchain.Request{Raw: "25", Source: ".erlang-version"}))

			file(".elixir-version", "# none\n")
			file(".erlang-version", "")
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "1.15", Source: "mise.toml"}))
			Expect(otp()).To(Equal(toolchain.Request{Raw: "24", Source: "mise.toml"}))

			file("mise.toml", "[settings]\nx = 1\n")
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "1.14.5", Source: ".mise.toml"}))
			Expect(otp()).To(Equal(toolchain.Request{Raw: "23", Source: ".mise.toml"}))

			file(".mise.toml", "")
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "1.14.0", Source: ".tool-versions"}))
			Expect(otp()).To(Equal(toolchain.Request{Raw: "22", Source: ".tool-versions"}))

			file(".tool-versions", "nodejs 22\n")
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "~> 1.13", Source: "mix.exs"}))
			Expect(otp()).To(Equal(toolchain.Request{Source: "the default"}))
		})
	})

	it("reads .tool-versions with comments, several versions, CRLF and a BOM", func() {
		file(".tool-versions", "\ufeff# pinned\r\nerlang 27.3.4 26.2.5 # newest first\r\n\r\nelixir   1.18.4-otp-27\t1.17.3-otp-26\r\n")
		Expect(elixir().Raw).To(Equal("1.18.4-otp-27"))
		Expect(otp().Raw).To(Equal("27.3.4"))
	})

	it("reads the first line of a version file, with CRLF, a BOM and comments", func() {
		file(".elixir-version", "\ufeff# the Elixir we test on\r\n\r\nv1.18.4  # pinned\r\n1.17\r\n")
		file(".erlang-version", "OTP-27.3.4 26\n")
		Expect(elixir()).To(Equal(toolchain.Request{Raw: "v1.18.4", Source: ".elixir-version"}))
		Expect(otp()).To(Equal(toolchain.Request{Raw: "OTP-27.3.4", Source: ".erlang-version"}))
	})

	it("takes mix.exs's elixir: requirement", func() {
		file("mix.exs", "defmodule A.MixProject do\n  use Mix.Project\n  def project do\n    [app: :a, elixir: \"~> 1.14\", deps: []]\n  end\nend\n")
		Expect(elixir()).To(Equal(toolchain.Request{Raw: "~> 1.14", Source: "mix.exs"}))
	})

	it("takes an umbrella's children's elixir: requirement when its root declares none, as phx.new --umbrella writes it", func() {
		file("mix.exs", "defmodule U.MixProject do\n  use Mix.Project\n  def project do\n    [apps_path: \"apps\", version: \"0.1.0\", deps: []]\n  end\nend\n")
		file("apps/hello/mix.exs", `def project, do: [app: :hello, elixir: "~> 1.14"]`)
		file("apps/hello_web/mix.exs", `def project, do: [app: :hello_web, elixir: "~> 1.14"]`)
		Expect(elixir()).To(Equal(toolchain.Request{Raw: "~> 1.14", Source: "apps/hello/mix.exs"}))

		file("apps/hello_web/mix.exs", `def project, do: [app: :hello_web, elixir: "~> 1.15"]`)
		Expect(elixir()).To(Equal(toolchain.Request{Raw: "~> 1.14", Source: "apps/hello/mix.exs", Warnings: []string{
			"apps/hello_web/mix.exs asks for Elixir ~> 1.15, apps/hello/mix.exs for ~> 1.14: using ~> 1.14; set BP_ELIXIR_VERSION to choose",
		}}))
	})

	it("warns about an elixir: requirement it cannot read and uses the default", func() {
		file("mix.exs", "def project do\n  [elixir: System.get_env(\"V\")]\nend\n")
		Expect(elixir()).To(Equal(toolchain.Request{Raw: "1.20", Source: "the default", Warnings: []string{
			`Ignoring the elixir: requirement of mix.exs (mix.exs line 2: elixir: is not a string such as "~> 1.18"): set BP_ELIXIR_VERSION to choose the Elixir version`,
		}}))
	})

	when("BP_MIX_PROJECT_PATH names a sub-folder", func() {
		it.Before(func() { env["BP_MIX_PROJECT_PATH"] = "apps/../apps/web/" })

		it("reads the sub-folder's files before the app's", func() {
			file(".tool-versions", "elixir 1.17.3\nerlang 27\n")
			file("apps/web/mix.exs", `def project, do: [elixir: "~> 1.15"]`)
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "1.17.3", Source: ".tool-versions"}))

			file("apps/web/.tool-versions", "elixir 1.16.3\n")
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "1.16.3", Source: "apps/web/.tool-versions"}))
			Expect(otp()).To(Equal(toolchain.Request{Raw: "27", Source: ".tool-versions"}))

			file(".elixir-version", "1.15.8")
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "1.15.8", Source: ".elixir-version"}))
		})

		it("reads mix.exs in the sub-folder", func() {
			file("mix.exs", `def project, do: [elixir: "~> 1.13"]`)
			file("apps/web/mix.exs", `def project, do: [elixir: "~> 1.15"]`)
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "~> 1.15", Source: "apps/web/mix.exs"}))
		})

		it("cannot be walked out of the app", func() {
			env["BP_MIX_PROJECT_PATH"] = "../../etc"
			file("etc/.elixir-version", "1.15.8")
			Expect(elixir()).To(Equal(toolchain.Request{Raw: "1.15.8", Source: "etc/.elixir-version"}))
		})

		it("names the sub-folder in a parse error", func() {
			file("apps/web/.tool-versions", "elixir\n")
			_, err := toolchain.ElixirRequest(app, lookupOf(env), "1.20")
			Expect(err).To(MatchError(`apps/web/.tool-versions: .tool-versions line 1: "elixir" has no version: write lines such as "elixir 1.18.4"`))
		})
	})

	when("a version manager's file is broken", func() {
		it("fails with the parser's line and fix", func() {
			file(".tool-versions", "erlang 27\nelixir\n")
			_, err := toolchain.ElixirRequest(app, lookupOf(env), "1.20")
			Expect(err).To(MatchError(`.tool-versions line 2: "elixir" has no version: write lines such as "elixir 1.18.4"`))
			Expect(headline(err)).To(Equal("Unreadable .tool-versions"))

			file(".tool-versions", "")
			file("mise.toml", "[tools]\nelixir = [\n")
			_, err = toolchain.OTPRequest(app, lookupOf(env))
			Expect(err).To(MatchError(`mise.toml line 3: expected a value: write entries such as elixir = "1.18.4" under [tools]`))
			Expect(headline(err)).To(Equal("Unreadable mise.toml"))
		})

		it("is not read when an earlier source names the version", func() {
			file(".tool-versions", "elixir\n")
			env["BP_ELIXIR_VERSION"] = "1.18"
			Expect(elixir().Raw).To(Equal("1.18"))
		})
	})

	it("reports a version file it cannot read", func() {
		Expect(osMkdir(filepath.Join(app, ".elixir-version"))).To(Succeed())
		_, err := toolchain.ElixirRequest(app, lookupOf(env), "1.20")
		Expect(err).To(MatchError(ContainSubstring("reading .elixir-version")))
	})
}
