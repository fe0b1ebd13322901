package usererr_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

func TestError(t *testing.T) {
	cases := []struct {
		err  *usererr.Error
		want string
	}{
		{usererr.New("H", "mix compile failed (its output is above)", "fix the error Mix reports"), "mix compile failed (its output is above): fix the error Mix reports"},
		{usererr.New("H", "checksum mismatch for x: expected a, got b", "nothing was cached"), "checksum mismatch for x: expected a, got b; nothing was cached"},
		{usererr.New("H", "unparsable version", ""), "unparsable version"},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
}

func TestUnwrap(t *testing.T) {
	base := errors.New("connection refused")
	err := fmt.Errorf("fetching: %w", &usererr.Error{Headline: "H", Cause: "c", Fix: "f", Err: base})
	if !errors.Is(err, base) {
		t.Fatal("errors.Is does not see the underlying error")
	}
}

func TestReport(t *testing.T) {
	var out bytes.Buffer
	logger := log.NewPaketoLogger(&out)
	ue := usererr.New("Checksum mismatch", "bad sum", "try again")
	got := usererr.Report(logger, fmt.Errorf("wrapped: %w", ue))
	if got != ue {
		t.Fatalf("Report returned %v, want the user error itself", got)
	}
	if want := "  ERROR: Checksum mismatch\n    bad sum: try again\n"; out.String() != want {
		t.Fatalf("log %q, want %q", out.String(), want)
	}

	out.Reset()
	other := errors.New("internal")
	if got := usererr.Report(logger, other); got != other || out.Len() != 0 {
		t.Fatalf("Report changed or logged a non-user error: %v %q", got, out.String())
	}
	if usererr.Report(logger, nil) != nil {
		t.Fatal("Report(nil) is not nil")
	}
}

// recorder is libpak's exit handler's place in the tests: what it was given.
type recorder struct{ errs []error }

func (r *recorder) Error(err error) { r.errs = append(r.errs, err) }
func (r *recorder) Fail()           {}
func (r *recorder) Pass()           {}

func TestExitHandler(t *testing.T) {
	var codes []int
	inner := &recorder{}
	h := usererr.ExitHandler{ExitHandler: inner, Exit: func(c int) { codes = append(codes, c) }}

	// A user error that Report printed, as libpak hands it over: exit 1,
	// nothing printed again.
	ue := usererr.New("Build index unreachable", "cannot reach the build index at x", "check HEX_BUILDS_URL")
	reported := usererr.Report(log.NewPaketoLogger(&bytes.Buffer{}), fmt.Errorf("erlang: %w", ue))
	h.Error(log.IdentifiableError{Name: "Erlang/OTP Runtime", Description: "0.1.0", Err: reported})
	if len(codes) != 1 || codes[0] != 1 || len(inner.errs) != 0 {
		t.Fatalf("a reported user error: exit codes %v, passed on %v; want [1] and nothing passed on", codes, inner.errs)
	}

	// A user error nobody printed, and any other error, go to libpak's
	// handler, which prints them.
	unreported := usererr.New("H", "c", "f")
	other := errors.New("disk full")
	named := log.IdentifiableError{Name: "x", Err: unreported}
	h.Error(named)
	h.Error(other)
	if len(codes) != 1 || len(inner.errs) != 2 || inner.errs[0] != error(named) || inner.errs[1] != other {
		t.Fatalf("unreported errors: exit codes %v, passed on %v", codes, inner.errs)
	}
}
