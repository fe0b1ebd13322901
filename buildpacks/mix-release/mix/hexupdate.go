package mix

import (
	"os"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
)

// HexUpdateCheckScript has Hex record in its registry cache (cache.ets in
// HEX_HOME) that it has just checked for a newer Hex. Hex (2.5.1's
// Hex.UpdateChecker) checks at most once a day: when the registry opens and
// the recorded time (Hex.Registry.Server.last_update) is over 24 hours old
// or missing, it GETs installs/hex-1.x.csv from the hexpm repository. A
// self-hosted repository serving as hexpm has no such file, so every mix
// deps.get would print "Failed to check for new Hex version" and the
// repository's whole error page. The record is the one Hex writes itself
// after a check, through its own registry server, opened the way it opens
// without a check (check_version: false). Nothing else changes: the
// registry is still fetched and its signature and the packages' checksums
// are still checked. The Hex version is the buildpack's choice, so the
// "new Hex version" notice that check gives has nothing to tell a build.
const HexUpdateCheckScript = "{:ok, _} = Application.ensure_all_started(:hex); " +
	":ok = Hex.Registry.Server.open(check_version: false); " +
	":ok = Hex.Registry.Server.last_update(:calendar.universal_time()); " +
	"Hex.Registry.Server.close()"

// HexUpdateCheckArgs is the mix command line that runs the script: mix run
// outside any project (--no-mix-exs), with Hex from MIX_HOME's archives.
var HexUpdateCheckArgs = []string{"run", "--no-mix-exs", "-e", HexUpdateCheckScript}

// skipHexUpdateCheck records Hex's update check as done before mix deps.get
// when the hexpm repository is a self-hosted one (its URL is set), Hex is
// installed (a dependency comes from a Hex repository) and Hex is online
// (offline it checks nothing). It runs in an empty folder, so Mix loads no
// mix.exs. A failure is only noted: the build goes on, with Hex's message.
func (j *job) skipHexUpdateCheck() error {
	if j.hex.URL == "" || !j.project.NeedsHex() || hexTrue(j.lookup.Get(HexOfflineVar)) {
		return nil
	}
	j.b.Logger.Bodyf("Hex: recording its daily update check as done: it would ask %s for installs/hex-1.x.csv, "+
		"which a self-hosted repository does not serve, and print the error page", j.hex.URL)
	dir, err := os.MkdirTemp("", "hex-update-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := j.runner.Run(command.Cmd{Dir: dir, Name: "mix", Args: HexUpdateCheckArgs, Env: j.env, Pass: j.pass}); err != nil {
		j.b.Logger.Body("Hex: could not record the update check (output above); " +
			"mix deps.get may print \"Failed to check for new Hex version\" and the repository's answer, which does not affect the build")
	}
	return nil
}
