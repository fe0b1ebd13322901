// Package toolchain decides which Erlang/OTP and Elixir builds an app gets
// and installs them into layers. erlang-runtime and elixir-runtime share it,
// so both read the user's wishes the same way.
package toolchain

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolversions"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

const (
	ElixirVersionVar = "BP_ELIXIR_VERSION"
	ErlangVersionVar = "BP_ERLANG_VERSION"
	// ProjectPathVar is mix-release's setting for a mix.exs in a
	// sub-folder; version files are looked for there first.
	ProjectPathVar = "BP_MIX_PROJECT_PATH"

	// SourceDefault marks a request no source made.
	SourceDefault = "the default"

	// DefaultElixirKey is the build plan metadata in which elixir-runtime,
	// which owns the default Elixir (its buildpack.toml), hands it to
	// erlang-runtime, which picks the OTP for it.
	DefaultElixirKey = "default-elixir"
)

// Request is what the user asked for and where it was said.
type Request struct {
	Raw    string // empty when no source names a version
	Source string // the variable or file, e.g. ".tool-versions" or "apps/web/mix.exs"
	// Warnings are for the log: sources that were skipped, and why.
	Warnings []string
}

// Explicit is true when a user source named the version.
func (r Request) Explicit() bool { return r.Source != SourceDefault }

// ElixirRequest reads the Elixir version the app asks for. The first
// source that names one wins: BP_ELIXIR_VERSION, .elixir-version, the
// version managers' files (mise.toml, .mise.toml, .tool-versions: one
// rank), the elixir: requirement in mix.exs, else def, the default that
// elixir-runtime's buildpack.toml gives BP_ELIXIR_VERSION (see
// DefaultElixirKey).
func ElixirRequest(appDir string, lookup settings.Lookup, def string) (Request, error) {
	req, err := request(appDir, lookup, ElixirVersionVar, ".elixir-version", "elixir")
	if err != nil || req.Raw != "" {
		return req, err
	}
	dir := projectDir(appDir, lookup)
	data, err := os.ReadFile(filepath.Join(dir, "mix.exs"))
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return Request{}, fmt.Errorf("reading mix.exs: %w", err)
	default:
		r, _, err := toolversions.MixElixir(data)
		switch {
		case err == nil && r != "":
			return Request{Raw: r, Source: label(appDir, dir, "mix.exs"), Warnings: req.Warnings}, nil
		case err != nil && !errors.Is(err, toolversions.ErrNoElixirRequirement):
			req.Warnings = append(req.Warnings, fmt.Sprintf("Ignoring the elixir: requirement of %s (%v): set %s to choose the Elixir version",
				label(appDir, dir, "mix.exs"), err, ElixirVersionVar))
		default:
			if child, ok := umbrellaRequirement(appDir, dir, &req); ok {
				return child, nil
			}
		}
	}
	return Request{Raw: strings.TrimSpace(def), Source: SourceDefault, Warnings: req.Warnings}, nil
}

// umbrellaRequirement is the elixir: requirement of an umbrella's
// children, for a root mix.exs that declares none (as `mix phx.new
// --umbrella` writes it: only apps/*/mix.exs say "~> 1.14"). The first
// child in name order that declares one gives it; a child that asks for
// another requirement gets a warning, since one Elixir builds them all.
func umbrellaRequirement(appDir, dir string, req *Request) (Request, bool) {
	children, _ := filepath.Glob(filepath.Join(dir, "apps", "*", "mix.exs"))
	sort.Strings(children)
	var found Request
	for _, c := range children {
		data, err := os.ReadFile(c)
		if err != nil {
			continue
		}
		r, _, err := toolversions.MixElixir(data)
		if err != nil || r == "" {
			continue
		}
		rel, _ := filepath.Rel(dir, c)
		src := label(appDir, dir, filepath.ToSlash(rel))
		switch {
		case found.Raw == "":
			found = Request{Raw: r, Source: src, Warnings: req.Warnings}
		case r != found.Raw:
			found.Warnings = append(found.Warnings, fmt.Sprintf("%s asks for Elixir %s, %s for %s: using %s; set %s to choose",
				src, r, found.Source, found.Raw, found.Raw, ElixirVersionVar))
		}
	}
	return found, found.Raw != ""
}

