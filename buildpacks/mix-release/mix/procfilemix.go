package mix

import (
	"fmt"
	"path"
	"strings"

	"github.com/buildpacks/libcnb/v2"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// A release image holds the release and nothing else: no mix, iex or
// elixir. A Heroku-style Procfile line `release: mix ecto.migrate` (or a
// RUN_COMMAND calling Mix) would still be listed as a process and fail only
// when run, with `sh: mix: not found`, long after the build said all was
// well. It can never work, so the build fails, before any work, naming the
// release's own command that does the job. An error rather than a warning:
// nobody reads a warning in a build that succeeded, and the fix is one line.

// mixTools are the commands a release image does not have.
var mixTools = map[string]bool{"mix": true, "iex": true, "elixir": true}

// CheckReleaseCommands fails when a Procfile process or RUN_COMMAND of a
// release build runs mix, iex or elixir. procfile are the Procfile's
// processes (sh -c lines), release the release's name.
func CheckReleaseCommands(procfile []libcnb.Process, runCommand, release string) error {
	check := func(what, line string) error {
		tool := mixTool(line)
		if tool == "" {
			return nil
		}
		mod := camelize(release)
		return usererr.New("Mix is not in a release image",
			fmt.Sprintf("%s runs %s (%q), and a release image has no mix, iex or elixir, so it would fail with \"%s: not found\"", what, tool, line, tool),
			fmt.Sprintf("use the release's own commands instead: the migrate process (bin/migrate, which mix phx.gen.release writes), "+
				"or %s eval \"%s.Release.migrate()\" as the command; or build with BP_MIX_RELEASE=false to ship Mix and run the app with it", release, mod))
	}
	for _, p := range procfile {
		if len(p.Command) == 3 && p.Command[0] == "sh" {
			if err := check(fmt.Sprintf("the Procfile's %s process", p.Type), p.Command[2]); err != nil {
				return err
			}
		}
	}
	if rc := strings.TrimSpace(runCommand); rc != "" {
		return check(RunCommandVar, rc)
	}
	return nil
}

// mixTool is the first of mix, iex or elixir that a shell command line runs
// as a command: the first word of any of its pipeline parts (after `;`,
// `&&`, `||`, `|`, `&`, parentheses), past variable assignments and `exec`
// or `env`. Quoted text is not split, so `echo "a; mix"` runs no mix.
func mixTool(line string) string {
	for _, part := range shellParts(line) {
		words := strings.Fields(part)
		for len(words) > 0 && (isAssignment(words[0]) || words[0] == "exec" || words[0] == "env") {
			words = words[1:]
		}
		if len(words) > 0 && mixTools[path.Base(words[0])] {
			return path.Base(words[0])
		}
	}
	return ""
}

// shellParts splits a command line at the unquoted separators of commands.
// Quoted text is blanked out, so a quoted word is no command name.
func shellParts(line string) []string {
	var parts []string
	var cur strings.Builder
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
			cur.WriteRune('_')
		case r == '\'' || r == '"':
			quote = r
			cur.WriteRune('_')
		case strings.ContainsRune(";&|()\n", r):
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(parts, cur.String())
}

func isAssignment(word string) bool {
	name, _, ok := strings.Cut(word, "=")
	return ok && name != "" && processType.MatchString(name) && !strings.ContainsAny(name, ".-")
}

// camelize is Elixir's Macro.camelize for a release name: my_app → MyApp.
func camelize(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
