package mix

import "github.com/buildpacks/libcnb/v2"

// noRecompile keeps mix from compiling or checking deps at boot: the image
// holds what the build compiled, and the run user could not write _build.
var noRecompile = []string{"--no-compile", "--no-deps-check"}

// RuntimeProcesses are the Mix runtime mode processes: web runs
// `mix phx.server` for Phoenix, else `mix run --no-halt`; console is the
// same under IEx. They run in the app folder, which keeps the source and
// the deps and _build links into the launch layers, with MIX_ENV and
// MIX_HOME set by the layers.
func RuntimeProcesses(phoenix bool) []libcnb.Process {
	task := []string{"run", "--no-halt"}
	consoleTask := []string{"run"}
	if phoenix {
		task = []string{"phx.server"}
		consoleTask = task
	}
	return []libcnb.Process{
		{Type: ProcessWeb, Command: []string{"mix"}, Arguments: append(task, noRecompile...), Default: true},
		{Type: ProcessConsole, Command: []string{"iex"}, Arguments: append(append([]string{"-S", "mix"}, consoleTask...), noRecompile...)},
	}
}
