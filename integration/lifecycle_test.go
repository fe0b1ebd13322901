//go:build integration

package integration

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// lifecycleVersion is the one scripts/lib/tools.sh builds.
const lifecycleVersion = "0.21.14"

// TestLifecycle checks the lifecycle built from source against what its
// upstream release carries: the version its binary reports (kpack rebuilds
// every image in a loop while it differs from the ClusterLifecycle's), the
// labels of its image, and the SBOMs the exporter copies into each image.
func TestLifecycle(t *testing.T) {
	suite := spec.New("lifecycle", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Lifecycle", testLifecycle)
	suite.Run(t)
}

func testLifecycle(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("reports its version in the builder, in pack builder inspect and in the lifecycle image's labels", func() {
		for _, image := range []string{env("BUILDER"), env("LIFECYCLE_IMAGE")} {
			out, err := engine("run", "--rm", "--entrypoint", "/cnb/lifecycle/lifecycle", image, "-version")
			Expect(err).NotTo(HaveOccurred(), out)
			Expect(strings.TrimSpace(out)).To(Equal(lifecycleVersion), image)
		}

		out, err := run("pack", "builder", "inspect", env("BUILDER"))
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(out).To(ContainLines("Lifecycle:", "  Version: "+lifecycleVersion))

		labels := map[string]string{}
		out, err = engine("image", "inspect", "--format", "{{ json .Config.Labels }}", env("LIFECYCLE_IMAGE"))
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(json.Unmarshal([]byte(out), &labels)).To(Succeed())
		Expect(labels).To(HaveKeyWithValue("io.buildpacks.lifecycle.version", lifecycleVersion))
		var legacy struct {
			Lifecycle struct{ Version string }
			API       struct{ Buildpack, Platform string }
		}
		Expect(json.Unmarshal([]byte(labels["io.buildpacks.builder.metadata"]), &legacy)).To(Succeed())
		Expect(legacy.Lifecycle.Version).To(Equal(lifecycleVersion))
		Expect(legacy.API.Platform).To(Equal("0.7"))
		var apis struct {
			Platform struct{ Supported []string }
		}
		Expect(json.Unmarshal([]byte(labels["io.buildpacks.lifecycle.apis"]), &apis)).To(Succeed())
		Expect(apis.Platform.Supported).To(ContainElements("0.9", "0.13"))
	})

	it("gives the exporter the lifecycle's and launcher's SBOMs: no warning, and the image lists the launcher's modules", func() {
		image := f.image("elixir-bp-it-lifecycle")
		b := &build{Image: image, App: "inets_release", Index: f.url}
		Expect(b.Run()).To(Succeed(), b.Output)
		Expect(b.Output).NotTo(ContainSubstring("Did not find SBOM"))

		dir := t.TempDir()
		out, err := run("pack", "sbom", "download", image, "--output-dir", dir)
		Expect(err).NotTo(HaveOccurred(), out)
		launcher := filepath.Join(dir, "layers", "sbom", "launch", "buildpacksio_lifecycle", "launcher")
		for _, format := range []string{"sbom.cdx.json", "sbom.spdx.json", "sbom.syft.json"} {
			data, err := os.ReadFile(filepath.Join(launcher, format))
			Expect(err).NotTo(HaveOccurred(), listFiles(dir))
			Expect(string(data)).To(ContainSubstring("pkg:golang/github.com/buildpacks/lifecycle@v"+lifecycleVersion), format)
		}
	})
}
