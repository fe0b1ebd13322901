package mix

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"
)

// LayerAssetTools keeps the asset tools' binaries (what `mix assets.setup`
// downloaded, or a phoenix-assets binding gave) between builds, keyed by
// the versions config pins and the target. Not _build: a toolchain change
// clears _build but not the tools, and in Mix runtime mode _build ships in
// the image, which has no use for a 100 MB tailwind.
const LayerAssetTools = "asset-tools"

// ConfiguredAssetTools reads the versions config/config.exs pins for the
// asset tools, in the shape mix phx.new writes (config :esbuild,
// version: "0.17.11", ...). Evaluating config needs the deps, which are
// not there yet when the cache is restored; a tool with no literal version
// is keyed by its absence.
func ConfiguredAssetTools(root string) map[string]string {
	versions := map[string]string{}
	data, err := os.ReadFile(filepath.Join(root, "config", "config.exs"))
	if err != nil {
		return versions
	}
	for tool := range assetToolVars {
		re := regexp.MustCompile(`config\s+:` + tool + `\s*,\s*version:\s*"([^"]+)"`)
		if m := re.FindSubmatch(data); m != nil {
			versions[tool] = string(m[1])
		}
	}
	return versions
}

// AssetToolsCache restores the cached tools into _build, where the
// packages look, before the asset step, and moves them back out after it.
// The layer holds each binary under the tool's name (esbuild, tailwind):
// the key says what it is (the tool's version and the target), and the name
// in _build, which the locked package version decides (ToolFile), is given
// at each restore, so a package upgrade that renames it (tailwind 0.5)
// still finds it.
type AssetToolsCache struct {
	Versions map[string]string // from ConfiguredAssetTools
	Packages map[string]string // from LockedAssetPackages
	Arch     string            // toolArch's name: x64, arm64
	Logger   log.Logger
}

func (c AssetToolsCache) key() map[string]interface{} {
	versions := map[string]interface{}{}
	for tool, v := range c.Versions {
		versions[tool] = v
	}
	return map[string]interface{}{"versions": versions, "target": "linux-" + c.Arch}
}

// File is the name of a tool's binary in _build (ToolFile).
func (c AssetToolsCache) File(tool string) string {
	return ToolFile(tool, c.Arch, c.Packages[tool], c.Versions[tool])
}

// Restore links the cached binaries into buildRoot when the key is
// unchanged, except those a binding gave this build, and returns the
// variables that name them (MIX_ESBUILD_PATH, MIX_TAILWIND_PATH), as
// AssetTools does for a binding's: a binary from the cache is found exactly
// as one from a binding. When the key changed, it empties the layer and
// says what changed.
func (c AssetToolsCache) Restore(layer *libcnb.Layer, buildRoot string, given map[string]bool) (map[string]string, error) {
	env := map[string]string{}
	entries, err := os.ReadDir(layer.Path)
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("reading the asset tools cache: %w", err)
	}
	if len(entries) == 0 {
		return env, nil
	}
	cached := c.cached(layer.Path)
	switch {
	case !sameKey(layer.Metadata, c.key()):
		c.Logger.Headerf("Asset tools: Clearing cache: %s", c.changes(layer.Metadata))
		return env, c.clear(layer.Path, entries, nil)
	case len(cached) < len(entries):
		// Files of another name: an older buildpack's layout.
		if err := c.clear(layer.Path, entries, cached); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(buildRoot, 0o755); err != nil {
		return nil, err
	}
	var restored []string
	for _, tool := range cached {
		if given[tool] {
			continue
		}
		src, dst := filepath.Join(layer.Path, tool), filepath.Join(buildRoot, c.File(tool))
		if err := os.RemoveAll(dst); err != nil {
			return nil, err
		}
		// One file in two layers of the same volume: a link, not a copy.
		if err := os.Link(src, dst); err != nil {
			if err := copyFile(src, dst, 0o755); err != nil {
				return nil, fmt.Errorf("restoring %s from the asset tools cache: %w", c.File(tool), err)
			}
		}
		env[assetToolVars[tool]] = dst
		restored = append(restored, c.File(tool))
	}
	if len(restored) > 0 {
		c.Logger.Headerf("Asset tools: reusing %s from the cache (%s unchanged): nothing is downloaded",
			strings.Join(restored, ", "), c.describe())
	}
	return env, nil
}

