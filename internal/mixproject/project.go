// Package mixproject is what the buildpacks know about a Mix project, as
// Mix itself reports it: the introspection script shipped in the
// mix-release buildpack (resources/introspect.exs) loads mix.exs with the
// installed Elixir and writes this as JSON. Reading mix.exs with regular
// expressions would miss what Elixir code computes (Mix.env() conditionals,
// helper functions, umbrella children), so only detection, which runs
// before any Elixir exists, looks at files directly.
package mixproject

import (
	"encoding/json"
	"fmt"
	"sort"
)

// SCMs of dependencies.
const (
	SCMHex  = "hex"
	SCMGit  = "git"
	SCMPath = "path"
)

// Build tools of dependencies.
const (
	ManagerMix    = "mix"
	ManagerRebar3 = "rebar3"
	ManagerMake   = "make"
)

// Project is one Mix project (an umbrella counts as one).
type Project struct {
	App            string   `json:"app"`
	Version        string   `json:"version"`
	Umbrella       bool     `json:"umbrella"`
	Apps           []App    `json:"apps"`
	Releases       []string `json:"releases"`
	DefaultRelease string   `json:"default_release"`
	Aliases        []string `json:"aliases"`
	Deps           []Dep    `json:"deps"`
	Phoenix        bool     `json:"phoenix"`
	Lockfile       string   `json:"lockfile"`
	MixEnv         string   `json:"mix_env"`
	MixTarget      string   `json:"mix_target"`
}

// App is a child of an umbrella.
type App struct {
	Name    string   `json:"name"`
	Path    string   `json:"path"`
	Aliases []string `json:"aliases"`
	// Phoenix is true when the child's mix.exs declares :phoenix: its
	// assets are built in its folder.
	Phoenix bool `json:"phoenix"`
}

// Dep is a dependency, declared in a mix.exs or found in mix.lock.
type Dep struct {
	Name string `json:"name"`
	SCM  string `json:"scm"`
	// Manager is the build tool, "" while unknown: a git dependency that is
	// not fetched yet says which tool it needs only once it is there.
	Manager string `json:"manager"`
	Path    string `json:"path"`
	Fetched bool   `json:"fetched"`
	InLock  bool   `json:"in_lock"`
}

// Parse reads the introspection script's JSON.
func Parse(data []byte) (Project, error) {
	var p Project
	if err := json.Unmarshal(data, &p); err != nil {
		return Project{}, fmt.Errorf("reading the Mix project report: %w", err)
	}
	return p, nil
}

// NeedsHex is true when a dependency comes from a Hex repository, so Mix
// cannot even load the dependency tree without the Hex archive.
func (p Project) NeedsHex() bool {
	for _, d := range p.Deps {
		if d.SCM == SCMHex {
			return true
		}
	}
	return false
}

// Fetchable is true when a dependency comes from Hex or git, whose exact
// versions only mix.lock pins.
func (p Project) Fetchable() bool {
	for _, d := range p.Deps {
		if d.SCM == SCMHex || d.SCM == SCMGit {
			return true
		}
	}
	return false
}

// HasAlias reports whether the root project, or any umbrella child, defines
// the alias (mix runs a child's alias from the umbrella root).
func (p Project) HasAlias(name string) bool {
	for _, a := range p.Aliases {
		if a == name {
			return true
		}
	}
	for _, app := range p.Apps {
		for _, a := range app.Aliases {
			if a == name {
				return true
			}
		}
	}
	return false
}

// HasRelease reports whether mix.exs declares the release.
func (p Project) HasRelease(name string) bool {
	for _, r := range p.Releases {
		if r == name {
			return true
		}
	}
	return false
}

// DepNames lists the dependencies by name, sorted, for the log.
func (p Project) DepNames(filter func(Dep) bool) []string {
	var names []string
	for _, d := range p.Deps {
		if filter == nil || filter(d) {
			names = append(names, d.Name)
		}
	}
	sort.Strings(names)
	return names
}
