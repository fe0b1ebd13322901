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
// binding or the BP_HEX_REPO_* settings give for this build, and the
// organization key mix hex.organization auth stores there, and is removed
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
	Key       string // an organisation or repository key, for HEX_REPOS_KEY
	Source    string // for the log: "binding NAME" or the settings
	// Organization is a hexpm organization that Hex authenticates with
	// OrganizationKey (mix hex.organization auth), the way Hex 2.5 and later
	// take an organization's key.
	Organization    string
	OrganizationKey string
	// OrganizationKeySource says where the key came from, for the log.
	OrganizationKeySource string
}

// ReadHexRepo reads the first binding of type hex (keys url, public_key,
// key, organization, organization_key), then BP_HEX_REPO_URL and
// BP_HEX_REPO_PUBLIC_KEY (PEM text, or a file in the app),
// BP_HEX_ORGANIZATION and BP_HEX_ORGANIZATION_KEY. Settings fill what the
// binding leaves out. An organization without a key, or a key without an
// organization, is a user error.
func ReadHexRepo(bindings libcnb.Bindings, lookup settings.Lookup, appPath string) (HexRepo, error) {
	var r HexRepo
	var binding string
	for _, b := range bindings {
		if !strings.EqualFold(b.Type, BindingTypeHex) {
			continue
		}
		binding = b.Name
		r = HexRepo{URL: b.Secret["url"], PublicKey: firstSet(b.Secret["public_key"], b.Secret["public-key"]),
			Key: b.Secret["key"], Source: "the hex binding " + b.Name,
			Organization:    firstSet(b.Secret[BindingHexOrganization]),
			OrganizationKey: firstSet(b.Secret[BindingHexOrganizationKey], b.Secret["organization-key"])}
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
	if err := r.readOrganization(binding, lookup); err != nil {
		return HexRepo{}, err
	}
	return r, nil
}

// readOrganization fills the organization and its key from the settings
// where the binding gives none, and checks that they come as a pair.
func (r *HexRepo) readOrganization(binding string, lookup settings.Lookup) error {
	orgFrom := "the hex binding " + binding
	if r.Organization == "" {
		r.Organization = firstSet(lookup.Get(HexOrganizationVar))
		orgFrom = HexOrganizationVar
	}
	r.OrganizationKeySource = "the hex binding " + binding
	if r.OrganizationKey == "" {
		r.OrganizationKey = firstSet(lookup.Get(HexOrganizationKeyVar))
		r.OrganizationKeySource = HexOrganizationKeyVar
	}
	switch {
	case r.Organization != "" && r.OrganizationKey == "":
		if orgFrom == HexOrganizationVar {
			return usererr.New("Hex organization without a key",
				fmt.Sprintf("%s names the Hex organization %s but no key for it is set", HexOrganizationVar, r.Organization),
				fmt.Sprintf("set %s to a key of the organization (mix hex.organization key %s generate makes one), or unset %s",
					HexOrganizationKeyVar, r.Organization, HexOrganizationVar))
		}
		return usererr.New("Hex organization without a key",
			fmt.Sprintf("%s names the Hex organization %s but has no %s", orgFrom, r.Organization, BindingHexOrganizationKey),
			fmt.Sprintf("add a key of the organization to the binding as %s (mix hex.organization key %s generate makes one), or remove %s",
				BindingHexOrganizationKey, r.Organization, BindingHexOrganization))
	case r.Organization == "" && r.OrganizationKey != "":
		if r.OrganizationKeySource == HexOrganizationKeyVar {
			return usererr.New("Hex organization key without an organization",
				fmt.Sprintf("%s is set but no organization is named for it", HexOrganizationKeyVar),
				fmt.Sprintf("set %s to the organization's name, or unset %s", HexOrganizationVar, HexOrganizationKeyVar))
		}
		return usererr.New("Hex organization key without an organization",
			fmt.Sprintf("%s has an %s but no %s", r.OrganizationKeySource, BindingHexOrganizationKey, BindingHexOrganization),
			fmt.Sprintf("add the organization's name to the binding as %s, or remove %s", BindingHexOrganization, BindingHexOrganizationKey))
	}
	return nil
}

// WriteConfig writes hex.config pointing the hexpm repository at the
// self-hosted one, when a URL or public key is set. The build removes the
// file (RemoveHexConfig) before it ends, whatever wrote into it. Keys are
// not written here: a repository key goes to Hex as HEX_REPOS_KEY in the
// environment of Mix only, and an organization's key on the command line of
// mix hex.organization auth, which stores it in this same file.
func (r HexRepo) WriteConfig(hexHome string) error {
	path := filepath.Join(hexHome, HexConfigFile)
	if r.URL == "" && r.PublicKey == "" {
		return nil
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
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// RemoveHexConfig removes HEX_HOME/hex.config: what the buildpack wrote
// and what Hex wrote during the build (mix hex.organization auth stores the
// organization's key there), so no key stays in the cached layer.
func RemoveHexConfig(hexHome string) {
	_ = os.Remove(filepath.Join(hexHome, HexConfigFile))
}

// erlBinary is an Erlang binary literal of s.
func erlBinary(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	return `<<"` + s + `">>`
}