// OTPRequest reads the Erlang/OTP version the app asks for:
// BP_ERLANG_VERSION, .erlang-version, the version managers' files, else
// no request (Raw is empty: the newest OTP the chosen Elixir supports).
func OTPRequest(appDir string, lookup settings.Lookup) (Request, error) {
	req, err := request(appDir, lookup, ErlangVersionVar, ".erlang-version", "erlang")
	if err != nil || req.Raw != "" {
		return req, err
	}
	req.Source = SourceDefault
	return req, nil
}

// projectDir is where mix.exs is, for the runtimes' version files.
func projectDir(appDir string, lookup settings.Lookup) string {
	return ProjectDir(appDir, lookup.Get(ProjectPathVar))
}

// ProjectDir is where mix.exs is: the BP_MIX_PROJECT_PATH value sub (blanks
// around it ignored) under the app, never above it; or the app itself.
// Every buildpack that needs the Mix project's folder asks this one
// function, so they cannot disagree on it.
func ProjectDir(appDir, sub string) string {
	if sub = strings.TrimSpace(sub); sub != "" {
		return filepath.Join(appDir, filepath.Clean("/"+sub))
	}
	return appDir
}

// dirs are the folders version files are read from: the Mix project's,
// then the app's, so a monorepo may pin versions at either level.
func dirs(appDir string, lookup settings.Lookup) []string {
	if p := projectDir(appDir, lookup); p != appDir {
		return []string{p, appDir}
	}
	return []string{appDir}
}

// label names a file for the log, relative to the app.
func label(appDir, dir, name string) string {
	if rel, err := filepath.Rel(appDir, filepath.Join(dir, name)); err == nil {
		return filepath.ToSlash(rel)
	}
	return name
}

// request reads the sources both tools share; Raw is empty when none names
// a version.
func request(appDir string, lookup settings.Lookup, envVar, versionFile, tool string) (Request, error) {
	if v, ok := lookup(envVar); ok && strings.TrimSpace(v) != "" {
		return Request{Raw: strings.TrimSpace(v), Source: envVar}, nil
	}
	folders := dirs(appDir, lookup)
	for _, dir := range folders {
		v, err := readVersionFile(filepath.Join(dir, versionFile))
		if err != nil {
			return Request{}, err
		}
		if v != "" {
			return Request{Raw: v, Source: label(appDir, dir, versionFile)}, nil
		}
	}
	// mise reads its own files before .tool-versions; a build does too.
	managers := []struct {
		name  string
		parse func([]byte) (map[string]string, error)
	}{
		{"mise.toml", toolversions.ParseMise},
		{".mise.toml", toolversions.ParseMise},
		{".tool-versions", toolversions.Parse},
	}
	for _, dir := range folders {
		for _, m := range managers {
			data, err := os.ReadFile(filepath.Join(dir, m.name))
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				return Request{}, fmt.Errorf("reading %s: %w", label(appDir, dir, m.name), err)
			}
			tools, err := m.parse(data)
			if err != nil {
				// The parsers' messages name the line and the fix.
				cause := err.Error()
				if dir != appDir {
					cause = label(appDir, dir, m.name) + ": " + cause
				}
				return Request{}, usererr.New("Unreadable "+m.name, cause, "")
			}
			if v := tools[tool]; v != "" {
				return Request{Raw: v, Source: label(appDir, dir, m.name)}, nil
			}
		}
	}
	return Request{}, nil
}

// readVersionFile returns the first line of a one-version file such as
// .elixir-version, ignoring comments and blank lines.
func readVersionFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", filepath.Base(path), err)
	}
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	for sc.Scan() {
		line := strings.TrimSpace(strings.SplitN(sc.Text(), "#", 2)[0])
		if line != "" {
			// "1.18.4 1.17.3" as in .tool-versions: the first counts.
			return strings.Fields(line)[0], nil
		}
	}
	return "", nil
}
