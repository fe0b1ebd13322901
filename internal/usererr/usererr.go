// Package usererr is the one error type for mistakes a user can fix. Each
// carries a headline, the cause and the fix, so the log can put them first
// instead of at the bottom of a chain of wrapped errors.
package usererr

import (
	"errors"
	"fmt"

	"github.com/paketo-buildpacks/libpak/v2/log"
)

// Error is a user-facing failure: Error() is the one line the user reads.
type Error struct {
	Headline string
	Cause    string
	Fix      string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Cause, e.Fix) }

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
