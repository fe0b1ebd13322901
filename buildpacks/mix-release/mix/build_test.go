package mix_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/paketo-buildpacks/libpak/v2/effect"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixproject"
)

func testBuild(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		ctx    libcnb.BuildContext
		exec   *fakeMix
		out    *bytes.Buffer
		build  mix.Build
		env    map[string]string
		layers string
		appDir string
	)

	write := func(rel, content string) {
		p := filepath.Join(appDir, rel)
		Expect(os.MkdirAll(filepath.Dir(p), 0o755)).To(Succeed())
		Expect(os.WriteFile(p, []byte(content), 0o644)).To(Succeed())
	}
	var result libcnb.BuildResult
	run := func() (libcnb.BuildResult, error) {
		var err error
		result, err = build.Build(ctx)
		return result, err
	}

	// rebuild starts the next build as the lifecycle would: the layer tomls
	// written, the app folder fresh, a new log.
	rebuild := func() {
		persist(layers, result)
		exec.runs = nil
		out.Reset()
	}

	// passesThrough sets platform variables, builds, and expects each in
	// the environment of mix deps.get as it was given.
	passesThrough := func(vars map[string]string) {
		for k, v := range vars {
			ctx.Platform.Environment[k] = v
		}
		_, err := run()
		Expect(err).NotTo(HaveOccurred())
		get, _ := exec.run("deps.get")
		for k, v := range vars {
			Expect(envOf(get, k)).To(Equal(v), k)
		}
	}

	it.Before(func() {
		appDir = t.TempDir()
		layers = t.TempDir()
		write("mix.exs", "defmodule App.MixProject do end")
		write("mix.lock", `%{"dep": {:git, "x", "abc", []}}`)
		write("lib/app.ex", "defmodule App do end")
		write("config/config.exs", "import Config")
		write("config/runtime.exs", "import Config")
		ctx = libcnb.BuildContext{
			ApplicationPath: appDir,
			Buildpack: libcnb.Buildpack{
				Path: "/cnb/buildpacks/mix-release",
				Info: libcnb.BuildpackInfo{Name: "Mix Release", Version: "0.1.0"},
				Metadata: map[string]interface{}{"configurations": []map[string]interface{}{
					{"name": "MIX_ENV", "default": "prod", "build": true},
					{"name": "RELEASE", "build": true},
				}},
			},
			Layers:   libcnb.Layers{Path: layers},
			Platform: libcnb.Platform{Environment: map[string]string{}},
			// What detection plans for this app (config/runtime.exs exists).
			Plan: libcnb.BuildpackPlan{Entries: []libcnb.BuildpackPlanEntry{
				{Name: "mix-release", Metadata: map[string]interface{}{"mode": "release"}},
			}},
		}
		p := app("app")
		p.Releases = []string{"app"}
		// A git dep that declares manager: :mix (one whose build tool is
		// unknown until fetched needs rebar3 first: see "Hex and rebar3").
		p.Deps = []mixproject.Dep{{Name: "dep", SCM: "git", Manager: "mix", InLock: true}}
		exec = &fakeMix{reports: []mixproject.Project{p}, during: map[string]func(effect.Execution){}}
		out = &bytes.Buffer{}
		env = runtimeFacts()
		build = mix.Build{Logger: log.NewPaketoLogger(out), Executor: exec,
			Env: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	})

	context("release mode", func() {
		it("introspects, fetches, compiles and assembles the release into its launch layer", func() {
			linksSeen := map[string]string{}
			exec.during["compile"] = func(e effect.Execution) {
				for _, name := range []string{"deps", "_build"} {
					linksSeen[name], _ = os.Readlink(filepath.Join(e.Dir, name))
				}
			}
			result, err := run()
			Expect(err).NotTo(HaveOccurred())

			releasePath := filepath.Join(layers, "release")
			Expect(exec.commands()).To(Equal([]string{
				"introspect",
				"mix deps.get --only prod",
				"mix deps.compile",
				"mix compile",
				"mix release app --overwrite --path " + releasePath,
			}))
			intro := exec.runs[0]
			Expect(intro.Args).To(Equal([]string{"/cnb/buildpacks/mix-release/resources/introspect.exs", intro.Args[1]}))
			for _, r := range exec.runs {
				Expect(r.Dir).To(Equal(appDir))
				Expect(envOf(r, "MIX_ENV")).To(Equal("prod"))
				Expect(envOf(r, "MIX_HOME")).To(Equal(filepath.Join(layers, "mix-home")))
				Expect(envOf(r, "HEX_HOME")).To(Equal(filepath.Join(layers, "hex-home")))
				Expect(envOf(r, "LANG")).To(Equal("C.UTF-8"))
				// deps at Mix's default, where generated files look; _build
				// given to Mix as the layer's real path (its priv links are
				// relative to it) and linked for the generated files.
				_, set := lookupEnv(r, "MIX_DEPS_PATH")
				Expect(set).To(BeFalse())
				Expect(envOf(r, "MIX_BUILD_ROOT")).To(Equal(filepath.Join(layers, "mix-build", "_build")))
			}
			Expect(linksSeen).To(Equal(map[string]string{
				"deps":   filepath.Join(layers, "deps", "deps"),
				"_build": filepath.Join(layers, "mix-build", "_build"),
			}), "while Mix ran, the app's deps and _build were links into the cached layers")

			Expect(layerNames(result)).To(Equal([]string{"key-salt", "mix-home", "hex-home", "deps", "mix-build", "release", "release-app", "launch-env"}))
			for _, name := range []string{"key-salt", "mix-home", "hex-home", "deps", "mix-build"} {
				l, _ := layerNamed(result, name)
				Expect(l.LayerTypes).To(Equal(libcnb.LayerTypes{Cache: true}), name)
				Expect(l.LaunchEnvironment).To(BeEmpty(), name)
			}
			rel, _ := layerNamed(result, "release")
			Expect(rel.LayerTypes).To(Equal(libcnb.LayerTypes{Launch: true}))
			Expect(rel.LaunchEnvironment).To(Equal(libcnb.Environment{"RELEASE_TMP.default": "/tmp"}))
			Expect(filepath.Join(releasePath, "releases", "COOKIE")).NotTo(BeAnExistingFile(), "no cookie is baked into the image")
			Expect(filepath.Join(releasePath, "exec.d", "release-cookie")).To(BeARegularFile())
			Expect(filepath.Join(releasePath, "exec.d", "cluster")).To(BeARegularFile())

			// The app's own application lives in release-app, linked from the root.
			app, _ := layerNamed(result, "release-app")
			Expect(app.LayerTypes).To(Equal(libcnb.LayerTypes{Launch: true}))
			Expect(os.Readlink(filepath.Join(releasePath, "lib", "app-0.1.0"))).To(Equal(filepath.Join(layers, "release-app", "lib", "app-0.1.0")))
			Expect(filepath.Join(releasePath, "lib", "kernel-8.5.3", "ebin")).To(BeADirectory())

			le, _ := layerNamed(result, "launch-env")
			Expect(le.LayerTypes).To(Equal(libcnb.LayerTypes{Launch: true}))
			Expect(le.LaunchEnvironment).To(Equal(libcnb.Environment{
				"PORT.default": "8080", "LANG.default": "C.UTF-8", "MIX_ENV.default": "prod",
			}))
			home, err := os.ReadFile(filepath.Join(layers, "launch-env", "exec.d", "home"))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(home)).To(ContainSubstring(`printf 'HOME = "%s"\n' /tmp >&3`))
			Expect(filepath.Join(layers, "launch-env", "exec.d", "crash-dump")).To(BeARegularFile())
			fi, err := os.Stat(filepath.Join(layers, "launch-env", "no-arguments"))
			Expect(err).NotTo(HaveOccurred(), "the web process's guard")
			Expect(fi.Mode().Perm()).To(Equal(os.FileMode(0o755)))

			bin := filepath.Join(releasePath, "bin", "app")
			guard := filepath.Join(layers, "launch-env", "no-arguments")
			Expect(result.Processes).To(Equal([]libcnb.Process{
				{Type: "web", Command: []string{guard, bin, "start"}, Default: true},
				{Type: "console", Command: []string{bin}, Arguments: []string{"start_iex"}},
				{Type: "remote", Command: []string{bin}, Arguments: []string{"remote"}},
			}))

			entries, err := os.ReadDir(appDir)
			Expect(err).NotTo(HaveOccurred())
			Expect(entries).To(BeEmpty(), "the source must not reach the image")
			Expect(plain(out)).To(ContainSubstring("Release mode: config/runtime.exs exists"))
			Expect(plain(out)).To(ContainSubstring("Release to build: app (from the only release in mix.exs)"))
			Expect(plain(out)).To(ContainSubstring("Mix dependencies: fetching, because nothing cached yet"))
		})

		it("sets PHX_SERVER=true as a launch default of a Phoenix release", func() {
			exec.reports[0].Phoenix = true
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			rel, _ := layerNamed(result, "release")
			Expect(rel.LaunchEnvironment).To(Equal(libcnb.Environment{"RELEASE_TMP.default": "/tmp", "PHX_SERVER.default": "true"}))
		})

		it("makes web bin/server and adds migrate when the release has them", func() {
			exec.overlay = []string{"server", "migrate"}
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			bin := filepath.Join(layers, "release", "bin")
			Expect(result.Processes).To(ContainElements(
				libcnb.Process{Type: "web", Command: []string{filepath.Join(layers, "launch-env", "no-arguments"), filepath.Join(bin, "server")}, Default: true},
				libcnb.Process{Type: "migrate", Command: []string{filepath.Join(bin, "migrate")}},
			))
		})

		it("builds the release RELEASE names, before BP_MIX_RELEASE_NAME", func() {
			exec.reports[0].Releases = []string{"web", "worker"}
			ctx.Platform.Environment["RELEASE"] = "web"
			env["BP_MIX_RELEASE_NAME"] = "worker"
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()[len(exec.runs)-1]).To(HavePrefix("mix release web --overwrite --path "))
			Expect(result.Processes[0].Command[1]).To(HaveSuffix("/bin/web"))
			Expect(plain(out)).To(ContainSubstring("Release to build: web (from RELEASE)"))
		})

		it("gives mix release no name when mix.exs declares none: Mix builds the app-named release then", func() {
			exec.reports[0].Releases = nil
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()[len(exec.runs)-1]).To(Equal("mix release --overwrite --path " + filepath.Join(layers, "release")))
			Expect(result.Processes[0].Command[1]).To(Equal(filepath.Join(layers, "release", "bin", "app")))
			Expect(plain(out)).To(ContainSubstring("Release to build: app (from the app name (mix.exs declares no releases))"))
		})

		it("fails before fetching anything when several releases exist and none is chosen", func() {
			exec.reports[0].Releases = []string{"web", "worker"}
			_, err := run()
			Expect(err).To(MatchError("mix.exs declares several releases (web, worker) and none was chosen: " +
				"set RELEASE (or BP_MIX_RELEASE_NAME) to one of them, for example pack build -e RELEASE=web"))
			Expect(exec.commands()).To(Equal([]string{"introspect"}))
			// The headline and the line, once each, and nothing after them.
			Expect(strings.Count(plain(out), "ERROR: ")).To(Equal(1))
			lines := strings.Split(strings.TrimSpace(plain(out)), "\n")
			Expect(lines[len(lines)-2:]).To(Equal([]string{"  ERROR: Several releases", "    " + err.Error()}))
		})

		it("fails naming the releases that exist when RELEASE names another", func() {
			exec.reports[0].Releases = []string{"web", "worker"}
			ctx.Platform.Environment["RELEASE"] = "api"
			_, err := run()
			Expect(err).To(MatchError("RELEASE=api names no release of mix.exs, which declares web, worker: set RELEASE to one of those"))
		})
	})

	context("the deps layer and the _build cache", func() {
		it("reuses both after a source-only change: neither deps.get nor deps.compile runs, and says why", func() {
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			rebuild()
			write("mix.exs", "defmodule App.MixProject do end")
			write("mix.lock", `%{"dep": {:git, "x", "abc", []}}`)
			write("config/config.exs", "import Config")
			write("config/runtime.exs", "import Config # changed: read at boot only")
			write("lib/app.ex", "defmodule App do def changed, do: true end")

			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(Equal([]string{
				"introspect",
				"mix compile",
				"mix release app --overwrite --path " + filepath.Join(layers, "release"),
			}))
			Expect(plain(out)).To(ContainSubstring("Mix dependencies: mix.lock, every mix.exs, the compile-time config, MIX_ENV, Erlang/OTP, Elixir and the target are unchanged"))
			Expect(plain(out)).To(ContainSubstring("Mix dependencies: Reusing cached layer"))
			Expect(plain(out)).To(ContainSubstring("Skipped mix deps.get: the cached dependencies are those mix.lock pins"))
			Expect(plain(out)).To(ContainSubstring("Skipped mix deps.compile: the cached _build holds the deps compiled for these inputs"))
		})

		it("takes the no-change path with SECRET_KEY_BASE given, and a new secret builds in full", func() {
			source := map[string]string{}
			for _, rel := range []string{"mix.exs", "mix.lock", "lib/app.ex", "config/config.exs", "config/runtime.exs"} {
				b, err := os.ReadFile(filepath.Join(appDir, rel))
				Expect(err).NotTo(HaveOccurred())
				source[rel] = string(b)
			}
			again := func(secret string) libcnb.BuildResult {
				rebuild()
				for rel, content := range source {
					write(rel, content)
				}
				ctx.Platform.Environment["SECRET_KEY_BASE"] = secret
				result, err := run()
				Expect(err).NotTo(HaveOccurred())
				return result
			}
			ctx.Platform.Environment["SECRET_KEY_BASE"] = "s3cr3t-value"
			_, err := run()
			Expect(err).NotTo(HaveOccurred())

			result := again("s3cr3t-value")
			Expect(plain(out)).To(ContainSubstring("no Mix command runs"))
			Expect(exec.commands()).To(BeEmpty())
			Expect(layerNames(result)).To(ContainElement("key-salt"), "the salt is kept for the next build")
			salt, _ := layerNamed(result, "key-salt")
			Expect(salt.LayerTypes).To(Equal(libcnb.LayerTypes{Cache: true}))
			for _, l := range result.Layers {
				Expect(fmt.Sprint(l.Metadata)).NotTo(ContainSubstring("s3cr3t"), l.Name)
			}
			Expect(plain(out)).NotTo(ContainSubstring("s3cr3t"))

			again("another-value")
			Expect(plain(out)).NotTo(ContainSubstring("no Mix command runs"))
			Expect(exec.commands()).To(ContainElement("mix compile"))
		})

		it("leaves the app folder closed to the run user on the no-change path as on a full build", func() {
			// pack hands every build a /workspace of mode 0777.
			source := map[string]string{}
			for _, rel := range []string{"mix.exs", "mix.lock", "lib/app.ex", "config/config.exs", "config/runtime.exs"} {
				b, err := os.ReadFile(filepath.Join(appDir, rel))
				Expect(err).NotTo(HaveOccurred())
				source[rel] = string(b)
			}
			modes := []os.FileMode{}
			for i := 0; i < 2; i++ {
				if i == 1 {
					rebuild()
					for rel, content := range source {
						write(rel, content)
					}
				}
				Expect(os.Chmod(appDir, 0o777)).To(Succeed())
				_, err := run()
				Expect(err).NotTo(HaveOccurred())
				fi, err := os.Stat(appDir)
				Expect(err).NotTo(HaveOccurred())
				modes = append(modes, fi.Mode().Perm())
			}
			Expect(plain(out)).To(ContainSubstring("no Mix command runs"), "the second build took the no-change path")
			Expect(exec.commands()).To(BeEmpty())
			Expect(modes).To(Equal([]os.FileMode{0o755, 0o755}))
		})

		// The runtimes' facts are the toolchain: nothing is run or read to
		// find it, and a new Erlang, Elixir or target is a full build.
		it("keys the no-change path by the facts the runtimes published", func() {
			source := map[string]string{}
			for _, rel := range []string{"mix.exs", "mix.lock", "lib/app.ex", "config/config.exs", "config/runtime.exs"} {
				b, err := os.ReadFile(filepath.Join(appDir, rel))
				Expect(err).NotTo(HaveOccurred())
				source[rel] = string(b)
			}
			again := func() {
				rebuild()
				for rel, content := range source {
					write(rel, content)
				}
				_, err := run()
				Expect(err).NotTo(HaveOccurred())
			}
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			again()
			Expect(exec.commands()).To(BeEmpty())
			for _, fact := range []string{"ELIXIR_BP_OTP_VERSION", "ELIXIR_BP_ELIXIR_VERSION", "ELIXIR_BP_TARGET"} {
				env[fact] += "1"
				again()
				Expect(plain(out)).NotTo(ContainSubstring("no Mix command runs"), fact)
				Expect(exec.commands()).To(ContainElement("mix compile"), fact)
			}
		})

		it("names in the release's SBOM the Erlang/OTP and Elixir the runtimes published", func() {
			env["ELIXIR_BP_OTP_VERSION"] = "25.2.3.1"
			env["ELIXIR_BP_ELIXIR_VERSION"] = "1.14.5"
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			rel, _ := layerNamed(result, "release")
			cdx, err := os.ReadFile(rel.SBOMPath(libcnb.CycloneDXJSON))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(cdx)).To(ContainSubstring(`"bom-ref": "erlang-otp:erlang-otp@25.2.3.1"`))
			Expect(string(cdx)).To(ContainSubstring(`"bom-ref": "elixir:elixir@1.14.5"`))
			Expect(plain(out)).To(ContainSubstring("Elixir 1.14.5 on Erlang/OTP 25.2.3.1"))
		})

		it("fails before any Mix command, naming the runtime, when a runtime published nothing", func() {
			delete(env, "ELIXIR_BP_ELIXIR_VERSION")
			_, err := run()
			Expect(err).To(MatchError(ContainSubstring("ELIXIR_BP_ELIXIR_VERSION, which the elixir-runtime buildpack publishes, is not set")))
			Expect(headline(err)).To(Equal("Missing buildpack"))
			Expect(exec.commands()).To(BeEmpty())
		})
		it("sets the restored deps and _build to the epoch, so Mix decides by content, not by restore times", func() {
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			manifest := filepath.Join(layers, "mix-build", "_build", "prod", "lib", "app", ".mix", "compile.elixir")
			Expect(os.MkdirAll(filepath.Dir(manifest), 0o755)).To(Succeed())
			Expect(os.WriteFile(manifest, nil, 0o644)).To(Succeed())
			rebuild()
			write("mix.exs", "defmodule App.MixProject do end")
			write("mix.lock", `%{"dep": {:git, "x", "abc", []}}`)
			write("config/config.exs", "import Config")
			var times []int64
			exec.during["compile"] = func(effect.Execution) {
				for _, p := range []string{manifest, filepath.Join(layers, "deps", "deps", "dep")} {
					fi, err := os.Stat(p)
					Expect(err).NotTo(HaveOccurred())
					times = append(times, fi.ModTime().Unix())
				}
			}
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(times).To(Equal([]int64{1, 1}))
		})

		it("fetches and compiles again when mix.lock changes, and says so", func() {
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			rebuild()
			write("mix.exs", "defmodule App.MixProject do end")
			write("mix.lock", `%{"dep": {:git, "x", "def", []}}`)
			write("config/config.exs", "import Config")
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(ContainElements("mix deps.get --only prod", "mix deps.compile"))
			Expect(plain(out)).To(ContainSubstring("Mix dependencies: fetching, because mix.lock changed"))
		})

		it("is keyed by every mix.exs, the compile-time config, MIX_ENV, OTP, Elixir and the target", func() {
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			rebuild()
			write("mix.lock", `%{"dep": {:git, "x", "abc", []}}`)
			write("mix.exs", "defmodule App.MixProject do end")
			write("apps/web/mix.exs", "defmodule Web.MixProject do end")
			write("config/config.exs", "import Config")
			write("config/prod.exs", "import Config")
			env["MIX_ENV"] = "staging"
			env["ELIXIR_BP_OTP_VERSION"] = "25.3"
			env["ELIXIR_BP_TARGET"] = "arm64/ubuntu-22.04"
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(plain(out)).To(ContainSubstring("Mix dependencies: fetching, because apps/web/mix.exs added, config/prod.exs added, " +
				"MIX_ENV changed (prod → staging), Erlang/OTP changed (25.2.3 → 25.3), the target changed (amd64/ubuntu-22.04 → arm64/ubuntu-22.04)"))
			Expect(exec.commands()).To(ContainElement("mix deps.get --only staging"))
		})

		it("compiles the deps again when the _build cache lost them though the deps layer is reused", func() {
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			rebuild()
			Expect(os.Remove(filepath.Join(layers, "mix-build.toml"))).To(Succeed())
			write("mix.exs", "defmodule App.MixProject do end")
			write("mix.lock", `%{"dep": {:git, "x", "abc", []}}`)
			write("config/config.exs", "import Config")
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(Equal([]string{
				"introspect", "mix deps.compile", "mix compile",
				"mix release app --overwrite --path " + filepath.Join(layers, "release"),
			}))
			Expect(plain(out)).To(ContainSubstring("_build: the dependencies in it need compiling, because nothing cached yet"))
		})

		it("fetches on every build when git or Hex deps have no mix.lock to pin them", func() {
			Expect(os.Remove(filepath.Join(appDir, "mix.lock"))).To(Succeed())
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			rebuild()
			write("mix.exs", "defmodule App.MixProject do end")
			write("config/config.exs", "import Config")
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(ContainElement("mix deps.get --only prod"))
			Expect(plain(out)).To(ContainSubstring("Mix dependencies: fetching, because there is no mix.lock to pin the git and Hex deps (commit it to have them cached)"))
		})

		it("replaces a _build uploaded with the source by the cached one, and says so", func() {
			write("_build/dev/lib/app/ebin/Elixir.App.beam", "compiled on the laptop")
			var seen string
			exec.during["compile"] = func(e effect.Execution) { seen, _ = os.Readlink(filepath.Join(e.Dir, "_build")) }
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(seen).To(Equal(filepath.Join(layers, "mix-build", "_build")))
			Expect(filepath.Join(layers, "mix-build", "_build", "dev")).NotTo(BeADirectory(), "nothing of it reaches the cache")
			Expect(plain(out)).To(ContainSubstring("Replacing the _build/ folder that came with the source with the cached one: it was built elsewhere"))
		})

		it("uses a committed deps/ folder as it is: no deps.get, no MIX_DEPS_PATH, no deps layer", func() {
			write("deps/dep/mix.exs", "defmodule Dep.MixProject do end")
			depsWasDir := false
			exec.during["compile"] = func(e effect.Execution) {
				fi, err := os.Lstat(filepath.Join(e.Dir, "deps", "dep", "mix.exs"))
				dir, _ := os.Lstat(filepath.Join(e.Dir, "deps"))
				depsWasDir = err == nil && fi.Mode().IsRegular() && dir.IsDir()
			}
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(Equal([]string{
				"introspect", "mix deps.compile", "mix compile",
				"mix release app --overwrite --path " + filepath.Join(layers, "release"),
			}))
			for _, r := range exec.runs {
				_, set := lookupEnv(r, "MIX_DEPS_PATH")
				Expect(set).To(BeFalse())
			}
			Expect(layerNames(result)).NotTo(ContainElement("deps"))
			Expect(plain(out)).To(ContainSubstring("Mix dependencies: using the committed deps/ folder; mix deps.get does not run, nothing is fetched"))
			Expect(depsWasDir).To(BeTrue(), "the committed deps/ stays a folder while Mix runs")

			rebuild()
			write("mix.exs", "defmodule App.MixProject do end")
			write("mix.lock", `%{"dep": {:git, "x", "abc", []}}`)
			write("config/config.exs", "import Config")
			write("deps/dep/mix.exs", "defmodule Dep.MixProject do end")
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).NotTo(ContainElement("mix deps.compile"))

			rebuild()
			write("mix.exs", "defmodule App.MixProject do end")
			write("mix.lock", `%{"dep": {:git, "x", "abc", []}}`)
			write("config/config.exs", "import Config")
			write("deps/dep/mix.exs", "defmodule Dep.MixProject do def changed, do: 1 end")
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(ContainElement("mix deps.compile"))
			Expect(plain(out)).To(ContainSubstring("_build: the dependencies in it need compiling, because the committed deps/ folder changed"))
		})
	})

	context("Hex and rebar3", func() {
		var index string
		it.Before(func() {
			index = t.TempDir()
			ctx.Platform.Environment["HEX_BUILDS_URL"] = index
		})

		it("installs no Hex when no dependency comes from Hex", func() {
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).NotTo(ContainElement(HavePrefix("mix archive.install")))
			Expect(plain(out)).To(ContainSubstring("Hex: not installed, no dependency comes from a Hex repository"))
		})

		it("installs the Hex archive from the index, sha512-checked, outside the project, and reuses it", func() {
			exec.reports[0].Deps = []mixproject.Dep{{Name: "jason", SCM: "hex", Manager: "mix", InLock: true}}
			sum := writeInstall(index, "hex", "2.0.0", "1.13.0", []byte("old hex"))
			sum = writeInstall(index, "hex", "2.0.6", "1.14.0", []byte("hex archive"))
			writeInstall(index, "hex", "2.1.0", "1.15.0", []byte("hex for a newer elixir"))
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			inst, ok := exec.run("archive.install")
			Expect(ok).To(BeTrue())
			Expect(inst.Args[1]).To(HaveSuffix("/hex-2.0.6.ez"))
			Expect(inst.Args[2:]).To(Equal([]string{"--sha512", sum, "--force"}))
			Expect(inst.Dir).NotTo(Equal(appDir))
			Expect(envOf(inst, "MIX_HOME")).To(Equal(filepath.Join(layers, "mix-home")))
			Expect(exec.commands()[1]).To(HavePrefix("mix archive.install"), "before deps.get")
			Expect(plain(out)).To(ContainSubstring("Hex: installing, because jason comes from a Hex repository"))
			Expect(plain(out)).To(ContainSubstring("Hex 2.0.6 (built for Elixir 1.14.0) from " + index + "/installs/1.14.0/hex-2.0.6.ez, sha512 verified"))
			home, _ := layerNamed(result, "mix-home")
			Expect(home.Metadata).To(Equal(map[string]interface{}{"hex": "needed", "elixir": "1.14.0"}))

			rebuild()
			write("mix.exs", "defmodule App.MixProject do end")
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).NotTo(ContainElement(HavePrefix("mix archive.install")))
			Expect(plain(out)).To(ContainSubstring("Hex: needed (jason comes from a Hex repository) and cached for Elixir 1.14.0"))
		})

		it("fails with one line when Hex is needed, not cached and HEX_OFFLINE is set", func() {
			exec.reports[0].Deps = []mixproject.Dep{{Name: "jason", SCM: "hex"}, {Name: "plug", SCM: "hex"}}
			ctx.Platform.Environment["HEX_OFFLINE"] = "1"
			_, err := run()
			Expect(err).To(MatchError(HavePrefix("jason and plug come from a Hex repository, but hex is not cached and HEX_OFFLINE is set, and the index at " + index + " gave: ")))
			Expect(err).To(MatchError(HaveSuffix("; build once with HEX_BUILDS_URL (or HEX_MIRROR) reachable so hex is cached, or unset HEX_OFFLINE")))
			Expect(plain(out)).To(ContainSubstring("ERROR: hex needed while offline"))
		})

		// Mix 1.18 wants rebar3 during deps.get, as it loads each fetched
		// rebar3 dependency (else it runs local.rebar, which needs the
		// signed list only builds.hex.pm has).
		it("fails with one line when Hex's offline mode lacks a package deps.get needs, Mix's own line above it", func() {
			exec.reports[0].Deps = []mixproject.Dep{{Name: "jason", SCM: "hex", Manager: "mix", InLock: true}}
			writeInstall(index, "hex", "2.5.1", "1.14.0", []byte("hex archive"))
			ctx.Platform.Environment["HEX_OFFLINE"] = "1"
			exec.during["deps.get"] = func(e effect.Execution) {
				_, _ = e.Stdout.Write([]byte("** (Mix) Hex is running in offline mode and the registry entry for package jason is not cached locally\n"))
			}
			exec.failOn = "deps.get"
			_, err := run()
			Expect(err).To(MatchError("mix deps.get needs the Hex package jason, which is not cached, and HEX_OFFLINE is set: " +
				"build once with HEX_OFFLINE unset so the deps are cached, or commit deps/, or unset HEX_OFFLINE"))
			lines := strings.Split(strings.TrimSpace(plain(out)), "\n")
			Expect(lines[len(lines)-2:]).To(Equal([]string{"  ERROR: Hex needed while offline", "    " + err.Error()}))
			Expect(plain(out)).To(ContainSubstring("** (Mix) Hex is running in offline mode"), "Mix's own line stays")
			Expect(plain(out)).NotTo(ContainSubstring("Mix failed"))
			Expect(filepath.Join(layers, "deps.toml")).NotTo(BeAnExistingFile(), "nothing cached")
		})

		it("installs rebar3 before deps.get when a Hex package is locked as a rebar3 one, for MIX_REBAR3", func() {
			write("mix.lock", `%{"telemetry": {:hex, :telemetry, "1.4.1", "x", [:rebar3], [], "hexpm", "y"}}`)
			exec.reports[0].Deps = []mixproject.Dep{{Name: "telemetry", SCM: "hex", Manager: "rebar3", InLock: true},
				{Name: "telemetry_poller", SCM: "hex", Manager: "rebar3", InLock: true}, {Name: "jason", SCM: "hex", Manager: "mix", InLock: true}}
			writeInstall(index, "hex", "2.5.1", "1.14.0", []byte("hex archive"))
			writeInstall(index, "rebar3", "3.19.0", "1.14.0", []byte("#!/usr/bin/env escript\n"))
			bin := filepath.Join(layers, "rebar3", "bin", "rebar3")
			var atDepsGet string
			exec.during["deps.get"] = func(e effect.Execution) {
				if _, err := os.Stat(envOf(e, "MIX_REBAR3")); err == nil {
					atDepsGet = envOf(e, "MIX_REBAR3")
				}
			}
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(atDepsGet).To(Equal(bin), "rebar3 is there when deps.get runs")
			Expect(plain(out)).To(ContainSubstring("rebar3: installing, because telemetry and telemetry_poller build with rebar3"))
		})

		it("installs rebar3 before deps.get for a git dep whose build tool is known only once fetched, for MIX_REBAR3", func() {
			exec.reports[0].Deps = []mixproject.Dep{{Name: "dep", SCM: "git", InLock: true}}
			fetched := exec.reports[0]
			fetched.Deps = []mixproject.Dep{{Name: "dep", SCM: "git", Manager: "rebar3", Fetched: true, InLock: true}}
			exec.reports = append(exec.reports, fetched)
			writeInstall(index, "rebar3", "3.19.0", "1.14.0", []byte("#!/usr/bin/env escript\n"))
			bin := filepath.Join(layers, "rebar3", "bin", "rebar3")
			var atDepsGet string
			exec.during["deps.get"] = func(e effect.Execution) { atDepsGet = envOf(e, "MIX_REBAR3") }
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(atDepsGet).To(Equal(bin))
			Expect(bin).To(BeARegularFile())
			fi, _ := os.Stat(bin)
			Expect(fi.Mode().Perm()).To(Equal(os.FileMode(0o755)))
			dc, _ := exec.run("deps.compile")
			Expect(envOf(dc, "MIX_REBAR3")).To(Equal(bin))
			Expect(layerNames(result)).To(ContainElement("rebar3"))
			r3, _ := layerNamed(result, "rebar3")
			Expect(r3.LayerTypes).To(Equal(libcnb.LayerTypes{Cache: true}))
			Expect(plain(out)).To(ContainSubstring("rebar3: installing, because dep comes from git and may build with rebar3 (known once fetched)"))
			Expect(strings.Count(plain(out), "rebar3: installing")).To(Equal(1), "decided once")
			Expect(plain(out)).To(ContainSubstring("rebar3 3.19.0 (built for Elixir 1.14.0) from " + index + "/installs/1.14.0/rebar3-3.19.0, sha512 verified"))

			rebuild()
			write("mix.exs", "defmodule App.MixProject do end")
			write("mix.lock", `%{"dep": {:git, "x", "abc", []}}`)
			write("config/config.exs", "import Config")
			exec.intro = 1 // the deps layer is restored: the first report already knows
			result, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(plain(out)).To(ContainSubstring("rebar3: needed (dep builds with rebar3) and cached for Elixir 1.14.0"))
			Expect(layerNames(result)).To(ContainElement("rebar3"), "kept in the cache while a dep needs it")
		})

		it("refuses a rebar3 whose sha512 is not the one the index lists, caching nothing", func() {
			exec.reports[0].Deps = []mixproject.Dep{{Name: "dep", SCM: "git", Manager: "rebar3"}}
			writeInstall(index, "rebar3", "3.19.0", "1.14.0", []byte("rebar3"))
			Expect(os.WriteFile(filepath.Join(index, "installs", "1.14.0", "rebar3-3.19.0"), []byte("tampered"), 0o644)).To(Succeed())
			_, err := run()
			Expect(err).To(MatchError(ContainSubstring("checksum mismatch for installs/1.14.0/rebar3-3.19.0: expected sha512 ")))
			Expect(err).To(MatchError(HaveSuffix("; the mirror or download is corrupt, nothing was cached")))
			Expect(filepath.Join(layers, "rebar3", "bin", "rebar3")).NotTo(BeAnExistingFile())
		})

		it("uses the platform's MIX_REBAR3 instead of installing one", func() {
			exec.reports[0].Deps = []mixproject.Dep{{Name: "dep", SCM: "git", Manager: "rebar3"}}
			ctx.Platform.Environment["MIX_REBAR3"] = "/opt/rebar3"
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(layerNames(result)).NotTo(ContainElement("rebar3"))
			dc, _ := exec.run("deps.compile")
			Expect(envOf(dc, "MIX_REBAR3")).To(Equal("/opt/rebar3"))
			Expect(plain(out)).To(ContainSubstring("rebar3: dep builds with rebar3; using MIX_REBAR3=/opt/rebar3"))
		})
	})

	context("Mix runtime mode", func() {
		it.Before(func() {
			ctx.Plan = libcnb.BuildpackPlan{Entries: []libcnb.BuildpackPlanEntry{
				{Name: "mix-release", Metadata: map[string]interface{}{"mode": "runtime"}},
			}}
			Expect(os.Remove(filepath.Join(appDir, "config", "runtime.exs"))).To(Succeed())
			exec.reports[0].Releases = nil
		})

		it("ships deps, _build and MIX_HOME as launch layers, keeps the source and runs mix without recompiling", func() {
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(Equal([]string{"introspect", "mix deps.get --only prod", "mix deps.compile", "mix compile"}))
			Expect(layerNames(result)).To(Equal([]string{"mix-home", "hex-home", "deps", "mix-build", "launch-env"}))
			for name, want := range map[string]libcnb.Environment{
				"mix-home": {"MIX_HOME.override": filepath.Join(layers, "mix-home")},
				"deps":     {},
				// ERL_LIBS: Mix finds a dep's task (phx.server) without
				// loading the deps its own way, which runs git at boot.
				"mix-build": {"MIX_BUILD_ROOT.override": filepath.Join(layers, "mix-build", "_build"),
					"ERL_LIBS.prepend": filepath.Join(layers, "mix-build", "_build", "prod", "lib"), "ERL_LIBS.delim": ":"},
			} {
				l, _ := layerNamed(result, name)
				Expect(l.LayerTypes).To(Equal(libcnb.LayerTypes{Cache: true, Launch: true}), name)
				Expect(l.LaunchEnvironment).To(Equal(want), name)
			}
			// mix at launch finds deps and _build where it did at build time.
			Expect(os.Readlink(filepath.Join(appDir, "deps"))).To(Equal(filepath.Join(layers, "deps", "deps")))
			Expect(os.Readlink(filepath.Join(appDir, "_build"))).To(Equal(filepath.Join(layers, "mix-build", "_build")))
			hex, _ := layerNamed(result, "hex-home")
			Expect(hex.LayerTypes).To(Equal(libcnb.LayerTypes{Cache: true}))
			Expect(result.Processes).To(Equal([]libcnb.Process{
				{Type: "web", Command: []string{filepath.Join(layers, "launch-env", "no-arguments"), "mix", "run", "--no-halt", "--no-compile", "--no-deps-check"}, Default: true},
				{Type: "console", Command: []string{"iex"}, Arguments: []string{"-S", "mix", "run", "--no-compile", "--no-deps-check"}},
			}))
			Expect(filepath.Join(appDir, "lib", "app.ex")).To(BeARegularFile(), "mix runs the app from its folder")
			Expect(plain(out)).To(ContainSubstring("Mix runtime mode: mix.exs declares no releases and there is no config/runtime.exs (set BP_MIX_RELEASE=true to build a release)"))
			Expect(plain(out)).To(ContainSubstring("web runs mix run --no-halt --no-compile --no-deps-check"))
			// Mix rewrites the app cache at every boot of an image (all its
			// files dated 1980): the run user writes it through a link.
			manifest := filepath.Join(layers, "mix-build", "_build", "prod", "lib", "app", ".mix", "compile.app_cache")
			Expect(os.Readlink(manifest)).To(Equal("/tmp/mix-prod-app.compile.app_cache"))
			Expect(plain(out)).To(ContainSubstring("Mix rewrites compile.app_cache of app at every boot (an image dates its files 1980, older than Mix ever takes a config to be): linked to /tmp, which the run user can write"))
		})

		it("links the app cache of each umbrella child, and keeps the links on a rebuild", func() {
			exec.reports[0].Umbrella = true
			exec.reports[0].Apps = []mixproject.App{{Name: "core", Path: "apps/core"}, {Name: "web", Path: "apps/web"}}
			for i := 0; i < 2; i++ {
				if i == 1 {
					rebuild()
					write("mix.exs", "defmodule App.MixProject do end")
					write("mix.lock", `%{"dep": {:git, "x", "abc", []}}`)
					write("config/config.exs", "import Config")
				}
				_, err := run()
				Expect(err).NotTo(HaveOccurred())
				for _, app := range []string{"core", "web"} {
					manifest := filepath.Join(layers, "mix-build", "_build", "prod", "lib", app, ".mix", "compile.app_cache")
					Expect(os.Readlink(manifest)).To(Equal("/tmp/mix-prod-" + app + ".compile.app_cache"))
				}
			}
		})

		it("runs mix phx.server for a Phoenix app", func() {
			exec.reports[0].Phoenix = true
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(result.Processes[0]).To(Equal(libcnb.Process{Type: "web",
				Command: []string{filepath.Join(layers, "launch-env", "no-arguments"), "mix", "phx.server", "--no-compile", "--no-deps-check"}, Default: true}))
			Expect(result.Processes[1].Arguments).To(Equal([]string{"-S", "mix", "phx.server", "--no-compile", "--no-deps-check"}))
		})

		it("drops the launch variables of layers that stop shipping", func() {
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(filepath.Join(layers, "deps", "env.launch")).NotTo(BeADirectory(), "libcnb writes them after Build returns")
			Expect(os.MkdirAll(filepath.Join(layers, "deps", "env.launch"), 0o755)).To(Succeed())
			rebuild()
			ctx.Plan = libcnb.BuildpackPlan{Entries: []libcnb.BuildpackPlanEntry{
				{Name: "mix-release", Metadata: map[string]interface{}{"mode": "release"}},
			}}
			write("mix.exs", "defmodule App.MixProject do end")
			write("mix.lock", `%{"dep": {:git, "x", "abc", []}}`)
			write("config/config.exs", "import Config")
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			deps, _ := layerNamed(result, "deps")
			Expect(deps.LayerTypes).To(Equal(libcnb.LayerTypes{Cache: true}))
			Expect(filepath.Join(layers, "deps", "env.launch")).NotTo(BeADirectory())
		})
	})

	context("processes", func() {
		it("adds and replaces process types from a Procfile, and RUN_COMMAND replaces web", func() {
			write("Procfile", "# processes\nworker: bin/app eval 'Worker.run()'\n\nconsole: bin/app start_iex --sname c\n")
			ctx.Platform.Environment["RUN_COMMAND"] = "bin/app start --extra"
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			bin := filepath.Join(layers, "release", "bin", "app")
			Expect(result.Processes).To(Equal([]libcnb.Process{
				{Type: "web", Command: []string{filepath.Join(layers, "launch-env", "no-arguments"), "sh", "-c", "bin/app start --extra"}, Default: true},
				{Type: "console", Command: []string{"sh", "-c", "bin/app start_iex --sname c"}},
				{Type: "remote", Command: []string{bin}, Arguments: []string{"remote"}},
				{Type: "worker", Command: []string{"sh", "-c", "bin/app eval 'Worker.run()'"}},
			}))
			Expect(plain(out)).To(ContainSubstring("Procfile: worker, console"))
			Expect(plain(out)).To(ContainSubstring("RUN_COMMAND replaces the web process"))
		})

		it("fails with one line on a Procfile line that is not type: command", func() {
			write("Procfile", "web: bin/app start\nthis is not a process\n")
			_, err := run()
			Expect(err).To(MatchError(`Procfile line 2 is not "type: command": "this is not a process"; ` +
				`write one process per line as type: command, with a type of letters, digits, '.', '_' or '-'`))
			Expect(exec.commands()).To(Equal([]string{"introspect"}), "before any work")
		})
	})

	context("Mix in a release image", func() {
		it("fails before any work on a Procfile process that runs mix, naming the release's own commands", func() {
			write("Procfile", "web: bin/server\nrelease: MIX_ENV=prod mix ecto.migrate\n")
			_, err := run()
			Expect(err).To(MatchError(`the Procfile's release process runs mix ("MIX_ENV=prod mix ecto.migrate"), ` +
				`and a release image has no mix, iex or elixir, so it would fail with "mix: not found"; ` +
				`use the release's own commands instead: the migrate process (bin/migrate, which mix phx.gen.release writes), ` +
				`or app eval "App.Release.migrate()" as the command; or build with BP_MIX_RELEASE=false to ship Mix and run the app with it`))
			Expect(exec.commands()).To(Equal([]string{"introspect"}), "before any work")
			lines := strings.Split(strings.TrimSpace(plain(out)), "\n")
			Expect(lines[len(lines)-2:]).To(Equal([]string{"  ERROR: Mix is not in a release image", "    " + err.Error()}))
		})

		it("fails on a RUN_COMMAND that runs iex or elixir", func() {
			ctx.Platform.Environment["RUN_COMMAND"] = "cd /workspace && exec iex -S mix"
			_, err := run()
			Expect(err).To(MatchError(HavePrefix(`RUN_COMMAND runs iex ("cd /workspace && exec iex -S mix"), and a release image has no mix`)))
		})

		it("accepts the release's commands, and mix in Mix runtime mode", func() {
			write("Procfile", "release: bin/app eval 'IO.puts(\"ok\")'\nworker: echo \"ready; mix is not here\" | cat\n")
			_, err := run()
			Expect(err).NotTo(HaveOccurred())

			rebuild()
			ctx.Plan.Entries[0].Metadata["mode"] = "runtime"
			write("Procfile", "release: mix ecto.migrate\n")
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
		})
	})

	context("logging and secrets", func() {
		it("prints each command's directory and added variables under DEBUG, never the platform's secrets", func() {
			ctx.Platform.Environment["DEBUG"] = ""
			ctx.Platform.Environment["SECRET_KEY_BASE"] = "s3cr3t-value"
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(plain(out)).To(ContainSubstring("working directory: " + appDir))
			Expect(plain(out)).To(ContainSubstring("adds MIX_ENV=prod"))
			Expect(plain(out)).To(ContainSubstring("adds MIX_HOME=" + filepath.Join(layers, "mix-home")))
			Expect(plain(out)).NotTo(ContainSubstring("s3cr3t-value"))
			for _, r := range exec.runs {
				Expect(envOf(r, "SECRET_KEY_BASE")).To(Equal("s3cr3t-value"), "platform variables reach Mix")
			}
			Expect(plain(out)).NotTo(ContainSubstring("adds SECRET_KEY_BASE"))
			for _, l := range result.Layers {
				Expect(l.LaunchEnvironment).NotTo(ContainElement("s3cr3t-value"))
				Expect(l.Metadata).NotTo(ContainElement("s3cr3t-value"))
			}
		})

		it("prints every command under BP_LOG_LEVEL=DEBUG too", func() {
			env["BP_LOG_LEVEL"] = "debug"
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(plain(out)).To(ContainSubstring("working directory: " + appDir))
		})

		it("hands a hex binding's key to Hex in the environment only, and its repository in a hex.config that does not outlive the build", func() {
			ctx.Platform.Bindings = libcnb.Bindings{{Name: "corp-hex", Type: "hex", Secret: map[string]string{
				"url": "https://hex.corp.test/repo/", "public_key": "-----BEGIN PUBLIC KEY-----\nABC\n-----END PUBLIC KEY-----", "key": "org-key-123",
			}}}
			ctx.Platform.Environment["DEBUG"] = "1"
			var config string
			exec.during["deps.get"] = func(e effect.Execution) {
				data, _ := os.ReadFile(filepath.Join(envOf(e, "HEX_HOME"), "hex.config"))
				config = string(data)
			}
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(config).To(Equal("{'$repos', #{<<\"hexpm\">> => #{url => <<\"https://hex.corp.test/repo\">>, " +
				"public_key => <<\"-----BEGIN PUBLIC KEY-----\nABC\n-----END PUBLIC KEY-----\n\">>}}}.\n"))
			get, _ := exec.run("deps.get")
			Expect(envOf(get, "HEX_REPOS_KEY")).To(Equal("org-key-123"))
			Expect(filepath.Join(layers, "hex-home", "hex.config")).NotTo(BeAnExistingFile())
			Expect(plain(out)).NotTo(ContainSubstring("org-key-123"))
			Expect(plain(out)).To(ContainSubstring("Hex: using repository https://hex.corp.test/repo/, its public key, a repository key from the hex binding corp-hex, for this build only"))
			Expect(plain(out)).To(ContainSubstring("WARNING: Hex 2.5 deprecates HEX_REPOS_KEY (the key of the hex binding corp-hex) and Hex 2.6 ignores it: " +
				"give an organization's key as a hex binding's organization and organization_key, or as BP_HEX_ORGANIZATION and BP_HEX_ORGANIZATION_KEY"))
		})

		it("removes hex.config when the build fails too", func() {
			ctx.Platform.Environment["BP_HEX_REPO_URL"] = "https://hex.corp.test"
			exec.failOn = "deps.get"
			_, err := run()
			Expect(err).To(HaveOccurred())
			Expect(filepath.Join(layers, "hex-home", "hex.config")).NotTo(BeAnExistingFile())
		})

		it("passes HEX_MIRROR, HEX_OFFLINE, HEX_CACERTS_PATH and HEX_HTTP_* through to Mix", func() {
			passesThrough(map[string]string{"HEX_MIRROR": "https://mirror.test", "HEX_OFFLINE": "1",
				"HEX_CACERTS_PATH": "/certs/ca.pem", "HEX_HTTP_TIMEOUT": "120", "HEX_HTTP_CONCURRENCY": "2"})
			Expect(plain(out)).To(ContainSubstring("HEX_OFFLINE is set: Hex fetches nothing; its packages must be cached or committed in deps/"))
		})

		it("warns when HEX_UNSAFE_REGISTRY is set", func() {
			ctx.Platform.Environment["HEX_UNSAFE_REGISTRY"] = "1"
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(plain(out)).To(ContainSubstring("WARNING: HEX_UNSAFE_REGISTRY is set: Hex will not check the registry's signature"))
		})
	})

	context("Hex's daily update check with a self-hosted hexpm repository", func() {
		// What Hex 2.5.1 itself writes after checking for a newer Hex, done
		// through its own registry server opened without the check.
		const script = "{:ok, _} = Application.ensure_all_started(:hex); " +
			":ok = Hex.Registry.Server.open(check_version: false); " +
			":ok = Hex.Registry.Server.last_update(:calendar.universal_time()); " +
			"Hex.Registry.Server.close()"
		var archive string
		it.Before(func() {
			index := t.TempDir()
			ctx.Platform.Environment["HEX_BUILDS_URL"] = index
			ctx.Platform.Environment["BP_HEX_REPO_URL"] = "https://hex.corp.test/repo"
			writeInstall(index, "hex", "2.5.1", "1.14.0", []byte("hex archive"))
			write("mix.lock", `%{"jason": {:hex, :jason, "1.4.4"}}`)
			exec.reports[0].Deps = []mixproject.Dep{{Name: "jason", SCM: "hex", Manager: "mix", InLock: true}}
			exec.during["archive.install"] = func(e effect.Execution) { archive = e.Args[1] }
		})

		it("has Hex record the check as done, outside the project, just before deps.get, so deps.get does not ask the repository for installs/hex-1.x.csv", func() {
			var dir string
			var dirExisted bool
			exec.during["run"] = func(e effect.Execution) {
				dir = e.Dir
				_, err := os.Stat(e.Dir)
				dirExisted = err == nil
			}
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(Equal([]string{
				"introspect",
				"mix archive.install " + archive + " --sha512 " + exec.runs[1].Args[3] + " --force",
				"mix run --no-mix-exs -e " + script,
				"mix deps.get --only prod",
				"mix deps.compile",
				"mix compile",
				"mix release app --overwrite --path " + filepath.Join(layers, "release"),
			}))
			seed := exec.runs[2]
			Expect(seed.Args).To(Equal([]string{"run", "--no-mix-exs", "-e", script}))
			Expect(envOf(seed, "HEX_HOME")).To(Equal(filepath.Join(layers, "hex-home")), "the registry cache deps.get opens")
			Expect(envOf(seed, "MIX_HOME")).To(Equal(filepath.Join(layers, "mix-home")), "where Hex is installed")
			Expect(dirExisted).To(BeTrue())
			Expect(dir).NotTo(Equal(appDir), "no mix.exs is loaded")
			Expect(dir).NotTo(BeADirectory(), "the empty folder is removed")
			Expect(plain(out)).To(ContainSubstring("Hex: recording its daily update check as done: it would ask https://hex.corp.test/repo " +
				"for installs/hex-1.x.csv, which a self-hosted repository does not serve, and print the error page\n"))
		})

		it("goes on with a note when Hex cannot record it", func() {
			exec.failOn = "run"
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(ContainElement("mix deps.get --only prod"))
			Expect(plain(out)).To(ContainSubstring("Hex: could not record the update check (output above); " +
				"mix deps.get may print \"Failed to check for new Hex version\" and the repository's answer, which does not affect the build"))
		})

		it("leaves Hex alone with the public repository, under HEX_OFFLINE, and when no dependency comes from Hex", func() {
			delete(ctx.Platform.Environment, "BP_HEX_REPO_URL")
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(ContainElement("mix deps.get --only prod"))
			Expect(exec.commands()).NotTo(ContainElement(HavePrefix("mix run")))

			rebuild()
			ctx.Platform.Environment["BP_HEX_REPO_URL"] = "https://hex.corp.test/repo"
			ctx.Platform.Environment["HEX_OFFLINE"] = "1"
			write("mix.lock", `%{"jason": {:hex, :jason, "1.4.5"}}`)
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(ContainElement("mix deps.get --only prod"))
			Expect(exec.commands()).NotTo(ContainElement(HavePrefix("mix run")))

			rebuild()
			delete(ctx.Platform.Environment, "HEX_OFFLINE")
			write("mix.lock", `%{"dep": {:git, "x", "abd", []}}`)
			exec.reports[0].Deps = []mixproject.Dep{{Name: "dep", SCM: "git", Manager: "mix", InLock: true}}
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(ContainElement("mix deps.get --only prod"))
			Expect(exec.commands()).NotTo(ContainElement(HavePrefix("mix run")))
			Expect(plain(out)).NotTo(ContainSubstring("update check"))
		})
	})

	context("Hex organizations (Hex 2.5: mix hex.organization auth)", func() {
		const orgKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
		var archive string
		it.Before(func() {
			index := t.TempDir()
			ctx.Platform.Environment["HEX_BUILDS_URL"] = index
			writeInstall(index, "hex", "2.5.0", "1.14.0", []byte("hex archive"))
			exec.reports[0].Deps = []mixproject.Dep{{Name: "private_dep", SCM: "hex", Manager: "mix", InLock: true}}
			// What Hex does with the key: it stores it in HEX_HOME/hex.config.
			// It also prints it here, a worst case the log must survive.
			exec.during["hex.organization"] = func(e effect.Execution) {
				f, err := os.OpenFile(filepath.Join(envOf(e, "HEX_HOME"), "hex.config"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
				Expect(err).NotTo(HaveOccurred())
				fmt.Fprintf(f, "{'$repos', #{<<\"hexpm:%s\">> => #{auth_key => <<\"%s\">>}}}.\n", e.Args[2], e.Args[4])
				f.Close()
				fmt.Fprintf(e.Stdout, "Authenticated to hexpm:%s with key %s\n", e.Args[2], e.Args[4])
			}
			exec.during["archive.install"] = func(e effect.Execution) { archive = e.Args[1] }
		})

		// leaks lists every place the key is found: files under the layers
		// dir (the layer tomls written as libcnb writes them) and in the app
		// folder, the layers' environments and metadata, labels, processes.
		leaks := func(key string) []string {
			persist(layers, result)
			var found []string
			for _, dir := range []string{layers, appDir} {
				Expect(filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
					if err != nil {
						return err
					}
					if d.Type().IsRegular() {
						data, err := os.ReadFile(p)
						Expect(err).NotTo(HaveOccurred())
						if bytes.Contains(data, []byte(key)) {
							found = append(found, p)
						}
					}
					return nil
				})).To(Succeed())
			}
			for _, l := range result.Layers {
				if strings.Contains(fmt.Sprint(l.LaunchEnvironment, l.BuildEnvironment, l.SharedEnvironment, l.Metadata, l.Exec), key) {
					found = append(found, "layer "+l.Name)
				}
			}
			if strings.Contains(fmt.Sprint(result.Labels, result.Processes, result.Slices, result.Unmet), key) {
				found = append(found, "the build result")
			}
			return found
		}

		it("authenticates a hex binding's organization before deps.get, prints no key and leaves it in no layer", func() {
			ctx.Platform.Bindings = libcnb.Bindings{{Name: "corp-hex", Type: "hex", Secret: map[string]string{
				"organization": "acme\n", "organization_key": orgKey + "\n",
			}}}
			ctx.Platform.Environment["DEBUG"] = "1"
			var configAtDepsGet string
			exec.during["deps.get"] = func(e effect.Execution) {
				data, _ := os.ReadFile(filepath.Join(envOf(e, "HEX_HOME"), "hex.config"))
				configAtDepsGet = string(data)
			}
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(Equal([]string{
				"introspect",
				"mix archive.install " + archive + " --sha512 " + exec.runs[1].Args[3] + " --force",
				"mix hex.organization auth acme --key " + orgKey,
				"mix deps.get --only prod",
				"mix deps.compile",
				"mix compile",
				"mix release app --overwrite --path " + filepath.Join(layers, "release"),
			}))
			auth, _ := exec.run("hex.organization")
			Expect(auth.Dir).To(Equal(appDir))
			Expect(envOf(auth, "HEX_HOME")).To(Equal(filepath.Join(layers, "hex-home")))
			Expect(configAtDepsGet).To(ContainSubstring(`<<"hexpm:acme">>`), "deps.get runs with the organization authenticated")

			Expect(filepath.Join(layers, "hex-home", "hex.config")).NotTo(BeAnExistingFile())
			Expect(leaks(orgKey)).To(BeEmpty())
			Expect(plain(out)).NotTo(ContainSubstring(orgKey))
			Expect(plain(out)).To(ContainSubstring("Hex: authenticating the organization acme with its key from the hex binding corp-hex, for this build only"))
			Expect(plain(out)).To(ContainSubstring("Running: mix hex.organization auth acme --key xxxxx\n"))
			Expect(plain(out)).To(ContainSubstring("Authenticated to hexpm:acme with key xxxxx"))
			Expect(plain(out)).NotTo(ContainSubstring("HEX_REPOS_KEY"), "no deprecation warning without one")
		})

		it("authenticates the organization BP_HEX_ORGANIZATION and BP_HEX_ORGANIZATION_KEY name, in Mix runtime mode too, with the settings table printed", func() {
			// The buildpack's real settings, as libpak prints them from the
			// process environment (where the lifecycle puts platform variables).
			var bp map[string]interface{}
			_, err := toml.DecodeFile(filepath.Join("..", "buildpack.toml"), &bp)
			Expect(err).NotTo(HaveOccurred())
			ctx.Buildpack.Metadata = bp["metadata"].(map[string]interface{})
			for k, v := range map[string]string{"BP_HEX_ORGANIZATION": "acme", "BP_HEX_ORGANIZATION_KEY": orgKey, "DEBUG": "1"} {
				ctx.Platform.Environment[k] = v
				t.Setenv(k, v)
			}
			ctx.Plan.Entries[0].Metadata["mode"] = "runtime"
			Expect(os.Remove(filepath.Join(appDir, "config", "runtime.exs"))).To(Succeed())
			exec.reports[0].Releases = nil
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(Equal([]string{
				"introspect",
				"mix archive.install " + archive + " --sha512 " + exec.runs[1].Args[3] + " --force",
				"mix hex.organization auth acme --key " + orgKey,
				"mix deps.get --only prod",
				"mix deps.compile",
				"mix compile",
			}))
			Expect(plain(out)).To(MatchRegexp(`\$BP_HEX_ORGANIZATION +acme`), "the settings table names the organization")
			Expect(plain(out)).To(ContainSubstring("Hex: authenticating the organization acme with its key from BP_HEX_ORGANIZATION_KEY, for this build only"))
			Expect(plain(out)).To(ContainSubstring("Running: mix hex.organization auth acme --key xxxxx\n"))
			Expect(plain(out)).NotTo(ContainSubstring(orgKey))
			Expect(filepath.Join(layers, "hex-home", "hex.config")).NotTo(BeAnExistingFile())
			Expect(leaks(orgKey)).To(BeEmpty(), "the launch layers (deps, mix-home, mix-build, launch-env) included")
		})

		it("removes the stored key when deps.get fails after the authentication", func() {
			ctx.Platform.Environment["BP_HEX_ORGANIZATION"] = "acme"
			ctx.Platform.Environment["BP_HEX_ORGANIZATION_KEY"] = orgKey
			exec.failOn = "deps.get"
			_, err := run()
			Expect(err).To(MatchError("mix deps.get failed (its output is above): fix the error Mix reports, then build again"))
			Expect(exec.commands()[2:]).To(Equal([]string{"mix hex.organization auth acme --key " + orgKey, "mix deps.get --only prod"}))
			Expect(filepath.Join(layers, "hex-home", "hex.config")).NotTo(BeAnExistingFile())
			Expect(leaks(orgKey)).To(BeEmpty())
			Expect(plain(out)).NotTo(ContainSubstring(orgKey))
		})

		it("fails with one line when Hex refuses the key, removing what it stored and running nothing after", func() {
			ctx.Platform.Environment["BP_HEX_ORGANIZATION"] = "acme"
			ctx.Platform.Environment["BP_HEX_ORGANIZATION_KEY"] = orgKey
			exec.failOn = "hex.organization"
			_, err := run()
			Expect(err).To(MatchError("mix hex.organization auth acme failed (its output is above): " +
				"check that the key from BP_HEX_ORGANIZATION_KEY is a key of the organization acme that can read its repository, then build again"))
			Expect(exec.commands()[len(exec.runs)-1]).To(Equal("mix hex.organization auth acme --key " + orgKey))
			lines := strings.Split(strings.TrimSpace(plain(out)), "\n")
			Expect(lines[len(lines)-2:]).To(Equal([]string{"  ERROR: Hex organization authentication failed", "    " + err.Error()}))
			Expect(filepath.Join(layers, "hex-home", "hex.config")).NotTo(BeAnExistingFile())
			Expect(leaks(orgKey)).To(BeEmpty())
			Expect(plain(out)).NotTo(ContainSubstring(orgKey))
		})

		it("does not authenticate when no dependency comes from Hex, or when HEX_OFFLINE is set", func() {
			ctx.Platform.Environment["BP_HEX_ORGANIZATION"] = "acme"
			ctx.Platform.Environment["BP_HEX_ORGANIZATION_KEY"] = orgKey
			exec.reports[0].Deps = []mixproject.Dep{{Name: "dep", SCM: "git", Manager: "mix", InLock: true}}
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).NotTo(ContainElement(HavePrefix("mix hex.organization")))
			Expect(plain(out)).To(ContainSubstring("Hex: not authenticating the organization acme: no dependency comes from a Hex repository"))

			rebuild()
			write("mix.lock", `%{"private_dep": {:hex, :private_dep, "1.0.0"}}`)
			exec.reports[0].Deps = []mixproject.Dep{{Name: "private_dep", SCM: "hex", Manager: "mix", InLock: true}}
			ctx.Platform.Environment["HEX_OFFLINE"] = "1"
			_, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(exec.commands()).To(ContainElement("mix deps.get --only prod"))
			Expect(exec.commands()).NotTo(ContainElement(HavePrefix("mix hex.organization")))
			Expect(plain(out)).To(ContainSubstring("Hex: not authenticating the organization acme: HEX_OFFLINE is set, so Hex asks no server"))
		})

		for _, c := range []struct {
			name, headline, want string
			binding              map[string]string
			settings             map[string]string
		}{
			{name: "BP_HEX_ORGANIZATION without BP_HEX_ORGANIZATION_KEY", settings: map[string]string{"BP_HEX_ORGANIZATION": "acme"},
				headline: "Hex organization without a key",
				want: "BP_HEX_ORGANIZATION names the Hex organization acme but no key for it is set: " +
					"set BP_HEX_ORGANIZATION_KEY to a key of the organization (mix hex.organization key acme generate makes one), or unset BP_HEX_ORGANIZATION"},
			{name: "BP_HEX_ORGANIZATION_KEY without BP_HEX_ORGANIZATION", settings: map[string]string{"BP_HEX_ORGANIZATION_KEY": orgKey},
				headline: "Hex organization key without an organization",
				want:     "BP_HEX_ORGANIZATION_KEY is set but no organization is named for it: set BP_HEX_ORGANIZATION to the organization's name, or unset BP_HEX_ORGANIZATION_KEY"},
			{name: "a binding's organization without organization_key", binding: map[string]string{"organization": "acme"},
				headline: "Hex organization without a key",
				want: "the hex binding corp-hex names the Hex organization acme but has no organization_key: " +
					"add a key of the organization to the binding as organization_key (mix hex.organization key acme generate makes one), or remove organization"},
			{name: "a binding's organization_key without organization", binding: map[string]string{"organization_key": orgKey, "url": "https://hex.corp.test"},
				headline: "Hex organization key without an organization",
				want:     "the hex binding corp-hex has an organization_key but no organization: add the organization's name to the binding as organization, or remove organization_key"},
		} {
			c := c
			it("fails before any Mix command with one line on "+c.name, func() {
				if c.binding != nil {
					ctx.Platform.Bindings = libcnb.Bindings{{Name: "corp-hex", Type: "hex", Secret: c.binding}}
				}
				for k, v := range c.settings {
					ctx.Platform.Environment[k] = v
				}
				_, err := run()
				Expect(err).To(MatchError(c.want))
				Expect(exec.runs).To(BeEmpty())
				lines := strings.Split(strings.TrimSpace(plain(out)), "\n")
				Expect(lines[len(lines)-2:]).To(Equal([]string{"  ERROR: " + c.headline, "    " + c.want}))
				Expect(plain(out)).NotTo(ContainSubstring(orgKey))
			})
		}

		it("passes Hex 2.5's HEX_POLICY, HEX_COOLDOWN, HEX_IGNORE_ADVISORIES and HEX_IGNORE_RETIREMENTS through to Mix, an empty HEX_POLICY too", func() {
			passesThrough(map[string]string{"HEX_POLICY": "hexpm:acme/strict-prod", "HEX_COOLDOWN": "7d",
				"HEX_IGNORE_ADVISORIES": "CVE-2026-32686,GHSA-xxxx-yyyy-zzzz", "HEX_IGNORE_RETIREMENTS": "decimal,phoenix@1.0.0"})

			rebuild()
			write("mix.lock", `%{"private_dep": {:hex, :private_dep, "1.0.1"}}`)
			ctx.Platform.Environment["HEX_POLICY"] = ""
			_, err := run()
			Expect(err).NotTo(HaveOccurred())
			get, _ := exec.run("deps.get")
			policy, set := lookupEnv(get, "HEX_POLICY")
			Expect(set).To(BeTrue(), "an empty HEX_POLICY disables a configured policy, so it must reach Mix")
			Expect(policy).To(BeEmpty())
		})

		it("declares the Hex 2.5 settings and the organization in buildpack.toml, and not the organization's key", func() {
			var bp struct {
				Metadata struct {
					Configurations []struct{ Name, Description string }
				}
			}
			_, err := toml.DecodeFile(filepath.Join("..", "buildpack.toml"), &bp)
			Expect(err).NotTo(HaveOccurred())
			declared := map[string]string{}
			for _, c := range bp.Metadata.Configurations {
				declared[c.Name] = c.Description
			}
			for _, name := range []string{"HEX_POLICY", "HEX_COOLDOWN", "HEX_IGNORE_ADVISORIES", "HEX_IGNORE_RETIREMENTS", "BP_HEX_ORGANIZATION"} {
				Expect(declared).To(HaveKeyWithValue(name, Not(BeEmpty())), name)
			}
			Expect(declared).NotTo(HaveKey("BP_HEX_ORGANIZATION_KEY"), "libpak prints every declared setting's value")
		})
	})

	context("failures", func() {
		it("fails with Mix's output kept and one line naming the failed step", func() {
			exec.failOn = "compile"
			_, err := run()
			Expect(err).To(MatchError("mix compile failed (its output is above): fix the error Mix reports, then build again"))
			Expect(plain(out)).To(ContainSubstring("** (CompileError) lib/app.ex:3: undefined function foo/0"))
			Expect(plain(out)).To(ContainSubstring("ERROR: Mix failed"))
			Expect(exec.commands()[len(exec.runs)-1]).To(Equal("mix compile"), "nothing runs after the failed step")
		})

		it("fails with one line when Mix cannot load mix.exs", func() {
			exec.failOn = "introspect"
			_, err := run()
			Expect(err).To(MatchError("loading mix.exs with Mix failed (its error is above): fix mix.exs so that mix can load it (mix help runs), then build again"))
		})

		it("follows the mode detection planned, and the files when there is no plan", func() {
			ctx.Plan = libcnb.BuildpackPlan{}
			Expect(os.Remove(filepath.Join(appDir, "config", "runtime.exs"))).To(Succeed())
			result, err := run()
			Expect(err).NotTo(HaveOccurred())
			Expect(plain(out)).To(ContainSubstring("Mix runtime mode: mix.exs declares no releases and there is no config/runtime.exs"))
			Expect(layerNames(result)).NotTo(ContainElement("release"))

			rebuild()
			ctx.Plan = libcnb.BuildpackPlan{Entries: []libcnb.BuildpackPlanEntry{
				{Name: "mix-release", Metadata: map[string]interface{}{"mode": "release"}},
			}}
			result, err = run()
			Expect(err).NotTo(HaveOccurred())
			Expect(plain(out)).To(ContainSubstring("Release mode: as detection planned it"))
			Expect(layerNames(result)).To(ContainElement("release"))
		})

		it("fails with one line on a BP_MIX_RELEASE that is neither true nor false", func() {
			ctx.Platform.Environment["BP_MIX_RELEASE"] = "maybe"
			_, err := run()
			Expect(err).To(MatchError("BP_MIX_RELEASE=maybe is neither true nor false: set it to true, false, 1, 0, yes or no (in any case), or unset it"))
			Expect(headline(err)).To(Equal("Invalid setting"))
			Expect(exec.runs).To(BeEmpty())
		})

		// A slice, not a map: spec finds each case again by its order.
		for _, c := range []struct {
			v       string
			release bool
		}{{"1", true}, {"yes", true}, {"0", false}, {"no", false}} {
			v, release := c.v, c.release
			it("takes BP_MIX_RELEASE="+v+" when there is no plan", func() {
				ctx.Plan = libcnb.BuildpackPlan{}
				ctx.Platform.Environment["BP_MIX_RELEASE"] = v
				result, err := run()
				Expect(err).NotTo(HaveOccurred())
				if release {
					Expect(plain(out)).To(ContainSubstring("Release mode: BP_MIX_RELEASE=true"))
					Expect(layerNames(result)).To(ContainElement("release"))
				} else {
					Expect(plain(out)).To(ContainSubstring("Mix runtime mode: BP_MIX_RELEASE=false"))
					Expect(layerNames(result)).NotTo(ContainElement("release"))
				}
			})
		}
	})
}
