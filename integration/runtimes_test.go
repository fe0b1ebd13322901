//go:build integration

package integration

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestRuntimes proves issue 3 (erlang-runtime and elixir-runtime) with real
// pack builds: every version source, pair checks, mirrors, verified
// downloads and the cached layers. It needs no other Erlang or Elixir than
// the local index's (Debian's 25.2.3 and 1.14.0, 27.3.4.1 and 1.18.3); where a case needs more,
// it builds a variant of a copy of that index, described where it is made.
func TestRuntimes(t *testing.T) {
	suite := spec.New("runtimes", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Runtimes", testRuntimes)
	suite.Run(t)
}

// rtArch is the index folder's architecture: the one the local index was
// made for, which is the machine's.
var rtArch = runtime.GOARCH

func testRuntimes(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect     = NewWithT(t).Expect
		indexDir   = env("INDEX_DIR")
		index      = serveIndex(indexDir)
		images     []string
		containers []container
		target     = rtArch + "/ubuntu-24.04"
	)

	it.After(func() {
		for _, c := range containers {
			c.Remove()
		}
		containers = nil
		for _, image := range images {
			removeImage(image)
		}
		images = nil
		index.Close()
	})

	newImage := func(prefix string) string {
		image := randomName("elixir-bp-it-rt-" + prefix)
		images = append(images, image)
		return image
	}

	// serves runs the image and checks the app answers on the runtimes it
	// was built with. Distribution is off: every test container shares the
	// host's network, so two releases must not fight over epmd names.
	serves := func(image, app, elixir, otpMajor string) {
		expectServes(t, &containers, image, app+": Elixir "+elixir+" on Erlang/OTP "+otpMajor+"\n", "-e", "RELEASE_DISTRIBUTION=none")
	}

	context("an app with only .elixir-version, read from a local-folder index", func() {
		it("gets that Elixir and the newest OTP it supports, with both SBOM formats", func() {
			image := newImage("ev")
			sboms := t.TempDir()
			b := &build{Image: image, App: "runtimes_elixir_version", Index: "/index", Extra: []string{
				"--volume", indexDir + ":/index:ro", "--sbom-output-dir", sboms,
			}}
			Expect(b.Run()).To(Succeed(), b.Output)
			Expect(b.Output).To(ContainSubstring("Build index: /index (HEX_BUILDS_URL)"))
			Expect(b.Output).To(ContainSubstring("Target: " + target + " (from the target debian 13: builds made on Ubuntu 24.04 (glibc 2.39) run on its glibc 2.41)"))
			Expect(b.Output).To(ContainSubstring("Erlang/OTP 25.2.3 from the default: the newest for " + target + " that Elixir 1.14.0 (from .elixir-version) supports"))
			Expect(b.Output).To(ContainSubstring(`Elixir 1.14.0 from .elixir-version (asked for "1.14.0"), built for the installed Erlang/OTP 25.2.3`))
			Expect(b.Output).To(ContainSubstring("Downloaded /index/builds/otp/" + target + "/OTP-25.2.3.tar.gz, sha256 "))
			serves(image, "runtimes_elixir_version", "1.14.0", "25")

			for _, layer := range []string{"erlang-runtime/erlang", "elixir-runtime/elixir"} {
				for _, format := range []string{"sbom.cdx.json", "sbom.syft.json"} {
					data, err := os.ReadFile(filepath.Join(sboms, "sbom", "build", "elixir-buildpacks_"+layer, format))
					Expect(err).NotTo(HaveOccurred(), "%s %s in %s", layer, format, rtTree(sboms))
					Expect(string(data)).To(ContainSubstring("pkg:generic/"))
					Expect(string(data)).To(ContainSubstring("checksum=sha256:"))
				}
			}
		})
	})

	context("an app whose mix.exs says elixir: \"~> 1.14\" and nothing else, behind a mirror list", func() {
		it("resolves the requirement against the index, falling back to the mirror", func() {
			image := newImage("mix")
			b := &build{Image: image, App: "runtimes_mix_requirement", Index: index.URL + "/no-such-index",
				Extra: []string{"-e", "BP_HEX_BUILDS_MIRRORS=" + index.URL}}
			Expect(b.Run()).To(Succeed(), b.Output)
			Expect(b.Output).To(ContainSubstring("Build index: " + index.URL + "/no-such-index (HEX_BUILDS_URL)"))
			Expect(b.Output).To(ContainSubstring("then: " + index.URL + " (BP_HEX_BUILDS_MIRRORS)"))
			Expect(b.Output).To(ContainSubstring("index has no " + index.URL + "/no-such-index/builds/elixir/builds.txt; trying " + index.URL))
			Expect(b.Output).To(ContainSubstring("Erlang/OTP " + newOTP + " from the default: the newest for " + target + " that Elixir ~> 1.14 (from mix.exs) supports"))
			Expect(b.Output).To(ContainSubstring(`Elixir ` + newElixir + ` from mix.exs (asked for "~> 1.14"), built for the installed Erlang/OTP ` + newOTP))
			Expect(b.Output).To(ContainSubstring("Downloaded " + index.URL + "/builds/elixir/v" + newElixir + "-otp-27.zip, sha256 "))
			serves(image, "runtimes_mix_requirement", newElixir, "27")
		})
	})

	context("versions that cannot be had", func() {
		fails := func(extra ...string) string {
			b := &build{Image: newImage("fail"), App: "runtimes_mix_requirement", Index: index.URL, Extra: extra}
			Expect(b.Run()).NotTo(Succeed(), b.Output)
			Expect(b.Output).NotTo(ContainSubstring("Downloading"))
			return b.Output
		}

		it("fails on an Erlang/OTP the index lacks, naming it and what there is", func() {
			out := fails("-e", "BP_ERLANG_VERSION=26.2.5")
			Expect(out).To(ContainLines(
				"ERROR: Erlang/OTP version not available",
				"has no Erlang/OTP 26.2.5 for "+target+" (from BP_ERLANG_VERSION); the nearest it has: "+newOTP+", 25.2.3; ask for one of those, or point HEX_BUILDS_URL at an index that has it",
			))
		})

		it("fails on an Elixir the index lacks, naming it", func() {
			out := fails("-e", "BP_ELIXIR_VERSION=1.15.8")
			Expect(out).To(ContainLines(
				"ERROR: Elixir version not available",
				"has no Elixir 1.15.8 (from BP_ELIXIR_VERSION); the nearest it has: "+newElixir+", 1.14.0;",
			))
		})

		it("fails on an incompatible pair before any download, naming the range that works", func() {
			out := fails("-e", "BP_ELIXIR_VERSION=1.14.0", "-e", "BP_ERLANG_VERSION=27")
			Expect(out).To(ContainLines(
				"ERROR: Incompatible Elixir and Erlang/OTP",
				"Elixir 1.14.0 (from BP_ELIXIR_VERSION) does not support Erlang/OTP 27 (from BP_ERLANG_VERSION); it supports Erlang/OTP 23 to 25: use Erlang/OTP 23 to 25 with Elixir 1.14.0, or an Elixir that supports Erlang/OTP 27",
			))
		})
	})

	context("one app built again and again with one cache", func() {
		// A variant of a copy of the local index: the line of trixie's real
		// OTP 27 archive without its sha256, as older index lines are.
		variant := func() string {
			dir := rtCopyIndex(t, indexDir)
			rtDropSHA256(t, filepath.Join(dir, "builds", "otp", target, "builds.txt"), "OTP-"+newOTP)
			return dir
		}

		it("switches OTP versions, refuses unverified and tampered archives, and keeps the cache intact", func() {
			good := variant()
			goodSrv := serveIndex(good)
			defer goodSrv.Close()
			// The same variant with OTP-25.2.3.tar.gz tampered: one byte
			// changed, builds.txt (and its sha256) left as it was.
			tampered := variant()
			rtFlipByte(t, filepath.Join(tampered, "builds", "otp", target, "OTP-25.2.3.tar.gz"))
			badSrv := serveIndex(tampered)
			defer badSrv.Close()

			image := newImage("cache")
			pack := func(srv string, extra ...string) *build {
				return &build{Image: image, App: "runtimes_mix_requirement", Index: srv, Extra: extra}
			}

			// A first build installs OTP 25.2.3.
			b := pack(goodSrv.URL, "-e", "BP_ERLANG_VERSION=25.2.3")
			Expect(b.Run()).To(Succeed(), b.Output)
			Expect(b.Output).To(ContainSubstring("Erlang/OTP 25.2.3: Contributing to layer"))

			// 27's line has no sha256: refused without the opt-in.
			b = pack(goodSrv.URL, "-e", "BP_ERLANG_VERSION=27")
			Expect(b.Run()).NotTo(Succeed(), b.Output)
			Expect(b.Output).To(ContainLines(
				"ERROR: Unverifiable download refused",
				"the build index at "+goodSrv.URL+" lists no sha256 for OTP-"+newOTP+", so its download cannot be verified: ask for a version whose line has a sha256, or set BP_ALLOW_UNVERIFIED_DOWNLOADS=true to install it unverified",
			))
			Expect(b.Output).NotTo(ContainSubstring("Downloading"))

			// With the opt-in it installs, warns, and replaces the cached
			// OTP layer, and the Elixir for OTP 27 replaces 1.14.0.
			b = pack(goodSrv.URL, "-e", "BP_ERLANG_VERSION=27", "-e", "BP_ALLOW_UNVERIFIED_DOWNLOADS=true")
			Expect(b.Run()).To(Succeed(), b.Output)
			Expect(b.Output).To(ContainSubstring(`Erlang/OTP ` + newOTP + ` from BP_ERLANG_VERSION (asked for "27"), for ` + target))
			Expect(b.Output).To(ContainSubstring("WARNING: the build index at " + goodSrv.URL + " lists no sha256 for OTP-" + newOTP + "; installing it unverified because BP_ALLOW_UNVERIFIED_DOWNLOADS=true"))
			Expect(b.Output).To(ContainLines(
				"Clearing cache: Erlang/OTP 25.2.3 → "+newOTP+" (version changed)",
				"Erlang/OTP "+newOTP+": Contributing to layer",
			))
			Expect(b.Output).To(ContainSubstring("NOT verified: the index lists no sha256"))
			Expect(b.Output).To(ContainLines(
				"Clearing cache: Elixir 1.14.0 → "+newElixir+" (version changed)",
				"Elixir "+newElixir+": Contributing to layer",
			))
			serves(image, "runtimes_mix_requirement", newElixir, "27")

			// A tampered OTP-25.2.3.tar.gz fails the build.
			b = pack(badSrv.URL, "-e", "BP_ERLANG_VERSION=25.2.3")
			Expect(b.Run()).NotTo(Succeed(), b.Output)
			Expect(b.Output).To(ContainLines(
				"ERROR: Checksum mismatch",
				"checksum mismatch for "+badSrv.URL+"/builds/otp/"+target+"/OTP-25.2.3.tar.gz: expected sha256 ",
			))
			Expect(b.Output).To(ContainSubstring("the mirror or download is corrupt, nothing was cached"))

			// The next build against the good index succeeds, and finds the cache as the failed build found it.
			b = pack(goodSrv.URL, "-e", "BP_ERLANG_VERSION=25.2.3")
			Expect(b.Run()).To(Succeed(), b.Output)
			Expect(b.Output).To(ContainLines(
				"Clearing cache: Erlang/OTP "+newOTP+" → 25.2.3 (version changed)",
				"Erlang/OTP 25.2.3: Contributing to layer",
			))
			sum := rtBuildSHA256(t, filepath.Join(good, "builds", "otp", target, "builds.txt"), "OTP-25.2.3")
			Expect(b.Output).To(ContainSubstring("Downloaded " + goodSrv.URL + "/builds/otp/" + target + "/OTP-25.2.3.tar.gz, sha256 " + sum + " verified"))
			serves(image, "runtimes_mix_requirement", "1.14.0", "25")
		})
	})
}

