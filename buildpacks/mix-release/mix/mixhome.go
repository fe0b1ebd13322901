package mix

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexinstalls"
)

// MixHome is MIX_HOME. It holds the Hex archive exactly when the project
// needs Hex (a Hex package in mix.exs or mix.lock): a project with only
// path and git deps builds with no Hex at all. Keyed by that need and the
// Elixir version (Hex archives are built per Elixir), so the index is only
// asked when Hex is (re)installed.
type MixHome struct {
	NeedHex bool
	Why     string // which deps need Hex, for the log
	Elixir  string
	Launch  bool
	// Installs fetches the archive; Runner runs mix archive.install.
	Installs Installs
	Runner   command.Runner
	Env      map[string]string
	Pass     map[string]string
	Logger   log.Logger
}

// Name is the layer's name.
func (MixHome) Name() string { return LayerMixHome }

func (m MixHome) metadata() map[string]interface{} {
	if !m.NeedHex {
		return map[string]interface{}{"hex": "none"}
	}
	return map[string]interface{}{"hex": "needed", "elixir": m.Elixir}
}

// Contribute installs Hex into the layer when needed, unless it is cached.
func (m MixHome) Contribute(layer *libcnb.Layer) error {
	types := libcnb.LayerTypes{Cache: true, Launch: m.Launch}
	switch old, _ := layer.Metadata["hex"].(string); {
	case m.NeedHex && old == "needed" && layer.Metadata["elixir"] == m.Elixir:
		m.Logger.Headerf("Hex: needed (%s) and cached for Elixir %s", m.Why, m.Elixir)
	case m.NeedHex:
		m.Logger.Headerf("Hex: installing, because %s", m.Why)
	case old == "needed":
		m.Logger.Header("Hex: removing it from MIX_HOME: no dependency needs Hex any more")
	default:
		m.Logger.Header("Hex: not installed, no dependency comes from a Hex repository")
	}
	lc := libpak.NewLayerContributor("MIX_HOME", m.metadata(), types, m.Logger)
	err := lc.Contribute(layer, func(layer *libcnb.Layer) error {
		// archives/ always exists, so the layer is never empty: libpak takes
		// an empty restored layer for a lost one.
		if err := os.MkdirAll(filepath.Join(layer.Path, "archives"), 0o755); err != nil {
			return err
		}
		if !m.NeedHex {
			return nil
		}
		return m.installHex(layer.Path)
	})
	if err != nil {
		return err
	}
	setLaunchEnv(layer, m.Launch, "MIX_HOME", layer.Path)
	return nil
}

func (m MixHome) installHex(mixHome string) error {
	tmp, err := os.MkdirTemp("", "hex-archive-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	began := time.Now()
	e, file, err := m.Installs.Fetch(hexinstalls.Hex, m.Elixir, m.Why, tmp)
	if err != nil {
		return err
	}
	m.Logger.Bodyf("Hex %s (built for Elixir %s) from %s/%s, sha512 verified", e.Version, e.Elixir, m.Installs.Base, e.RelPath())
	m.Logger.Body(command.Completed(time.Since(began)))
	env := map[string]string{}
	for k, v := range m.Env {
		env[k] = v
	}
	env["MIX_HOME"] = mixHome
	// Run outside the project: mix would load mix.exs, whose deps need the
	// very Hex being installed.
	err = m.Runner.Run(command.Cmd{Dir: tmp, Name: "mix", Env: env, Pass: m.Pass,
		Args: []string{"archive.install", file, "--sha512", e.SHA512, "--force"}})
	if err != nil {
		return fmt.Errorf("installing the Hex archive: %w", err)
	}
	return nil
}
