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
		env = runtimeFacts()
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
				Expect(filepath.Join(l.Path, "esbuild")).To(BeARegularFile())
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

			it("drops the files an older buildpack kept under their _build names", func() {
				old := filepath.Join(layers, "asset-tools")
				Expect(os.MkdirAll(old, 0o755)).To(Succeed())
				Expect(os.WriteFile(filepath.Join(old, "esbuild-linux-x64"), []byte("binary"), 0o755)).To(Succeed())
				Expect(os.WriteFile(filepath.Join(layers, "asset-tools.toml"), []byte("[types]\ncache = true\n\n[metadata]\ntarget = \"linux-x64\"\n\n[metadata.versions]\nesbuild = \"0.17.11\"\n"), 0o644)).To(Succeed())
				Expect(run()).To(Succeed())
				Expect(downloads).To(Equal([]string{"esbuild"}))
				Expect(filepath.Join(old, "esbuild-linux-x64")).NotTo(BeAnExistingFile())
				Expect(filepath.Join(old, "esbuild")).To(BeARegularFile())
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

		// What mix phx.new 1.8.9 writes and mix deps.get locks, with the
		// real packages' lookup: tailwind 0.5.1 installs and runs
		// _build/tailwind-linux-x64-4.3.0, esbuild 0.10.0
		// _build/esbuild-linux-x64 (config names no path, and neither
		// package reads MIX_*_PATH itself).
		context("a Phoenix 1.8.9 app: tailwind 0.5.1, esbuild 0.10.0", func() {
			const fetchFailed = "** (RuntimeError) Couldn't fetch https://github.com/tailwindlabs/tailwindcss/releases/download/v4.3.0/tailwindcss-linux-x64: {:error, {:failed_connect, [{:to_address, {~c\"github.com\", 443}}, {:inet6, [:inet6], :nxdomain}]}}\n\n" +
				"This typically means we cannot reach the source or you are behind a proxy.\nYou can try again later and, if that does not work, you might:\n"
			var (
				network   bool
				downloads []string
				paths     map[string]string
				found     string // what tailwind found at its path
			)
			givesBinding := func() {
				binding := t.TempDir()
				for _, tool := range []string{"esbuild", "tailwind"} {
					Expect(os.WriteFile(filepath.Join(binding, tool), []byte(tool+" binary"), 0o644)).To(Succeed())
				}
				ctx.Platform.Bindings = libcnb.Bindings{{Name: "assets", Type: "phoenix-assets", Path: binding,
					Secret: map[string]string{"esbuild": "esbuild binary", "tailwind": "tailwind binary"}}}
			}
			it.Before(func() {
				network, downloads, paths, found = true, nil, map[string]string{}, ""
				write("config/config.exs", "import Config\n\n# Configure esbuild (the version is required)\nconfig :esbuild,\n  version: \"0.25.4\",\n  app: [\n    args:\n      ~w(js/app.js --bundle --target=es2022 --outdir=../priv/static/assets/js --external:/fonts/* --external:/images/* --alias:@=.),\n    cd: Path.expand(\"../assets\", __DIR__),\n    env: %{\"NODE_PATH\" => [Path.expand(\"../deps\", __DIR__), Mix.Project.build_path()]}\n  ]\n\n"+
					"# Configure tailwind (the version is required)\nconfig :tailwind,\n  version: \"4.3.0\",\n  app: [\n    args: ~w(\n      --input=assets/css/app.css\n      --output=priv/static/assets/css/app.css\n    ),\n    cd: Path.expand(\"..\", __DIR__)\n  ]\n")
				write("mix.lock", "%{\n"+
					"  \"esbuild\": {:hex, :esbuild, \"0.10.0\", \"011f03e5d6795bf141dac66bccf86a78214f2c9e354fe0d3ddc857c9a461c463\", [:mix], [{:jason, \"~> 1.4\", [hex: :jason, repo: \"hexpm\", optional: false]}], \"hexpm\", \"420e71ca568db1fb02ad8ec3486a93284465a6fe04c89b758ccbf698d3af4ae0\"},\n"+
					"  \"tailwind\": {:hex, :tailwind, \"0.5.1\", \"bc4527a1f47e602f9bf131b4580d9deb6ba014fc0e68c2e4e8b0501f3d7d4e36\", [:mix], [], \"hexpm\", \"3733dbf582f9c8b1786e0835132eebc3e2c220a3a2740a93b8390a6bd99ce069\"},\n}\n")
				// tailwind.install --if-missing and esbuild.install
				// --if-missing: a download when the package's own file is
				// absent, tailwind's real error without the network.
				exec.during["assets.setup"] = func(e effect.Execution) {
					exec.failOn = ""
					for _, v := range []string{"MIX_ESBUILD_PATH", "MIX_TAILWIND_PATH"} {
						paths[v] = envOf(e, v)
					}
					for _, name := range []string{"esbuild-linux-x64", "tailwind-linux-x64-4.3.0"} {
						bin := filepath.Join(e.Dir, "_build", name)
						if data, err := os.ReadFile(bin); err == nil {
							if name != "esbuild-linux-x64" {
								found = string(data)
							}
							continue
						}
						if !network {
							_, _ = e.Stdout.Write([]byte(fetchFailed))
							exec.failOn = "assets.setup"
							return
						}
						downloads = append(downloads, name)
						_ = os.WriteFile(bin, []byte("downloaded"), 0o755)
					}
				}
			})

			it("puts a binding's tailwind where tailwind 0.5.1 looks, _build/tailwind-linux-x64-4.3.0: nothing downloads", func() {
				network = false
				givesBinding()
				Expect(run()).To(Succeed())
				Expect(downloads).To(BeEmpty())
				build := filepath.Join(layers, "mix-build", "_build")
				Expect(paths).To(Equal(map[string]string{
					"MIX_ESBUILD_PATH":  filepath.Join(build, "esbuild-linux-x64"),
					"MIX_TAILWIND_PATH": filepath.Join(build, "tailwind-linux-x64-4.3.0"),
				}))
				Expect(plain(out)).To(ContainSubstring("Phoenix assets: tailwind from the phoenix-assets binding assets, as _build/tailwind-linux-x64-4.3.0 (and MIX_TAILWIND_PATH)"))
				Expect(plain(out)).To(ContainSubstring("Asset tools: esbuild-linux-x64, tailwind-linux-x64-4.3.0 kept in the asset-tools cache layer for the next build (esbuild 0.25.4, tailwind 4.3.0, linux-x64), not in _build or the image"))
			})

			it("keeps what it downloaded and finds it again in the cache", func() {
				Expect(run()).To(Succeed())
				Expect(downloads).To(Equal([]string{"esbuild-linux-x64", "tailwind-linux-x64-4.3.0"}))
				rebuild(map[string]string{"lib/changed.ex": "# changed"})
				network = false
				Expect(run()).To(Succeed())
				Expect(downloads).To(HaveLen(2), "no second download")
				Expect(plain(out)).To(ContainSubstring("Asset tools: reusing esbuild-linux-x64, tailwind-linux-x64-4.3.0 from the cache (esbuild 0.25.4, tailwind 4.3.0, linux-x64 unchanged): nothing is downloaded"))
			})

			it("builds from the cache with no binding and no network after one build with the binding, the packages finding the binaries as from the binding", func() {
				network = false
				givesBinding()
				Expect(run()).To(Succeed())
				fromBinding := paths
				ctx.Platform.Bindings = nil
				rebuild(map[string]string{"lib/changed.ex": "# changed"})
				paths = map[string]string{}
				Expect(run()).To(Succeed())
				Expect(downloads).To(BeEmpty())
				Expect(paths).To(Equal(fromBinding))
				Expect(found).To(Equal("tailwind binary"))
				Expect(plain(out)).To(ContainSubstring("Asset tools: reusing esbuild-linux-x64, tailwind-linux-x64-4.3.0 from the cache"))
			})

			it("names tailwind, its version and URL when tailwind 0.5.1 cannot download, in one line", func() {
				network = false
				err := run()
				Expect(err).To(MatchError("mix assets.setup could not download tailwind 4.3.0 from https://github.com/tailwindlabs/tailwindcss/releases/download/v4.3.0/tailwindcss-linux-x64: give the binary in a phoenix-assets binding (a file named tailwind), or commit it to the app and name it in config :tailwind, path: ...; see docs/phoenix.md"))
				Expect(plain(out)).To(ContainSubstring("  ERROR: Asset tool download failed\n    " + err.Error() + "\n"))
				Expect(plain(out)).NotTo(ContainSubstring("ERROR: Mix failed"))
			})
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

	for _, v := range []string{"0", "no", "False"} {
		it("is skipped with BP_PHOENIX_ASSETS="+v, func() {
			env["BP_PHOENIX_ASSETS"] = v
			write("priv/static/app.css", "body {}")
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(BeEmpty())
			Expect(plain(out)).To(ContainSubstring("Phoenix assets: skipped (BP_PHOENIX_ASSETS=false)"))
		})
	}

	for _, v := range []string{"1", "yes", "true"} {
		it("builds the assets with BP_PHOENIX_ASSETS="+v, func() {
			ctx.Platform.Environment["BP_PHOENIX_ASSETS"] = v
			p := exec.reports[0]
			p.Aliases = []string{"assets.deploy"}
			exec.reports = []mixproject.Project{p}
			Expect(run()).To(Succeed())
			Expect(assetCommands()).To(Equal([]string{"mix assets.deploy"}))
		})
	}

	it("fails before running Mix on a BP_PHOENIX_ASSETS that is neither true nor false", func() {
		ctx.Platform.Environment["BP_PHOENIX_ASSETS"] = "maybe"
		err := run()
		Expect(err).To(MatchError("BP_PHOENIX_ASSETS=maybe is neither true nor false: set it to true, false, 1, 0, yes or no (in any case), or unset it"))
		Expect(headline(err)).To(Equal("Invalid setting"))
		Expect(exec.runs).To(BeEmpty())
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
