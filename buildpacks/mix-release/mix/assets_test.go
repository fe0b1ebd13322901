package mix_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/paketo-buildpacks/libpak/v2/effect"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixproject"
)

// fakeTools adds node and npm to fakeMix: node --version prints the
// version, npm ci / npm install make node_modules in its folder.
type fakeTools struct {
	*fakeMix
	node string
}

func (f *fakeTools) Execute(e effect.Execution) error {
	switch e.Command {
	case "node":
		f.runs = append(f.runs, e)
		_, _ = e.Stdout.Write([]byte("v" + f.node + "\n"))
		return nil
	case "npm":
		f.runs = append(f.runs, e)
		if len(e.Args) > 0 && (e.Args[0] == "ci" || e.Args[0] == "install") {
			if e.Args[0] == "ci" {
				_ = os.RemoveAll(filepath.Join(e.Dir, "node_modules"))
			}
			_ = os.MkdirAll(filepath.Join(e.Dir, "node_modules", ".bin"), 0o755)
			_ = os.WriteFile(filepath.Join(e.Dir, "node_modules", "esbuild.js"), []byte("bundler"), 0o644)
			_ = os.Symlink("../esbuild.js", filepath.Join(e.Dir, "node_modules", ".bin", "esbuild"))
		}
		if f.failOn == "npm "+e.Args[0] {
			return errors.New("exit status 1")
		}
		return nil
	}
	return f.fakeMix.Execute(e)
}

