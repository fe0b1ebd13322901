package toolversions_test

import (
	"errors"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolversions"
)

const phoenixMixExs = `defmodule MyApp.MixProject do
  use Mix.Project

  # elixir: "~> 0.1" in a comment does not count
  @moduledoc """
  Needs elixir: "~> 9.9", says this heredoc.
  """

  def project do
    [
      app: :my_app,
      version: "0.1.0",
      elixir: "~> 1.14",
      elixirc_paths: elixirc_paths(Mix.env()),
      start_permanent: Mix.env() == :prod,
      aliases: aliases(),
      deps: deps()
    ]
  end

  defp deps do
    [{:phoenix, "~> 1.7.14"}, {:jason, "~> 1.2"}]
  end
end
`

func testMixElixir(t *testing.T, when spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	read := func(src string) (string, int) {
		req, line, err := toolversions.MixElixir([]byte(src))
		Expect(err).NotTo(HaveOccurred())
		return req, line
	}

	it("reads the requirement of a generated project", func() {
		req, line := read(phoenixMixExs)
		Expect(req).To(Equal("~> 1.14"))
		Expect(line).To(Equal(13))
	})

	it("reads every string form and trims it", func() {
		for src, want := range map[string]string{
			`def project, do: [app: :a, elixir: ">= 1.14.0 and < 1.17.0"]`:                                ">= 1.14.0 and < 1.17.0",
			`def project do [elixir: " ~> 1.15 "] end`:                                                    "~> 1.15",
			"def project do\r\n  [\r\n    elixir:\r\n      # why\r\n      \"~> 1.16\",\r\n  ]\r\nend\r\n": "~> 1.16",
			`def project do ["elixir": "~> 1.17"] end`:                                                    "~> 1.17",
			`def project do [elixir: ~s(~> 1.18)] end`:                                                    "~> 1.18",
			`def project do [elixir: ~S"1.18.4"] end`:                                                     "1.18.4",
			"[elixir: \"1.14.0\"]":                                                                        "1.14.0",
			"\ufeffdefmodule A do def project, do: [elixir: \"~> 1.14\"] end":                             "~> 1.14",
		} {
			req, _ := read(src)
			Expect(req).To(Equal(want), src)
		}
	})

	it("follows a module attribute set to a string", func() {
		req, line := read("defmodule A.MixProject do\n  @elixir_requirement \"~> 1.15\"\n  @elixir_requirement \"~> 1.17\"\n  def project do\n    [elixir: @elixir_requirement]\n  end\nend\n")
		Expect(req).To(Equal("~> 1.17"))
		Expect(line).To(Equal(5))
	})

	it("is not fooled by comments, strings, sigils, atoms or character literals", func() {
		src := `defmodule A.MixProject do
  @doc ~S"""
  elixir: "~> 0.1"
  """
  @x "elixir: \"~> 0.2\" #{ "elixir: " <> "~> 0.3" }"
  @c [?", ?#, ?\\, ?}]
  def helper, do: %{:elixir => "~> 0.4", "elixir" => 1}
  def valid?(x), do: x
  def project do
    [deps: [{:dep, "~> 0.5", elixir: nil}] |> other(), elixir: "~> 1.14"] # elixir: "~> 0.6"
  end
end
`
		req, line := read(src)
		Expect(req).To(Equal("~> 1.14"))
		Expect(line).To(Equal(10))

		src2 := `defmodule A.MixProject do
  @doc ~S"""
  elixir: "~> 0.1"
  """
  @x "elixir: \"~> 0.2\" #{ "elixir: " <> "~> 0.3" }"
  @c [?", ?#, ?\\, ?}]
  def helper, do: %{:elixir => "~> 0.4", "elixir" => 1, elixir_x: "1"}
  def valid?(x), do: x
  def project do
    [app: :a, elixir: "~> 1.14"] # elixir: "~> 0.6"
  end
end
`
		req, line = read(src2)
		Expect(req).To(Equal("~> 1.14"))
		Expect(line).To(Equal(10))
	})

	it("takes the key in def project over others", func() {
		req, _ := read(`def other, do: [elixir: "~> 0.9"]
def project, do: [elixir: "~> 1.18"]`)
		Expect(req).To(Equal("~> 1.18"))
	})

	it("says when there is no requirement", func() {
		for _, src := range []string{"", "defmodule A.MixProject do\n  def project, do: [app: :a]\nend\n", `def project, do: [app: :elixir, x: :"elixir"]`, "# elixir: \"1\"\n", `"elixir: \"~> 1.14\""`} {
			_, _, err := toolversions.MixElixir([]byte(src))
			Expect(errors.Is(err, toolversions.ErrNoElixirRequirement)).To(BeTrue(), src)
		}
	})

	it("explains a value it cannot read", func() {
		for src, want := range map[string]string{
			"def project do\n  [elixir: elixir_version()]\nend":      `mix.exs line 2: elixir: is not a string such as "~> 1.18"`,
			"def project do\n  [elixir: \"~> #{@v}\"]\nend":          `mix.exs line 2: elixir: is not a string such as "~> 1.18"`,
			"def project do\n  [elixir: @missing]\nend":              "mix.exs line 2: elixir: is @missing, which is not set to a string before it",
			"def project do\n  [elixir: @late]\nend\n@late \"1.14\"": "mix.exs line 2: elixir: is @late, which is not set to a string before it",
			"def project do [elixir: ":                               "mix.exs line 1: elixir: has no value",
		} {
			_, _, err := toolversions.MixElixir([]byte(src))
			Expect(err).To(MatchError(want), src)
		}
		_, _, err := toolversions.MixElixir([]byte("\x00\x01"))
		Expect(err).To(MatchError("mix.exs is not a text file"))
	})

	it("survives unterminated strings, sigils and interpolations", func() {
		for _, src := range []string{`[elixir: "~> 1.14`, `~s(`, `"#{`, `"#{"#{"#{`, `?`, `?\`, `~`, `~s`, `@`, `"""`, `elixir:`, "~S'''\n"} {
			_, _, _ = toolversions.MixElixir([]byte(src))
		}
	})
}
