package mix

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/effect"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixproject"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// LayerNodeModules caches assets/node_modules between builds, keyed by
// package-lock.json (package.json without one) and the Node.js version.
const LayerNodeModules = "node-modules"

// AssetsVar turns the Phoenix asset step off (false) for apps that build
// their assets some other way; it is on by default for Phoenix apps.
const AssetsVar = "BP_PHOENIX_ASSETS"

// assetsOn reads AssetsVar; with no value (no buildpack.toml default) the
// step is on, as buildpack.toml's default says.
func assetsOn(lookup settings.Lookup) (bool, error) {
	on, ok, err := lookup.Bool(AssetsVar)
	return on || !ok, err
}

// Asset strategies, in order of preference.
const (
	AssetsAliases = "aliases" // mix assets.setup / mix assets.deploy
	AssetsNpm     = "npm"     // npm ci (or install) and npm run deploy in assets/, then mix phx.digest
	AssetsDigest  = "digest"  // mix phx.digest
	AssetsNone    = "none"
)

// AssetsTarget is one folder whose assets are built: the project root, or
// a Phoenix child of an umbrella.
type AssetsTarget struct {
	Dir     string // absolute
	Label   string // for the log: the app's name
	Aliases []string
}

// PhoenixTargets are the folders whose assets are built: the root of a
// Phoenix app; in an umbrella, the root when it defines the asset aliases
// itself, else each child that depends on Phoenix.
func PhoenixTargets(root string, p mixproject.Project) []AssetsTarget {
	rootTarget := AssetsTarget{Dir: root, Label: p.App, Aliases: p.Aliases}
	if !p.Umbrella {
		return []AssetsTarget{rootTarget}
	}
	rootTarget.Label = "the umbrella"
	if hasString(p.Aliases, "assets.deploy") || hasString(p.Aliases, "assets.setup") {
		return []AssetsTarget{rootTarget}
	}
	var out []AssetsTarget
	for _, a := range p.Apps {
		if a.Phoenix {
			out = append(out, AssetsTarget{Dir: filepath.Join(root, a.Path), Label: a.Name, Aliases: a.Aliases})
		}
	}
	return out
}

// AssetStrategy picks how a target's assets are built.
func AssetStrategy(t AssetsTarget) string {
	switch {
	case hasString(t.Aliases, "assets.deploy") || hasString(t.Aliases, "assets.setup"):
		return AssetsAliases
	case isFile(filepath.Join(t.Dir, "assets", "package.json")):
		return AssetsNpm
	case isDir(filepath.Join(t.Dir, "priv", "static")):
		return AssetsDigest
	}
	return AssetsNone
}

// Assets builds a Phoenix app's static assets after `mix compile` and
// before `mix release`, so the release holds the digested files. The
// esbuild and tailwind binaries that the Mix tasks download go next to
// MIX_BUILD_ROOT's env folders, that is into the cached _build layer, and
// are not downloaded again.
type Assets struct {
	Root     string // the folder holding mix.exs
	Runner   command.Runner
	Executor effect.Executor
	Logger   log.Logger
	Env      map[string]string // added to every command, printed under DEBUG
	Pass     map[string]string // handed to the commands, never printed
	Layers   libcnb.Layers
	// ToolVersions are the asset tools' versions config pins, for the
	// download error when the URL names none.
	ToolVersions map[string]string
	// LookPath finds npm; exec.LookPath outside tests.
	LookPath func(string) (string, error)
}

// Build builds the targets' assets and returns the cache layers to keep.
func (a Assets) Build(targets []AssetsTarget) ([]libcnb.Layer, error) {
	var layers []libcnb.Layer
	for _, t := range targets {
		switch AssetStrategy(t) {
		case AssetsAliases:
			a.Logger.Headerf("Phoenix assets (%s): the project's asset aliases", t.Label)
			for _, task := range []string{"assets.setup", "assets.deploy"} {
				if hasString(t.Aliases, task) {
					if err := a.mix(t.Dir, task); err != nil {
						return nil, err
					}
				}
			}
		case AssetsNpm:
			a.Logger.Headerf("Phoenix assets (%s): assets/package.json with npm, then mix phx.digest", t.Label)
			l, err := a.npm(t)
			if err != nil {
				return nil, err
			}
			layers = append(layers, l)
			if err := a.mix(t.Dir, "phx.digest"); err != nil {
				return nil, err
			}
		case AssetsDigest:
			a.Logger.Headerf("Phoenix assets (%s): priv/static with mix phx.digest", t.Label)
			if err := a.mix(t.Dir, "phx.digest"); err != nil {
				return nil, err
			}
		default:
			a.Logger.Headerf("Phoenix assets (%s): none (no assets.deploy alias, assets/package.json or priv/static)", t.Label)
		}
		manifest := filepath.Join(t.Dir, "priv", "static", "cache_manifest.json")
		if n, err := StableManifest(manifest); err != nil {
			return nil, fmt.Errorf("reading %s: %w", manifest, err)
		} else if n > 0 {
			a.Logger.Bodyf("cache_manifest.json: %d mtime fields set to 1980-01-01, as the image's file times are, so unchanged assets leave the release unchanged", n)
		}
	}
	return layers, nil
}

