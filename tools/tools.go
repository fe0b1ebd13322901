//go:build tools

// Package tools pins the CNB tooling (pack, the lifecycle, crane) that the
// set-up scripts build, so the buildpacks' own module stays free of pack's
// dependency graph.
package tools

import (
	_ "github.com/buildpacks/lifecycle/cmd/launcher"
	_ "github.com/buildpacks/lifecycle/cmd/lifecycle"
	_ "github.com/buildpacks/lifecycle/tools/packager"
	_ "github.com/buildpacks/pack"
	_ "github.com/google/go-containerregistry/cmd/crane"
)
