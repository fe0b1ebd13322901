package toolversions_test

import (
	"iter"
	"maps"
	"slices"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolversions"
)

func testParse(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	parse := func(s string) map[string]string {
		tools, err := toolversions.Parse([]byte(s))
		Expect(err).NotTo(HaveOccurred())
		return tools
	}

	it("reads tools and versions", func() {
		Expect(parse("erlang 27.3.4\nelixir 1.18.4-otp-27\nnodejs 22.11.0\n")).To(Equal(map[string]string{
			"erlang": "27.3.4", "elixir": "1.18.4-otp-27", "nodejs": "22.11.0",
		}))
	})

	it("takes the first of several versions", func() {
		Expect(parse("elixir 1.18.4 1.17.3 system\n")).To(Equal(map[string]string{"elixir": "1.18.4"}))
	})

	it("skips comments and blank lines", func() {
		Expect(parse("# pinned for CI\n\n   \nerlang 27 # latest 27\n  # elixir 1.10\nelixir 1.18#no space\n")).To(Equal(map[string]string{
			"erlang": "27", "elixir": "1.18",
		}))
	})

	it("copes with CRLF, tabs, runs of spaces and no final newline", func() {
		Expect(parse("erlang\t27.3.4\r\n  elixir    1.18.4  \r\nnodejs \t 22")).To(Equal(map[string]string{
			"erlang": "27.3.4", "elixir": "1.18.4", "nodejs": "22",
		}))
	})

	it("lets the first line win when a tool repeats", func() {
		Expect(parse("elixir 1.18.4\nelixir 1.17.3\n")).To(Equal(map[string]string{"elixir": "1.18.4"}))
	})

	it("ignores a byte-order mark", func() {
		Expect(parse("\ufeffelixir 1.18.4\n")).To(Equal(map[string]string{"elixir": "1.18.4"}))
	})

	it("passes through versions it does not interpret", func() {
		Expect(parse("elixir ref:v1.18.4\nerlang system\n")).To(Equal(map[string]string{"elixir": "ref:v1.18.4", "erlang": "system"}))
	})

	it("gives an empty map for an empty or comment-only file", func() {
		Expect(parse("")).To(BeEmpty())
		Expect(parse("")).NotTo(BeNil())
		Expect(parse("# nothing\n\n")).To(BeEmpty())
	})

	it("names the line of a tool without a version", func() {
		_, err := toolversions.Parse([]byte("erlang 27\n\nelixir # todo\n"))
		Expect(err).To(MatchError(`.tool-versions line 3: "elixir" has no version: write lines such as "elixir 1.18.4"`))
	})

	for name, data := range sorted(map[string][]byte{
		"a NUL byte":   []byte("elixir 1.18.4\x00\n"),
		"invalid UTF8": {'e', 0xff, 0xfe, '\n'},
		"a gzip file":  {0x1f, 0x8b, 0x08, 0x00, 0x00},
	}) {
		it("refuses "+name, func() {
			_, err := toolversions.Parse(data)
			Expect(err).To(MatchError(`.tool-versions is not a text file: remove it or write lines such as "elixir 1.18.4"`))
		})
	}
}

