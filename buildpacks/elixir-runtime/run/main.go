// The elixir-runtime buildpack: one binary, run as bin/detect or bin/build.
package main

import (
	"os"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/elixir-runtime/elixir"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

func main() {
	logger := log.NewPaketoLogger(os.Stdout)
	libpak.BuildpackMain(elixir.NewDetect(logger), elixir.NewBuild(logger), libcnb.WithExitHandler(usererr.NewExitHandler()))
}
