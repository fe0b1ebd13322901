// Package settings reads a buildpack's settings the one way all of ours do:
// platform variables (pack build -e), then the build's environment, then the
// default in buildpack.toml. It also prints the settings table.
package settings

import (
	"fmt"
	"os"
	"regexp"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"
)

// Lookup reads one setting: its value (buildpack.toml's default when no one
// set it) and whether the platform or the environment set it.
type Lookup func(string) (string, bool)

// Start prints the buildpack's title and its settings table (as libpak does
// for Paketo buildpacks) and returns the lookup for this build. env is the
// process environment, os.LookupEnv outside tests.
func Start(ctx libcnb.BuildContext, logger log.Logger, env Lookup) (Lookup, error) {
	logger.Title(ctx.Buildpack.Info.Name, ctx.Buildpack.Info.Version, ctx.Buildpack.Info.Homepage)
	md, err := libpak.NewBuildModuleMetadata(ctx.Buildpack.Metadata)
	if err != nil {
		return nil, fmt.Errorf("reading buildpack.toml metadata: %w", err)
	}
	lookup := newLookup(ctx.Platform.Environment, env, Defaults(md))
	logTable(redacting{logger}, md.Configurations, lookup)
	return lookup, nil
}

// ForDetect is the lookup detection reads settings with, in the build's
// order, without the table (detection prints none). env is the process
// environment, os.LookupEnv outside tests.
func ForDetect(ctx libcnb.DetectContext, env Lookup) (Lookup, error) {
	md, err := libpak.NewBuildModuleMetadata(ctx.Buildpack.Metadata)
	if err != nil {
		return nil, fmt.Errorf("reading buildpack.toml metadata: %w", err)
	}
	return newLookup(ctx.Platform.Environment, env, Defaults(md)), nil
}

// newLookup reads the platform's variables (pack build -e), then the
// environment, then the default.
func newLookup(platform map[string]string, env Lookup, defaults map[string]string) Lookup {
	if env == nil {
		env = os.LookupEnv
	}
	return func(name string) (string, bool) {
		if v, ok := platform[name]; ok {
			return v, true
		}
		if v, ok := env(name); ok {
			return v, true
		}
		return defaults[name], false
	}
}

// Defaults are the settings' defaults in buildpack.toml, by name.
func Defaults(md libpak.BuildModuleMetadata) map[string]string {
	defaults := map[string]string{}
	for _, c := range md.Configurations {
		if c.Default != "" {
			defaults[c.Name] = c.Default
		}
	}
	return defaults
}

// Default is one setting's default in the buildpack.toml metadata given.
func Default(metadata map[string]interface{}, name string) (string, error) {
	md, err := libpak.NewBuildModuleMetadata(metadata)
	if err != nil {
		return "", fmt.Errorf("reading buildpack.toml metadata: %w", err)
	}
	return Defaults(md)[name], nil
}

// Get is the setting's value, or "" when neither set nor defaulted.
func (l Lookup) Get(name string) string {
	v, _ := l(name)
	return v
}

// urlPassword matches the password of a URL with credentials
// (https://user:secret@mirror), as index and mirror settings may hold.
var urlPassword = regexp.MustCompile(`(://[^/\s:@]*):[^/\s@]+@`)

// RedactURLs hides the passwords of URLs in s.
func RedactURLs(s string) string { return urlPassword.ReplaceAllString(s, "${1}:xxxxx@") }

// redacting keeps URL passwords out of the settings table, which prints
// the values as they are.
type redacting struct{ log.Logger }

func (r redacting) Body(a ...interface{}) { r.Logger.Body(RedactURLs(fmt.Sprint(a...))) }
