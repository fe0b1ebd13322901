//go:build integration

package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

// TestBadInput is issue 6's table of bad input: each row is a real pack
// build of a small app or setting, and asserts the exact line the user
// reads and that the build fails (or, for an empty .tool-versions, that it
// builds with the defaults). The unit-level golden tests of the same
// messages are in internal/toolchain, internal/toolversions and
// buildpacks/mix-release/mix; this table proves what pack users see.
func TestBadInput(t *testing.T) {
	index := serveIndex(env("INDEX_DIR"))
	defer index.Close()

	// base is a small release app (runtimes_mix_requirement: elixir "~> 1.14",
	// one release) that each row changes.
	const base = "runtimes_mix_requirement"
	const mixExs = `defmodule Bad.MixProject do
  use Mix.Project
  def project do
    [app: :bad, version: "0.1.0", elixir: "~> 1.14", deps: []
  end
end
`
	const hexDep = `defmodule RuntimesMixRequirement.MixProject do
  use Mix.Project
  def project do
    [app: :runtimes_mix_requirement, version: "0.1.0", elixir: "~> 1.14", deps: [{:jason, "~> 1.4"}]]
  end
end
`
	const hexLock = `%{
  "jason": {:hex, :jason, "1.4.4", "b9226785a9aa77b6857ca22832cffa5d5011a667207eb2a0ad56adb5db443b8a", [:mix], [], "hexpm", "c5eb0cab91f094599f94d55bc63409236a8ec69a21a67814529e8d5f6cc90b3b"},
}
`
	rows := []struct {
		name  string
		app   string            // a testdata app, copied; "" for an empty folder
		files map[string]string // written over the copy ("" removes the file)
		env   []string
		ok    bool     // the build succeeds
		lines []string // contiguous lines of the output, each a substring of its line
		also  []string // more substrings of the output
		none  []string // substrings the output must not hold
	}{
		{
			name:  "no mix.exs",
			files: map[string]string{"README.md": "not a Mix project\n"},
			lines: []string{"SKIPPED: no mix.exs in the app root: this is not a Mix project (set BP_MIX_PROJECT_PATH if mix.exs is in a sub-folder)"},
			also:  []string{"fail: elixir-buildpacks/mix-release", "ERROR: No buildpack groups passed detection."},
		},
		{
			name:  "a mix.exs that does not compile",
			app:   base,
			files: map[string]string{"mix.exs": mixExs},
			lines: []string{
				"ERROR: Mix could not load the project",
				"loading mix.exs with Mix failed (its error is above): fix mix.exs so that mix can load it (mix help runs), then build again",
			},
			also: []string{"** (MismatchedDelimiterError) mismatched delimiter found on mix.exs:5:3:"},
		},
		{
			name: "an unparsable version",
			app:  base,
			env:  []string{"BP_ELIXIR_VERSION=abc"},
			lines: []string{
				"ERROR: Unparsable Elixir version",
				`BP_ELIXIR_VERSION asks for Elixir "abc", which is not a version: write one such as 1.18, 1.18.4, 1.18.4-otp-27 or ~> 1.17`,
			},
			none: []string{"Downloading"},
		},
		{
			name:  "an unparsable Erlang/OTP version in .tool-versions",
			app:   base,
			files: map[string]string{".tool-versions": "erlang twenty-five\n"},
			lines: []string{
				"ERROR: Unparsable Erlang/OTP version",
				`.tool-versions asks for Erlang/OTP "twenty-five", which is not a version: write one such as 27, 27.3, 27.3.4 or OTP-27.3.4`,
			},
			none: []string{"Downloading"},
		},
		{
			name: "an unknown version",
			app:  base,
			env:  []string{"BP_ELIXIR_VERSION=1.15.8"},
			lines: []string{
				"ERROR: Elixir version not available",
				"has no Elixir 1.15.8 (from BP_ELIXIR_VERSION); the nearest it has: " + newElixir + ", 1.14.0;",
			},
			none: []string{"Downloading"},
		},
		{
			name: "an incompatible pair",
			app:  base,
			env:  []string{"BP_ELIXIR_VERSION=1.14.0", "BP_ERLANG_VERSION=27"},
			lines: []string{
				"ERROR: Incompatible Elixir and Erlang/OTP",
				"Elixir 1.14.0 (from BP_ELIXIR_VERSION) does not support Erlang/OTP 27 (from BP_ERLANG_VERSION); it supports Erlang/OTP 23 to 25: use Erlang/OTP 23 to 25 with Elixir 1.14.0, or an Elixir that supports Erlang/OTP 27",
			},
			none: []string{"Downloading"},
		},
		{
			name: "several releases and none chosen",
			app:  "umbrella_releases",
			lines: []string{
				"ERROR: Several releases",
				"mix.exs declares several releases (web, worker) and none was chosen: set RELEASE (or BP_MIX_RELEASE_NAME) to one of them, for example pack build -e RELEASE=web",
			},
			none: []string{"Running: mix deps.get"},
		},
		{
			name: "an unknown release",
			app:  base,
			env:  []string{"RELEASE=nope"},
			lines: []string{
				"ERROR: No such release",
				"RELEASE=nope names no release of mix.exs, which declares runtimes_mix_requirement: set RELEASE to one of those",
			},
			none: []string{"Running: mix deps.get"},
		},
		{
			name: "a release an app that declares none does not have",
			app:  "mix_runtime",
			env:  []string{"BP_MIX_RELEASE=true", "RELEASE=nope"},
			lines: []string{
				"ERROR: No such release",
				"RELEASE=nope names no release: mix.exs declares none, so the only release is greeter; unset RELEASE, or declare the release under releases: in mix.exs",
			},
			none: []string{"Running: mix deps.get"},
		},
		{
			// Read before Mix runs, Phoenix app or not: a typo fails fast.
			name: "a yes-or-no setting that is neither",
			app:  base,
			env:  []string{"BP_PHOENIX_ASSETS=maybe"},
			lines: []string{
				"ERROR: Invalid setting",
				"BP_PHOENIX_ASSETS=maybe is neither true nor false: set it to true, false, 1, 0, yes or no (in any case), or unset it",
			},
			none: []string{"Running: mix deps.get"},
		},
		{
			name:  "an app that does not compile",
			app:   base,
			files: map[string]string{"lib/broken.ex": "defmodule Broken do\n  def f, do: undefined_variable_here\nend\n"},
			lines: []string{
				"ERROR: Mix failed",
				"mix compile failed (its output is above): fix the error Mix reports, then build again",
			},
			also: []string{"lib/broken.ex:2", "undefined_variable_here"},
		},
		{
			name:  "Hex needed while offline",
			app:   base,
			files: map[string]string{"mix.exs": hexDep, "mix.lock": hexLock},
			env:   []string{"HEX_OFFLINE=1"},
			// The index serves Hex itself (as builds.hex.pm does); the
			// package is what nothing holds: Hex says so, and the build
			// says it in one line after Mix's.
			lines: []string{
				"ERROR: Hex needed while offline",
				"mix deps.get needs the Hex package jason, which is not cached, and HEX_OFFLINE is set: build once with HEX_OFFLINE unset so the deps are cached, or commit deps/, or unset HEX_OFFLINE",
			},
			also: []string{"Hex is running in offline mode and the registry entry for package jason is not cached locally"},
			none: []string{"ERROR: Mix failed"},
		},
		{
			name:  "a binary .tool-versions",
			app:   base,
			files: map[string]string{".tool-versions": "\x00\x01\x02elixir\xff\xfe 1.14\n"},
			lines: []string{
				"ERROR: Unreadable .tool-versions",
				`.tool-versions is not a text file: remove it or write lines such as "elixir 1.18.4"`,
			},
			none: []string{"Downloading"},
		},
		{
			name:  "an empty .tool-versions builds with the defaults",
			app:   base,
			files: map[string]string{".tool-versions": ""},
			ok:    true,
			also: []string{
				`Elixir ` + newElixir + ` from mix.exs (asked for "~> 1.14")`,
				"Erlang/OTP " + newOTP + " from the default",
			},
		},
	}

	logs := filepath.Join(os.TempDir(), "elixir-bp-badinput")
	_ = os.MkdirAll(logs, 0o755)
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			Expect := NewWithT(t).Expect
			app := filepath.Join(t.TempDir(), "app")
			if row.app != "" {
				copyDir(t, filepath.Join("testdata", row.app), app)
			}
			for name, content := range row.files {
				path := filepath.Join(app, name)
				if content == "" && row.app != "" && name != ".tool-versions" {
					_ = os.Remove(path)
					continue
				}
				Expect(os.MkdirAll(filepath.Dir(path), 0o755)).To(Succeed())
				Expect(os.WriteFile(path, []byte(content), 0o644)).To(Succeed())
			}
			image := randomName("elixir-bp-it-bad")
			defer removeImage(image)
			var extra []string
			for _, e := range row.env {
				extra = append(extra, "-e", e)
			}
			b := &build{Image: image, App: app, Index: index.URL, Extra: extra}
			err := b.Run()
			_ = os.WriteFile(filepath.Join(logs, strings.ReplaceAll(row.name, " ", "_")+".log"), []byte(b.Output), 0o644)
			if row.ok {
				Expect(err).NotTo(HaveOccurred(), b.Output)
			} else {
				Expect(err).To(HaveOccurred(), b.Output)
			}
			if len(row.lines) > 0 {
				Expect(b.Output).To(ContainLines(row.lines...), b.Output)
			}
			for _, s := range row.also {
				Expect(b.Output).To(ContainSubstring(s), b.Output)
			}
			for _, s := range row.none {
				Expect(b.Output).NotTo(ContainSubstring(s), b.Output)
			}
		})
	}
}
