package mix

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/buildpacks/libcnb/v2"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// Procfile process types are what the CNB spec allows in a type name.
var processType = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// ReadProcfile reads "type: command" lines; a missing file is no processes.
// Blank lines and lines starting with # are skipped.
func ReadProcfile(path string) ([]libcnb.Process, error) {
	// The whole file, not a bufio.Scanner: a line longer than its 64 KiB
	// buffer would fail with a bare "token too long".
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the Procfile: %w", err)
	}
	var procs []libcnb.Process
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, cmd, ok := strings.Cut(line, ":")
		name, cmd = strings.TrimSpace(name), strings.TrimSpace(cmd)
		if !ok || !processType.MatchString(name) || cmd == "" {
			shown := line
			if len(shown) > 80 {
				shown = shown[:80] + "..."
			}
			return nil, usererr.New("Invalid Procfile",
				fmt.Sprintf("Procfile line %d is not \"type: command\": %q", n+1, shown),
				"write one process per line as type: command, with a type of letters, digits, '.', '_' or '-'")
		}
		procs = append(procs, shellProcess(name, cmd))
	}
	return procs, nil
}

// shellProcess runs a command line as a shell would, as Procfiles and
// RUN_COMMAND are written for one.
func shellProcess(name, cmd string) libcnb.Process {
	return libcnb.Process{Type: name, Command: []string{"sh", "-c", cmd}}
}

// MergeProcesses applies the Procfile (adding types or replacing them)
// and then RUN_COMMAND (replacing web). web stays the default process when
// there is one; otherwise the first Procfile entry is.
func MergeProcesses(ours, procfile []libcnb.Process, runCommand string) []libcnb.Process {
	out := append([]libcnb.Process{}, ours...)
	set := func(p libcnb.Process) {
		for i := range out {
			if out[i].Type == p.Type {
				out[i] = p
				return
			}
		}
		out = append(out, p)
	}
	for _, p := range procfile {
		set(p)
	}
	if strings.TrimSpace(runCommand) != "" {
		set(shellProcess(ProcessWeb, strings.TrimSpace(runCommand)))
	}
	def := -1
	for i := range out {
		out[i].Default = false
		if out[i].Type == ProcessWeb {
			def = i
		}
	}
	if def < 0 && len(out) > 0 {
		def = 0
	}
	if def >= 0 {
		out[def].Default = true
	}
	return out
}
