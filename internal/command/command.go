// Package command runs the tools the buildpacks drive (mix, OTP's Install)
// and says what it runs, so a build log can be replayed by hand.
package command

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/paketo-buildpacks/libpak/v2/effect"
	"github.com/paketo-buildpacks/libpak/v2/log"
)

// Cmd is one command to run.
type Cmd struct {
	Dir  string
	Name string
	Args []string
	// Env holds the variables the buildpack adds to the build's own
	// environment. Only these are ever printed, so platform secrets passed
	// with `pack build -e` never reach the log.
	Env map[string]string
	// Pass holds variables handed to the command but never printed, not
	// even under DEBUG: platform variables (which may be secrets such as
	// SECRET_KEY_BASE) and keys read from service bindings.
	Pass map[string]string
	// Also receives a copy of the output, for a caller that reads it for
	// a known failure (it is streamed into the log all the same).
	Also io.Writer
	// Secrets are values the command gets on its command line (a key given
	// as --key KEY): shown as Redacted wherever the command is printed (the
	// Running line, its failure) and in its output, before the log gets it.
	Secrets []string
}

// Redacted stands for a secret in the log.
const Redacted = "xxxxx"

// String is the command line as the log shows it, secrets redacted.
func (c Cmd) String() string {
	return redact(strings.Join(append([]string{c.Name}, c.Args...), " "), c.Secrets)
}

func redact(s string, secrets []string) string {
	for _, v := range secrets {
		if v != "" {
			s = strings.ReplaceAll(s, v, Redacted)
		}
	}
	return s
}

// redactingWriter passes output on line by line with the secrets
// redacted, so a secret split across two writes is still caught.
type redactingWriter struct {
	w       io.Writer
	secrets []string
	buf     []byte
}

func (r *redactingWriter) Write(p []byte) (int, error) {
	r.buf = append(r.buf, p...)
	if i := bytes.LastIndexByte(r.buf, '\n'); i >= 0 {
		line := redact(string(r.buf[:i+1]), r.secrets)
		r.buf = append(r.buf[:0], r.buf[i+1:]...)
		if _, err := io.WriteString(r.w, line); err != nil {
			return len(p), err
		}
	}
	return len(p), nil
}

// flush writes what is left after the last newline.
func (r *redactingWriter) flush() {
	if len(r.buf) > 0 {
		_, _ = io.WriteString(r.w, redact(string(r.buf), r.secrets))
		r.buf = nil
	}
}

// Runner runs commands through an executor (faked in unit tests).
type Runner struct {
	Executor effect.Executor
	Logger   log.Logger
	Debug    bool
	// Clock tells the time for the "Completed in" line; nil is time.Now.
	Clock func() time.Time
}

// DebugEnabled is true when DEBUG is set (to any value) or BP_LOG_LEVEL is
// DEBUG, the switches platforms and users already know. Pass os.LookupEnv.
func DebugEnabled(lookup func(string) (string, bool)) bool {
	if _, ok := lookup("DEBUG"); ok {
		return true
	}
	level, _ := lookup("BP_LOG_LEVEL")
	return strings.EqualFold(level, "debug")
}

// Run runs c with its output streamed into the build log.
func (r Runner) Run(c Cmd) error {
	r.Logger.Bodyf("Running: %s", c)
	now := r.Clock
	if now == nil {
		now = time.Now
	}
	began := now()
	if r.Debug {
		r.Logger.Bodyf("  working directory: %s", c.Dir)
		for _, k := range sortedKeys(c.Env) {
			r.Logger.Bodyf("  adds %s=%s", k, c.Env[k])
		}
	}
	out := r.Logger.BodyWriter()
	if c.Also != nil {
		out = io.MultiWriter(out, c.Also)
	}
	var red *redactingWriter
	if len(c.Secrets) > 0 {
		red = &redactingWriter{w: out, secrets: c.Secrets}
		out = red
	}
	err := r.Executor.Execute(effect.Execution{
		Command: c.Name,
		Args:    c.Args,
		Dir:     c.Dir,
		Env:     Merge(Merge(os.Environ(), c.Pass), c.Env),
		Stdout:  out,
		Stderr:  out,
	})
	if red != nil {
		red.flush()
	}
	if err != nil {
		return fmt.Errorf("%s failed: %w", c, err)
	}
	r.Logger.Body(Completed(now().Sub(began)))
	return nil
}

// Completed is the line that ends a slow step, as libpak and Paketo print
// it: "Completed in 3.2s", "Completed in 450ms", "Completed in 1m5.3s".
func Completed(d time.Duration) string {
	switch {
	case d < 0:
		d = 0
	case d < time.Second:
		d = d.Round(time.Millisecond)
	default:
		d = d.Round(100 * time.Millisecond)
	}
	return "Completed in " + d.String()
}

// Merge returns base with the given variables set, replacing earlier values.
func Merge(base []string, add map[string]string) []string {
	out := make([]string, 0, len(base)+len(add))
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, replaced := add[k]; !replaced {
			out = append(out, kv)
		}
	}
	for _, k := range sortedKeys(add) {
		out = append(out, k+"="+add[k])
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
