package mix

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/buildpacks/libcnb/v2"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixlock"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// BindingTypePhoenixAssets is the binding that provides the asset tools'
// binaries, for builds that cannot download them (a proxy, no route to
// their host, an air-gapped CI): a file per tool, named as in assetToolVars.
const BindingTypePhoenixAssets = "phoenix-assets"

// assetToolVars are the variables that the esbuild and tailwind packages
// advise a config to read for their binary (config :esbuild, path:
// System.get_env("MIX_ESBUILD_PATH")), for apps whose config does.
var assetToolVars = map[string]string{"esbuild": "MIX_ESBUILD_PATH", "tailwind": "MIX_TAILWIND_PATH"}

// toolArch is the packages' name for the target's CPU in their binaries'
// names (esbuild-linux-x64, tailwind-linux-arm64).
func toolArch(arch string) string {
	if arch == "" || arch == "amd64" {
		return "x64"
	}
	return arch
}

// ToolFile is the name a tool's package gives its binary next to the build
// path (Mix.Project.build_path()'s folder, _build), given the target's arch
// (toolArch's), the package version the app locks (mix.lock: tailwind
// "0.5.1") and the tool version config pins (config :tailwind, version:
// "4.3.0"). The binding's copy, the asset-tools cache and its log use it,
// so all three put a binary where that package version looks:
//
//   - esbuild (to 0.10.0 at least): esbuild-linux-x64.
//   - tailwind before 0.5.0: tailwind-linux-x64.
//   - tailwind 0.5.0 and later (per-profile versions): the version too,
//     tailwind-linux-x64-4.3.0.
//
// A package version that cannot be read (a git or path dep, no mix.lock)
// is taken for an older one; with no literal tool version, tailwind 0.5's
// name cannot be known and the older one is given. The packages do not
// read MIX_ESBUILD_PATH or MIX_TAILWIND_PATH themselves (only a config that
// names them in path: does, and a generated one does not), hence the file
// at the package's own place rather than the variables alone.
func ToolFile(tool, arch, pkg, version string) string {
	name := tool + "-linux-" + arch
	if tool == "tailwind" && version != "" && versionAtLeast(pkg, 0, 5) {
		name += "-" + version
	}
	return name
}

// versionAtLeast says whether v (major.minor.patch) is major.minor or later;
// false when v is not a version.
func versionAtLeast(v string, major, minor int) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return ma > major || ma == major && mi >= minor
}

// LockedAssetPackages reads the versions of the esbuild and tailwind Hex
// packages that lockfile (relative to root; mix.lock) locks. A git or path
// dep, or no lockfile, has none.
func LockedAssetPackages(root, lockfile string) map[string]string {
	if lockfile == "" {
		lockfile = "mix.lock"
	}
	versions := map[string]string{}
	data, err := os.ReadFile(filepath.Join(root, lockfile))
	if err != nil {
		return versions
	}
	entries, err := mixlock.Parse(data)
	if err != nil {
		return versions
	}
	for _, e := range entries {
		if _, ok := assetToolVars[e.Name]; ok && e.SCM == mixlock.SCMHex && (e.Package == "" || e.Package == e.Name) {
			versions[e.Name] = e.Version
		}
	}
	return versions
}

// AssetTools installs the binaries of phoenix-assets bindings where the
// esbuild and tailwind packages look when config names no path:
// buildRoot/ToolFile(...) (next to Mix.Project.build_path(); a
// generated config names none). `mix assets.setup`'s --if-missing installs
// then find them and download nothing. A binding may be mounted read-only
// and without the executable bit, hence a copy. It returns the variables
// that point a config reading them at the same files, and a line for the
// log saying which came from where.
func AssetTools(bindings libcnb.Bindings, buildRoot string, fileOf func(tool string) string) (map[string]string, []string, error) {
	env := map[string]string{}
	var said []string
	for _, b := range bindings {
		if !strings.EqualFold(b.Type, BindingTypePhoenixAssets) {
			continue
		}
		var keys []string
		for k := range b.Secret {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			name, ok := assetToolVars[key]
			if !ok || env[name] != "" {
				continue
			}
			file := fileOf(key)
			dst := filepath.Join(buildRoot, file)
			if err := copyFile(filepath.Join(b.Path, key), dst, 0o755); err != nil {
				return nil, nil, fmt.Errorf("copying %s from the %s binding %s: %w", key, BindingTypePhoenixAssets, b.Name, err)
			}
			env[name] = dst
			said = append(said, fmt.Sprintf("%s from the %s binding %s, as _build/%s (and %s)", key, BindingTypePhoenixAssets, b.Name, file, name))
		}
	}
	return env, said, nil
}

// copyFile copies src to dst (its folder made) with the given mode.
func copyFile(src, dst string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// fetchFailed is how the esbuild and tailwind packages end an install
// whose download failed: esbuild (its npm registry client) raises
// `couldn't fetch URL: REASON`, tailwind 0.5 `Couldn't fetch URL: REASON`.
var fetchFailed = regexp.MustCompile(`(?i)couldn't fetch (https?://\S+?):? `)

var toolVersion = regexp.MustCompile(`[0-9]+\.[0-9]+\.[0-9]+`)

// ErrAssetDownload reads a failed asset command's output for a tool
// download that failed, and names the tool, its version (the URL's, else
// the one config pins), the URL and the two ways to supply it; nil when the
// failure was something else. (The tools' own advice, a file in _build,
// cannot work here: _build is a cache layer the user never sees.)
func ErrAssetDownload(task, output string, versions map[string]string) error {
	m := fetchFailed.FindStringSubmatch(output)
	if m == nil {
		return nil
	}
	url := m[1]
	tool := ""
	for _, t := range sortedTools() {
		if strings.Contains(url, t) {
			tool = t
		}
	}
	if tool == "" {
		return nil
	}
	what := tool
	if v := toolVersion.FindString(url); v != "" {
		what += " " + v
	} else if v := versions[tool]; v != "" {
		what += " " + v
	}
	return usererr.New("Asset tool download failed",
		fmt.Sprintf("mix %s could not download %s from %s", task, what, url),
		fmt.Sprintf("give the binary in a %s binding (a file named %s), or commit it to the app and name it in config :%s, path: ...; see docs/phoenix.md",
			BindingTypePhoenixAssets, tool, tool))
}
