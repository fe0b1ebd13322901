package mix

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
)

// Release assembles the release into its launch layer, rebuilt on every
// build: it is the image's whole app, with its own ERTS, so the image needs
// no Erlang, Elixir or Mix.
type Release struct {
	Root string // the folder holding mix.exs
	Name string // the release to build
	// Declared is whether mix.exs declares Name under releases:; Mix only
	// accepts the name of a declared release, and builds the app-named one
	// when given none.
	Declared bool
	// Phoenix releases serve only with PHX_SERVER set (phx.gen.release's
	// runtime.exs reads it), so it is a launch default for them.
	Phoenix bool
	MixEnv  string
	Env     map[string]string // added to every Mix command
	Pass    map[string]string // handed to Mix, never printed
	Runner  command.Runner
	Logger  log.Logger
}

// cookieScript runs before every process (CNB exec.d, output on fd 3). The
// release's COOKIE file is deleted at build time so no cookie is baked into
// the image; without RELEASE_COOKIE one is made at the first start and kept
// in RELEASE_TMP, so `remote` in the same container gets the same one.
const cookieScript = `#!/bin/sh
# Written by the elixir-buildpacks/mix-release buildpack.
[ -n "${RELEASE_COOKIE:-}" ] && exit 0
file="${RELEASE_TMP:-/tmp}/.release-cookie"
if [ ! -s "$file" ]; then
  umask 077
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$file.$$" && mv "$file.$$" "$file"
fi
printf 'RELEASE_COOKIE = "%s"\n' "$(cat "$file")" >&3
`

// Contribute runs `mix release NAME --overwrite --path LAYER`.
func (r *Release) Contribute(layer *libcnb.Layer) error {
	fresh, err := layer.Reset()
	if err != nil {
		return fmt.Errorf("resetting layer %s: %w", layer.Name, err)
	}
	*layer = fresh

	r.Logger.Headerf("Assembling the %s release with MIX_ENV=%s", r.Name, r.MixEnv)
	args := []string{"release", r.Name, "--overwrite", "--path", layer.Path}
	if !r.Declared {
		args = []string{"release", "--overwrite", "--path", layer.Path}
	}
	if err := r.Runner.Run(command.Cmd{Dir: r.Root, Name: "mix", Args: args, Env: r.Env, Pass: r.Pass}); err != nil {
		return mixFailed("release")
	}
	if _, err := os.Stat(filepath.Join(layer.Path, "bin", r.Name)); err != nil {
		return fmt.Errorf("mix release made no bin/%s in %s", r.Name, layer.Path)
	}
	if err := os.Remove(filepath.Join(layer.Path, "releases", "COOKIE")); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("removing the release cookie: %w", err)
	}
	if err := writeExecD(layer, "release-cookie", cookieScript); err != nil {
		return err
	}
	if err := writeExecD(layer, "cluster", ClusterScript(r.Name)); err != nil {
		return err
	}
	r.Logger.Bodyf("Release %s assembled; no cookie baked in (RELEASE_COOKIE, or one made at start)", r.Name)

	layer.LayerTypes = libcnb.LayerTypes{Launch: true}
	// The release folder is read-only for the run user; runtime.exs writes
	// its generated sys.config under RELEASE_TMP.
	layer.LaunchEnvironment.Default("RELEASE_TMP", "/tmp")
	if r.Phoenix {
		layer.LaunchEnvironment.Default("PHX_SERVER", "true")
	}
	return nil
}

// ProcessTypes are web (bin/server when `mix phx.gen.release` made one,
// else `bin/NAME start`), console, remote, and migrate when bin/migrate
// exists.
func (r *Release) ProcessTypes(layer libcnb.Layer) []libcnb.Process {
	bin := filepath.Join(layer.Path, "bin")
	script := filepath.Join(bin, r.Name)
	web := libcnb.Process{Type: ProcessWeb, Command: []string{script}, Arguments: []string{"start"}, Default: true}
	if isFile(filepath.Join(bin, "server")) {
		web = libcnb.Process{Type: ProcessWeb, Command: []string{filepath.Join(bin, "server")}, Default: true}
	}
	procs := []libcnb.Process{
		web,
		{Type: ProcessConsole, Command: []string{script}, Arguments: []string{"start_iex"}},
		{Type: ProcessRemote, Command: []string{script}, Arguments: []string{"remote"}},
	}
	if isFile(filepath.Join(bin, "migrate")) {
		procs = append(procs, libcnb.Process{Type: ProcessMigrate, Command: []string{filepath.Join(bin, "migrate")}})
	}
	return procs
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// writeExecD writes a script the launcher runs before every process.
func writeExecD(layer *libcnb.Layer, name, script string) error {
	dir := filepath.Join(layer.Path, "exec.d")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755)
}
