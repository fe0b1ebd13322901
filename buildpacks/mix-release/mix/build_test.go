package mix_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/paketo-buildpacks/libpak/v2/effect"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
)

// fakeMix records what would run and plays `mix release` by writing a
// start script where --path points.
type fakeMix struct {
	runs    []effect.Execution
	failOn  string
	release string
}

func (f *fakeMix) Execute(e effect.Execution) error {
	f.runs = append(f.runs, e)
	if len(e.Args) > 0 && e.Args[0] == f.failOn {
		_, _ = e.Stdout.Write([]byte("** (CompileError) lib/app.ex:3: undefined function foo/0\n"))
		return errors.New("exit status 1")
	}
	if len(e.Args) > 0 && e.Args[0] == "release" {
		path := e.Args[len(e.Args)-1]
		_ = os.MkdirAll(filepath.Join(path, "bin"), 0o755)
		_ = os.WriteFile(filepath.Join(path, "bin", f.release), []byte("#!/bin/sh\n"), 0o755)
		_ = os.WriteFile(filepath.Join(path, "bin", f.release+".bat"), nil, 0o644)
	}
	return nil
}

func (f *fakeMix) commands() []string {
	var out []string
	for _, r := range f.runs {
		out = append(out, r.Command+" "+strings.Join(r.Args, " "))
	}
	return out
}

func envOf(e effect.Execution, name string) string {
	for _, kv := range e.Env {
		if k, v, _ := strings.Cut(kv, "="); k == name {
			return v
		}
	}
	return ""
}

func testBuild(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		ctx    libcnb.BuildContext
		exec   *fakeMix
		out    *bytes.Buffer
		build  mix.Build
		env    map[string]string
	)

	it.Before(func() {
		app := t.TempDir()
		Expect(os.WriteFile(filepath.Join(app, "mix.exs"), nil, 0o644)).To(Succeed())
		Expect(os.MkdirAll(filepath.Join(app, "lib"), 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(app, "lib", "app.ex"), nil, 0o644)).To(Succeed())
		ctx = libcnb.BuildContext{
			ApplicationPath: app,
			Buildpack: libcnb.Buildpack{
				Info: libcnb.BuildpackInfo{Name: "Mix Release", Version: "0.1.0"},
				Metadata: map[string]interface{}{"configurations": []map[string]interface{}{
					{"name": "MIX_ENV", "default": "prod", "build": true},
					{"name": "RELEASE", "build": true},
				}},
			},
			Layers:   libcnb.Layers{Path: t.TempDir()},
			Platform: libcnb.Platform{Environment: map[string]string{}},
		}
		exec = &fakeMix{release: "app"}
		out = &bytes.Buffer{}
		env = map[string]string{}
		build = mix.Build{Logger: log.NewPaketoLogger(out), Executor: exec,
			Env: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	})

	it("runs deps.get, deps.compile, compile and release into the launch layer", func() {
		result, err := build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())

		releasePath := filepath.Join(ctx.Layers.Path, "release")
		Expect(exec.commands()).To(Equal([]string{
			"mix deps.get --only prod",
			"mix deps.compile",
			"mix compile",
			"mix release --overwrite --path " + releasePath,
		}))
		for _, r := range exec.runs {
			Expect(r.Dir).To(Equal(ctx.ApplicationPath))
			Expect(envOf(r, "MIX_ENV")).To(Equal("prod"))
			Expect(envOf(r, "MIX_HOME")).To(Equal(filepath.Join(ctx.Layers.Path, "mix-home")))
			Expect(envOf(r, "HEX_HOME")).To(Equal(filepath.Join(ctx.Layers.Path, "hex-home")))
			Expect(envOf(r, "LANG")).To(Equal("C.UTF-8"))
		}

		Expect(result.Layers).To(HaveLen(3))
		Expect(result.Layers[0].Name).To(Equal("mix-home"))
		Expect(result.Layers[0].LayerTypes).To(Equal(libcnb.LayerTypes{Cache: true}))
		Expect(result.Layers[1].Name).To(Equal("hex-home"))
		Expect(result.Layers[1].LayerTypes).To(Equal(libcnb.LayerTypes{Cache: true}))
		rel := result.Layers[2]
		Expect(rel.Name).To(Equal("release"))
		Expect(rel.LayerTypes).To(Equal(libcnb.LayerTypes{Launch: true}))
		Expect(rel.LaunchEnvironment).To(Equal(libcnb.Environment{
			"PORT.default":        "8080",
			"LANG.default":        "C.UTF-8",
			"MIX_ENV.default":     "prod",
			"RELEASE_TMP.default": "/tmp",
		}))

		bin := filepath.Join(releasePath, "bin", "app")
		Expect(result.Processes).To(Equal([]libcnb.Process{
			{Type: "web", Command: []string{bin}, Arguments: []string{"start"}, Default: true},
			{Type: "console", Command: []string{bin}, Arguments: []string{"start_iex"}},
			{Type: "remote", Command: []string{bin}, Arguments: []string{"remote"}},
		}))

		entries, err := os.ReadDir(ctx.ApplicationPath)
		Expect(err).NotTo(HaveOccurred())
		Expect(entries).To(BeEmpty(), "the source must not reach the image")
	})

	it("builds the release RELEASE names, before BP_MIX_RELEASE_NAME", func() {
		ctx.Platform.Environment["RELEASE"] = "web"
		env["BP_MIX_RELEASE_NAME"] = "worker"
		exec.release = "web"
		result, err := build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(exec.commands()[3]).To(HavePrefix("mix release web --overwrite --path "))
		Expect(result.Processes[0].Command[0]).To(HaveSuffix("/bin/web"))
	})

	it("prints each command's directory and added variables under DEBUG, never the platform's secrets", func() {
		ctx.Platform.Environment["DEBUG"] = ""
		ctx.Platform.Environment["SECRET_KEY_BASE"] = "s3cr3t-value"
		_, err := build.Build(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(out.String()).To(ContainSubstring("working directory: " + ctx.ApplicationPath))
		Expect(out.String()).To(ContainSubstring("adds MIX_ENV=prod"))
		Expect(out.String()).NotTo(ContainSubstring("s3cr3t-value"))
	})

	it("fails with Mix's output kept and one line naming the failed step", func() {
		exec.failOn = "compile"
		_, err := build.Build(ctx)
		Expect(err).To(MatchError("mix compile failed (its output is above): fix the error Mix reports, then build again"))
		Expect(out.String()).To(ContainSubstring("** (CompileError) lib/app.ex:3: undefined function foo/0"))
		Expect(out.String()).To(ContainSubstring("ERROR: Mix failed"))
		Expect(exec.commands()).To(HaveLen(3), "nothing runs after the failed step")
	})
}
