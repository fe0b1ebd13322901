package toolchain

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/paketo-buildpacks/libpak/v2/sbom"
)

// Downloader fetches a file of the index and checks its sha256 before
// anything is written where the caller asked.
type Downloader interface {
	Download(ctx context.Context, relPath, wantSHA256, destPath string) error
}

// InstallLayer installs one toolchain archive from the index into a layer.
// Its metadata (version, sha256, target) is the cache key: the layer is
// reused while they match and replaced when any changes.
type InstallLayer struct {
	LayerName string
	Title     string // e.g. "Erlang/OTP 25.2.3", as the log names the layer
	Index     Downloader
	IndexURL  string // for the log
	RelPath   string // the archive, relative to the index base
	SHA256    string
	Version   string
	Target    string
	Launch    bool
	// Extract unpacks the verified archive into the layer.
	Extract func(archive, dest string) error
	// Finish runs after extraction (OTP's Install step); may be nil.
	Finish func(layerPath string) error
	SBOM   sbom.SyftArtifact
	Logger log.Logger
}

// Name is the layer's name.
func (l InstallLayer) Name() string { return l.LayerName }

// Metadata is what the layer is keyed by.
func (l InstallLayer) Metadata() map[string]interface{} {
	return map[string]interface{}{"version": l.Version, "sha256": l.SHA256, "target": l.Target}
}

// Contribute downloads, verifies and installs the archive, unless the cached
// layer already holds the same build.
func (l InstallLayer) Contribute(layer *libcnb.Layer) error {
	types := libcnb.LayerTypes{Build: true, Cache: true, Launch: l.Launch}
	lc := libpak.NewLayerContributor(l.Title, l.Metadata(), types, l.Logger)
	return lc.Contribute(layer, func(layer *libcnb.Layer) error {
		tmp, err := os.MkdirTemp("", "toolchain-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)

		archive := filepath.Join(tmp, filepath.Base(l.RelPath))
		l.Logger.Bodyf("Downloading %s/%s", l.IndexURL, l.RelPath)
		if err := l.Index.Download(context.Background(), l.RelPath, l.SHA256, archive); err != nil {
			return err
		}
		l.Logger.Bodyf("Verified sha256 %s", l.SHA256)
		if err := l.Extract(archive, layer.Path); err != nil {
			return fmt.Errorf("extracting %s: %w", filepath.Base(l.RelPath), err)
		}
		if l.Finish != nil {
			if err := l.Finish(layer.Path); err != nil {
				return err
			}
		}
		return sbom.NewSyftDependency(layer.Path, []sbom.SyftArtifact{l.SBOM}).WriteTo(layer.SBOMPath(libcnb.SyftJSON))
	})
}
