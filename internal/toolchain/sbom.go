package toolchain

import (
	"net/url"
	"strings"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/sbom"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/cyclonedx"
)

// SBOMEntry describes what a toolchain layer installed, for its Syft and
// CycloneDX SBOM files (the formats buildpack.toml declares).
type SBOMEntry struct {
	ID      string // unique in the layer, e.g. erlang-otp-25.2.3
	Name    string // the package name in the purl: erlang-otp, elixir
	Title   string // Erlang/OTP, Elixir
	Version string
	License string // SPDX id
	CPE     string
	FoundBy string // the buildpack id
	// URL is where the index serves the archive (without a password).
	URL string
}

// PURL is a generic package URL with the archive's checksum and download
// URL as qualifiers (in the purl spec's order: sorted by key).
func (e SBOMEntry) PURL(sha256 string) string {
	var q []string
	if sha256 != "" {
		q = append(q, "checksum="+purlEscape("sha256:"+strings.ToLower(sha256)))
	}
	if e.URL != "" {
		q = append(q, "download_url="+purlEscape(e.URL))
	}
	p := "pkg:generic/" + url.PathEscape(e.Name) + "@" + url.PathEscape(e.Version)
	if len(q) > 0 {
		p += "?" + strings.Join(q, "&")
	}
	return p
}

// purlEscape percent-encodes a qualifier value, keeping ':' and '/' as
// the purl spec's own examples do.
func purlEscape(s string) string {
	return strings.NewReplacer("%3A", ":", "%2F", "/").Replace(url.QueryEscape(s))
}

// Write writes the layer's Syft and CycloneDX SBOM files.
func (e SBOMEntry) Write(layer libcnb.Layer, sha256 string) error {
	artifact := sbom.SyftArtifact{
		ID:        e.ID,
		Name:      e.Title,
		Version:   e.Version,
		Type:      "UnknownPackage",
		FoundBy:   e.FoundBy,
		Locations: []sbom.SyftLocation{{Path: layer.Path}},
		Licenses:  []string{e.License},
		CPEs:      []string{e.CPE},
		PURL:      e.PURL(sha256),
	}
	if err := sbom.NewSyftDependency(layer.Path, []sbom.SyftArtifact{artifact}).WriteTo(layer.SBOMPath(libcnb.SyftJSON)); err != nil {
		return err
	}
	return e.cycloneDX(sha256).WriteFile(layer.SBOMPath(libcnb.CycloneDXJSON))
}

// cycloneDX is a CycloneDX 1.4 document with no serial number or
// timestamp, so that an unchanged layer has an unchanged SBOM.
func (e SBOMEntry) cycloneDX(sha256 string) cyclonedx.BOM {
	c := cyclonedx.Component{
		BOMRef:      e.ID,
		Type:        "application",
		Name:        e.Name,
		Version:     e.Version,
		Description: e.Title,
		CPE:         e.CPE,
		PURL:        e.PURL(sha256),
	}
	if sha256 != "" {
		c.Hashes = []cyclonedx.Hash{{Alg: "SHA-256", Content: strings.ToLower(sha256)}}
	}
	if e.License != "" {
		c.Licenses = []cyclonedx.License{cyclonedx.LicenseID(e.License)}
	}
	if e.URL != "" {
		c.ExternalRefs = []cyclonedx.External{{Type: "distribution", URL: e.URL}}
	}
	return cyclonedx.New(e.FoundBy, []cyclonedx.Component{c})
}
