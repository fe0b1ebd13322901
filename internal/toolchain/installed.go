package toolchain

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

// InstalledOTP reads the full OTP version of the Erlang on PATH from its
// releases/*/OTP_VERSION file, so Elixir is matched to what erlang-runtime
// really installed rather than to what it was asked for.
func InstalledOTP(lookPath func(string) (string, error)) (versions.Version, error) {
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	erl, err := lookPath("erl")
	if err != nil {
		return versions.Version{}, fmt.Errorf("no erl on PATH: the erlang-runtime buildpack must run before elixir-runtime")
	}
	if resolved, err := filepath.EvalSymlinks(erl); err == nil {
		erl = resolved
	}
	root := filepath.Dir(filepath.Dir(erl))
	matches, _ := filepath.Glob(filepath.Join(root, "releases", "*", "OTP_VERSION"))
	if len(matches) == 0 {
		return versions.Version{}, fmt.Errorf("no releases/*/OTP_VERSION under %s: the Erlang installation is incomplete", root)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		return versions.Version{}, err
	}
	return versions.ParseOTP(strings.TrimSpace(string(data)))
}