// ErrNoNpm is the user error when assets/package.json needs npm and the
// build has none.
func ErrNoNpm(rel string) error {
	return usererr.New("npm is needed and absent",
		rel+" needs npm to build the Phoenix assets and the build has none",
		"add a Node.js buildpack before this one (for example pack build --buildpack paketo-buildpacks/node-engine --buildpack elixir-buildpacks/elixir), "+
			"or define an assets.deploy alias in mix.exs that builds them with Mix (esbuild, tailwind)")
}

func (a Assets) npm(t AssetsTarget) (libcnb.Layer, error) {
	assets := filepath.Join(t.Dir, "assets")
	lookPath := a.LookPath
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	if _, err := lookPath("npm"); err != nil {
		rel := "assets/package.json"
		if r, err := filepath.Rel(a.Root, filepath.Join(assets, "package.json")); err == nil {
			rel = r
		}
		return libcnb.Layer{}, ErrNoNpm(rel)
	}
	lock := ""
	for _, name := range []string{"package-lock.json", "npm-shrinkwrap.json"} {
		if isFile(filepath.Join(assets, name)) {
			lock = name
			break
		}
	}
	keyFile := lock
	if keyFile == "" {
		keyFile = "package.json"
	}
	sum, err := fileSHA256(filepath.Join(assets, keyFile))
	if err != nil {
		return libcnb.Layer{}, err
	}
	node := a.nodeVersion(assets)
	name := LayerNodeModules
	if filepath.Clean(t.Dir) != filepath.Clean(a.Root) {
		name += "-" + t.Label // one layer per umbrella child
	}
	layer, err := a.Layers.Layer(name)
	if err != nil {
		return layer, fmt.Errorf("creating layer %s: %w", name, err)
	}
	cached := filepath.Join(layer.Path, "node_modules")
	key := map[string]interface{}{"file": keyFile, "sha256": sum, "node": node}
	hit := sameKey(layer.Metadata, key) && isDir(cached)
	local := filepath.Join(assets, "node_modules")

	switch {
	case hit && lock != "":
		a.Logger.Bodyf("node_modules: reusing the cache (%s and Node.js %s unchanged); npm ci does not run", keyFile, node)
		if !isDir(local) {
			if err := copyTree(cached, local); err != nil {
				return layer, fmt.Errorf("restoring node_modules: %w", err)
			}
		}
	default:
		if hit && !isDir(local) {
			a.Logger.Body("node_modules: restoring the cache, then npm install")
			if err := copyTree(cached, local); err != nil {
				return layer, fmt.Errorf("restoring node_modules: %w", err)
			}
		} else if !hit {
			a.Logger.Bodyf("node_modules: installing (%s or the Node.js version changed, or nothing is cached)", keyFile)
		}
		install := []string{"install"}
		if lock != "" {
			install = []string{"ci"}
		}
		if err := a.run(assets, "npm", install...); err != nil {
			return layer, err
		}
		if layer, err = layer.Reset(); err != nil {
			return layer, fmt.Errorf("resetting layer %s: %w", name, err)
		}
		if isDir(local) {
			if err := copyTree(local, cached); err != nil {
				return layer, fmt.Errorf("caching node_modules: %w", err)
			}
		}
	}
	layer.Metadata = key
	layer.LayerTypes = libcnb.LayerTypes{Cache: true}

	if hasNpmScript(filepath.Join(assets, "package.json"), "deploy") {
		if err := a.run(assets, "npm", "run", "deploy"); err != nil {
			return layer, err
		}
	} else {
		a.Logger.Body("assets/package.json has no deploy script: npm run deploy skipped")
	}
	return layer, nil
}

