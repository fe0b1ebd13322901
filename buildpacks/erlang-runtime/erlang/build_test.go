package erlang_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/paketo-buildpacks/libpak/v2/effect"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/erlang-runtime/erlang"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// fakeInstall records what would run; OTP's Install is played by nothing
// (the test tarball already has bin/erl) or by a failure.
type fakeInstall struct {
	runs []effect.Execution
	fail bool
}

func (f *fakeInstall) Execute(e effect.Execution) error {
	f.runs = append(f.runs, e)
	if f.fail {
		_, _ = e.Stderr.Write([]byte("Install: cannot write\n"))
		return errors.New("exit status 1")
	}
	return nil
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func otpTarball(t *testing.T, top string, withErl bool) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	files := map[string]string{top + "/Install": "#!/bin/sh\n", top + "/releases/25/OTP_VERSION": "25.2.3\n"}
	if withErl {
		files[top+"/bin/erl"] = "#!/bin/sh\n"
	}
	for name, body := range files {
		Expect(tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(body)), Typeflag: tar.TypeReg})).To(Succeed())
		_, err := tw.Write([]byte(body))
		Expect(err).NotTo(HaveOccurred())
	}
	Expect(tw.Close()).To(Succeed())
	Expect(gz.Close()).To(Succeed())
	return buf.Bytes()
}

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

func writeFile(t *testing.T, path string, data []byte) {
	Expect(os.MkdirAll(filepath.Dir(path), 0o755)).To(Succeed())
	Expect(os.WriteFile(path, data, 0o644)).To(Succeed())
}