// clear removes the layer's entries but those of the tools in keep.
func (c AssetToolsCache) clear(dir string, entries []os.DirEntry, keep []string) error {
	for _, e := range entries {
		if hasString(keep, e.Name()) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("clearing the asset tools cache: %w", err)
		}
	}
	return nil
}

// Keep moves the binaries the asset step left in buildRoot into the layer
// and records the key; it reports whether the layer holds any.
func (c AssetToolsCache) Keep(layer *libcnb.Layer, buildRoot string) (bool, error) {
	var kept []string
	for _, tool := range sortedTools() {
		src := filepath.Join(buildRoot, c.File(tool))
		fi, err := os.Lstat(src)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		dst := filepath.Join(layer.Path, tool)
		if same, err := sameFile(src, dst); err != nil {
			return false, err
		} else if same {
			if err := os.Remove(src); err != nil {
				return false, err
			}
		} else if err := moveFile(src, dst); err != nil {
			return false, fmt.Errorf("keeping %s in the asset tools cache: %w", c.File(tool), err)
		}
		kept = append(kept, c.File(tool))
	}
	layer.Metadata = c.key()
	layer.LayerTypes = libcnb.LayerTypes{Cache: true}
	if len(kept) > 0 {
		c.Logger.Bodyf("Asset tools: %s kept in the %s cache layer for the next build (%s), not in _build or the image",
			strings.Join(kept, ", "), LayerAssetTools, c.describe())
	}
	return len(c.cached(layer.Path)) > 0, nil
}

// cached are the tools whose binaries the layer holds.
func (c AssetToolsCache) cached(dir string) []string {
	var tools []string
	for _, tool := range sortedTools() {
		if fi, err := os.Stat(filepath.Join(dir, tool)); err == nil && fi.Mode().IsRegular() {
			tools = append(tools, tool)
		}
	}
	return tools
}

// describe names the key: "esbuild 0.17.11, tailwind 3.4.3, linux-x64".
func (c AssetToolsCache) describe() string {
	var parts []string
	for _, tool := range sortedTools() {
		if v := c.Versions[tool]; v != "" {
			parts = append(parts, tool+" "+v)
		}
	}
	return strings.Join(append(parts, "linux-"+c.Arch), ", ")
}

// changes says what differs from the key the layer was kept with.
func (c AssetToolsCache) changes(md map[string]interface{}) string {
	old, _ := md["versions"].(map[string]interface{})
	var parts []string
	for _, tool := range sortedTools() {
		was, _ := old[tool].(string)
		now := c.Versions[tool]
		if was != now {
			parts = append(parts, fmt.Sprintf("%s %s → %s", tool, orNone(was), orNone(now)))
		}
	}
	if was, _ := md["target"].(string); was != "linux-"+c.Arch {
		parts = append(parts, fmt.Sprintf("target %s → linux-%s", orNone(was), c.Arch))
	}
	if len(parts) == 0 {
		return "its key is of another form"
	}
	return strings.Join(parts, ", ")
}

func sortedTools() []string {
	var tools []string
	for tool := range assetToolVars {
		tools = append(tools, tool)
	}
	sort.Strings(tools)
	return tools
}

func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if os.IsNotExist(err) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// moveFile renames src to dst, or copies and removes it across devices.
func moveFile(src, dst string) error {
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	if err := copyFile(src, dst, 0o755); err != nil {
		return err
	}
	return os.Remove(src)
}
