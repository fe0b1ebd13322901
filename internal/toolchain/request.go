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
	"strings"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolversions"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

const (
	ElixirVersionVar = "BP_ELIXIR_VERSION"
	ErlangVersionVar = "BP_ERLANG_VERSION"

	// SourceDefault marks a request no source made.
	SourceDefault = "the default"
)

// Request is what the user asked for and where it was said.
type Request struct {
	Raw    string // empty when no source names a version
	Source string
}

// Explicit is true when a user source named the version.
func (r Request) Explicit() bool { return r.Source != SourceDefault }

// ElixirRequest: BP_ELIXIR_VERSION, .elixir-version, .tool-versions, else
// the default. The first source that names a version wins.
func ElixirRequest(appDir string, lookup settings.Lookup) (Request, error) {
	return request(appDir, lookup, ElixirVersionVar, ".elixir-version", "elixir", versions.DefaultElixir)
}

// OTPRequest: BP_ERLANG_VERSION, .erlang-version, .tool-versions, else no
// request (the newest OTP the chosen Elixir supports).
func OTPRequest(appDir string, lookup settings.Lookup) (Request, error) {
	return request(appDir, lookup, ErlangVersionVar, ".erlang-version", "erlang", "")
}

func request(appDir string, lookup settings.Lookup, envVar, versionFile, tool, def string) (Request, error) {
	if v, ok := lookup(envVar); ok && strings.TrimSpace(v) != "" {
		return Request{Raw: strings.TrimSpace(v), Source: envVar}, nil
	}
	if v, err := readVersionFile(filepath.Join(appDir, versionFile)); err != nil {
		return Request{}, err
	} else if v != "" {
		return Request{Raw: v, Source: versionFile}, nil
	}
	data, err := os.ReadFile(filepath.Join(appDir, ".tool-versions"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return Request{}, fmt.Errorf("reading .tool-versions: %w", err)
	}
	if err == nil {
		tools, err := toolversions.Parse(data)
		if err != nil {
			return Request{}, usererr.New("Unreadable .tool-versions", err.Error(), "fix the file and build again")
		}
		if v := tools[tool]; v != "" {
			return Request{Raw: v, Source: ".tool-versions"}, nil
		}
	}
	return Request{Raw: def, Source: SourceDefault}, nil
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
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(strings.SplitN(sc.Text(), "#", 2)[0])
		if line != "" {
			return line, nil
		}
	}
	return "", nil
}
