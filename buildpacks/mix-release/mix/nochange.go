package mix

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/buildpacks/libcnb/v2"
)

// A rebuild whose inputs have not changed runs no Mix command at all: the
// release layers of the previous image are reused as they are. The inputs
// are every file of the app, the settings that shape the build, the
// Erlang, Elixir and target the runtimes published, and this buildpack's
// version.
const (
	metaSourceKey = "source-key"
	metaProcesses = "processes"
)

// keySettings are the settings a build reads, keyed by their values.
var keySettings = []string{
	"MIX_ENV", ReleaseVar, ReleaseNameVar, ReleaseModeVar, RunCommandVar, ProjectPathVar, "LANG",
}

// ignoredSettings choose where the toolchains come from or how much the log
// says; what they choose is keyed through the toolchains' versions.
var ignoredSettings = map[string]bool{
	"HEX_BUILDS_URL": true, "HEX_MIRROR": true, "BP_HEX_BUILDS_MIRRORS": true,
	"BP_ERLANG_VERSION": true, "BP_ELIXIR_VERSION": true, "BP_ERLANG_OS_DIR": true,
	"BP_ALLOW_UNVERIFIED_DOWNLOADS": true, "DEBUG": true, "BP_LOG_LEVEL": true, "PORT": true,
}

// SourceKey hashes the inputs of a release build: the app's files, the
// settings, the toolchains, this buildpack's version, and every other
// platform variable (SECRET_KEY_BASE, BP_HEX_REPO_URL, GIT_CONFIG_* ...),
// since Mix may compile any of them in. Those go in by name and an HMAC of
// their value under salt, which lives only in a cache layer: the key is
// stored in the image's metadata, and a plain hash of a secret there could
// be tested against guesses. why says, when the key cannot be made, why.
func SourceKey(appDir string, platform map[string]string, get func(string) string, toolchains, buildpack string, salt []byte) (string, string, error) {
	var others []string
	for name := range platform {
		if !ignoredSettings[name] && !contains(keySettings, name) && !strings.HasPrefix(name, "BP_DEPENDENCY_MIRROR") {
			others = append(others, name)
		}
	}
	if len(others) > 0 && len(salt) == 0 {
		sort.Strings(others)
		return "", "no key salt to hash platform variables " + strings.Join(others, ", ") + " with", nil
	}
	sort.Strings(others)
	h := sha256.New()
	fmt.Fprintf(h, "buildpack %s\ntoolchains %s\n", buildpack, toolchains)
	for _, name := range keySettings {
		fmt.Fprintf(h, "%s=%q\n", name, get(name))
	}
	for _, name := range others {
		mac := hmac.New(sha256.New, salt)
		mac.Write([]byte(platform[name]))
		fmt.Fprintf(h, "platform %q hmac %x\n", name, mac.Sum(nil))
	}
	err := writeTree(h, appDir)
	if err != nil {
		return "", "", fmt.Errorf("hashing the app's files: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), "", nil
}

// Unchanged reports whether the previous build's release layers, whose
// metadata the lifecycle restored from the app image, were made from key,
// and returns their processes.
func Unchanged(layers libcnb.Layers, key string) ([]libcnb.Process, bool) {
	if key == "" {
		return nil, false
	}
	root, err1 := layers.Layer(LayerRelease)
	app, err2 := layers.Layer(LayerReleaseApp)
	if err1 != nil || err2 != nil || root.Metadata[metaSourceKey] != key || app.Metadata[metaSourceKey] != key {
		return nil, false
	}
	raw, _ := root.Metadata[metaProcesses].(string)
	var procs []libcnb.Process
	if err := json.Unmarshal([]byte(raw), &procs); err != nil || len(procs) == 0 {
		return nil, false
	}
	return procs, true
}

// Remember records the key, and the processes, in the release layers.
func Remember(root, app *libcnb.Layer, key string, procs []libcnb.Process) error {
	if key == "" {
		return nil
	}
	raw, err := json.Marshal(procs)
	if err != nil {
		return err
	}
	root.Metadata = map[string]interface{}{metaSourceKey: key, metaProcesses: string(raw)}
	app.Metadata = map[string]interface{}{metaSourceKey: key}
	return nil
}

// KeptLayers are every layer the previous build left, as the lifecycle
// restored them: returned untouched, they keep their cache or, for launch
// layers whose folder is absent, are reused from the previous image. The
// metadata restored from the app image carries no types, so the launch
// layers of release mode are marked again.
func KeptLayers(layers libcnb.Layers) ([]libcnb.Layer, error) {
	tomls, _ := filepath.Glob(filepath.Join(layers.Path, "*.toml"))
	var kept []libcnb.Layer
	for _, t := range tomls {
		name := strings.TrimSuffix(filepath.Base(t), ".toml")
		if name == "build" || name == "launch" || name == "store" {
			continue
		}
		l, err := layers.Layer(name)
		if err != nil {
			return nil, err
		}
		switch name {
		case LayerRelease, LayerReleaseApp, LayerLaunchEnv:
			l.LayerTypes = libcnb.LayerTypes{Launch: true}
		default:
			if l.LayerTypes == (libcnb.LayerTypes{}) {
				l.LayerTypes = libcnb.LayerTypes{Cache: true}
			}
		}
		kept = append(kept, l)
	}
	return kept, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// KeySalt is the cache layer holding the no-change key's salt, made on the
// first build and kept while the cache is: a cleared cache makes a new salt,
// and so a full build.
func KeySalt(layers libcnb.Layers) (libcnb.Layer, []byte, error) {
	l, err := layers.Layer(LayerKeySalt)
	if err != nil {
		return l, nil, fmt.Errorf("creating layer %s: %w", LayerKeySalt, err)
	}
	l.LayerTypes = libcnb.LayerTypes{Cache: true}
	path := filepath.Join(l.Path, "salt")
	if salt, err := os.ReadFile(path); err == nil && len(salt) == 32 {
		return l, salt, nil
	}
	salt := make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return l, nil, err
	}
	if err := os.MkdirAll(l.Path, 0o700); err != nil {
		return l, nil, err
	}
	if err := os.WriteFile(path, salt, 0o600); err != nil {
		return l, nil, fmt.Errorf("writing the key salt: %w", err)
	}
	return l, salt, nil
}
