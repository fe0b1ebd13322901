package toolversions_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolversions"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "elixir 1.18.4\n", "erlang 27 # c\r\nelixir\t1.18 1.17\n", "# x\n\nnodejs 22", "elixir\n", "\x00", "\ufeffelixir 1", "a b\nа б\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tools, err := toolversions.Parse(data)
		if err != nil {
			return
		}
		for tool, version := range tools {
			for _, s := range []string{tool, version} {
				if s == "" || strings.ContainsFunc(s, unicode.IsSpace) || strings.Contains(s, "#") {
					t.Fatalf("bad entry %q = %q", tool, version)
				}
			}
		}
	})
}

func FuzzParseMise(f *testing.F) {
	for _, s := range []string{
		"",
		"[tools]\nelixir = \"1.18.4\"\nerlang = '27'\n",
		"[tools]\nelixir = [\"1.18\", \"1.17\"]\nerlang = { version = \"27\" }\n",
		"tools.elixir = \"1\"\n[tools.erlang]\nversion = \"27\"\n",
		"[env]\nx = \"\"\"\n[tools]\n\"\"\"\n[tools]\nnode = [\n# c\n'22',\n]\n",
		"[[tasks]]\nrun = '''a'''\n",
		"[tools]\nelixir = \"\\u00e9\\\"\"\n",
		"[tools\n",
		"[tools]\nelixir = [[[[",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tools, err := toolversions.ParseMise(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "mise.toml ") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		for tool, version := range tools {
			if version == "" || version != strings.TrimSpace(version) {
				t.Fatalf("bad version %q for %q", version, tool)
			}
		}
	})
}

func FuzzMixElixir(f *testing.F) {
	for _, s := range []string{
		"",
		"def project do\n  [app: :a, elixir: \"~> 1.14\"]\nend\n",
		"@v \"~> 1.15\"\ndef project, do: [elixir: @v]",
		"# elixir: \"1\"\n@doc \"\"\"\nelixir: \"2\"\n\"\"\"\n[elixir: ~s(~> 1.18)]",
		"[\"elixir\": \"1.18.4\", x: ?\", y: ?#]",
		"\"#{\"#{elixir: \"x\"}\"}\" elixir: \"~> 1.17\"",
		"[elixir: elixir()]",
		"~r/elixir: \"3\"/i elixir: \"1.16.0\"",
		"elixir: \"unterminated",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, line, err := toolversions.MixElixir(data)
		if err != nil {
			if req != "" {
				t.Fatalf("error %v with a requirement %q", err, req)
			}
			return
		}
		if line < 1 || line > strings.Count(string(data), "\n")+1 {
			t.Fatalf("line %d out of range", line)
		}
		if req != strings.TrimSpace(req) || !strings.Contains(string(data), req) {
			t.Fatalf("requirement %q is not trimmed text of the file", req)
		}
	})
}
