package mix_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
)

func testProcfile(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect
	web := libcnb.Process{Type: "web", Command: []string{"bin/app"}, Arguments: []string{"start"}, Default: true}
	console := libcnb.Process{Type: "console", Command: []string{"bin/app"}, Arguments: []string{"start_iex"}}
	sh := func(name, cmd string) libcnb.Process {
		return libcnb.Process{Type: name, Command: []string{"sh", "-c", cmd}}
	}

	it("reads type: command lines, skipping blanks and comments; no file is no processes", func() {
		dir := t.TempDir()
		procs, err := mix.ReadProcfile(filepath.Join(dir, "Procfile"))
		Expect(err).NotTo(HaveOccurred())
		Expect(procs).To(BeEmpty())
		Expect(os.WriteFile(filepath.Join(dir, "Procfile"), []byte("# x\n\nweb:  bin/app start  \nworker.1: echo a: b\n"), 0o644)).To(Succeed())
		procs, err = mix.ReadProcfile(filepath.Join(dir, "Procfile"))
		Expect(err).NotTo(HaveOccurred())
		Expect(procs).To(Equal([]libcnb.Process{sh("web", "bin/app start"), sh("worker.1", "echo a: b")}))
	})

	it("rejects a line without a type or a command", func() {
		dir := t.TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "Procfile"), []byte("web:\n"), 0o644)).To(Succeed())
		_, err := mix.ReadProcfile(filepath.Join(dir, "Procfile"))
		Expect(err).To(MatchError(`Procfile line 1 is not "type: command": "web:"; ` +
			`write one process per line as type: command, with a type of letters, digits, '.', '_' or '-'`))
	})

	it("adds types, replaces same-named ones, and keeps web the default", func() {
		got := mix.MergeProcesses([]libcnb.Process{web, console}, []libcnb.Process{sh("worker", "w"), sh("web", "x")}, "")
		Expect(got).To(Equal([]libcnb.Process{
			{Type: "web", Command: []string{"sh", "-c", "x"}, Default: true}, console, sh("worker", "w"),
		}))
	})

	it("lets RUN_COMMAND replace web, after the Procfile", func() {
		got := mix.MergeProcesses([]libcnb.Process{web}, []libcnb.Process{sh("web", "x")}, " y ")
		Expect(got).To(Equal([]libcnb.Process{{Type: "web", Command: []string{"sh", "-c", "y"}, Default: true}}))
	})

	it("makes the first process the default when there is no web", func() {
		got := mix.MergeProcesses(nil, []libcnb.Process{sh("worker", "w"), sh("clock", "c")}, "")
		Expect(got[0].Default).To(BeTrue())
		Expect(got[1].Default).To(BeFalse())
	})
}
