// Command lifecycletool gives the lifecycle built here from source what
// its upstream release archives and image carry:
//
//	lifecycletool sbom DIR VERSION   writes DIR/{lifecycle,launcher}.sbom.{syft,spdx,cdx}.json
//	lifecycletool labels TGZ         prints the lifecycle image's labels, one KEY=VALUE a line
//
// The exporter copies the SBOMs into every image (and warns for each one
// missing); kpack reads the labels to know a ClusterLifecycle's version and
// APIs.
package main

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"

	"github.com/BurntSushi/toml"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/gobinsbom"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "lifecycletool:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 3 && args[0] == "sbom":
		for _, name := range []string{"lifecycle", "launcher"} {
			b, err := gobinsbom.Read(filepath.Join(args[1], name), args[2])
			if err != nil {
				return err
			}
			if err := b.Write(args[1]); err != nil {
				return err
			}
		}
		return nil
	case len(args) == 2 && args[0] == "labels":
		d, err := readDescriptor(args[1])
		if err != nil {
			return err
		}
		for _, l := range labels(d) {
			fmt.Println(l)
		}
		return nil
	}
	return errors.New("usage: lifecycletool sbom DIR VERSION | lifecycletool labels LIFECYCLE.TGZ")
}

type apiSet struct {
	Deprecated []string `toml:"deprecated" json:"deprecated"`
	Supported  []string `toml:"supported" json:"supported"`
}

type apis struct {
	Buildpack apiSet `toml:"buildpack" json:"buildpack"`
	Platform  apiSet `toml:"platform" json:"platform"`
}

// descriptor is the lifecycle.toml the packager writes into the archive.
type descriptor struct {
	APIs      apis `toml:"apis"`
	Lifecycle struct {
		Version string `toml:"version" json:"version"`
	} `toml:"lifecycle"`
}

func readDescriptor(tgz string) (descriptor, error) {
	var d descriptor
	f, err := os.Open(tgz)
	if err != nil {
		return d, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return d, fmt.Errorf("%s: %w", tgz, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return d, fmt.Errorf("%s holds no lifecycle.toml", tgz)
		}
		if err != nil {
			return d, fmt.Errorf("%s: %w", tgz, err)
		}
		if path.Base(h.Name) != "lifecycle.toml" {
			continue
		}
		if _, err := toml.NewDecoder(tr).Decode(&d); err != nil {
			return d, fmt.Errorf("%s: lifecycle.toml: %w", tgz, err)
		}
		if d.Lifecycle.Version == "" || len(d.APIs.Buildpack.Supported) == 0 || len(d.APIs.Platform.Supported) == 0 {
			return d, fmt.Errorf("%s: lifecycle.toml names no version or APIs", tgz)
		}
		return d, nil
	}
}

// labels are those of the upstream lifecycle image (its tools/image):
// the APIs, the version, and the legacy builder label with the oldest
// supported API of each kind.
func labels(d descriptor) []string {
	apisJSON, _ := json.Marshal(d.APIs)
	legacy, _ := json.Marshal(map[string]any{
		"lifecycle": d.Lifecycle,
		"api":       map[string]string{"buildpack": d.APIs.Buildpack.Supported[0], "platform": d.APIs.Platform.Supported[0]},
	})
	return []string{
		"io.buildpacks.lifecycle.apis=" + string(apisJSON),
		"io.buildpacks.lifecycle.version=" + d.Lifecycle.Version,
		"io.buildpacks.builder.metadata=" + string(legacy),
	}
}
