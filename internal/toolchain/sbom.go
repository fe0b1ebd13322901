package toolchain

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/sbom"
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
	data, err := json.MarshalIndent(e.cycloneDX(sha256), "", "  ")
	if err != nil {
		return err
	}
	// #nosec G306 - SBOM files are read by the lifecycle and by users
	if err := os.WriteFile(layer.SBOMPath(libcnb.CycloneDXJSON), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing the CycloneDX SBOM: %w", err)
	}
	return nil
}

type cdxBOM struct {
	BOMFormat   string         `json:"bomFormat"`
	SpecVersion string         `json:"specVersion"`
	Version     int            `json:"version"`
	Metadata    cdxMetadata    `json:"metadata"`
	Components  []cdxComponent `json:"components"`
}

type cdxMetadata struct {
	Tools []cdxTool `json:"tools"`
}

type cdxTool struct {
	Name string `json:"name"`
}

type cdxComponent struct {
	BOMRef       string        `json:"bom-ref"`
	Type         string        `json:"type"`
	Name         string        `json:"name"`
	Version      string        `json:"version"`
	Description  string        `json:"description,omitempty"`
	Hashes       []cdxHash     `json:"hashes,omitempty"`
	Licenses     []cdxLicense  `json:"licenses,omitempty"`
	CPE          string        `json:"cpe,omitempty"`
	PURL         string        `json:"purl"`
	ExternalRefs []cdxExternal `json:"externalReferences,omitempty"`
}

type cdxHash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

type cdxLicense struct {
	License struct {
		ID string `json:"id"`
	} `json:"license"`
}

type cdxExternal struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// cycloneDX is a CycloneDX 1.4 document with no serial number or
// timestamp, so that an unchanged layer has an unchanged SBOM.
func (e SBOMEntry) cycloneDX(sha256 string) cdxBOM {
	c := cdxComponent{
		BOMRef:      e.ID,
		Type:        "application",
		Name:        e.Name,
		Version:     e.Version,
		Description: e.Title,
		CPE:         e.CPE,
		PURL:        e.PURL(sha256),
	}
	if sha256 != "" {
		c.Hashes = []cdxHash{{Alg: "SHA-256", Content: strings.ToLower(sha256)}}
	}
	if e.License != "" {
		var l cdxLicense
		l.License.ID = e.License
		c.Licenses = []cdxLicense{l}
	}
	if e.URL != "" {
		c.ExternalRefs = []cdxExternal{{Type: "distribution", URL: e.URL}}
	}
	return cdxBOM{
		BOMFormat:   "CycloneDX",
		SpecVersion: "1.4",
		Version:     1,
		Metadata:    cdxMetadata{Tools: []cdxTool{{Name: e.FoundBy}}},
		Components:  []cdxComponent{c},
	}
}
