// Package usererr is the one error type for mistakes a user can fix. Each
// carries a headline, the cause and the fix, so the log can put them first
// instead of at the bottom of a chain of wrapped errors.
package usererr

import (
	"errors"
	"os"
	"strings"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/paketo-buildpacks/libpak/v2/utils"
)

// Error is a user-facing failure: Error() is the one line the user reads.
type Error struct {
	Headline string
	Cause    string
	Fix      string
	// Err is the underlying error, if any; errors.Is and errors.As see it.
	Err error
	// reported is set once Report has printed the error.
	reported bool
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
		ue.reported = true
		return ue
	}
	return err
}

// ExitHandler ends a build whose user error Report printed without printing
// it again: libpak's handler would repeat the line under the buildpack's
// name at the very end of the log, after the headline it belongs to. Every
// other error, and detection's pass and fail, go to libpak's handler.
type ExitHandler struct {
	libcnb.ExitHandler
	Exit func(int)
}

// NewExitHandler wraps libpak's handler, exiting with its error status.
func NewExitHandler() ExitHandler {
	return ExitHandler{ExitHandler: utils.NewExitHandler(), Exit: os.Exit}
}

func (h ExitHandler) Error(err error) {
	cause := err
	if i, ok := err.(log.IdentifiableError); ok {
		cause = i.Err
	}
	var ue *Error
	if errors.As(cause, &ue) && ue.reported {
		h.Exit(utils.ErrorStatusCode)
		return
	}
	h.ExitHandler.Error(err)
}
