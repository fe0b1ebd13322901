// Package gobinsbom writes the SBOM of a Go binary from the module list the
// Go linker embeds in it (debug/buildinfo), in the three formats the
// lifecycle looks for beside its binaries: <name>.sbom.{syft,spdx,cdx}.json.
// It is how the lifecycle built here from source gets the SBOMs its
// release archives ship, so the exporter has them to copy into every image.
package gobinsbom

import (
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/paketo-buildpacks/libpak/v2/sbom"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/cyclonedx"
)

// Tool names the SBOMs' author.
const Tool = "elixir-buildpacks/gobinsbom"

// Module is one Go module linked into the binary.
type Module struct {
	Path, Version, Sum string
}

// PURL is the module's package URL (pkg:golang/PATH@VERSION).
func (m Module) PURL() string { return "pkg:golang/" + m.Path + "@" + m.Version }

// Binary is what the build info says of one binary.
type Binary struct {
	Name      string // the file name: lifecycle, launcher
	Version   string // the product's version, given by the caller
	GoVersion string
	Package   string // the main package's import path
	Modules   []Module
	SHA256    string // of the binary file
}

// Read reads a binary's build info.
func Read(path, version string) (Binary, error) {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return Binary{}, fmt.Errorf("%s has no Go build info: %w", path, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Binary{}, err
	}
	sum := sha256.Sum256(data)
	b := Binary{Name: filepath.Base(path), Version: version, GoVersion: strings.TrimPrefix(info.GoVersion, "go"),
		Package: info.Path, SHA256: hex.EncodeToString(sum[:])}
	// The main package's own module: the lifecycle's, when it is built as
	// a dependency of another module (go build MODULE/cmd/launcher); a
	// checkout's own, "(devel)", has no version to name.
	if m := info.Main; m.Path != "" && m.Version != "" && m.Version != "(devel)" {
		b.Modules = append(b.Modules, Module{Path: m.Path, Version: m.Version, Sum: m.Sum})
	}
	for _, d := range info.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		b.Modules = append(b.Modules, Module{Path: d.Path, Version: d.Version, Sum: d.Sum})
	}
	// The standard library is linked in too, at the toolchain's version.
	b.Modules = append(b.Modules, Module{Path: "stdlib", Version: b.GoVersion})
	return b, nil
}

// Write writes dir/<name>.sbom.{syft,spdx,cdx}.json.
func (b Binary) Write(dir string) error {
	base := filepath.Join(dir, b.Name+".sbom.")
	if err := b.syft().WriteTo(base + "syft.json"); err != nil {
		return err
	}
	if err := writeJSON(base+"spdx.json", b.spdx()); err != nil {
		return err
	}
	return b.cycloneDX().WriteFile(base + "cdx.json")
}

func (b Binary) syft() sbom.SyftDependency {
	artifacts := []sbom.SyftArtifact{}
	for _, m := range b.Modules {
		artifacts = append(artifacts, sbom.SyftArtifact{ID: m.Path + "@" + m.Version, Name: m.Path, Version: m.Version,
			Type: "go-module", FoundBy: Tool, Language: "go", PURL: m.PURL(),
			Locations: []sbom.SyftLocation{{Path: "/cnb/lifecycle/" + b.Name}}})
	}
	return sbom.NewSyftDependency("/cnb/lifecycle", artifacts)
}

func (b Binary) cycloneDX() cyclonedx.BOM {
	cs := []cyclonedx.Component{{BOMRef: b.Name, Type: "application", Name: b.Name, Version: b.Version,
		Description: b.Package, Hashes: []cyclonedx.Hash{{Alg: "SHA-256", Content: b.SHA256}}}}
	for _, m := range b.Modules {
		cs = append(cs, cyclonedx.Component{BOMRef: m.PURL(), Type: "library", Name: m.Path, Version: m.Version, PURL: m.PURL()})
	}
	return cyclonedx.New(Tool, cs)
}

// SPDX 2.3, the fields the spec requires: no creation time beyond a fixed
// one, so that the same binary gives the same document.
type spdxDoc struct {
	SPDXVersion       string             `json:"spdxVersion"`
	DataLicense       string             `json:"dataLicense"`
	SPDXID            string             `json:"SPDXID"`
	Name              string             `json:"name"`
	DocumentNamespace string             `json:"documentNamespace"`
	CreationInfo      spdxCreation       `json:"creationInfo"`
	Packages          []spdxPackage      `json:"packages"`
	Relationships     []spdxRelationship `json:"relationships"`
}

type spdxCreation struct {
	Created  string   `json:"created"`
	Creators []string `json:"creators"`
}

type spdxPackage struct {
	SPDXID           string         `json:"SPDXID"`
	Name             string         `json:"name"`
	VersionInfo      string         `json:"versionInfo"`
	DownloadLocation string         `json:"downloadLocation"`
	FilesAnalyzed    bool           `json:"filesAnalyzed"`
	Checksums        []spdxChecksum `json:"checksums,omitempty"`
	ExternalRefs     []spdxRef      `json:"externalRefs,omitempty"`
}

type spdxChecksum struct {
	Algorithm     string `json:"algorithm"`
	ChecksumValue string `json:"checksumValue"`
}

type spdxRef struct {
	Category string `json:"referenceCategory"`
	Type     string `json:"referenceType"`
	Locator  string `json:"referenceLocator"`
}

type spdxRelationship struct {
	Element string `json:"spdxElementId"`
	Type    string `json:"relationshipType"`
	Related string `json:"relatedSpdxElement"`
}

func (b Binary) spdx() spdxDoc {
	main := "SPDXRef-Package-" + b.Name
	doc := spdxDoc{SPDXVersion: "SPDX-2.3", DataLicense: "CC0-1.0", SPDXID: "SPDXRef-DOCUMENT",
		Name: b.Name + "-" + b.Version,
		// Unique per binary, as the spec asks, and stable for the same one.
		DocumentNamespace: "urn:sha256:" + b.SHA256,
		CreationInfo:      spdxCreation{Created: "1980-01-01T00:00:01Z", Creators: []string{"Tool: " + Tool}},
		Packages: []spdxPackage{{SPDXID: main, Name: b.Name, VersionInfo: b.Version, DownloadLocation: "NOASSERTION",
			Checksums: []spdxChecksum{{Algorithm: "SHA256", ChecksumValue: b.SHA256}}}},
		Relationships: []spdxRelationship{{Element: "SPDXRef-DOCUMENT", Type: "DESCRIBES", Related: main}},
	}
	for i, m := range b.Modules {
		id := fmt.Sprintf("SPDXRef-Package-go-module-%d", i)
		doc.Packages = append(doc.Packages, spdxPackage{SPDXID: id, Name: m.Path, VersionInfo: m.Version,
			DownloadLocation: "NOASSERTION", ExternalRefs: []spdxRef{{Category: "PACKAGE-MANAGER", Type: "purl", Locator: m.PURL()}}})
		doc.Relationships = append(doc.Relationships, spdxRelationship{Element: main, Type: "DEPENDS_ON", Related: id})
	}
	return doc
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	// #nosec G306 - SBOM files are read by the lifecycle and by users
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
