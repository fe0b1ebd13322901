package hexbuilds

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// Error is a failure users see in the build log: what went wrong and what
// they can do about it. It is the project's one user error type.
type Error = usererr.Error

var (
	// ErrNotFound marks a file the index does not have (404, or missing
	// from a local folder).
	ErrNotFound = errors.New("not found")
	// ErrChecksum marks a download whose sha256 is not the one the index
	// lists. No mirror is tried after it: bytes other than the ones the list
	// promised are a problem to show, not to route around.
	ErrChecksum = errors.New("checksum mismatch")
	// ErrUnreachable marks an index that failed every retry.
	ErrUnreachable = errors.New("unreachable")
)

func notFound(loc string) *Error {
	return &Error{
		Headline: "Build not found",
		Cause:    "index has no " + loc,
		Fix:      "check " + BaseEnv + " or the version you asked for",
		Err:      ErrNotFound,
	}
}

func unreachable(base string, err error) *Error {
	return &Error{
		Headline: "Build index unreachable",
		Cause:    fmt.Sprintf("cannot reach the build index at %s: %v", redact(base), err),
		Fix:      "check " + BaseEnv + " or set it to a reachable mirror",
		Err:      fmt.Errorf("%w: %w", ErrUnreachable, err),
	}
}

func checksumMismatch(loc, want, got string) *Error {
	return &Error{
		Headline: "Checksum mismatch",
		Cause:    fmt.Sprintf("checksum mismatch for %s: expected sha256 %s, got %s", loc, want, got),
		Fix:      "the mirror or download is corrupt, nothing was cached",
		Err:      ErrChecksum,
	}
}

// Client reads an index over HTTP(S), or from a local folder (a path or a
// file:// URL) for air-gapped builds and tests.
type Client struct {
	Base    string
	HTTP    *http.Client // nil means http.DefaultClient
	Retries int          // further attempts after a transient failure
	Backoff time.Duration
}

// NewClient returns a client for base, or for DefaultBase when it is empty.
func NewClient(base string) Client {
	if base == "" {
		base = DefaultBase
	}
	if trimmed := strings.TrimRight(base, "/"); trimmed != "" {
		base = trimmed
	}
	return Client{Base: base, Retries: 3, Backoff: time.Second}
}

// maxListSize bounds a builds.txt in memory; the real ones are well under 1 MiB.
const maxListSize = 64 << 20

// Builds fetches and parses {dir}/builds.txt.
func (c Client) Builds(ctx context.Context, dir string) ([]Build, error) {
	rel := path.Join(dir, "builds.txt")
	var data []byte
	err := c.fetch(ctx, rel, func(r io.Reader) error {
		var err error
		data, err = io.ReadAll(io.LimitReader(r, maxListSize))
		return err
	})
	if err != nil {
		return nil, err
	}
	builds, err := ParseBuildsTxt(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{
			Headline: "Unreadable build list",
			Cause:    fmt.Sprintf("cannot parse %s: %v", c.location(rel), err),
			Fix:      "check " + BaseEnv + " points at a builds.hex.pm-style index",
			Err:      err,
		}
	}
	return builds, nil
}

