package toolchain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/archive"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// Downloader fetches a file of the index and checks its sha256 before
// anything is written where the caller asked; it returns where the file
// came from. hexbuilds.Index is one.
type Downloader interface {
	Download(ctx context.Context, relPath, wantSHA256, destPath string) (string, error)
}

// InstallLayer installs one toolchain archive from the index into a layer.
// Its metadata (version, build, sha256, target) is the cache key: the layer
// is reused while they match and replaced whole when any changes.
type InstallLayer struct {
	LayerName string
	Product   string // "Erlang/OTP" or "Elixir"
	Version   string // "25.2.3"
	Build     string // the index's name for the build: OTP-25.2.3, v1.14.0-otp-25
	SHA256    string // from the index; empty only when unverified downloads are allowed
	Target    string // amd64/ubuntu-22.04
	Index     Downloader
	RelPath   string // the archive, relative to the index base
	Launch    bool
	// AllowUnverified lets an archive with no sha256 in, as
	// BP_ALLOW_UNVERIFIED_DOWNLOADS=true does; Env.CheckVerifiable
	// has refused or warned before this point.
	AllowUnverified bool
	// Extract unpacks the verified archive into the layer.
	Extract func(archive, dest string) error
	// Finish runs after extraction (OTP's Install step); may be nil.
	Finish func(layerPath string) error
	SBOM   SBOMEntry
	Logger log.Logger
}

// Name is the layer's name.
func (l InstallLayer) Name() string { return l.LayerName }

// Title is how the log names the layer: "Erlang/OTP 25.2.3".
func (l InstallLayer) Title() string { return l.Product + " " + l.Version }

// Metadata is what the layer is keyed by.
func (l InstallLayer) Metadata() map[string]interface{} {
	return map[string]interface{}{"version": l.Version, "build": l.Build, "sha256": l.SHA256, "target": l.Target}
}

// Contribute downloads, verifies and installs the archive, unless the cached
// layer already holds the same build, and writes the layer's SBOM.
func (l InstallLayer) Contribute(layer *libcnb.Layer) error {
	if l.SHA256 == "" && !l.AllowUnverified {
		return usererr.New("Unverifiable download refused",
			fmt.Sprintf("the index lists no sha256 for %s, so its download cannot be verified", l.Build),
			fmt.Sprintf("ask for a version whose line has a sha256, or set %s=true to install it unverified", AllowUnverifiedVar))
	}
	if why := l.Changed(layer.Metadata); why != "" {
		l.Logger.Headerf("Clearing cache: %s", why)
	}
	types := libcnb.LayerTypes{Build: true, Cache: true, Launch: l.Launch}
	lc := libpak.NewLayerContributor(l.Title(), l.Metadata(), types, l.Logger)
	err := lc.Contribute(layer, func(layer *libcnb.Layer) error {
		if err := l.install(layer.Path); err != nil {
			// Leave nothing half-installed behind; the failed build
			// exports no cache, so the cached layer stays as it was.
			_ = os.RemoveAll(layer.Path)
			_ = os.MkdirAll(layer.Path, 0o755)
			for _, f := range []libcnb.SBOMFormat{libcnb.SyftJSON, libcnb.CycloneDXJSON} {
				_ = os.Remove(layer.SBOMPath(f))
			}
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Written on every build, reused or not, so the SBOM always matches
	// the layer.
	return l.SBOM.Write(*layer, l.SHA256)
}

func (l InstallLayer) install(dest string) error {
	tmp, err := os.MkdirTemp("", "toolchain-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	file := filepath.Join(tmp, filepath.Base(l.RelPath))
	l.Logger.Bodyf("Downloading %s", l.RelPath)
	began := time.Now()
	source, err := l.Index.Download(context.Background(), l.RelPath, l.SHA256, file)
	if err != nil {
		return err
	}
	took := command.Completed(time.Since(began))
	if l.SHA256 != "" {
		l.Logger.Bodyf("Downloaded %s, sha256 %s verified", source, l.SHA256)
	} else {
		l.Logger.Bodyf("Downloaded %s, NOT verified: the index lists no sha256", source)
	}
	l.Logger.Body(took)
	if err := l.Extract(file, dest); err != nil {
		if errors.Is(err, archive.ErrOutside) {
			// The sum came from the same index as the archive, so a
			// verified download can still be hostile.
			return usererr.New("Unsafe archive refused",
				fmt.Sprintf("%s from %s: %s", filepath.Base(l.RelPath), source, err),
				"nothing was installed from it; point HEX_BUILDS_URL at an index you trust")
		}
		return fmt.Errorf("extracting %s: %w", filepath.Base(l.RelPath), err)
	}
	if l.Finish != nil {
		return l.Finish(dest)
	}
	return nil
}

// Changed says why a restored layer no longer fits, heroku-style:
// "Erlang/OTP 25.2.3 → 26.2.5 (version changed)". Empty when it fits or
// when nothing was restored.
func (l InstallLayer) Changed(old map[string]interface{}) string {
	if len(old) == 0 {
		return ""
	}
	get := func(k string) string { s, _ := old[k].(string); return s }
	var why []string
	if get("version") != l.Version {
		why = append(why, "version changed")
	}
	if get("build") != l.Build && get("version") == l.Version {
		why = append(why, "build changed")
	}
	if get("sha256") != l.SHA256 && get("build") == l.Build && get("version") == l.Version {
		why = append(why, "the index's sha256 changed: the build was remade")
	}
	if get("target") != l.Target {
		why = append(why, fmt.Sprintf("target changed from %s to %s", get("target"), l.Target))
	}
	if len(why) == 0 {
		return ""
	}
	oldVersion := get("version")
	if oldVersion == "" {
		oldVersion = "(unknown)"
	}
	return fmt.Sprintf("%s %s → %s (%s)", l.Product, oldVersion, l.Version, strings.Join(why, ", "))
}

// Result installs into the layer and returns the build result that holds it,
// after checking that the installation has the program later buildpacks run
// (bin/erl, bin/mix).
func (l InstallLayer) Result(layers libcnb.Layers, program string) (libcnb.BuildResult, error) {
	layer, err := layers.Layer(l.Name())
	if err != nil {
		return libcnb.BuildResult{}, fmt.Errorf("creating layer %s: %w", l.Name(), err)
	}
	if err := l.Contribute(&layer); err != nil {
		return libcnb.BuildResult{}, err
	}
	if _, err := os.Stat(filepath.Join(layer.Path, "bin", program)); err != nil {
		return libcnb.BuildResult{}, fmt.Errorf("the %s layer has no bin/%s: %w", l.Product, program, err)
	}
	result := libcnb.NewBuildResult()
	result.Layers = append(result.Layers, layer)
	return result, nil
}
