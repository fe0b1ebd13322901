package toolchain

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// AllowUnverifiedVar opts in to builds the index lists without a sha256.
const AllowUnverifiedVar = "BP_ALLOW_UNVERIFIED_DOWNLOADS"

// Env is what both runtime buildpacks read before choosing a build: where
// the index is, which target, and the download policy.
type Env struct {
	Index           hexbuilds.Index
	Sources         []hexbuilds.Source
	Target          Target
	AllowUnverified bool
}

// NewEnv reads the index sources (see hexbuilds.Sources), libpak's
// dependency-mirror and dependency-mapping bindings, the target and
// BP_ALLOW_UNVERIFIED_DOWNLOADS, and says in the log what it found.
func NewEnv(ctx libcnb.BuildContext, lookup settings.Lookup, logger log.Logger) (Env, error) {
	mirrors, err := bindingEntries(ctx.Platform.Bindings, "dependency-mirror")
	if err != nil {
		return Env{}, err
	}
	mappings, err := bindingEntries(ctx.Platform.Bindings, "dependency-mapping")
	if err != nil {
		return Env{}, err
	}
	sources, err := hexbuilds.Sources(lookup, mirrors)
	if err != nil {
		return Env{}, err
	}
	allow, _, err := lookup.Bool(AllowUnverifiedVar)
	if err != nil {
		return Env{}, err
	}
	bases := make([]string, len(sources))
	for i, s := range sources {
		bases[i] = s.Base
	}
	ix := hexbuilds.NewIndex(bases...)
	ix.Mappings = mappings
	ix.Notef = logger.Bodyf
	env := Env{
		Index:           ix,
		Sources:         sources,
		Target:          NewTarget(ctx.TargetInfo, ctx.TargetDistro, lookup.Get(OSDirVar)),
		AllowUnverified: allow,
	}
	if err := env.Target.Check(); err != nil {
		return Env{}, err
	}
	for i, s := range sources {
		what := "Build index"
		if i > 0 {
			what = "  then"
		}
		logger.Bodyf("%s: %s (%s)", what, ix.Clients[i].Display(), s.From)
	}
	if len(mappings) > 0 {
		logger.Bodyf("Dependency mappings: %d, used for archives with those sha256 sums", len(mappings))
	}
	logger.Bodyf("Target: %s (%s)", env.Target, env.Target.From)
	return env, nil
}

// bindingEntries merges the entries of every binding of a type, keys in
// lower case, as libpak reads them; a key twice is an error.
func bindingEntries(bindings libcnb.Bindings, kind string) (map[string]string, error) {
	out := map[string]string{}
	for _, b := range bindings {
		if !strings.EqualFold(b.Type, kind) {
			continue
		}
		for k, v := range b.Secret {
			k = strings.ToLower(k)
			if _, dup := out[k]; dup {
				return nil, usererr.New("Conflicting bindings",
					fmt.Sprintf("two %s bindings have the key %q", kind, k),
					"keep one of them")
			}
			out[k] = strings.TrimSpace(v)
		}
	}
	return out, nil
}

// CheckVerifiable refuses a build the index lists without a sha256, unless
// the user opted in, and then warns: an unverified archive could be
// anything a mirror or the network made of it.
func (e Env) CheckVerifiable(c Choice, logger log.Logger) error {
	if c.Build.SHA256 != "" {
		return nil
	}
	where := "the build index at " + e.Index.Display()
	if !e.AllowUnverified {
		return usererr.New("Unverifiable download refused",
			fmt.Sprintf("%s lists no sha256 for %s, so its download cannot be verified", where, c.Build.Name),
			fmt.Sprintf("ask for a version whose line has a sha256, or set %s=true to install it unverified", AllowUnverifiedVar))
	}
	logger.Headerf("WARNING: %s lists no sha256 for %s; installing it unverified because %s=true", where, c.Build.Name, AllowUnverifiedVar)
	return nil
}

// ArchiveURL is where the first index serves rel, as a URL (file:// for a
// local folder) without a password: the download URL the SBOM records.
func (e Env) ArchiveURL(rel string) string {
	if len(e.Index.Clients) == 0 {
		return ""
	}
	loc := e.Index.Clients[0].Location(rel)
	if !strings.Contains(loc, "://") {
		return (&url.URL{Scheme: "file", Path: loc}).String()
	}
	return loc
}

// LogWarnings prints what the request readers skipped.
func LogWarnings(logger log.Logger, reqs ...Request) {
	seen := map[string]bool{}
	for _, r := range reqs {
		for _, w := range r.Warnings {
			if !seen[w] {
				seen[w] = true
				logger.Headerf("WARNING: %s", w)
			}
		}
	}
}
