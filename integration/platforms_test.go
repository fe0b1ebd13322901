//go:build integration

package integration

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestPlatforms proves the buildpacks in each way a platform runs the
// lifecycle: pack with an untrusted builder (a container per phase, as kpack
// does), creator inside the builder image exporting to a registry (CI
// platforms), then pack rebase of that image in the registry onto a rebuilt
// run image (a daemon-side rebase through podman's Docker API fails with
// "could not find base layer in image", so the registry is where it runs).
func TestPlatforms(t *testing.T) {
	suite := spec.New("platforms", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Platforms", testPlatforms)
	suite.Run(t)
}

// registry is `crane registry serve` on a loopback port.
type registry struct {
	Addr string
	cmd  *exec.Cmd
	log  *bytes.Buffer
}

func startRegistry() (*registry, error) {
	r := &registry{Addr: fmt.Sprintf("127.0.0.1:%d", freePort()), log: &bytes.Buffer{}}
	r.cmd = exec.Command("crane", "registry", "serve", "--address", r.Addr)
	r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
	if err := r.cmd.Start(); err != nil {
		return nil, err
	}
	if _, _, err := get("http://"+r.Addr+"/v2/", 10*time.Second); err != nil {
		r.Stop()
		return nil, fmt.Errorf("registry did not answer: %w: %s", err, r.log)
	}
	return r, nil
}

func (r *registry) Stop() {
	if r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
	}
}

// copyApp copies a testdata app into a folder the build container's CNB
// user can write to.
func copyApp(t *testing.T, app string) string {
	dir := filepath.Join(t.TempDir(), app)
	out, err := run("cp", "-a", filepath.Join("testdata", app), dir)
	if err != nil {
		t.Fatalf("copying %s: %v: %s", app, err, out)
	}
	if out, err := run("chmod", "-R", "a+rwX", filepath.Dir(dir)); err != nil {
		t.Fatalf("chmod: %v: %s", err, out)
	}
	return dir
}

func testPlatforms(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect     = NewWithT(t).Expect
		index      = serveIndex(env("INDEX_DIR"))
		images     []string
		containers []container
	)

	it.Before(func() {
		images = nil
		containers = nil
	})

	it.After(func() {
		for _, c := range containers {
			c.Remove()
		}
		for _, i := range images {
			removeImage(i)
		}
		index.Close()
	})

	serves := func(image string, extra ...string) { expectServes(t, &containers, image, inetsBody, extra...) }

	context("pack with an untrusted builder", func() {
		it("runs each lifecycle phase in its own container and the image serves", func() {
			image := randomName("elixir-bp-it-untrusted")
			images = append(images, image)
			out, err := run("pack", "build", image,
				"--builder", env("BUILDER"),
				"--lifecycle-image", env("LIFECYCLE_IMAGE"),
				"--path", filepath.Join("testdata", "inets_release"),
				"--pull-policy", "never", "--network", "host", "--docker-host", "inherit",
				"-e", "HEX_BUILDS_URL="+index.URL)
			Expect(err).NotTo(HaveOccurred(), out)
			// The phases run separately, as kpack runs them.
			for _, phase := range []string{"===> ANALYZING", "===> DETECTING", "===> RESTORING", "===> BUILDING", "===> EXPORTING"} {
				Expect(out).To(ContainSubstring(phase))
			}
			Expect(out).NotTo(ContainSubstring("===> CREATING"))
			Expect(out).To(ContainSubstring("Running: mix release hello --overwrite --path"))
			serves(image)
		})
	})

	context("creator inside the builder image, exporting to a registry on 127.0.0.1", func() {
		it("publishes the app and a cache image, a second build restores from that cache, and pack rebase swaps its run image", func() {
			reg, err := startRegistry()
			Expect(err).NotTo(HaveOccurred())
			defer reg.Stop()

			runImage := reg.Addr + "/run:bookworm"
			out, err := engine("tag", env("RUN_IMAGE"), runImage)
			Expect(err).NotTo(HaveOccurred(), out)
			images = append(images, runImage)
			out, err = pushRef(runImage)
			Expect(err).NotTo(HaveOccurred(), out)

			platform := t.TempDir()
			Expect(os.MkdirAll(filepath.Join(platform, "env"), 0o755)).To(Succeed())
			Expect(os.WriteFile(filepath.Join(platform, "env", "HEX_BUILDS_URL"), []byte(index.URL), 0o644)).To(Succeed())

			appImage := reg.Addr + "/app:ci"
			creator := func() (string, error) {
				return engine("run", "--rm", "--network", "host", "--user", "root",
					"-e", "CNB_PLATFORM_API=0.13",
					"-v", copyApp(t, "inets_release")+":/workspace",
					"-v", platform+":/platform:ro",
					env("BUILDER"),
					"/cnb/lifecycle/creator", "-app", "/workspace", "-platform", "/platform",
					"-run-image", runImage, "-insecure-registry", reg.Addr,
					"-cache-image", reg.Addr+"/app-cache:ci",
					appImage)
			}

			first, err := creator()
			Expect(err).NotTo(HaveOccurred(), first)
			Expect(stripANSI(first)).To(ContainSubstring("Erlang/OTP " + newOTP + ": Contributing to layer"))

			out, err = pullRef(appImage)
			Expect(err).NotTo(HaveOccurred(), out)
			images = append(images, appImage)
			serves(appImage)

			second, err := creator()
			Expect(err).NotTo(HaveOccurred(), second)
			Expect(stripANSI(second)).To(ContainSubstring("Erlang/OTP " + newOTP + ": Reusing cached layer"))
			Expect(stripANSI(second)).To(ContainSubstring("Elixir " + newElixir + ": Reusing cached layer"))

			// pack rebase in the registry, as kpack rebases: a patched run
			// image (the same plus a marker, as an OS update adds files)
			// replaces the base layers without a rebuild.
			// The rebuilt run image replaces the tag the app was built on.
			patched := runImage
			dir := t.TempDir()
			Expect(os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(
				"FROM "+env("RUN_IMAGE")+"\nUSER root\nRUN echo patched > /etc/elixir-bp-patch\nUSER 1002:1000\n"), 0o644)).To(Succeed())
			out, err = engine("build", "-t", patched, dir)
			Expect(err).NotTo(HaveOccurred(), out)
			out, err = pushRef(patched)
			Expect(err).NotTo(HaveOccurred(), out)

			// --force: the builder names its run image locally
			// (elixir-buildpacks/run:bookworm) and creator's -run-image
			// overrode it, so pack's name check cannot match.
			out, err = run("pack", "rebase", appImage, "--run-image", patched, "--publish", "--force",
				"--insecure-registry", reg.Addr, "--pull-policy", "never")
			Expect(err).NotTo(HaveOccurred(), out)
			Expect(out).To(ContainSubstring("Successfully rebased image '" + appImage + "'"))

			_, _ = engine("rmi", "-f", appImage)
			out, err = pullRef(appImage)
			Expect(err).NotTo(HaveOccurred(), out)
			marker, err := engine("run", "--rm", "--entrypoint", "cat", appImage, "/etc/elixir-bp-patch")
			Expect(err).NotTo(HaveOccurred(), marker)
			Expect(strings.TrimSpace(marker)).To(Equal("patched"))
			serves(appImage)
		})
	})

}
