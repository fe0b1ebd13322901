package mix_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
)

func testWebGuard(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect  = NewWithT(t).Expect
		guard   string
		console = libcnb.Process{Type: "console", Command: []string{"bin/app"}, Arguments: []string{"start_iex"}}
		migrate = libcnb.Process{Type: "migrate", Command: []string{"bin/migrate"}}
	)
	it.Before(func() { guard = filepath.Join(t.TempDir(), "no-arguments") })

	// launch runs the guarded web process as the launcher does: its command's
	// words, then the user's.
	launch := func(web libcnb.Process, user ...string) (string, string, int) {
		cmd := exec.Command(web.Command[0], append(web.Command[1:], user...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return stdout.String(), stderr.String(), exit.ExitCode()
		}
		Expect(err).NotTo(HaveOccurred())
		return stdout.String(), stderr.String(), 0
	}
	guarded := func(web libcnb.Process, others ...libcnb.Process) libcnb.Process {
		procs, script := mix.GuardWeb(append([]libcnb.Process{web}, others...), guard)
		Expect(os.WriteFile(guard, []byte(script), 0o755)).To(Succeed())
		return procs[0]
	}

	it("runs web's command and arguments through the guard, and leaves the other processes alone", func() {
		web := libcnb.Process{Type: "web", Command: []string{"bin/app"}, Arguments: []string{"start"}, Default: true}
		procs, script := mix.GuardWeb([]libcnb.Process{web, console, migrate}, guard)
		Expect(procs).To(Equal([]libcnb.Process{
			{Type: "web", Command: []string{guard, "bin/app", "start"}, Default: true}, console, migrate,
		}))
		Expect(script).To(HavePrefix("#!/bin/sh\n"))
	})

	it("writes no guard when there is no web process", func() {
		procs, script := mix.GuardWeb([]libcnb.Process{console}, guard)
		Expect(procs).To(Equal([]libcnb.Process{console}))
		Expect(script).To(BeEmpty())
	})

	it("starts the command when given no arguments", func() {
		web := guarded(libcnb.Process{Type: "web", Command: []string{"echo"}, Arguments: []string{"served", "here"}}, console)
		stdout, stderr, code := launch(web)
		Expect(code).To(Equal(0), stderr)
		Expect(stdout).To(Equal("served here\n"))
		Expect(stderr).To(BeEmpty())
	})

	it("refuses a process type, bare or as /cnb/process/TYPE, with one line naming the entrypoint form", func() {
		web := guarded(libcnb.Process{Type: "web", Command: []string{"echo", "served"}}, console, migrate)
		for _, given := range []string{"migrate", "/cnb/process/migrate"} {
			stdout, stderr, code := launch(web, given)
			Expect(code).To(Equal(2))
			Expect(stdout).To(BeEmpty(), "the server does not start")
			Expect(stderr).To(Equal("ERROR: the web process takes no arguments (given: " + given + "); " +
				"to run the migrate process, make it the entrypoint: docker run --entrypoint migrate IMAGE " +
				`(Kubernetes: command: ["migrate"])` + "\n"))
		}
	})

	it("refuses any other arguments with one line naming the launcher form", func() {
		web := guarded(libcnb.Process{Type: "web", Command: []string{"sh", "-c", "echo served"}}, migrate)
		stdout, stderr, code := launch(web, "eval", `IO.puts("a\nb")`)
		Expect(code).To(Equal(2))
		Expect(stdout).To(BeEmpty())
		Expect(stderr).To(Equal(`ERROR: the web process takes no arguments (given: eval IO.puts("a\nb")); ` +
			"to run a command in the image, make the launcher the entrypoint: docker run --entrypoint launcher IMAGE -- COMMAND [ARGS...]\n"))
		_, stderr, code = launch(web, "")
		Expect(code).To(Equal(2))
		Expect(stderr).To(ContainSubstring("to run a command in the image"), "an empty word is no process type")
	})
}