func testBuild(t *testing.T, when spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		ctx    libcnb.BuildContext
		exec   *fakeInstall
		out    *bytes.Buffer
		build  erlang.Build
		env    map[string]string
		index  string
		tgz    []byte
	)

	otpDir := "builds/otp/amd64/ubuntu-22.04"

	it.Before(func() {
		RegisterTestingT(t)
		index = t.TempDir()
		tgz = otpTarball(t, "OTP-25.2.3", true)
		writeFile(t, filepath.Join(index, otpDir, "OTP-25.2.3.tar.gz"), tgz)
		writeFile(t, filepath.Join(index, otpDir, "builds.txt"), []byte("OTP-25.2.3 abc 2023-01-01T00:00:00Z "+sum(tgz)+"\n"))
		writeFile(t, filepath.Join(index, "builds/elixir/builds.txt"), []byte("v1.14.0-otp-25 def 2022-09-01T00:00:00Z 0325\n"))

		app := t.TempDir()
		writeFile(t, filepath.Join(app, ".tool-versions"), []byte("erlang 25.2.3\nelixir 1.14.0-otp-25\n"))
		ctx = libcnb.BuildContext{
			ApplicationPath: app,
			Buildpack: libcnb.Buildpack{
				Info: libcnb.BuildpackInfo{ID: "elixir-buildpacks/erlang-runtime", Name: "Erlang/OTP Runtime", Version: "0.1.0"},
				Metadata: map[string]interface{}{"configurations": []map[string]interface{}{
					{"name": "BP_ERLANG_VERSION", "build": true},
					{"name": "BP_ALLOW_UNVERIFIED_DOWNLOADS", "default": "false", "build": true},
				}},
			},
			Layers:       libcnb.Layers{Path: t.TempDir()},
			Platform:     libcnb.Platform{Environment: map[string]string{"HEX_BUILDS_URL": index}},
			TargetInfo:   libcnb.TargetInfo{OS: "linux", Arch: "amd64"},
			TargetDistro: libcnb.TargetDistro{Name: "debian", Version: "12"},
		}
		exec = &fakeInstall{}
		out = &bytes.Buffer{}
		env = map[string]string{}
		build = erlang.Build{Logger: log.NewPaketoLogger(out), Executor: exec,
			Env: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	})

	logged := func() string { return ansi.ReplaceAllString(out.String(), "") }

	it("installs the OTP .tool-versions names and runs its Install in the layer", func() {
		result, err := build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Layers).To(HaveLen(1))
		layer := result.Layers[0]
		Expect(layer.Name).To(Equal("erlang"))
		Expect(layer.LayerTypes).To(Equal(libcnb.LayerTypes{Build: true, Cache: true}))
		Expect(layer.Metadata).To(Equal(map[string]interface{}{"version": "25.2.3", "build": "OTP-25.2.3", "sha256": sum(tgz), "target": "amd64/ubuntu-22.04"}))
		Expect(filepath.Join(layer.Path, "bin", "erl")).To(BeARegularFile())

		Expect(exec.runs).To(HaveLen(1))
		Expect(exec.runs[0].Command).To(Equal(filepath.Join(layer.Path, "Install")))
		Expect(exec.runs[0].Args).To(Equal([]string{"-minimal", layer.Path}))
		Expect(exec.runs[0].Dir).To(Equal(layer.Path))

		log := logged()
		Expect(log).To(ContainSubstring("Build index: " + index + " (HEX_BUILDS_URL)"))
		Expect(log).To(ContainSubstring("Target: amd64/ubuntu-22.04 (from the target debian 12: builds made on Ubuntu 22.04 (glibc 2.35) run on its glibc 2.36)"))
		Expect(log).To(ContainSubstring(`Erlang/OTP 25.2.3 from .tool-versions (asked for "25.2.3"), for amd64/ubuntu-22.04`))
		Expect(log).To(ContainSubstring("Running: " + filepath.Join(layer.Path, "Install") + " -minimal " + layer.Path))

		syft, err := os.ReadFile(layer.SBOMPath(libcnb.SyftJSON))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(syft)).To(ContainSubstring(`"PURL":"pkg:generic/erlang-otp@25.2.3?checksum=sha256:` + sum(tgz) + `\u0026download_url=file://` + index + "/" + otpDir + `/OTP-25.2.3.tar.gz"`))
		cdx, err := os.ReadFile(layer.SBOMPath(libcnb.CycloneDXJSON))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(cdx)).To(ContainSubstring(`"content": "` + sum(tgz) + `"`))
	})

	// Later buildpacks read these instead of finding the OTP again.
	it("publishes the OTP it installed and its target, also when it reuses the cached layer", func() {
		published := libcnb.Environment{
			"ELIXIR_BP_OTP_VERSION.override": "25.2.3",
			"ELIXIR_BP_TARGET.override":      "amd64/ubuntu-22.04",
		}
		result, err := build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Layers[0].BuildEnvironment).To(Equal(published))

		f, err := os.Create(filepath.Join(ctx.Layers.Path, "erlang.toml"))
		Expect(err).NotTo(HaveOccurred())
		Expect(toml.NewEncoder(f).Encode(result.Layers[0])).To(Succeed())
		Expect(f.Close()).To(Succeed())
		result, err = build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(exec.runs).To(HaveLen(1), "the second build reused the layer")
		Expect(result.Layers[0].BuildEnvironment).To(Equal(published))
	})

	it("is a launch layer when mix-release asks for one", func() {
		ctx.Plan = libcnb.BuildpackPlan{Entries: []libcnb.BuildpackPlanEntry{
			{Name: "erlang", Metadata: map[string]interface{}{"build": true}},
			{Name: "erlang", Metadata: map[string]interface{}{"build": true, "launch": true}},
		}}
		result, err := build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Layers[0].LayerTypes).To(Equal(libcnb.LayerTypes{Build: true, Cache: true, Launch: true}))
	})

	it("defaults to the newest OTP the Elixir of mix.exs supports, and says why", func() {
		Expect(os.Remove(filepath.Join(ctx.ApplicationPath, ".tool-versions"))).To(Succeed())
		writeFile(t, filepath.Join(ctx.ApplicationPath, "mix.exs"), []byte("defmodule A.MixProject do\n  def project, do: [app: :a, elixir: \"~> 1.14\"]\nend\n"))
		_, err := build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(logged()).To(ContainSubstring("Erlang/OTP 25.2.3 from the default: the newest for amd64/ubuntu-22.04 that Elixir ~> 1.14 (from mix.exs) supports"))
	})

	when("no source names an Elixir version", func() {
		it.Before(func() {
			Expect(os.Remove(filepath.Join(ctx.ApplicationPath, ".tool-versions"))).To(Succeed())
		})

		it("picks the OTP for the default elixir-runtime hands over in the plan", func() {
			ctx.Plan = libcnb.BuildpackPlan{Entries: []libcnb.BuildpackPlanEntry{{Name: "erlang", Metadata: map[string]interface{}{"build": true, "default-elixir": "1.14"}}}}
			_, err := build.Build(ctx)
			Expect(err).NotTo(HaveOccurred())
			Expect(logged()).To(ContainSubstring("Erlang/OTP 25.2.3 from the default: the newest for amd64/ubuntu-22.04 that Elixir 1.14 (the default) supports"))
		})

		it("fails before any download, in one line, when the index lacks the default (a lagging mirror)", func() {
			ctx.Plan = libcnb.BuildpackPlan{Entries: []libcnb.BuildpackPlanEntry{{Name: "erlang", Metadata: map[string]interface{}{"build": true, "default-elixir": "1.20"}}}}
			_, err := build.Build(ctx)
			Expect(err).To(MatchError("the build index at " + index + " has no Elixir 1.20, the default; the newest it has: 1.14.0; " +
				"set BP_ELIXIR_VERSION (or .tool-versions, or the elixir: requirement of mix.exs) to one of those, or point HEX_BUILDS_URL at an index that has Elixir 1.20"))
			Expect(logged()).To(ContainSubstring("ERROR: Default Elixir not in the index\n"))
			Expect(exec.runs).To(BeEmpty())
			Expect(filepath.Join(ctx.Layers.Path, "erlang")).NotTo(BeADirectory())
		})
	})

	it("reads BP_ERLANG_VERSION from the build environment too", func() {
		env["BP_ERLANG_VERSION"] = "25"
		_, err := build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(logged()).To(ContainSubstring(`Erlang/OTP 25.2.3 from BP_ERLANG_VERSION (asked for "25"), for amd64/ubuntu-22.04`))
	})

	it("puts a user error first and downloads nothing", func() {
		ctx.Platform.Environment["BP_ERLANG_VERSION"] = "27"
		_, err := build.Build(ctx)
		var ue *usererr.Error
		Expect(errors.As(err, &ue)).To(BeTrue())
		Expect(ue.Headline).To(Equal("Incompatible Elixir and Erlang/OTP"))
		Expect(logged()).To(ContainSubstring("  ERROR: Incompatible Elixir and Erlang/OTP\n    Elixir 1.14.0-otp-25 (from .tool-versions) is built for Erlang/OTP 25, not for Erlang/OTP 27 (from BP_ERLANG_VERSION): ask for Erlang/OTP 25, or for an Elixir built for OTP 27\n"))
		Expect(exec.runs).To(BeEmpty())
		Expect(filepath.Join(ctx.Layers.Path, "erlang")).NotTo(BeADirectory())
	})

	it("refuses a tampered tarball and leaves the layer empty", func() {
		writeFile(t, filepath.Join(index, otpDir, "OTP-25.2.3.tar.gz"), append(tgz, 0))
		_, err := build.Build(ctx)
		Expect(err).To(MatchError(ContainSubstring("checksum mismatch for " + filepath.Join(index, otpDir, "OTP-25.2.3.tar.gz"))))
		Expect(logged()).To(ContainSubstring("ERROR: Checksum mismatch"))
		entries, _ := os.ReadDir(filepath.Join(ctx.Layers.Path, "erlang"))
		Expect(entries).To(BeEmpty())
		Expect(exec.runs).To(BeEmpty())
	})

	it("refuses an index line without a sha256 unless allowed", func() {
		writeFile(t, filepath.Join(index, otpDir, "builds.txt"), []byte("OTP-25.2.3 abc 2023-01-01T00:00:00Z\n"))
		_, err := build.Build(ctx)
		Expect(err).To(MatchError(ContainSubstring("lists no sha256 for OTP-25.2.3")))
		Expect(exec.runs).To(BeEmpty())

		out.Reset()
		ctx.Platform.Environment["BP_ALLOW_UNVERIFIED_DOWNLOADS"] = "true"
		result, err := build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(logged()).To(ContainSubstring("WARNING: the build index at " + index + " lists no sha256 for OTP-25.2.3; installing it unverified because BP_ALLOW_UNVERIFIED_DOWNLOADS=true"))
		Expect(result.Layers[0].Metadata["sha256"]).To(Equal(""))
	})

	it("fails when Install fails", func() {
		exec.fail = true
		_, err := build.Build(ctx)
		Expect(err).To(MatchError(ContainSubstring("-minimal")))
		Expect(logged()).To(ContainSubstring("Install: cannot write"))
	})

	it("fails when the tree has no bin/erl", func() {
		tgz = otpTarball(t, "OTP-25.2.3", false)
		writeFile(t, filepath.Join(index, otpDir, "OTP-25.2.3.tar.gz"), tgz)
		writeFile(t, filepath.Join(index, otpDir, "builds.txt"), []byte("OTP-25.2.3 abc 2023-01-01T00:00:00Z "+sum(tgz)+"\n"))
		_, err := build.Build(ctx)
		Expect(err).To(MatchError(ContainSubstring("the Erlang/OTP layer has no bin/erl")))
	})
}