func testAssets(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		ctx    libcnb.BuildContext
		exec   *fakeTools
		out    *bytes.Buffer
		build  mix.Build
		env    map[string]string
		layers string
		appDir string
		npm    bool
		result libcnb.BuildResult
		files  map[string]string
	)

	write := func(rel, content string) {
		p := filepath.Join(appDir, rel)
		Expect(os.MkdirAll(filepath.Dir(p), 0o755)).To(Succeed())
		Expect(os.WriteFile(p, []byte(content), 0o644)).To(Succeed())
		files[rel] = content
	}
	run := func() error {
		var err error
		result, err = build.Build(ctx)
		return err
	}
	// rebuild is the next build: the layer tomls written, a fresh app folder
	// (release mode empties it), a new log.
	rebuild := func(changed map[string]string) {
		persist(layers, result)
		exec.runs = nil
		out.Reset()
		for rel, content := range files {
			write(rel, content)
		}
		for rel, content := range changed {
			write(rel, content)
		}
	}
	phoenix := func(p mixproject.Project) mixproject.Project {
		p.Deps = append(p.Deps, mixproject.Dep{Name: "phoenix", SCM: "path", Path: "vendor/phoenix", Manager: "mix", Fetched: true})
		p.Phoenix = true
		return p
	}
	// commands are what ran after mix compile, up to mix release.
	assetCommands := func() []string {
		var outc []string
		on := false
		for _, c := range exec.commands() {
			switch {
			case c == "mix compile":
				on = true
				continue
			case len(c) > 11 && c[:11] == "mix release":
				on = false
			}
			if on && c != "node --version" {
				outc = append(outc, c)
			}
		}
		return outc
	}
	dirOf := func(cmd string) string {
		for _, r := range exec.runs {
			if r.Command+" "+joinArgs(r.Args) == cmd {
				return r.Dir
			}
		}
		return ""
	}

	it.Before(func() {
		files = map[string]string{}
		appDir = t.TempDir()
		layers = t.TempDir()
		write("mix.exs", "defmodule App.MixProject do end")
		write("config/runtime.exs", "import Config")
		ctx = libcnb.BuildContext{
			ApplicationPath: appDir,
			Buildpack: libcnb.Buildpack{
				Path: "/cnb/buildpacks/mix-release",
				Info: libcnb.BuildpackInfo{Name: "Mix Release", Version: "0.1.0"},
				Metadata: map[string]interface{}{"configurations": []map[string]interface{}{
					{"name": "MIX_ENV", "default": "prod", "build": true},
					{"name": "BP_PHOENIX_ASSETS", "default": "true", "build": true},
				}},
			},
			Layers:   libcnb.Layers{Path: layers},
			Platform: libcnb.Platform{Environment: map[string]string{}},
			Plan: libcnb.BuildpackPlan{Entries: []libcnb.BuildpackPlanEntry{
				{Name: "mix-release", Metadata: map[string]interface{}{"mode": "release"}},
			}},
		}
		p := phoenix(app("app"))
		p.Releases = []string{"app"}
		exec = &fakeTools{fakeMix: &fakeMix{reports: []mixproject.Project{p}, during: map[string]func(effect.Execution){}}, node: "20.11.1"}
		out = &bytes.Buffer{}
		env = map[string]string{}
		npm = true
		build = mix.Build{Logger: log.NewPaketoLogger(out), Executor: exec,
			Env: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			LookPath: func(name string) (string, error) {
				if name == "npm" && npm {
					return "/layers/node/bin/npm", nil
				}
				return "", errors.New("not found")
			}}
	})

	context("the asset aliases", func() {
		it.Before(func() {
			p := exec.reports[0]
			p.Aliases = []string{"setup", "assets.setup", "assets.deploy"}
			exec.reports = []mixproject.Project{p}
			write("assets/package.json", `{"scripts": {"deploy": "x"}}`) // the aliases win
		})

		it("runs assets.setup then assets.deploy after mix compile and before mix release, in the app root", func() {
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"mix assets.setup", "mix assets.deploy"}))
			Expect(dirOf("mix assets.deploy")).To(Equal(appDir))
			cmds := exec.commands()
			Expect(cmds[len(cmds)-1]).To(HavePrefix("mix release app"))
			Expect(plain(out)).To(ContainSubstring("Phoenix assets (app): the project's asset aliases"))
			Expect(layerNames(result)).NotTo(ContainElement("node-modules"))
		})

		context("the asset tools mix assets.setup downloads", func() {
			var downloads []string
			it.Before(func() {
				downloads = nil
				write("config/config.exs", "import Config\n\n# Configure esbuild (the version is required)\nconfig :esbuild,\n  version: \"0.17.11\",\n  app: [args: ~w(js/app.js)]\n")
				// As esbuild.install --if-missing: a download only when
				// _build has no binary.
				exec.during["assets.setup"] = func(e effect.Execution) {
					bin := filepath.Join(e.Dir, "_build", "esbuild-linux-x64")
					if _, err := os.Stat(bin); err == nil {
						return
					}
					downloads = append(downloads, "esbuild")
					_ = os.WriteFile(bin, []byte("binary"), 0o755)
				}
			})

			it("keeps them in a cache-only layer keyed by config's versions, not in _build, and restores them: nothing downloads again", func() {
				Expect(run()).To(Succeed())
				Expect(downloads).To(Equal([]string{"esbuild"}))
				l, ok := layerNamed(result, "asset-tools")
				Expect(ok).To(BeTrue())
				Expect(l.LayerTypes).To(Equal(libcnb.LayerTypes{Cache: true}))
				Expect(l.Metadata).To(Equal(map[string]interface{}{"versions": map[string]interface{}{"esbuild": "0.17.11"}, "target": "linux-x64"}))
				Expect(filepath.Join(l.Path, "esbuild-linux-x64")).To(BeARegularFile())
				b, _ := layerNamed(result, "mix-build")
				Expect(filepath.Join(b.Path, "_build", "esbuild-linux-x64")).NotTo(BeAnExistingFile())
				Expect(plain(out)).To(ContainSubstring("Asset tools: esbuild-linux-x64 kept in the asset-tools cache layer for the next build (esbuild 0.17.11, linux-x64), not in _build or the image"))

				// A source change, so the rebuild runs Mix at all.
				rebuild(map[string]string{"lib/changed.ex": "# changed"})
				Expect(run()).To(Succeed())
				Expect(downloads).To(Equal([]string{"esbuild"}), "no second download")
				Expect(plain(out)).To(ContainSubstring("Asset tools: reusing esbuild-linux-x64 from the cache (esbuild 0.17.11, linux-x64 unchanged): nothing is downloaded"))
			})

			it("clears them when config pins another version, saying which", func() {
				Expect(run()).To(Succeed())
				rebuild(map[string]string{"config/config.exs": "config :esbuild,\n  version: \"0.18.0\",\n"})
				Expect(run()).To(Succeed())
				Expect(downloads).To(Equal([]string{"esbuild", "esbuild"}))
				Expect(plain(out)).To(ContainSubstring("Asset tools: Clearing cache: esbuild 0.17.11 → 0.18.0"))
				l, _ := layerNamed(result, "asset-tools")
				Expect(l.Metadata["versions"]).To(Equal(map[string]interface{}{"esbuild": "0.18.0"}))
			})

			it("keeps them out of the image in Mix runtime mode, where _build ships", func() {
				ctx.Plan.Entries[0].Metadata["mode"] = "runtime"
				Expect(run()).To(Succeed())
				b, _ := layerNamed(result, "mix-build")
				Expect(b.LayerTypes.Launch).To(BeTrue())
				Expect(filepath.Join(b.Path, "_build", "esbuild-linux-x64")).NotTo(BeAnExistingFile())
				l, _ := layerNamed(result, "asset-tools")
				Expect(l.LayerTypes.Launch).To(BeFalse())
			})
		})

		it("gives Mix the binaries of a phoenix-assets binding, executable, before anything downloads", func() {
			binding := t.TempDir()
			Expect(os.WriteFile(filepath.Join(binding, "type"), []byte("phoenix-assets"), 0o644)).To(Succeed())
			Expect(os.WriteFile(filepath.Join(binding, "esbuild"), []byte("esbuild binary"), 0o644)).To(Succeed())
			ctx.Platform.Bindings = libcnb.Bindings{{Name: "tools", Type: "phoenix-assets", Path: binding,
				Secret: map[string]string{"esbuild": "esbuild binary"}}}
			var path, content string
			var mode os.FileMode
			exec.during["assets.setup"] = func(e effect.Execution) {
				path = envOf(e, "MIX_ESBUILD_PATH")
				data, _ := os.ReadFile(path)
				content = string(data)
				if fi, err := os.Stat(path); err == nil {
					mode = fi.Mode().Perm()
				}
			}
			Expect(run()).To(Succeed())
			// Where the esbuild package looks when config names no path.
			Expect(path).To(Equal(filepath.Join(layers, "mix-build", "_build", "esbuild-linux-x64")))
			Expect(content).To(Equal("esbuild binary"))
			Expect(mode).To(Equal(os.FileMode(0o755)))
			Expect(plain(out)).To(ContainSubstring("Phoenix assets: esbuild from the phoenix-assets binding tools, as _build/esbuild-linux-x64 (and MIX_ESBUILD_PATH)"))
		})

		it("names the tool, version and URL of a download that failed, and the two ways to give it", func() {
			exec.during["assets.setup"] = func(e effect.Execution) {
				_, _ = e.Stdout.Write([]byte("** (RuntimeError) couldn't fetch https://registry.npmjs.org/@esbuild/linux-x64/-/linux-x64-0.17.11.tgz: {:error, {:failed_connect, [{:to_address, {~c\"registry.npmjs.org\", 443}}, {:inet, [:inet], :nxdomain}]}}\n"))
			}
			exec.failOn = "assets.setup"
			err := run()
			Expect(err).To(MatchError("mix assets.setup could not download esbuild 0.17.11 from https://registry.npmjs.org/@esbuild/linux-x64/-/linux-x64-0.17.11.tgz: give the binary in a phoenix-assets binding (a file named esbuild), or commit it to the app and name it in config :esbuild, path: ...; see docs/phoenix.md"))
			Expect(plain(out)).To(ContainSubstring("  ERROR: Asset tool download failed\n    " + err.Error() + "\n"))
			Expect(plain(out)).NotTo(ContainSubstring("ERROR: Mix failed"))
		})

		it("runs only the alias that is defined", func() {
			p := exec.reports[0]
			p.Aliases = []string{"assets.deploy"}
			exec.reports = []mixproject.Project{p}
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"mix assets.deploy"}))
		})

		it("fails with Mix's own error when an alias fails", func() {
			exec.failOn = "assets.deploy"
			err := run()
			Expect(err).To(MatchError("mix assets.deploy failed (its output is above): fix the error Mix reports, then build again"))
			_, released := exec.run("release")
			Expect(released).To(BeFalse())
		})
	})

	context("assets/package.json", func() {
		it.Before(func() {
			write("assets/package.json", `{"scripts": {"deploy": "esbuild js/app.js --outdir=../priv/static/assets"}}`)
			write("assets/package-lock.json", `{"lockfileVersion": 3}`)
		})

		it("runs npm ci and npm run deploy in assets/, then mix phx.digest, and caches node_modules", func() {
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"npm ci", "npm run deploy", "mix phx.digest"}))
			Expect(dirOf("npm ci")).To(Equal(filepath.Join(appDir, "assets")))
			Expect(dirOf("npm run deploy")).To(Equal(filepath.Join(appDir, "assets")))
			Expect(dirOf("mix phx.digest")).To(Equal(appDir))

			l, ok := layerNamed(result, "node-modules")
			Expect(ok).To(BeTrue())
			Expect(l.LayerTypes).To(Equal(libcnb.LayerTypes{Cache: true}))
			Expect(l.Metadata).To(HaveKeyWithValue("node", "20.11.1"))
			Expect(l.Metadata).To(HaveKeyWithValue("file", "package-lock.json"))
			Expect(filepath.Join(l.Path, "node_modules", "esbuild.js")).To(BeARegularFile())
			link, err := os.Readlink(filepath.Join(l.Path, "node_modules", ".bin", "esbuild"))
			Expect(err).NotTo(HaveOccurred())
			Expect(link).To(Equal("../esbuild.js"))
		})

		it("reuses node_modules while package-lock.json and Node.js are unchanged, and installs again when either changes", func() {
			Expect(run()).To(Succeed())
			Expect(os.RemoveAll(filepath.Join(appDir, "assets", "node_modules"))).To(Succeed())

			rebuild(map[string]string{"lib/changed.ex": "# a source change, so Mix runs"})
			restored := false
			exec.during["phx.digest"] = func(e effect.Execution) {
				_, err := os.Stat(filepath.Join(appDir, "assets", "node_modules", "esbuild.js"))
				restored = err == nil
			}
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"npm run deploy", "mix phx.digest"}))
			Expect(restored).To(BeTrue(), "node_modules restored from the cache")
			Expect(plain(out)).To(ContainSubstring("node_modules: reusing the cache (package-lock.json and Node.js 20.11.1 unchanged); npm ci does not run"))

			rebuild(map[string]string{"assets/package-lock.json": `{"lockfileVersion": 3, "packages": {}}`})
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"npm ci", "npm run deploy", "mix phx.digest"}))

			exec.node = "22.1.0"
			rebuild(nil)
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"npm ci", "npm run deploy", "mix phx.digest"}))
			l, _ := layerNamed(result, "node-modules")
			Expect(l.Metadata).To(HaveKeyWithValue("node", "22.1.0"))
		})

		it("runs npm install without a lock file", func() {
			Expect(os.Remove(filepath.Join(appDir, "assets", "package-lock.json"))).To(Succeed())
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"npm install", "npm run deploy", "mix phx.digest"}))
			l, _ := layerNamed(result, "node-modules")
			Expect(l.Metadata).To(HaveKeyWithValue("file", "package.json"))
		})

		it("skips npm run deploy when package.json has no deploy script", func() {
			write("assets/package.json", `{"scripts": {}}`)
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"npm ci", "mix phx.digest"}))
		})

		it("fails with one line naming what to add when npm is absent", func() {
			npm = false
			err := run()
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(Equal("assets/package.json needs npm to build the Phoenix assets and the build has none: " +
				"add a Node.js buildpack before this one (for example pack build --buildpack paketo-buildpacks/node-engine --buildpack elixir-buildpacks/elixir), " +
				"or define an assets.deploy alias in mix.exs that builds them with Mix (esbuild, tailwind)"))
			Expect(plain(out)).To(ContainSubstring("ERROR: npm is needed and absent"))
			_, released := exec.run("release")
			Expect(released).To(BeFalse())
		})

		it("fails naming the npm command that failed", func() {
			exec.failOn = "npm ci"
			Expect(run()).To(MatchError("npm ci failed in assets/ (its output is above): fix the error it reports, then build again"))
		})
	})

	context("priv/static only", func() {
		it("runs mix phx.digest", func() {
			write("priv/static/app.css", "body {}")
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"mix phx.digest"}))
		})
	})

	context("no assets at all", func() {
		it("runs nothing and says so", func() {
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(BeEmpty())
			Expect(plain(out)).To(ContainSubstring("Phoenix assets (app): none"))
		})
	})

	it("does nothing for an app without Phoenix, even with assets", func() {
		p := app("app")
		p.Releases = []string{"app"}
		p.Aliases = []string{"assets.deploy"}
		exec.reports = []mixproject.Project{p}
		write("priv/static/app.css", "body {}")
		Expect(run()).To(Succeed())
		Expect(assetCommands()).To(BeEmpty())
	})

	it("is skipped with BP_PHOENIX_ASSETS=false", func() {
		env["BP_PHOENIX_ASSETS"] = "false"
		write("priv/static/app.css", "body {}")
		Expect(run()).To(Succeed())
		Expect(assetCommands()).To(BeEmpty())
		Expect(plain(out)).To(ContainSubstring("Phoenix assets: skipped (BP_PHOENIX_ASSETS=false)"))
	})

	it("runs no migration at build time, sets PHX_SERVER and offers migrate from bin/migrate", func() {
		exec.overlay = []string{"migrate"}
		write("priv/static/app.css", "body {}")
		Expect(run()).To(Succeed())
		for _, r := range exec.runs {
			Expect(filepath.Base(r.Command)).NotTo(ContainSubstring("migrat"))
			if len(r.Args) > 0 {
				Expect(r.Args[0]).NotTo(ContainSubstring("migrat"))
			}
		}
		rel, _ := layerNamed(result, "release")
		Expect(rel.LaunchEnvironment).To(HaveKeyWithValue("PHX_SERVER.default", "true"))
		Expect(result.Processes).To(ContainElement(libcnb.Process{Type: "migrate",
			Command: []string{filepath.Join(layers, "release", "bin", "migrate")}}))
		le, _ := layerNamed(result, "launch-env")
		Expect(le.LaunchEnvironment).To(HaveKeyWithValue("PORT.default", "8080"))
	})

	context("an umbrella with a Phoenix child", func() {
		it.Before(func() {
			p := phoenix(app(""))
			p.Umbrella = true
			p.Releases = []string{"web"}
			p.Apps = []mixproject.App{
				{Name: "core", Path: "apps/core"},
				{Name: "web", Path: "apps/web", Aliases: []string{"assets.deploy"}, Phoenix: true},
			}
			exec.reports = []mixproject.Project{p}
		})

		it("builds the assets in that child", func() {
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"mix assets.deploy"}))
			Expect(dirOf("mix assets.deploy")).To(Equal(filepath.Join(appDir, "apps", "web")))
			Expect(plain(out)).To(ContainSubstring("Phoenix assets (web): the project's asset aliases"))
		})

		it("runs npm in the child's assets/ with a node_modules cache of its own", func() {
			p := exec.reports[0]
			p.Apps[1].Aliases = nil
			write("apps/web/assets/package.json", `{"scripts": {"deploy": "x"}}`)
			write("apps/web/assets/package-lock.json", `{}`)
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"npm ci", "npm run deploy", "mix phx.digest"}))
			Expect(dirOf("npm ci")).To(Equal(filepath.Join(appDir, "apps", "web", "assets")))
			Expect(dirOf("mix phx.digest")).To(Equal(filepath.Join(appDir, "apps", "web")))
			Expect(layerNames(result)).To(ContainElement("node-modules-web"))
		})

		it("names the child's package.json when npm is absent", func() {
			p := exec.reports[0]
			p.Apps[1].Aliases = nil
			npm = false
			write("apps/web/assets/package.json", `{}`)
			err := run()
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(HavePrefix("apps/web/assets/package.json needs npm"))
		})

		it("runs the umbrella's own asset aliases at the root", func() {
			exec.reports[0].Aliases = []string{"assets.deploy"}
			Expect(run()).To(Succeed())
			Expect(dirOf("mix assets.deploy")).To(Equal(appDir))
		})
	})
}

func joinArgs(args []string) string {
	s := ""
	for i, a := range args {
		if i > 0 {
			s += " "
		}
		s += a
	}
	return s
}
