package gobinsbom_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/gobinsbom"
)

// The binary under test is built from testdata/hello with go build, as the
// set-up builds the lifecycle: the linker embeds its module list (spec)
// as it does the lifecycle's. (A test binary carries no module list.)
func testSBOM(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	var self string
	it.Before(func() {
		self = filepath.Join(t.TempDir(), "lifecycle")
		build := exec.Command("go", "build", "-trimpath", "-o", self, "./testdata/hello")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	})

	it("lists the modules linked into the binary, and the standard library", func() {
		b, err := gobinsbom.Read(self, "1.2.3")
		Expect(err).NotTo(HaveOccurred())
		Expect(b.Name).To(Equal(filepath.Base(self)))
		Expect(b.Package).To(HaveSuffix("internal/gobinsbom/testdata/hello"))
		Expect(b.SHA256).To(MatchRegexp(`^[0-9a-f]{64}$`))
		paths := map[string]string{}
		for _, m := range b.Modules {
			paths[m.Path] = m.Version
		}
		Expect(paths).To(HaveLen(2))
		Expect(paths["github.com/sclevine/spec"]).To(Equal("v1.4.0"))
		Expect(paths["stdlib"]).To(Equal(strings.TrimPrefix(runtime.Version(), "go")))
	})

	it("writes the three files the lifecycle's exporter looks for, each naming every module", func() {
		b, err := gobinsbom.Read(self, "1.2.3")
		Expect(err).NotTo(HaveOccurred())
		b.Name = "launcher"
		dir := t.TempDir()
		Expect(b.Write(dir)).To(Succeed())

		var syft struct {
			Artifacts []struct{ Name, Version, Type, PURL string }
		}
		read(t, filepath.Join(dir, "launcher.sbom.syft.json"), &syft)
		var cdx struct {
			BOMFormat  string
			Components []struct{ Name, Version, Purl string }
		}
		read(t, filepath.Join(dir, "launcher.sbom.cdx.json"), &cdx)
		var spdx struct {
			SPDXVersion string
			Packages    []struct{ Name, VersionInfo string }
		}
		read(t, filepath.Join(dir, "launcher.sbom.spdx.json"), &spdx)

		Expect(syft.Artifacts).To(HaveLen(len(b.Modules)))
		Expect(syft.Artifacts).To(ContainElement(HaveField("PURL", "pkg:golang/github.com/sclevine/spec@v1.4.0")))
		Expect(cdx.BOMFormat).To(Equal("CycloneDX"))
		Expect(cdx.Components).To(HaveLen(len(b.Modules) + 1))
		Expect(cdx.Components[0].Name).To(Equal("launcher"))
		Expect(cdx.Components[0].Version).To(Equal("1.2.3"))
		Expect(cdx.Components).To(ContainElement(HaveField("Purl", "pkg:golang/github.com/sclevine/spec@v1.4.0")))
		Expect(spdx.SPDXVersion).To(Equal("SPDX-2.3"))
		Expect(spdx.Packages).To(HaveLen(len(b.Modules) + 1))
		Expect(spdx.Packages[0].VersionInfo).To(Equal("1.2.3"))

		// The same binary gives the same files (no time, no random id).
		first, _ := os.ReadFile(filepath.Join(dir, "launcher.sbom.spdx.json"))
		Expect(b.Write(dir)).To(Succeed())
		Expect(os.ReadFile(filepath.Join(dir, "launcher.sbom.spdx.json"))).To(Equal(first))
	})

	it("says when a file is not a Go binary", func() {
		f := filepath.Join(t.TempDir(), "lifecycle")
		Expect(os.WriteFile(f, []byte("#!/bin/sh\n"), 0o755)).To(Succeed())
		_, err := gobinsbom.Read(f, "1.2.3")
		Expect(err).To(MatchError(HavePrefix(f + " has no Go build info: ")))
	})
}

func read(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
