// Package erlang is the erlang-runtime buildpack: it installs Erlang/OTP
// from a builds.hex.pm-shaped index into a layer.
package erlang

import (
	"path/filepath"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/archive"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
)

// The OTP tarball has one top folder (OTP-x.y.z/).
func extractOTP(tarball, dest string) error { return archive.ExtractTarGz(tarball, dest, 1) }

func commandInstall(root string) command.Cmd {
	return command.Cmd{Dir: root, Name: filepath.Join(root, "Install"), Args: []string{"-minimal", root}}
}

func (b Build) runner(lookup settings.Lookup) command.Runner {
	return command.Runner{Executor: b.Executor, Logger: b.Logger, Debug: command.DebugEnabled(lookup)}
}

func sbomEntry(version, url string) toolchain.SBOMEntry {
	return toolchain.SBOMEntry{
		ID:      "erlang-otp-" + version,
		Name:    "erlang-otp",
		Title:   "Erlang/OTP",
		Version: version,
		License: "Apache-2.0",
		CPE:     "cpe:2.3:a:erlang:erlang\\/otp:" + version + ":*:*:*:*:*:*:*",
		FoundBy: "elixir-buildpacks/erlang-runtime",
		URL:     url,
	}
}