// rtCopyIndex copies the local index into a temporary folder.
func rtCopyIndex(t *testing.T, src string) string {
	dst := filepath.Join(t.TempDir(), "index")
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		rtCopyFile(t, path, target)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func rtCopyFile(t *testing.T, src, dst string) {
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func rtAppend(t *testing.T, path, line string) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(line); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// rtFlipByte changes one byte in the middle of a file.
func rtFlipByte(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// rtTree lists the files under dir, for failure messages.
func rtTree(dir string) string {
	var files []string
	_ = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, rel)
		}
		return nil
	})
	return strings.Join(files, "\n")
}

// rtBuildSHA256 is the sha256 a builds.txt lists for a build: the fourth
// field of its line.
func rtBuildSHA256(t *testing.T, buildsTxt, name string) string {
	raw, err := os.ReadFile(buildsTxt)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) == 4 && f[0] == name {
			return f[3]
		}
	}
	t.Fatalf("%s lists no sha256 for %s", buildsTxt, name)
	return ""
}

// rtDropSHA256 removes the sha256 (the fourth field) from a build's line in
// a builds.txt.
func rtDropSHA256(t *testing.T, path, build string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	found := false
	for i, l := range lines {
		if f := strings.Fields(l); len(f) == 4 && f[0] == build {
			lines[i] = strings.Join(f[:3], " ")
			found = true
		}
	}
	if !found {
		t.Fatalf("%s has no line for %s with a sha256", path, build)
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}
