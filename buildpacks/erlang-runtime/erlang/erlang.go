package erlang

import (
	"path/filepath"

	"github.com/paketo-buildpacks/libpak/v2/sbom"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/archive"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
)

// The OTP tarball has one top folder (OTP-x.y.z/).
func extractOTP(tarball, dest string) error { return archive.ExtractTarGz(tarball, dest, 1) }

func commandInstall(root string) command.Cmd {
	return command.Cmd{Dir: root, Name: filepath.Join(root, "Install"), Args: []string{"-minimal", root}}
}

func (b Build) runner(lookup settings.Lookup) command.Runner {
	return command.Runner{Executor: b.Executor, Logger: b.Logger, Debug: command.DebugEnabled(lookup)}
}

func sbomArtifact(version, sha256, url string) sbom.SyftArtifact {
	return sbom.SyftArtifact{
		ID:       "erlang-otp-" + version,
		Name:     "Erlang/OTP",
		Version:  version,
		Type:     "UnknownPackage",
		FoundBy:  "elixir-buildpacks/erlang-runtime",
		Licenses: []string{"Apache-2.0"},
		CPEs:     []string{"cpe:2.3:a:erlang:erlang\\/otp:" + version + ":*:*:*:*:*:*:*"},
		PURL:     "pkg:generic/erlang-otp@" + version + "?checksum=sha256:" + sha256 + "&download_url=" + url,
	}
}