// nodeVersion is `node --version`, or "unknown".
func (a Assets) nodeVersion(dir string) string {
	var out bytes.Buffer
	err := a.Executor.Execute(effect.Execution{Command: "node", Args: []string{"--version"}, Dir: dir,
		Env: command.Merge(command.Merge(os.Environ(), a.Pass), a.Env), Stdout: &out, Stderr: io.Discard})
	v := strings.TrimPrefix(strings.TrimSpace(out.String()), "v")
	if err != nil || v == "" {
		return "unknown"
	}
	return v
}

func (a Assets) mix(dir string, args ...string) error {
	return runMix(a.Runner, command.Cmd{Dir: dir, Args: args, Env: a.Env, Pass: a.Pass},
		func(output string) error { return ErrAssetDownload(args[0], output, a.ToolVersions) })
}

func (a Assets) run(dir, name string, args ...string) error {
	if err := a.Runner.Run(command.Cmd{Dir: dir, Name: name, Args: args, Env: a.Env, Pass: a.Pass}); err != nil {
		what := name + " " + strings.Join(args, " ")
		return usererr.New("Building the assets failed",
			what+" failed in assets/ (its output is above)",
			"fix the error it reports, then build again")
	}
	return nil
}

func sameKey(md map[string]interface{}, key map[string]interface{}) bool {
	if md == nil {
		return false
	}
	for k, v := range key {
		if fmt.Sprint(md[k]) != fmt.Sprint(v) {
			return false
		}
	}
	return true
}

func hasNpmScript(packageJSON, name string) bool {
	data, err := os.ReadFile(packageJSON)
	if err != nil {
		return false
	}
	var pkg struct {
		Scripts map[string]string `json:"scripts"`
	}
	if json.Unmarshal(data, &pkg) != nil {
		return false
	}
	_, ok := pkg.Scripts[name]
	return ok
}

func fileSHA256(p string) (string, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// copyTree copies a folder with its files, modes and symlinks (npm's .bin).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		default:
			return copyFile(p, target, info.Mode().Perm())
		}
	})
}

// phoenixAssets is build step 4: a Phoenix app's assets, after `mix
// compile` and before `mix release`. Never a migration: there is no
// database at build time.
func (j *job) phoenixAssets() error {
	if !j.project.Phoenix {
		return nil
	}
	if !j.assets {
		j.b.Logger.Headerf("Phoenix assets: skipped (%s=false)", AssetsVar)
		return nil
	}
	// Binaries a binding provides go where the packages look for theirs,
	// before anything is downloaded: next to MIX_ENV's build folder, named
	// as the locked package version names them (mix.lock is there: deps.get
	// has run).
	buildRoot := j.env["MIX_BUILD_ROOT"]
	tools := AssetToolsCache{Versions: ConfiguredAssetTools(j.root), Packages: LockedAssetPackages(j.root, j.project.Lockfile),
		Arch: toolArch(j.ctx.TargetInfo.Arch), Logger: j.b.Logger}
	toolEnv, said, err := AssetTools(j.ctx.Platform.Bindings, buildRoot, tools.File)
	if err != nil {
		return err
	}
	for _, line := range said {
		j.b.Logger.Headerf("Phoenix assets: %s", line)
	}
	given := map[string]bool{}
	for tool, name := range assetToolVars {
		given[tool] = toolEnv[name] != ""
	}
	// Then what earlier builds downloaded, for the tools no binding gave.
	toolsLayer, err := j.ctx.Layers.Layer(LayerAssetTools)
	if err != nil {
		return fmt.Errorf("creating layer %s: %w", LayerAssetTools, err)
	}
	cachedEnv, err := tools.Restore(&toolsLayer, buildRoot, given)
	if err != nil {
		return err
	}
	env := map[string]string{}
	for k, v := range j.env {
		env[k] = v
	}
	for _, e := range []map[string]string{toolEnv, cachedEnv} {
		for k, v := range e {
			env[k] = v
		}
	}
	a := Assets{Root: j.root, Runner: j.runner, Executor: j.b.Executor, Logger: j.b.Logger,
		ToolVersions: tools.Versions, Env: env, Pass: j.pass, Layers: j.ctx.Layers, LookPath: j.b.LookPath}
	layers, err := a.Build(PhoenixTargets(j.root, j.project))
	if err != nil {
		return err
	}
	j.result.Layers = append(j.result.Layers, layers...)
	if kept, err := tools.Keep(&toolsLayer, buildRoot); err != nil {
		return err
	} else if kept {
		j.result.Layers = append(j.result.Layers, toolsLayer)
	}
	return nil
}
