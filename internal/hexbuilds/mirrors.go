package hexbuilds

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

const (
	// MirrorEnv is Hex's own mirror setting, read by Mix before 1.15 in
	// place of HEX_BUILDS_URL; the index base when HEX_BUILDS_URL is unset.
	MirrorEnv = "HEX_MIRROR"
	// MirrorsEnv lists further index bases, tried in order after the first.
	MirrorsEnv = "BP_HEX_BUILDS_MIRRORS"
	// DependencyMirrorEnv is libpak's mirror setting; BP_DEPENDENCY_MIRROR_<HOST>
	// names one for a single host (dots written _, dashes __).
	DependencyMirrorEnv = "BP_DEPENDENCY_MIRROR"
)

// Source is one index base and the setting that named it.
type Source struct {
	Base string
	From string
}

// Sources reads where the index is, in the order it is asked:
//
//  1. HEX_BUILDS_URL, else HEX_MIRROR, else DefaultBase. When that is an
//     http(s) URL, a libpak dependency mirror for its host
//     (BP_DEPENDENCY_MIRROR_<HOST>, then BP_DEPENDENCY_MIRROR, then a
//     dependency-mirror binding's host or "default" key) replaces its
//     scheme and host, as libpak does for the downloads it makes.
//  2. Each entry of BP_HEX_BUILDS_MIRRORS (separated by commas or
//     blanks), in order.
//
// Each base is an http(s) URL, a file:// URL or an absolute local folder.
// lookup reads a setting; bindingMirrors holds the dependency-mirror
// bindings' entries (host or "default" → mirror), keys in lower case.
func Sources(lookup func(string) (string, bool), bindingMirrors map[string]string) ([]Source, error) {
	get := func(name string) string {
		v, _ := lookup(name)
		return strings.TrimSpace(v)
	}
	first := Source{Base: DefaultBase, From: "the default"}
	switch {
	case get(BaseEnv) != "":
		first = Source{Base: get(BaseEnv), From: BaseEnv}
	case get(MirrorEnv) != "":
		first = Source{Base: get(MirrorEnv), From: MirrorEnv}
	}
	if err := checkBase(first); err != nil {
		return nil, err
	}
	if u, err := url.Parse(first.Base); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		host := strings.ToLower(u.Hostname())
		name, mirror := DependencyMirrorEnv+"_"+encodeHost(host), get(DependencyMirrorEnv+"_"+encodeHost(host))
		if mirror == "" {
			name, mirror = DependencyMirrorEnv, get(DependencyMirrorEnv)
		}
		if mirror == "" {
			name, mirror = "the dependency-mirror binding for "+host, bindingMirrors[host]
		}
		if mirror == "" {
			name, mirror = "the dependency-mirror binding", bindingMirrors["default"]
		}
		if mirror != "" {
			base, err := applyDependencyMirror(u, mirror)
			if err != nil {
				return nil, &Error{
					Headline: "Bad dependency mirror",
					Cause:    fmt.Sprintf("%s is %q, which is not usable: %v", name, redact(mirror), err),
					Fix:      "write an https://, http:// or file:// URL, optionally with ,skip-path=/prefix, as libpak takes it",
				}
			}
			first = Source{Base: base, From: fmt.Sprintf("%s (replacing %s from %s)", name, redact(first.Base), first.From)}
		}
	}
	sources := []Source{first}
	for _, m := range strings.FieldsFunc(get(MirrorsEnv), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		s := Source{Base: m, From: MirrorsEnv}
		if err := checkBase(s); err != nil {
			return nil, err
		}
		sources = append(sources, s)
	}
	return sources, nil
}

// encodeHost spells a host name as libpak expects it in a variable name:
// builds.hex.pm → BUILDS_HEX_PM, my-mirror.io → MY__MIRROR_IO.
func encodeHost(host string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(host, "-", "__"), ".", "_"))
}

// applyDependencyMirror rewrites original as libpak rewrites a dependency
// URI: the mirror's scheme, credentials and host; its path, with
// {originalHost} replaced, in front of the original path less skip-path.
func applyDependencyMirror(original *url.URL, mirror string) (string, error) {
	args := map[string]string{"mirror": mirror}
	for _, arg := range strings.Split(mirror, ",") {
		k, v, ok := strings.Cut(arg, "=")
		switch {
		case ok && !strings.Contains(k, "/"):
			args[k] = v
		case !ok && strings.Contains(arg, "://"):
			args["mirror"] = arg
		}
	}
	raw, err := url.PathUnescape(args["mirror"])
	if err != nil {
		raw = args["mirror"]
	}
	m, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if m.Scheme != "https" && m.Scheme != "http" && m.Scheme != "file" {
		return "", fmt.Errorf("the scheme %q is not https, http or file", m.Scheme)
	}
	skip, err := url.PathUnescape(args["skip-path"])
	if err != nil {
		skip = args["skip-path"]
	}
	out := *m
	out.Path = strings.Replace(m.Path, "{originalHost}", original.Hostname(), 1) + strings.Replace(original.Path, skip, "", 1)
	out.RawPath = ""
	out.RawQuery, out.Fragment = "", ""
	return strings.TrimRight(out.String(), "/"), nil
}

