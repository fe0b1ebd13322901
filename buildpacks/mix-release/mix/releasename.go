package mix

import (
	"fmt"
	"strings"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixproject"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// ChooseRelease picks the release to build: RELEASE, then
// BP_MIX_RELEASE_NAME, then mix.exs's default_release, then the only
// release, then the app name (Mix's own default). It also returns where
// the name came from, for the log. Errors are the user's to fix, so they
// come before any dependency is fetched.
func ChooseRelease(p mixproject.Project, fromRelease, fromName string) (string, string, error) {
	name, source := firstSet(fromRelease), ReleaseVar
	if name == "" {
		name, source = firstSet(fromName), ReleaseNameVar
	}
	if name != "" {
		return name, source, checkRelease(p, name, source)
	}
	switch {
	case p.DefaultRelease != "" && p.HasRelease(p.DefaultRelease):
		return p.DefaultRelease, "default_release in mix.exs", nil
	case len(p.Releases) == 1:
		return p.Releases[0], "the only release in mix.exs", nil
	case len(p.Releases) > 1:
		return "", "", usererr.New("Several releases",
			fmt.Sprintf("mix.exs declares several releases (%s) and none was chosen", strings.Join(p.Releases, ", ")),
			fmt.Sprintf("set %s (or %s) to one of them, for example pack build -e %s=%s", ReleaseVar, ReleaseNameVar, ReleaseVar, p.Releases[0]))
	case p.Umbrella:
		return "", "", noUmbrellaRelease()
	default:
		return p.App, "the app name (mix.exs declares no releases)", nil
	}
}

func checkRelease(p mixproject.Project, name, source string) error {
	switch {
	case p.HasRelease(name):
		return nil
	case len(p.Releases) > 0:
		return usererr.New("No such release",
			fmt.Sprintf("%s=%s names no release of mix.exs, which declares %s", source, name, strings.Join(p.Releases, ", ")),
			fmt.Sprintf("set %s to one of those", source))
	case p.Umbrella:
		return usererr.New("No such release",
			fmt.Sprintf("%s=%s names no release: the umbrella's mix.exs declares none", source, name),
			fmt.Sprintf("declare it there, releases: [%s: [applications: [%s]]], or set %s=false to run it with mix",
				name, permanentApps(p), ReleaseModeVar))
	case name == p.App:
		return nil
	default:
		return usererr.New("No such release",
			fmt.Sprintf("%s=%s names no release: mix.exs declares none, so the only release is %s", source, name, p.App),
			fmt.Sprintf("unset %s, or declare the release under releases: in mix.exs", source))
	}
}

func noUmbrellaRelease() error {
	return usererr.New("No release to build",
		"the umbrella's mix.exs declares no releases, and an umbrella has no default one",
		fmt.Sprintf("declare releases: in the umbrella's mix.exs, or set %s=false to run it with mix", ReleaseModeVar))
}

// permanentApps is an umbrella's apps as a release's applications list
// names them, so the fix a message gives can be pasted as it is.
func permanentApps(p mixproject.Project) string {
	apps := make([]string, len(p.Apps))
	for i, a := range p.Apps {
		apps[i] = a.Name + ": :permanent"
	}
	return strings.Join(apps, ", ")
}
