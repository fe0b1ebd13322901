package mix

import (
	"fmt"
	"sort"
	"strings"

	"github.com/buildpacks/libcnb/v2"
)

// WebGuardFile is the script in the launch-env layer that the web process
// runs its command through.
const WebGuardFile = "no-arguments"

// `docker run IMAGE migrate` does not run migrate: the image's entrypoint is
// the web process, and the launcher hands it the words as arguments. Given
// to bin/server, which phx.gen.release writes, they are ignored and the
// server runs until killed with nothing migrated; `sh -c` (a Procfile or
// RUN_COMMAND web) ignores them too, and bin/NAME takes them in place of
// `start`. So the web process refuses any argument, with one line naming
// the form that runs a one-off process (`--entrypoint migrate`, Kubernetes'
// `command: ["migrate"]`), and never starts the server by mistake.
//
// The web process becomes [guard, command..., args...]: a process command of
// several words keeps them all and the launcher appends the user's words
// after them, so the guard knows its own count and refuses anything past
// it. The label still shows the real command after the guard's path.

// GuardWeb returns the processes with web's command run through the guard
// at guardPath, and the guard script to write there ("" when there is no
// web process).
func GuardWeb(procs []libcnb.Process, guardPath string) ([]libcnb.Process, string) {
	out := append([]libcnb.Process{}, procs...)
	var others []string
	web := -1
	for i, p := range out {
		if p.Type == ProcessWeb {
			web = i
		} else {
			others = append(others, p.Type)
		}
	}
	if web < 0 {
		return out, ""
	}
	p := out[web]
	cmd := append(append([]string{}, p.Command...), p.Arguments...)
	p.Command = append([]string{guardPath}, cmd...)
	p.Arguments = nil
	out[web] = p
	sort.Strings(others)
	return out, webGuardScript(len(cmd), others)
}

// webGuardScript is the guard for a web command of n words; types are the
// image's other process types, which the refusal names when given one (or
// its /cnb/process/ path).
func webGuardScript(n int, types []string) string {
	return fmt.Sprintf(`#!/bin/sh
# Written by the elixir-buildpacks/mix-release buildpack. The web process
# takes no arguments: its command would ignore them (bin/server, sh -c) or
# take them in place of its own, so given any it says how to run a one-off
# process instead of starting the server.
if [ "$#" -gt %[1]d ]; then
  shift %[1]d
  t=${1##*/}
  case " %[2]s " in
    *" $t "*) ;;
    *) t="" ;;
  esac
  if [ -n "$t" ]; then
    printf 'ERROR: the web process takes no arguments (given: %%s); to run the %%s process, make it the entrypoint: docker run --entrypoint %%s IMAGE (Kubernetes: command: ["%%s"])\n' "$*" "$t" "$t" "$t" >&2
  else
    printf 'ERROR: the web process takes no arguments (given: %%s); to run a command in the image, make the launcher the entrypoint: docker run --entrypoint launcher IMAGE -- COMMAND [ARGS...]\n' "$*" >&2
  fi
  exit 2
fi
exec "$@"
`, n, strings.Join(types, " "))
}