func checkBase(s Source) error {
	bad := func(why string) error {
		return &Error{
			Headline: "Bad build index URL",
			Cause:    fmt.Sprintf("%s is %q, which %s", s.From, redact(s.Base), why),
			Fix:      "write an http(s):// URL, a file:// URL or an absolute folder path",
		}
	}
	if !strings.Contains(s.Base, "://") {
		if !filepath.IsAbs(s.Base) {
			return bad("is not an absolute folder path")
		}
		return nil
	}
	u, err := url.Parse(s.Base)
	if err != nil {
		return bad("does not parse as a URL")
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return bad("has no host")
		}
	case "file":
	default:
		return bad(fmt.Sprintf("has the unsupported scheme %q", u.Scheme))
	}
	return nil
}

// Index is the ordered list of places the builds index is read from: the
// first base and its mirrors. Each file is asked of them in turn until one
// serves it. Any failure of an index (missing file, unreachable after the
// retries, refused, unreadable list) moves on to the next; a checksum
// mismatch stops at once.
type Index struct {
	Clients []Client
	// Mappings maps an archive's sha256 to a URI it is fetched from first
	// (libpak's dependency-mapping bindings); still verified.
	Mappings map[string]string
	// Notef, when set, is told of every fallback.
	Notef func(format string, args ...any)
	// down holds the bases found unreachable, which later requests skip
	// while another base is left, so a dead mirror costs its retries once.
	down map[string]bool
}

// NewIndex makes an index reading the bases in order.
func NewIndex(bases ...string) Index {
	ix := Index{down: map[string]bool{}}
	for _, b := range bases {
		ix.Clients = append(ix.Clients, NewClient(b))
	}
	return ix
}

// Display names the bases for the log: "A", or "A, then B".
func (ix Index) Display() string {
	names := make([]string, len(ix.Clients))
	for i, c := range ix.Clients {
		names[i] = c.Display()
	}
	return strings.Join(names, ", then ")
}

func (ix Index) notef(format string, args ...any) {
	if ix.Notef != nil {
		ix.Notef(format, args...)
	}
}

// Builds fetches and parses {dir}/builds.txt from the first index that
// serves it.
func (ix Index) Builds(ctx context.Context, dir string) ([]Build, error) {
	var builds []Build
	err := ix.each(ctx, path.Join(dir, "builds.txt"), func(c Client) error {
		var err error
		builds, err = c.Builds(ctx, dir)
		return err
	})
	return builds, err
}

// Download fetches relPath to destPath through Client.Download, verified
// against wantSHA256, from a dependency mapping for that sha256 if there
// is one, else from the first index that serves it. It returns where the
// archive came from, as the log and SBOM may show it.
func (ix Index) Download(ctx context.Context, relPath, wantSHA256, destPath string) (string, error) {
	if uri := ix.mapping(wantSHA256); uri != "" {
		base, name := splitURI(uri)
		c := NewClient(base)
		if len(ix.Clients) > 0 {
			c.HTTP, c.Retries, c.Backoff = ix.Clients[0].HTTP, ix.Clients[0].Retries, ix.Clients[0].Backoff
		}
		err := c.Download(ctx, name, wantSHA256, destPath)
		if err == nil {
			return c.location(name), nil
		}
		if !moveOn(err) {
			return "", err
		}
		ix.notef("The dependency mapping for sha256 %s failed (%v); trying the index", wantSHA256, err)
	}
	var from string
	err := ix.each(ctx, relPath, func(c Client) error {
		from = c.location(relPath)
		return c.Download(ctx, relPath, wantSHA256, destPath)
	})
	return from, err
}

func (ix Index) mapping(sha string) string {
	if sha == "" || len(ix.Mappings) == 0 {
		return ""
	}
	sha = strings.ToLower(sha)
	if uri := ix.Mappings[sha]; uri != "" {
		return uri
	}
	return ix.Mappings["sha256:"+sha]
}

// splitURI splits a URI or path into a base and a last element.
func splitURI(uri string) (string, string) {
	i := strings.LastIndex(uri, "/")
	if i < 0 {
		return ".", uri
	}
	return uri[:i], uri[i+1:]
}

// moveOn reports whether an index failure lets the next index be asked.
func moveOn(err error) bool {
	var e *Error
	return errors.As(err, &e) && !errors.Is(err, ErrChecksum)
}

func (ix Index) each(ctx context.Context, rel string, try func(Client) error) error {
	if len(ix.Clients) == 0 {
		return errors.New("no build index configured")
	}
	var causes []string
	allMissing := true
	for i, c := range ix.Clients {
		if ix.down[c.Base] && i+1 < len(ix.Clients) {
			allMissing = false
			causes = append(causes, c.Display()+" was unreachable earlier")
			continue
		}
		err := try(c)
		if err == nil {
			return nil
		}
		if len(ix.Clients) == 1 || !moveOn(err) || ctx.Err() != nil {
			return err
		}
		if !errors.Is(err, ErrNotFound) {
			allMissing = false
		}
		if errors.Is(err, ErrUnreachable) && ix.down != nil {
			ix.down[c.Base] = true
		}
		var e *Error
		errors.As(err, &e)
		causes = append(causes, e.Cause)
		if i+1 < len(ix.Clients) {
			ix.notef("%s; trying %s", e.Cause, ix.Clients[i+1].Display())
		}
	}
	headline, cause := "Build index unreachable", error(nil)
	if allMissing {
		headline, cause = "Build not found", ErrNotFound
	}
	return &Error{
		Err:      cause,
		Headline: headline,
		Cause:    fmt.Sprintf("none of the %d build indexes served %s (%s)", len(ix.Clients), rel, strings.Join(causes, "; ")),
		Fix:      "check " + BaseEnv + " and " + MirrorsEnv + ", or the version you asked for",
	}
}