func testParseMise(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	parse := func(s string) map[string]string {
		tools, err := toolversions.ParseMise([]byte(s))
		Expect(err).NotTo(HaveOccurred())
		return tools
	}

	it("reads strings, arrays and inline tables", func() {
		Expect(parse(`[tools]
elixir = "1.18.4"
erlang = '27'
node = ["22", "20"]
"npm:prettier" = { version = "3.3", os = ["linux"] }
`)).To(Equal(map[string]string{"elixir": "1.18.4", "erlang": "27", "node": "22", "npm:prettier": "3.3"}))
	})

	it("reads only the [tools] table", func() {
		Expect(parse(`min_version = "2024.1.0"
elixir = "0.0.1"

[env]
MIX_ENV = "prod"
elixir = "9.9"

[tools]
elixir = "1.18"

[settings]
erlang = "1"

[[tasks.build]]
elixir = "2"
`)).To(Equal(map[string]string{"elixir": "1.18"}))
	})

	it("tolerates comments, blank lines, CRLF and spacing", func() {
		Expect(parse("# mise config\r\n\r\n[ tools ]  # pinned\r\n\r\n  elixir=\"1.18.4\"   # latest\r\n\terlang   =   \"27.3\"\r\n# node = \"1\"\r\n")).To(Equal(map[string]string{
			"elixir": "1.18.4", "erlang": "27.3",
		}))
	})

	it("reads arrays and inline tables across lines, with comments", func() {
		Expect(parse(`[tools]
elixir = [
  # newest first
  "1.18", # current
  "1.17",
]
erlang = {
  version = "27",
}
`)).To(Equal(map[string]string{"elixir": "1.18", "erlang": "27"}))
	})

	it("reads dotted spellings of a tool", func() {
		Expect(parse(`tools.elixir = "1.18.4"
[tools.erlang]
version = "27"
os = ["linux"]
[tools]
node.version = "22"
`)).To(Equal(map[string]string{"elixir": "1.18.4", "erlang": "27", "node": "22"}))
	})

	it("takes a bare value as written", func() {
		Expect(parse("[tools]\nerlang = 27\n")).To(Equal(map[string]string{"erlang": "27"}))
	})

	it("decodes escapes in basic strings", func() {
		Expect(parse("[tools]\n\"eli\\u0078ir\" = \"1.18\\t\"\n")).To(Equal(map[string]string{"elixir": "1.18"}))
	})

	it("lets the first entry win when a tool repeats", func() {
		Expect(parse("[tools]\nelixir = \"1.18\"\n[tools]\nelixir = \"1.17\"\n")).To(Equal(map[string]string{"elixir": "1.18"}))
	})

	it("skips entries that name no version", func() {
		Expect(parse("[tools]\nelixir = []\nerlang = { path = \"/opt\" }\nnode = \"\"\n")).To(BeEmpty())
	})

	it("steps over multi-line strings and oddities in other tables", func() {
		Expect(parse(`[tasks.release]
run = """
[tools]
elixir = "0.1"
"""
literal = '''
erlang = "0"
'''
date = 1979-05-27 07:32:00Z
broken = = 
[tools]
elixir = "1.18"
`)).To(Equal(map[string]string{"elixir": "1.18"}))
	})

	it("gives an empty map for an empty file or one without tools", func() {
		Expect(parse("")).To(BeEmpty())
		Expect(parse("")).NotTo(BeNil())
		Expect(parse("[env]\nA = \"b\"\n")).To(BeEmpty())
	})

	for name, c := range sorted(map[string]struct{ in, err string }{
		"an unterminated string": {"[tools]\nelixir = \"1.18\n", `mise.toml line 2: unterminated string: write entries such as elixir = "1.18.4" under [tools]`},
		"a missing =":            {"[tools]\n\nelixir \"1.18\"\n", `mise.toml line 3: expected = after the name: write entries such as elixir = "1.18.4" under [tools]`},
		"trailing text":          {"[tools]\nelixir = \"1.18\" \"1.17\"\n", `mise.toml line 2: unexpected '"' after the value: write entries such as elixir = "1.18.4" under [tools]`},
		"an unclosed array":      {"[tools]\nelixir = [\"1.18\"\n", `mise.toml line 3: expected , or ']': write entries such as elixir = "1.18.4" under [tools]`},
		"a missing value":        {"[tools]\nelixir =\n", `mise.toml line 2: expected a value: write entries such as elixir = "1.18.4" under [tools]`},
		"a broken header":        {"[env]\nA = \"b\"\n[tools\nelixir = \"1\"\n", `mise.toml line 3: table header without a closing "]": write entries such as elixir = "1.18.4" under [tools]`},
		"a dotted root key":      {"tools.elixir = [\n", `mise.toml line 2: expected a value: write entries such as elixir = "1.18.4" under [tools]`},
		"a bad escape":           {"[tools]\nelixir = \"\\q\"\n", `mise.toml line 2: bad escape in "\\q": write entries such as elixir = "1.18.4" under [tools]`},
	}) {
		it("reports "+name+" inside [tools]", func() {
			_, err := toolversions.ParseMise([]byte(c.in))
			Expect(err).To(MatchError(c.err))
		})
	}

	it("refuses deep nesting", func() {
		_, err := toolversions.ParseMise([]byte("[tools]\nelixir = " + strings.Repeat("[", 100)))
		Expect(err).To(MatchError(ContainSubstring("nested too deeply")))
	})

	it("refuses binary content", func() {
		_, err := toolversions.ParseMise([]byte("[tools]\x00"))
		Expect(err).To(MatchError(`mise.toml is not a text file: remove it or write a [tools] table with lines such as elixir = "1.18.4"`))
	})
}

// sorted ranges over m by key: spec finds each "it" by its position on
// every run of a suite, so table tests need a stable order.
func sorted[V any](m map[string]V) iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}
