package mixlock_test

import (
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixlock"
)

// realLock is the shape Mix 1.14+ writes, with hex, git and rebar3 entries.
const realLock = `%{
  "cowboy": {:hex, :cowboy, "2.10.0", "ff9ffeff91dae4ae270dd975642997afe2a1179d94b1887863e43f681a203e26", [:make, :rebar3], [{:cowlib, "2.12.1", [hex: :cowlib, repo: "hexpm", optional: false]}, {:ranch, "1.8.0", [hex: :ranch, repo: "hexpm", optional: false]}], "hexpm", "3afdccb7183cc6f143cb14d3cf51fa00e53db9ec80cdcd525482f5e99bc41d6b"},
  "jason": {:hex, :jason, "1.4.1", "af1504e35f629ddcdd6addb3513c3853991f694921b1b9368b0bd32beb9f1b63", [:mix], [{:decimal, "~> 1.0 or ~> 2.0", [hex: :decimal, repo: "hexpm", optional: true]}], "hexpm", "fbb01ecdfd565b56261302f7e1fcc27c4fb8f32d56eab74db621fc154604a7a1"},
  "my_json": {:hex, :jason, "1.4.0", "inner", [:mix], [], "myrepo", "outer"},
  "plug": {:git, "https://github.com/elixir-plug/plug.git", "8a5f8a7b2b8e5c1e0d9f1c2b3a4d5e6f7a8b9c0d", [branch: "main"]},
  "shouty": {:git, "git://127.0.0.1:9418/shouty.git", "0123456789abcdef0123456789abcdef01234567", []},
  "tagged": {:git, "https://gitlab.com/a/b.git", "fedcba", [tag: "v1.0.0"]},
}
`

func TestMixlock(t *testing.T) {
	spec.Run(t, "mixlock", func(t *testing.T, context spec.G, it spec.S) {
		Expect := NewWithT(t).Expect

		it("reads hex and git entries as Mix writes them, sorted by name", func() {
			es, err := mixlock.Parse([]byte(realLock))
			Expect(err).NotTo(HaveOccurred())
			Expect(es).To(HaveLen(6))
			Expect(es[0]).To(Equal(mixlock.Entry{Name: "cowboy", SCM: "hex", Package: "cowboy", Version: "2.10.0",
				Inner: "ff9ffeff91dae4ae270dd975642997afe2a1179d94b1887863e43f681a203e26", Repo: "hexpm",
				Outer: "3afdccb7183cc6f143cb14d3cf51fa00e53db9ec80cdcd525482f5e99bc41d6b", Managers: []string{"make", "rebar3"}}))
			Expect(es[2].Package).To(Equal("jason"), "an aliased package keeps its Hex name")
			Expect(es[2].Repo).To(Equal("myrepo"))
			Expect(es[3]).To(Equal(mixlock.Entry{Name: "plug", SCM: "git", URL: "https://github.com/elixir-plug/plug.git",
				Ref: "8a5f8a7b2b8e5c1e0d9f1c2b3a4d5e6f7a8b9c0d", Branch: "main"}))
			Expect(es[4].URL).To(Equal("git://127.0.0.1:9418/shouty.git"))
			Expect(es[5].Tag).To(Equal("v1.0.0"))
		})

		it("reads the older => form, atom keys, comments and an empty map", func() {
			es, err := mixlock.Parse([]byte("# a comment\n%{\"a\" => {:hex, :a, \"0.1.0\", \"x\"}, b: {:git, \"u\", \"r\"}}"))
			Expect(err).NotTo(HaveOccurred())
			Expect(es).To(HaveLen(2))
			Expect(es[0].Version).To(Equal("0.1.0"))
			Expect(es[1].Ref).To(Equal("r"))
			es, err = mixlock.Parse([]byte("%{}\n"))
			Expect(err).NotTo(HaveOccurred())
			Expect(es).To(BeEmpty())
		})

		it("keeps an entry of an unknown shape by name", func() {
			es, err := mixlock.Parse([]byte(`%{"x": {:svn, "u", 3}, "y": "odd"}`))
			Expect(err).NotTo(HaveOccurred())
			Expect(es).To(Equal([]mixlock.Entry{{Name: "x", SCM: "svn"}, {Name: "y"}}))
		})

		it("refuses code: calls, interpolation, sigils", func() {
			for _, src := range []string{
				`%{"a": File.rm_rf!("/")}`,
				`%{"a": {:hex, :a, "#{System.cmd("id", [])}"}}`,
				`%{"a": ~s(x)}`,
				`IO.puts(1)`,
			} {
				_, err := mixlock.Parse([]byte(src))
				Expect(err).To(HaveOccurred(), src)
			}
		})

		it("fails on truncated and deeply nested input with the line", func() {
			_, err := mixlock.Parse([]byte("%{\n\"a\": {:hex, :a"))
			Expect(err).To(MatchError(ContainSubstring("mix.lock line 2")))
			deep := "%{\"a\": " + repeat("[", 1000) + repeat("]", 1000) + "}"
			_, err = mixlock.Parse([]byte(deep))
			Expect(err).To(MatchError(ContainSubstring("nested too deep")))
		})
	}, spec.Report(report.Terminal{}))
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{realLock, "%{}", `%{"a" => 1}`, `%{"a": {:git, "u", "r", [branch: "x"]}}`, `[a: :b, "c": -1.5e3]`, `%{"a": "\"\\#{"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := mixlock.Parse(data)
		if err == nil {
			for _, e := range es {
				_ = e.Name
			}
		}
	})
}
