package command_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/paketo-buildpacks/libpak/v2/effect"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
)

type fakeExec struct{ clock *time.Time }

// echoExec prints its arguments in two writes that split them mid-word, as
// a tool's output can arrive, and fails.
type echoExec struct{}

func (echoExec) Execute(e effect.Execution) error {
	line := strings.Join(e.Args, " ")
	_, _ = e.Stdout.Write([]byte("got " + line[:len(line)-4]))
	_, _ = e.Stdout.Write([]byte(line[len(line)-4:] + "\nno newline " + e.Args[len(e.Args)-1]))
	return errors.New("exit status 1")
}

func (f fakeExec) Execute(effect.Execution) error {
	*f.clock = f.clock.Add(3210 * time.Millisecond)
	return nil
}

func TestCommand(t *testing.T) {
	spec.Run(t, "command", func(t *testing.T, context spec.G, it spec.S) {
		Expect := NewWithT(t).Expect

		it("formats durations as libpak does, rounded for reading", func() {
			Expect(command.Completed(3210 * time.Millisecond)).To(Equal("Completed in 3.2s"))
			Expect(command.Completed(450400 * time.Microsecond)).To(Equal("Completed in 450ms"))
			Expect(command.Completed(65260 * time.Millisecond)).To(Equal("Completed in 1m5.3s"))
			Expect(command.Completed(0)).To(Equal("Completed in 0s"))
			Expect(command.Completed(-time.Second)).To(Equal("Completed in 0s"))
		})

		it("ends each command with how long it took", func() {
			var out bytes.Buffer
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			r := command.Runner{Executor: fakeExec{&now}, Logger: log.NewPaketoLogger(&out), Clock: func() time.Time { return now }}
			Expect(r.Run(command.Cmd{Name: "mix", Args: []string{"compile"}})).To(Succeed())
			Expect(out.String()).To(ContainSubstring("Running: mix compile"))
			Expect(out.String()).To(ContainSubstring("Completed in 3.2s"))
		})

		it("redacts a command's secrets in its Running line, its output and its failure", func() {
			var out bytes.Buffer
			r := command.Runner{Executor: echoExec{}, Logger: log.NewPaketoLogger(&out)}
			err := r.Run(command.Cmd{Name: "mix", Args: []string{"hex.organization", "auth", "acme", "--key", "k3y-0123456789"},
				Secrets: []string{"", "k3y-0123456789"}})
			Expect(err).To(MatchError("mix hex.organization auth acme --key xxxxx failed: exit status 1"))
			Expect(out.String()).NotTo(ContainSubstring("k3y-0123456789"))
			Expect(out.String()).To(ContainSubstring("Running: mix hex.organization auth acme --key xxxxx"))
			Expect(out.String()).To(ContainSubstring("got hex.organization auth acme --key xxxxx"))
			Expect(out.String()).To(ContainSubstring("no newline xxxxx"))
		})
	}, spec.Report(report.Terminal{}))
}
