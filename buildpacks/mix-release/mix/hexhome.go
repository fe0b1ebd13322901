package mix

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// HexConfigFile is Hex's config in HEX_HOME. It only ever holds what a hex
// binding or the BP_HEX_REPO_* settings give for this build, and is removed
// before the build ends, so it is never cached nor exported.
const HexConfigFile = "hex.config"

// HexHome is HEX_HOME: Hex's registry cache and package tarballs, kept
// between builds (HEX_OFFLINE builds work from it). Cache only, no key.
type HexHome struct {
	Logger log.Logger
}

// Name is the layer's name.
func (HexHome) Name() string { return LayerHexHome }

// Contribute makes the layer usable; a hex.config left by anything else
// is removed, as it may hold keys.
func (h HexHome) Contribute(layer *libcnb.Layer) error {
	h.Logger.Header("HEX_HOME: kept between builds (Hex's registry cache and package tarballs, which Mix checks against mix.lock)")
	if err := os.MkdirAll(layer.Path, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", layer.Path, err)
	}
	if err := os.Remove(filepath.Join(layer.Path, HexConfigFile)); err != nil && !os.IsNotExist(err) {
		return err
	}
	layer.LayerTypes = libcnb.LayerTypes{Cache: true}
	return nil
}

// HexRepo is a self-hosted Hex repository or organisation from a hex
// binding or the settings.
type HexRepo struct {
	URL       string
	PublicKey string // PEM
	Key       string // an organisation or repository key
	Source    string // for the log: "binding NAME" or the settings
}

// ReadHexRepo reads the first binding of type hex (keys url, public_key,
// key), then BP_HEX_REPO_URL and BP_HEX_REPO_PUBLIC_KEY (PEM text, or a
// file in the app). Settings fill what the binding leaves out.
func ReadHexRepo(bindings libcnb.Bindings, lookup settings.Lookup, appPath string) (HexRepo, error) {
	var r HexRepo
	for _, b := range bindings {
		if !strings.EqualFold(b.Type, BindingTypeHex) {
			continue
		}
		r = HexRepo{URL: b.Secret["url"], PublicKey: firstSet(b.Secret["public_key"], b.Secret["public-key"]),
			Key: b.Secret["key"], Source: "the hex binding " + b.Name}
		break
	}
	if r.URL == "" {
		r.URL = lookup.Get(HexRepoURLVar)
	}
	if r.PublicKey == "" {
		pk := strings.TrimSpace(lookup.Get(HexRepoPublicKeyVar))
		if pk != "" && !strings.HasPrefix(pk, "-----BEGIN") {
			p := filepath.Join(appPath, filepath.Clean("/"+pk))
			data, err := os.ReadFile(p)
			if err != nil {
				return HexRepo{}, usererr.New("Invalid setting",
					fmt.Sprintf("%s=%s is neither a PEM public key nor a file in the app", HexRepoPublicKeyVar, pk),
					"set it to the repository's public key (PEM) or to the path of a file holding it")
			}
			pk = string(data)
		}
		r.PublicKey = pk
	}
	if r.Source == "" && (r.URL != "" || r.PublicKey != "") {
		r.Source = HexRepoURLVar + "/" + HexRepoPublicKeyVar
	}
	return r, nil
}

// Empty reports whether nothing was configured.
func (r HexRepo) Empty() bool { return r.URL == "" && r.PublicKey == "" && r.Key == "" }

// WriteConfig writes hex.config pointing the hexpm repository at the
// self-hosted one, when a URL or public key is set, and returns the clean-up
// that removes it. The organisation key is not written anywhere: it goes to
// Hex as HEX_REPOS_KEY in the environment of Mix only.
func (r HexRepo) WriteConfig(hexHome string) (func(), error) {
	path := filepath.Join(hexHome, HexConfigFile)
	cleanup := func() { _ = os.Remove(path) }
	if r.URL == "" && r.PublicKey == "" {
		return cleanup, nil
	}
	var fields []string
	if r.URL != "" {
		fields = append(fields, "url => "+erlBinary(strings.TrimRight(r.URL, "/")))
	}
	if r.PublicKey != "" {
		fields = append(fields, "public_key => "+erlBinary(strings.TrimSpace(r.PublicKey)+"\n"))
	}
	term := fmt.Sprintf("{'$repos', #{<<\"hexpm\">> => #{%s}}}.\n", strings.Join(fields, ", "))
	if err := os.WriteFile(path, []byte(term), 0o600); err != nil {
		return cleanup, fmt.Errorf("writing %s: %w", path, err)
	}
	return cleanup, nil
}

// erlBinary is an Erlang binary literal of s.
func erlBinary(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	return `<<"` + s + `">>`
}
