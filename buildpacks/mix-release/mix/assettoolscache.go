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
type AssetToolsCache struct {
	Versions map[string]string // from ConfiguredAssetTools
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

func (c AssetToolsCache) file(tool string) string { return toolFile(tool, c.Arch) }

// Restore links the cached binaries into buildRoot when the key is
// unchanged, except those a binding gave this build; when it changed, it
// empties the layer and says what changed.
func (c AssetToolsCache) Restore(layer *libcnb.Layer, buildRoot string, given map[string]bool) error {
	cached := c.cached(layer.Path)
	if len(cached) == 0 {
		return nil
	}
	if !sameKey(layer.Metadata, c.key()) {
		c.Logger.Headerf("Asset tools: Clearing cache: %s", c.changes(layer.Metadata))
		for _, tool := range cached {
			if err := os.Remove(filepath.Join(layer.Path, c.file(tool))); err != nil {
				return fmt.Errorf("clearing the asset tools cache: %w", err)
			}
		}
		return nil
	}
	if err := os.MkdirAll(buildRoot, 0o755); err != nil {
		return err
	}
	var restored []string
	for _, tool := range cached {
		if given[tool] {
			continue
		}
		dst := filepath.Join(buildRoot, c.file(tool))
		if err := os.RemoveAll(dst); err != nil {
			return err
		}
		// One file in two layers of the same volume: a link, not a copy.
		if err := os.Link(filepath.Join(layer.Path, c.file(tool)), dst); err != nil {
			if err := copyFile(filepath.Join(layer.Path, c.file(tool)), dst, 0o755); err != nil {
				return fmt.Errorf("restoring %s from the asset tools cache: %w", c.file(tool), err)
			}
		}
		restored = append(restored, c.file(tool))
	}
	if len(restored) > 0 {
		c.Logger.Headerf("Asset tools: reusing %s from the cache (%s unchanged): nothing is downloaded",
			strings.Join(restored, ", "), c.describe())
	}
	return nil
}

// Keep moves the binaries the asset step left in buildRoot into the layer
// and records the key; it reports whether the layer holds any.
func (c AssetToolsCache) Keep(layer *libcnb.Layer, buildRoot string) (bool, error) {
	var kept []string
	for _, tool := range sortedTools() {
		src := filepath.Join(buildRoot, c.file(tool))
		fi, err := os.Lstat(src)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		dst := filepath.Join(layer.Path, c.file(tool))
		if same, err := sameFile(src, dst); err != nil {
			return false, err
		} else if same {
			if err := os.Remove(src); err != nil {
				return false, err
			}
		} else if err := moveFile(src, dst); err != nil {
			return false, fmt.Errorf("keeping %s in the asset tools cache: %w", c.file(tool), err)
		}
		kept = append(kept, c.file(tool))
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
		if fi, err := os.Stat(filepath.Join(dir, c.file(tool))); err == nil && fi.Mode().IsRegular() {
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
