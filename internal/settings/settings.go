// Package settings reads a buildpack's settings the one way all of ours do:
// platform variables (pack build -e), then the build's environment, then the
// default in buildpack.toml. It also prints the settings table.
package settings

import (
	"fmt"
	"os"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"
)

// Lookup reads one setting and says whether it was set.
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
	cr, err := libpak.NewConfigurationResolver(md)
	if err != nil {
		return nil, fmt.Errorf("reading buildpack.toml configurations: %w", err)
	}
	cr.LogConfiguration(logger)
	if env == nil {
		env = os.LookupEnv
	}
	defaults := map[string]string{}
	for _, c := range md.Configurations {
		if c.Default != "" {
			defaults[c.Name] = c.Default
		}
	}
	return func(name string) (string, bool) {
		if v, ok := ctx.Platform.Environment[name]; ok {
			return v, true
		}
		if v, ok := env(name); ok {
			return v, true
		}
		v, ok := defaults[name]
		return v, ok
	}, nil
}

// Get is the setting's value, or "" when neither set nor defaulted.
func (l Lookup) Get(name string) string {
	v, _ := l(name)
	return v
}
