//go:build integration

package integration

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestPackaging proves the distribution: buildpackages as files and images,
// and scripts/publish.sh putting the stack, the buildpackages and a builder
// into a registry, from which an app then builds.
func TestPackaging(t *testing.T) {
	suite := spec.New("packaging", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Packaging", testPackaging)
	suite.Run(t)
}

func repoRoot() string { return filepath.Join("..") }

func version() string {
	b, err := os.ReadFile(filepath.Join(repoRoot(), "VERSION"))
	if err != nil {
		panic(err)
	}
	return strings.TrimSpace(string(b))
}

// binaryMachine finds bin/main in a .cnb file (an OCI layout tarball whose
// blobs are gzip'd layer tarballs) and reports the ELF machine it is built for.
func binaryMachine(cnb string) (elf.Machine, error) {
	f, err := os.Open(cnb)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	outer := tar.NewReader(f)
	for {
		h, err := outer.Next()
		if err == io.EOF {
			return 0, fmt.Errorf("no bin/main in %s", cnb)
		}
		if err != nil {
			return 0, err
		}
		if !strings.HasPrefix(strings.TrimPrefix(h.Name, "/"), "blobs/sha256/") || h.Typeflag != tar.TypeReg {
			continue
		}
		blob, _ := io.ReadAll(outer)
		gz, err := gzip.NewReader(bytes.NewReader(blob))
		if err != nil {
			continue // the config and manifests are not layers
		}
		layer := tar.NewReader(gz)
		for {
			lh, err := layer.Next()
			if err != nil {
				break
			}
			if strings.HasSuffix(lh.Name, "/bin/main") && lh.Typeflag == tar.TypeReg {
				data, _ := io.ReadAll(layer)
				ef, err := elf.NewFile(bytes.NewReader(data))
				if err != nil {
					return 0, err
				}
				return ef.Machine, nil
			}
		}
	}
}

func testPackaging(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect     = NewWithT(t).Expect
		images     []string
		containers []container
	)

	it.After(func() {
		for _, c := range containers {
			c.Remove()
		}
		for _, i := range images {
			removeImage(i)
		}
	})

	context("scripts/package.sh", func() {
		it("makes a buildpackage file per arch with that arch's binary, and images", func() {
			out, err := run("bash", filepath.Join(repoRoot(), "scripts", "package.sh"))
			Expect(err).NotTo(HaveOccurred(), out)
			v := version()
			packages := filepath.Join(repoRoot(), "out", "packages")
			for _, bp := range []string{"erlang-runtime", "elixir-runtime", "mix-release"} {
				for arch, machine := range map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64} {
					got, err := binaryMachine(filepath.Join(packages, fmt.Sprintf("%s-%s-linux-%s.cnb", bp, v, arch)))
					Expect(err).NotTo(HaveOccurred())
					Expect(got).To(Equal(machine), bp+" "+arch)
				}
				images = append(images, "elixir-buildpacks/"+bp+":"+v)
				out, err := engine("image", "inspect", "--format", "{{ index .Config.Labels \"io.buildpacks.buildpackage.metadata\" }}", "elixir-buildpacks/"+bp+":"+v)
				Expect(err).NotTo(HaveOccurred(), out)
				Expect(out).To(ContainSubstring(`"id":"elixir-buildpacks/` + bp + `"`))
				Expect(out).To(ContainSubstring(`"version":"` + v + `"`))
			}
			Expect(filepath.Join(packages, "elixir-"+v+".cnb")).To(BeARegularFile())
			images = append(images, "elixir-buildpacks/elixir:"+v)
			out, err = engine("image", "inspect", "--format", "{{ index .Config.Labels \"io.buildpacks.buildpack.layers\" }}", "elixir-buildpacks/elixir:"+v)
			Expect(err).NotTo(HaveOccurred(), out)
			for _, id := range []string{"elixir-buildpacks/elixir", "elixir-buildpacks/erlang-runtime", "elixir-buildpacks/elixir-runtime", "elixir-buildpacks/mix-release"} {
				Expect(out).To(ContainSubstring(`"` + id + `"`))
			}
		})
	})

	context("scripts/publish.sh to a registry on 127.0.0.1", func() {
		it("publishes the stack, the buildpackages and a builder that pack inspects and builds with", func() {
			reg, err := startRegistry()
			Expect(err).NotTo(HaveOccurred())
			defer reg.Stop()

			out, err := run("bash", filepath.Join(repoRoot(), "scripts", "publish.sh"), reg.Addr)
			Expect(err).NotTo(HaveOccurred(), out)

			catalog, err := run("crane", "catalog", reg.Addr)
			Expect(err).NotTo(HaveOccurred(), catalog)
			for _, repo := range []string{"build", "run", "erlang-runtime", "elixir-runtime", "mix-release", "elixir", "builder"} {
				Expect(strings.Fields(catalog)).To(ContainElement("elixir-buildpacks/"+repo), catalog)
			}
			tags, err := run("crane", "ls", reg.Addr+"/elixir-buildpacks/builder")
			Expect(err).NotTo(HaveOccurred(), tags)
			Expect(strings.Fields(tags)).To(ConsistOf("trixie", version()))

			// The default suite's: Debian 13.
			builder := reg.Addr + "/elixir-buildpacks/builder:trixie"
			inspect, err := run("pack", "builder", "inspect", builder)
			Expect(err).NotTo(HaveOccurred(), inspect)
			Expect(inspect).To(ContainSubstring("Description: Elixir Buildpacks: Erlang/OTP, Elixir and Mix releases on Debian 13 (trixie), no Dockerfile"))
			Expect(inspect).To(ContainLines("Stack:", "  ID: io.buildpacks.stacks.trixie"))
			Expect(inspect).To(ContainLines("Run Images:", "  "+reg.Addr+"/elixir-buildpacks/run:trixie"))
			Expect(inspect).To(ContainLines(
				"    └ elixir-buildpacks/elixir@"+version(),
				"       └ Group #1:",
				"          ├ elixir-buildpacks/erlang-runtime@"+version(),
				"          ├ elixir-buildpacks/elixir-runtime@"+version(),
				"          └ elixir-buildpacks/mix-release@"+version(),
			))

			// Build with the published builder, pulled as a platform would.
			runImage := reg.Addr + "/elixir-buildpacks/run:trixie"
			for _, ref := range []string{builder, runImage} {
				out, err := pullRef(ref)
				Expect(err).NotTo(HaveOccurred(), out)
				images = append(images, ref)
			}
			index := serveIndex(env("INDEX_DIR"))
			defer index.Close()
			app := randomName("elixir-bp-it-published")
			images = append(images, app)
			out, err = run("pack", "build", app, "--builder", builder, "--path", filepath.Join("testdata", "inets_release"),
				"--pull-policy", "never", "--trust-builder", "--network", "host", "--docker-host", "inherit",
				"-e", "HEX_BUILDS_URL="+index.URL)
			Expect(err).NotTo(HaveOccurred(), out)

			expectServes(t, &containers, app, inetsBody)
		})
	})
}
