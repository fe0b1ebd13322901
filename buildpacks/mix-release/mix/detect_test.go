package mix_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
)

func testDetect(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		ctx    libcnb.DetectContext
		out    *bytes.Buffer
		detect libcnb.DetectFunc
	)

	it.Before(func() {
		ctx = libcnb.DetectContext{ApplicationPath: t.TempDir(), Platform: libcnb.Platform{Environment: map[string]string{}}}
		out = &bytes.Buffer{}
		detect = mix.NewDetect(log.NewPaketoLogger(out))
	})

	it("passes with mix.exs at the app root and requires Erlang and Elixir at build time", func() {
		Expect(os.WriteFile(filepath.Join(ctx.ApplicationPath, "mix.exs"), []byte("defmodule X do end"), 0o644)).To(Succeed())
		result, err := detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result).To(Equal(libcnb.DetectResult{
			Pass: true,
			Plans: []libcnb.BuildPlan{{Requires: []libcnb.BuildPlanRequire{
				{Name: "erlang", Metadata: map[string]interface{}{"build": true}},
				{Name: "elixir", Metadata: map[string]interface{}{"build": true}},
			}}},
		}))
	})

	it("fails with a one-line reason without mix.exs", func() {
		result, err := detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Pass).To(BeFalse())
		Expect(out.String()).To(ContainSubstring(
			"SKIPPED: no mix.exs in the app root: this is not a Mix project (set BP_MIX_PROJECT_PATH if mix.exs is in a sub-folder)"))
	})

	it("looks in BP_MIX_PROJECT_PATH", func() {
		Expect(os.MkdirAll(filepath.Join(ctx.ApplicationPath, "apps", "web"), 0o755)).To(Succeed())
		ctx.Platform.Environment["BP_MIX_PROJECT_PATH"] = "apps/web"
		result, err := detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Pass).To(BeFalse())
		Expect(out.String()).To(ContainSubstring("no mix.exs in apps/web"))

		Expect(os.WriteFile(filepath.Join(ctx.ApplicationPath, "apps", "web", "mix.exs"), nil, 0o644)).To(Succeed())
		result, err = detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Pass).To(BeTrue())
	})
}
