package mix

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/buildpacks/libcnb/v2"

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

// toolFile is the name the packages give a tool's binary next to the build
// path: esbuild-linux-x64.
func toolFile(tool, arch string) string { return tool + "-linux-" + arch }

// AssetTools installs the binaries of phoenix-assets bindings where the
// esbuild and tailwind packages look when config names no path:
// buildRoot/<tool>-linux-<arch> (next to Mix.Project.build_path(); a
// generated config names none). `mix assets.setup`'s --if-missing installs
// then find them and download nothing. A binding may be mounted read-only
// and without the executable bit, hence a copy. It returns the variables
// that point a config reading them at the same files, and a line for the
// log saying which came from where.
func AssetTools(bindings libcnb.Bindings, buildRoot, arch string) (map[string]string, []string, error) {
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
			file := toolFile(key, arch)
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
// whose download failed: `couldn't fetch URL: REASON`.
var fetchFailed = regexp.MustCompile(`couldn't fetch (https?://\S+?):? `)

var toolVersion = regexp.MustCompile(`[0-9]+\.[0-9]+\.[0-9]+`)

// ErrAssetDownload reads a failed asset command's output for a tool
// download that failed, and names the tool, its version, the URL and the
// two ways to supply it; nil when the failure was something else. (The
// tools' own advice, a file in _build, cannot work here: _build is a
// cache layer the user never sees.)
func ErrAssetDownload(task, output string) error {
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
	}
	return usererr.New("Asset tool download failed",
		fmt.Sprintf("mix %s could not download %s from %s", task, what, url),
		fmt.Sprintf("give the binary in a %s binding (a file named %s), or commit it to the app and name it in config :%s, path: ...; see docs/phoenix.md",
			BindingTypePhoenixAssets, tool, tool))
}
