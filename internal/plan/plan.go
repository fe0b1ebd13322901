// Package plan holds the build plan keys the buildpacks exchange, so the
// provider and its requirers cannot drift apart.
package plan

import "github.com/buildpacks/libcnb/v2"

const (
	// Erlang is provided by erlang-runtime and required by elixir-runtime and mix-release.
	Erlang = "erlang"
	// Elixir is provided by elixir-runtime and required by mix-release.
	Elixir = "elixir"

	// Build and Launch are the plan metadata flags a requirer sets to ask for
	// a build or a launch layer.
	Build  = "build"
	Launch = "launch"
)

// Wants reports whether the plan entries ask for the flag (build or launch).
// Several requirers are merged by the lifecycle into one entry per name, so
// any entry that sets it counts.
func Wants(metadata map[string]interface{}, flag string) bool {
	v, ok := metadata[flag].(bool)
	return ok && v
}

// LaunchWanted reports whether any requirer of the named entry asked for a
// launch layer. The lifecycle hands each requirer's entry separately.
func LaunchWanted(bp libcnb.BuildpackPlan, name string) bool {
	for _, e := range bp.Entries {
		if e.Name == name && Wants(e.Metadata, Launch) {
			return true
		}
	}
	return false
}

// Value is the first string a requirer of the named entry gave under key,
// or "".
func Value(bp libcnb.BuildpackPlan, name, key string) string {
	for _, e := range bp.Entries {
		if v, ok := e.Metadata[key].(string); ok && e.Name == name && v != "" {
			return v
		}
	}
	return ""
}
