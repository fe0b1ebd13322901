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
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
)

func testDetect(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		ctx    libcnb.DetectContext
		out    *bytes.Buffer
		detect libcnb.DetectFunc
	)

	write := func(rel, content string) {
		p := filepath.Join(ctx.ApplicationPath, rel)
		Expect(os.MkdirAll(filepath.Dir(p), 0o755)).To(Succeed())
		Expect(os.WriteFile(p, []byte(content), 0o644)).To(Succeed())
	}
	requires := func(launch bool) []libcnb.BuildPlan {
		md := func() map[string]interface{} {
			m := map[string]interface{}{"build": true}
			if launch {
				m["launch"] = true
			}
			return m
		}
		mode := "release"
		if launch {
			mode = "runtime"
		}
		return []libcnb.BuildPlan{{
			Provides: []libcnb.BuildPlanProvide{{Name: "mix-release"}},
			Requires: []libcnb.BuildPlanRequire{
				{Name: "erlang", Metadata: md()},
				{Name: "elixir", Metadata: md()},
				{Name: "mix-release", Metadata: map[string]interface{}{"mode": mode}},
			},
		}}
	}

	it.Before(func() {
		ctx = libcnb.DetectContext{ApplicationPath: t.TempDir(), Platform: libcnb.Platform{Environment: map[string]string{}}}
		out = &bytes.Buffer{}
		detect = mix.NewDetect(log.NewPaketoLogger(out))
	})

	it("passes with mix.exs declaring releases, asking for Erlang and Elixir at build time only", func() {
		write("mix.exs", "def project, do: [app: :x, releases: [x: []]]")
		result, err := detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result).To(Equal(libcnb.DetectResult{Pass: true, Plans: requires(false)}))
		Expect(out.String()).To(ContainSubstring("Release mode: mix.exs declares releases"))
	})

	it("takes config/runtime.exs as release mode", func() {
		write("mix.exs", "def project, do: [app: :x]")
		write("config/runtime.exs", "import Config")
		result, err := detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Plans).To(Equal(requires(false)))
		Expect(out.String()).To(ContainSubstring("Release mode: config/runtime.exs exists"))
	})

	it("asks for Erlang and Elixir at launch too in Mix runtime mode (no releases, no runtime.exs)", func() {
		write("mix.exs", "def project, do: [app: :x]\n  # releases: [x: []] one day\n")
		result, err := detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result).To(Equal(libcnb.DetectResult{Pass: true, Plans: requires(true)}))
		Expect(out.String()).To(ContainSubstring("Mix runtime mode: mix.exs declares no releases and there is no config/runtime.exs"))
	})

	it("lets BP_MIX_RELEASE override both ways", func() {
		write("mix.exs", "def project, do: [app: :x]")
		ctx.Platform.Environment["BP_MIX_RELEASE"] = "true"
		result, err := detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Plans).To(Equal(requires(false)))
		Expect(out.String()).To(ContainSubstring("Release mode: BP_MIX_RELEASE=true"))

		write("config/runtime.exs", "import Config")
		ctx.Platform.Environment["BP_MIX_RELEASE"] = "FALSE"
		result, err = detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Plans).To(Equal(requires(true)))
		Expect(out.String()).To(ContainSubstring("Mix runtime mode: BP_MIX_RELEASE=false"))
	})

	// A slice, not a map: spec finds each case again by its order.
	for _, c := range []struct {
		v       string
		release bool
	}{{"1", true}, {"yes", true}, {"0", false}, {"no", false}} {
		v, release := c.v, c.release
		it("takes BP_MIX_RELEASE="+v+" as the build does", func() {
			write("mix.exs", "def project, do: [app: :x, releases: [x: []]]")
			ctx.Platform.Environment["BP_MIX_RELEASE"] = v
			result, err := detect(ctx)
			Expect(err).NotTo(HaveOccurred())
			Expect(result.Plans).To(Equal(requires(!release)))
			if release {
				Expect(out.String()).To(ContainSubstring("Release mode: BP_MIX_RELEASE=true"))
			} else {
				Expect(out.String()).To(ContainSubstring("Mix runtime mode: BP_MIX_RELEASE=false"))
			}
		})
	}

	// The build reads BP_MIX_RELEASE from the platform, then the
	// environment; detection must decide the mode from the same value.
	it("reads BP_MIX_RELEASE from the environment when the platform has none, as the build does", func() {
		write("mix.exs", "def project, do: [app: :x]")
		t.Setenv("BP_MIX_RELEASE", "true")
		result, err := detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Plans).To(Equal(requires(false)))
		Expect(out.String()).To(ContainSubstring("Release mode: BP_MIX_RELEASE=true"))

		ctx.Platform.Environment["BP_MIX_RELEASE"] = "false"
		result, err = detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Plans).To(Equal(requires(true)), "the platform's value wins")
	})

	it("ignores a BP_MIX_RELEASE that is neither true nor false (the build reports it)", func() {
		write("mix.exs", "def project, do: [app: :x, releases: [x: []]]")
		ctx.Platform.Environment["BP_MIX_RELEASE"] = "maybe"
		result, err := detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result).To(Equal(libcnb.DetectResult{Pass: true, Plans: requires(false)}))
		Expect(out.String()).To(ContainSubstring("Release mode: mix.exs declares releases"))
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

		write("apps/web/mix.exs", "")
		write("apps/web/config/runtime.exs", "")
		result, err = detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Pass).To(BeTrue())
		Expect(result.Plans).To(Equal(requires(false)))
	})

	// The runtime buildpacks read .tool-versions in the same folder: one
	// function decides it for all, blanks around the value ignored.
	it("reads BP_MIX_PROJECT_PATH as the runtimes do, blanks and all", func() {
		write("apps/web/mix.exs", "")
		ctx.Platform.Environment["BP_MIX_PROJECT_PATH"] = "apps/web "
		result, err := detect(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Pass).To(BeTrue())
		Expect(mix.ProjectRoot(ctx.ApplicationPath, func(string) string { return " apps/web\n" })).
			To(Equal(toolchain.ProjectDir(ctx.ApplicationPath, "apps/web")))
	})
}
