package elixir_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/elixir-runtime/elixir"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

func writeFile(path string, data []byte) {
	Expect(os.MkdirAll(filepath.Dir(path), 0o755)).To(Succeed())
	Expect(os.WriteFile(path, data, 0o644)).To(Succeed())
}

func elixirZip(withMix bool) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := []string{"bin/elixir", "bin/iex", "lib/elixir/ebin/elixir.app", "VERSION"}
	if withMix {
		files = append(files, "bin/mix")
	}
	for _, name := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		Expect(err).NotTo(HaveOccurred())
		_, _ = w.Write([]byte("#!/bin/sh\n"))
	}
	Expect(zw.Close()).To(Succeed())
	return buf.Bytes()
}

func testBuild(t *testing.T, when spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		ctx    libcnb.BuildContext
		out    *bytes.Buffer
		build  elixir.Build
		index  string
		zipped []byte
		env    map[string]string
	)

	it.Before(func() {
		RegisterTestingT(t)
		index = t.TempDir()
		zipped = elixirZip(true)
		writeFile(filepath.Join(index, "builds/elixir/v1.14.0-otp-25.zip"), zipped)
		writeFile(filepath.Join(index, "builds/elixir/builds.txt"), []byte(
			"v1.14.0-otp-25 def 2022-09-01T00:00:00Z "+sum(zipped)+"\n"+
				"v1.14.0-otp-24 def 2022-09-01T00:00:00Z 1111\n"))

		// What erlang-runtime published: its layer's env.build.
		env = map[string]string{"ELIXIR_BP_OTP_VERSION": "25.2.3", "ELIXIR_BP_TARGET": "amd64/ubuntu-22.04"}

		app := t.TempDir()
		writeFile(filepath.Join(app, ".elixir-version"), []byte("1.14\n"))
		ctx = libcnb.BuildContext{
			ApplicationPath: app,
			Buildpack: libcnb.Buildpack{
				Info: libcnb.BuildpackInfo{ID: "elixir-buildpacks/elixir-runtime", Name: "Elixir Runtime", Version: "0.1.0"},
				Metadata: map[string]interface{}{"configurations": []map[string]interface{}{
					{"name": "BP_ELIXIR_VERSION", "build": true, "default": "1.20"},
				}},
			},
			Layers:       libcnb.Layers{Path: t.TempDir()},
			Platform:     libcnb.Platform{Environment: map[string]string{"HEX_BUILDS_URL": index}},
			TargetInfo:   libcnb.TargetInfo{OS: "linux", Arch: "amd64"},
			TargetDistro: libcnb.TargetDistro{Name: "debian", Version: "12"},
		}
		out = &bytes.Buffer{}
		build = elixir.Build{
			Logger: log.NewPaketoLogger(out),
			Env:    func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		}
	})

	logged := func() string { return ansi.ReplaceAllString(out.String(), "") }

	it("installs the Elixir built for the installed OTP major", func() {
		result, err := build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Layers).To(HaveLen(1))
		layer := result.Layers[0]
		Expect(layer.Name).To(Equal("elixir"))
		Expect(layer.LayerTypes).To(Equal(libcnb.LayerTypes{Build: true, Cache: true}))
		Expect(layer.Metadata).To(Equal(map[string]interface{}{"version": "1.14.0", "build": "v1.14.0-otp-25", "sha256": sum(zipped), "target": "amd64/ubuntu-22.04"}))
		Expect(filepath.Join(layer.Path, "bin", "mix")).To(BeARegularFile())
		Expect(logged()).To(ContainSubstring(`Elixir 1.14.0 from .elixir-version (asked for "1.14"), built for the installed Erlang/OTP 25.2.3`))
		cdx, err := os.ReadFile(layer.SBOMPath(libcnb.CycloneDXJSON))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(cdx)).To(ContainSubstring(`"purl": "pkg:generic/elixir@1.14.0?checksum=sha256:` + sum(zipped)))
		Expect(layer.SBOMPath(libcnb.SyftJSON)).To(BeARegularFile())
		// mix-release reads it instead of finding Elixir again.
		Expect(layer.BuildEnvironment).To(Equal(libcnb.Environment{"ELIXIR_BP_ELIXIR_VERSION.override": "1.14.0"}))
	})

	it("is a launch layer when mix-release asks for one", func() {
		ctx.Plan = libcnb.BuildpackPlan{Entries: []libcnb.BuildpackPlanEntry{{Name: "elixir", Metadata: map[string]interface{}{"launch": true}}}}
		result, err := build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Layers[0].LayerTypes.Launch).To(BeTrue())
	})

	it("takes the default from buildpack.toml, and says when it does not fit the installed OTP", func() {
		Expect(os.Remove(filepath.Join(ctx.ApplicationPath, ".elixir-version"))).To(Succeed())
		_, err := build.Build(ctx)
		Expect(err).To(MatchError("Elixir 1.20 (the default) does not support Erlang/OTP 25.2.3 (installed); it supports Erlang/OTP 27 to 29: " +
			"set BP_ELIXIR_VERSION to an Elixir that supports Erlang/OTP 25.2.3, or use Erlang/OTP 27 to 29"))
		Expect(logged()).To(ContainSubstring("ERROR: Incompatible Elixir and Erlang/OTP"))
	})

	it("puts a user error first", func() {
		ctx.Platform.Environment["BP_ELIXIR_VERSION"] = "1.14.0-otp-24"
		_, err := build.Build(ctx)
		var ue *usererr.Error
		Expect(errors.As(err, &ue)).To(BeTrue())
		Expect(logged()).To(ContainSubstring("  ERROR: Incompatible Elixir and Erlang/OTP\n    Elixir 1.14.0-otp-24 (from BP_ELIXIR_VERSION) is built for Erlang/OTP 24, not for Erlang/OTP 25.2.3 (installed): ask for Erlang/OTP 24, or for an Elixir built for OTP 25\n"))
	})

	it("refuses a tampered zip", func() {
		writeFile(filepath.Join(index, "builds/elixir/v1.14.0-otp-25.zip"), elixirZip(false))
		_, err := build.Build(ctx)
		Expect(err).To(MatchError(ContainSubstring("checksum mismatch for " + filepath.Join(index, "builds/elixir/v1.14.0-otp-25.zip"))))
		entries, _ := os.ReadDir(filepath.Join(ctx.Layers.Path, "elixir"))
		Expect(entries).To(BeEmpty())
	})

	it("fails, naming erlang-runtime, when erlang-runtime published no OTP", func() {
		delete(env, "ELIXIR_BP_OTP_VERSION")
		_, err := build.Build(ctx)
		Expect(err).To(MatchError(ContainSubstring("ELIXIR_BP_OTP_VERSION, which the erlang-runtime buildpack publishes, is not set: erlang-runtime did not run before this buildpack")))
		Expect(logged()).To(ContainSubstring("ERROR: Missing buildpack"))
	})

	it("fails when the zip has no bin/mix", func() {
		zipped = elixirZip(false)
		writeFile(filepath.Join(index, "builds/elixir/v1.14.0-otp-25.zip"), zipped)
		writeFile(filepath.Join(index, "builds/elixir/builds.txt"), []byte("v1.14.0-otp-25 def 2022-09-01T00:00:00Z "+sum(zipped)+"\n"))
		_, err := build.Build(ctx)
		Expect(err).To(MatchError(ContainSubstring("the Elixir layer has no bin/mix")))
	})
}
