// Package usererr is the one error type for mistakes a user can fix. Each
// carries a headline, the cause and the fix, so the log can put them first
// instead of at the bottom of a chain of wrapped errors.
package usererr

import (
	"errors"
	"strings"

	"github.com/paketo-buildpacks/libpak/v2/log"
)

// Error is a user-facing failure: Error() is the one line the user reads.
type Error struct {
	Headline string
	Cause    string
	Fix      string
	// Err is the underlying error, if any; errors.Is and errors.As see it.
	Err error
}

// Error joins the cause and the fix. A cause that already carries
// "x: detail" gets its fix after a semicolon, so the line does not read as
// a chain of colons.
func (e *Error) Error() string {
	if e.Fix == "" {
		return e.Cause
	}
	sep := ": "
	if strings.Contains(e.Cause, ": ") {
		sep = "; "
	}
	return e.Cause + sep + e.Fix
}

func (e *Error) Unwrap() error { return e.Err }

// New makes a user error.
func New(headline, cause, fix string) *Error {
	return &Error{Headline: headline, Cause: cause, Fix: fix}
}

// Report prints a user error's headline and line before anything else the
// build prints about the failure. Other errors pass through untouched.
func Report(logger log.Logger, err error) error {
	var ue *Error
	if errors.As(err, &ue) {
		logger.Headerf("ERROR: %s", ue.Headline)
		logger.Headerf("  %s", ue.Error())
		return ue
	}
	return err
}
