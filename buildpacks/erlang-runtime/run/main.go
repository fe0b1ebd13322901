// The erlang-runtime buildpack: one binary, run as bin/detect or bin/build.
package main

import (
	"os"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/erlang-runtime/erlang"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

func main() {
	logger := log.NewPaketoLogger(os.Stdout)
	libpak.BuildpackMain(erlang.NewDetect(logger), erlang.NewBuild(logger), libcnb.WithExitHandler(usererr.NewExitHandler()))
}