// Download fetches relPath to destPath, checking it against wantSHA256
// (skipped when empty, as older index lines publish no checksum). The file
// is written beside destPath and renamed into place only once its sum
// matches, so a cache never holds a partial or corrupt archive.
func (c Client) Download(ctx context.Context, relPath, wantSHA256, destPath string) error {
	dir := filepath.Dir(destPath)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	loc := c.location(relPath)
	return c.fetch(ctx, relPath, func(r io.Reader) (err error) {
		tmp, err := os.CreateTemp(dir, "."+filepath.Base(destPath)+".*.part")
		if err != nil {
			return err
		}
		defer func() {
			if err != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
		sum := sha256.New()
		if _, err := io.Copy(io.MultiWriter(tmp, sum), r); err != nil {
			return err
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		got := hex.EncodeToString(sum.Sum(nil))
		if wantSHA256 != "" && !strings.EqualFold(got, wantSHA256) {
			return checksumMismatch(loc, wantSHA256, got)
		}
		// CreateTemp makes the file private; archives are for everyone.
		if err := os.Chmod(tmp.Name(), 0o644); err != nil {
			return err
		}
		return os.Rename(tmp.Name(), destPath)
	})
}

// localRoot returns the folder of a local index.
func (c Client) localRoot() (string, bool) {
	if rest, ok := strings.CutPrefix(c.Base, "file://"); ok {
		// url.Parse undoes %-escapes; a host other than localhost means
		// the user wrote file://relative/path, so take it as written.
		if u, err := url.Parse(c.Base); err == nil && (u.Host == "" || u.Host == "localhost") {
			return filepath.FromSlash(u.Path), true
		}
		return rest, true
	}
	return c.Base, !strings.Contains(c.Base, "://")
}

// url is where rel is read from: a path for a local index, else a URL.
func (c Client) url(rel string) string {
	rel = strings.TrimPrefix(rel, "/")
	if root, ok := c.localRoot(); ok {
		return filepath.Join(root, filepath.FromSlash(rel))
	}
	return c.Base + "/" + rel
}

// location is url for the log and error messages: without a password.
func (c Client) location(rel string) string { return redact(c.url(rel)) }

// Location is where rel is read from, as the log may show it: a URL
// without its password, or a local path.
func (c Client) Location(rel string) string { return c.location(rel) }

// Display is the base as the log may show it.
func (c Client) Display() string { return redact(c.Base) }

// redact hides the password of a URL with credentials, as mirrors behind
// basic auth are written, the one way the settings table hides it too.
func redact(s string) string { return settings.RedactURLs(s) }

// fetch hands the contents of rel to consume, retrying the whole exchange
// on transient failures, including a body cut short.
func (c Client) fetch(ctx context.Context, rel string, consume func(io.Reader) error) error {
	loc := c.location(rel)
	if _, ok := c.localRoot(); ok {
		f, err := os.Open(c.url(rel))
		if errors.Is(err, fs.ErrNotExist) {
			return notFound(loc)
		}
		if err != nil {
			return &Error{Headline: "Build index unreadable", Cause: err.Error(), Fix: "check " + BaseEnv, Err: err}
		}
		defer f.Close()
		return consume(f)
	}
	var last error
	for attempt := 0; ; attempt++ {
		err := c.try(ctx, c.url(rel), loc, consume)
		var t transient
		if !errors.As(err, &t) {
			return err
		}
		last = t.err
		if attempt >= c.Retries {
			return unreachable(c.Base, last)
		}
		if err := sleep(ctx, c.Backoff<<min(attempt, 6)); err != nil {
			return err
		}
	}
}

// defaultHTTP bounds the wait for a connection and for the answer's
// headers, so a dead mirror fails (and is retried) instead of hanging the
// build; the body of a large archive may take as long as it needs.
var defaultHTTP = func() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.ResponseHeaderTimeout = 60 * time.Second
	return &http.Client{Transport: t}
}()

// transient marks failures worth another attempt: the network, 5xx, 429.
type transient struct{ err error }

func (t transient) Error() string { return t.err.Error() }

// try is one exchange: target is the URL asked, loc the same for messages.
func (c Client) try(ctx context.Context, target, loc string, consume func(io.Reader) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return &Error{
			Headline: "Bad build index URL",
			Cause:    fmt.Sprintf("cannot use %s as a build index: %v", redact(c.Base), err),
			Fix:      "set " + BaseEnv + " to an http(s) URL or a local folder",
			Err:      err,
		}
	}
	client := c.HTTP
	if client == nil {
		client = defaultHTTP
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return transient{err}
	}
	defer resp.Body.Close()
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
	case code == http.StatusNotFound || code == http.StatusGone:
		return notFound(loc)
	case code == http.StatusTooManyRequests || code >= 500:
		return transient{fmt.Errorf("GET %s: %s", loc, resp.Status)}
	default:
		return &Error{
			Headline: "Build index refused",
			Cause:    fmt.Sprintf("the build index answered %s for %s", resp.Status, loc),
			Fix:      "check " + BaseEnv + " or set it to a reachable mirror",
		}
	}
	body := &bodyReader{r: resp.Body}
	if err := consume(body); err != nil {
		if body.err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return transient{body.err}
		}
		return err
	}
	return nil
}

// bodyReader remembers read errors so that fetch can tell a dropped
// connection, worth retrying, from a failure of its own, such as a full disk.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
