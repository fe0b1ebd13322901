// Package cyclonedx writes the CycloneDX JSON documents of every SBOM the
// project makes: the toolchain layers', the release's and the lifecycle's.
// Documents carry no serial number or timestamp, so an unchanged input
// gives byte-identical output (and an unchanged layer digest).
package cyclonedx

import (
	"encoding/json"
	"fmt"
	"os"
)

// SpecVersion is the CycloneDX version of every document.
const SpecVersion = "1.4"

type BOM struct {
	BOMFormat   string      `json:"bomFormat"`
	SpecVersion string      `json:"specVersion"`
	Version     int         `json:"version"`
	Metadata    Metadata    `json:"metadata"`
	Components  []Component `json:"components"`
}

type Metadata struct {
	Tools []Tool `json:"tools"`
}

type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

type Component struct {
	BOMRef       string     `json:"bom-ref"`
	Type         string     `json:"type"` // application, library
	Name         string     `json:"name"`
	Version      string     `json:"version,omitempty"`
	Description  string     `json:"description,omitempty"`
	Hashes       []Hash     `json:"hashes,omitempty"`
	Licenses     []License  `json:"licenses,omitempty"`
	CPE          string     `json:"cpe,omitempty"`
	PURL         string     `json:"purl,omitempty"`
	ExternalRefs []External `json:"externalReferences,omitempty"`
	Properties   []Property `json:"properties,omitempty"`
}

type Hash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

type License struct {
	License struct {
		ID string `json:"id"`
	} `json:"license"`
}

// LicenseID is a license given by its SPDX id.
func LicenseID(id string) License {
	var l License
	l.License.ID = id
	return l
}

type External struct {
	Type    string `json:"type"`
	URL     string `json:"url"`
	Comment string `json:"comment,omitempty"`
}

type Property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// New is a document made by tool listing components (never null).
func New(tool string, components []Component) BOM {
	if components == nil {
		components = []Component{}
	}
	return BOM{BOMFormat: "CycloneDX", SpecVersion: SpecVersion, Version: 1,
		Metadata: Metadata{Tools: []Tool{{Name: tool}}}, Components: components}
}

// WriteFile writes the document, indented, readable by everyone.
func (b BOM) WriteFile(path string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	// #nosec G306 - SBOM files are read by the lifecycle and by users
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing the CycloneDX SBOM: %w", err)
	}
	return nil
}
