package mix

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/sbom"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/cyclonedx"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixlock"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixproject"
)

// BuildpackID names this buildpack as the SBOM's tool.
const BuildpackID = "elixir-buildpacks/mix-release"

// elixirApps ship with Elixir itself, at Elixir's version.
var elixirApps = map[string]bool{"elixir": true, "logger": true, "eex": true, "iex": true, "mix": true, "ex_unit": true}

// ReleaseSBOM lists what a release ships: every mix.lock entry, the path
// deps, the project's own apps, every OTP application under lib/, ERTS,
// Erlang/OTP and Elixir. It is the launch SBOM of the release layer, in the
// Syft and CycloneDX formats buildpack.toml declares.
type ReleaseSBOM struct {
	Root    string // the folder holding mix.exs (and mix.lock)
	Project mixproject.Project
	// OTP and Elixir are the versions the runtimes published.
	OTP, Elixir string
	// Dirs are the folders the release was assembled into (each may hold
	// erts-VSN and lib/APP-VSN).
	Dirs []string
}

// Component is one entry of the SBOM.
type Component struct {
	Name     string
	Version  string
	Kind     string // hex, git, path, app, elixir, elixir-app, erlang-otp, erts, otp
	PURL     string
	SHA256   string // the Hex tarball's checksum (mix.lock's outer one)
	VCS      string // a git dep's repository
	Ref      string // a git dep's locked commit
	Repo     string // a Hex repository other than hex.pm and its organisations
	Path     string // where it is in the release (or a path dep's source)
	Language string
	CPE      string
}

// libEntry is lib/APP-VSN of a release.
var libEntry = regexp.MustCompile(`^([a-z][a-zA-Z0-9_]*)-([0-9][0-9A-Za-z._+-]*)$`)

// Components reads mix.lock and the release folders.
func (s ReleaseSBOM) Components() ([]Component, error) {
	lockfile := s.Project.Lockfile
	if lockfile == "" {
		lockfile = "mix.lock"
	}
	var lock []mixlock.Entry
	if data, err := os.ReadFile(filepath.Join(s.Root, lockfile)); err == nil {
		if lock, err = mixlock.Parse(data); err != nil {
			return nil, fmt.Errorf("reading %s for the SBOM: %w", lockfile, err)
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}

	// What the release ships: lib/APP-VSN and erts-VSN.
	libs := map[string]Component{}
	var erts []Component
	for _, dir := range s.Dirs {
		if entries, err := os.ReadDir(filepath.Join(dir, "lib")); err == nil {
			for _, e := range entries {
				if m := libEntry.FindStringSubmatch(e.Name()); m != nil && e.IsDir() {
					libs[m[1]] = Component{Name: m[1], Version: m[2], Path: filepath.Join(dir, "lib", e.Name())}
				}
			}
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if v, ok := strings.CutPrefix(e.Name(), "erts-"); ok && e.IsDir() {
				erts = append(erts, Component{Name: "erts", Version: v, Kind: "erts", PURL: purl("otp", "", "erts", v, nil),
					Path: filepath.Join(dir, e.Name()), Language: "erlang"})
			}
		}
	}
	var out []Component
	seen := map[string]bool{}
	take := func(name string) Component {
		seen[name] = true
		return libs[name]
	}

	for _, e := range lock {
		lib := take(e.Name)
		c := Component{Name: e.Name, Path: lib.Path, Language: "elixir"}
		switch e.SCM {
		case mixlock.SCMHex:
			c.Kind, c.Version, c.SHA256 = "hex", e.Version, strings.ToLower(e.Outer)
			if onlyRebar3(e.Managers) {
				c.Language = "erlang"
			}
			q := map[string]string{}
			if c.SHA256 != "" {
				q["checksum"] = "sha256:" + c.SHA256
			}
			// hex purls name an organisation of hex.pm (repo hexpm:ORG) as
			// their namespace; mix.lock gives another repository only by
			// its name, kept as a property.
			ns := ""
			if org, ok := strings.CutPrefix(e.Repo, "hexpm:"); ok {
				ns = org
			} else if e.Repo != "hexpm" {
				c.Repo = e.Repo
			}
			c.Name = e.Package
			c.PURL = purl("hex", ns, e.Package, e.Version, q)
		case mixlock.SCMGit:
			c.Kind, c.VCS, c.Ref = "git", e.URL, e.Ref
			c.Version = firstSet(lib.Version, e.Tag, e.Ref)
			if owner, repo, ok := github(e.URL); ok {
				c.PURL = purl("github", owner, repo, e.Ref, nil)
			} else {
				c.PURL = purl("generic", "", e.Name, firstSet(lib.Version, e.Ref), map[string]string{"vcs_url": vcsURL(e.URL, e.Ref)})
			}
		default:
			c.Kind, c.Version = firstSet(e.SCM, "unknown"), lib.Version
			c.PURL = purl("generic", "", e.Name, lib.Version, nil)
		}
		out = append(out, c)
	}
	// Deps mix.lock does not hold: path deps, and any other the project
	// declares with what the release shows of it.
	for _, d := range s.Project.Deps {
		if seen[d.Name] {
			continue
		}
		lib := take(d.Name)
		c := Component{Name: d.Name, Version: lib.Version, Kind: firstSet(d.SCM, "unknown"), Path: firstSet(lib.Path, d.Path), Language: "elixir"}
		if d.Manager == mixproject.ManagerRebar3 {
			c.Language = "erlang"
		}
		q := map[string]string{}
		if d.SCM == mixproject.SCMPath && d.Path != "" {
			q["subpath"] = relTo(s.Root, d.Path)
		}
		c.PURL = purl("generic", "", d.Name, lib.Version, nil)
		if sp := q["subpath"]; sp != "" && !strings.HasPrefix(sp, "..") {
			c.PURL += "#" + sp
		}
		out = append(out, c)
	}
	// The project's own apps.
	own := []string{s.Project.App}
	for _, a := range s.Project.Apps {
		own = append(own, a.Name)
	}
	for _, name := range own {
		if lib, ok := libs[name]; ok && !seen[name] {
			take(name)
			out = append(out, Component{Name: name, Version: lib.Version, Kind: "app", Path: lib.Path, Language: "elixir",
				PURL: purl("generic", "", name, lib.Version, nil)})
		}
	}
	// Elixir and its applications, Erlang/OTP and its applications, ERTS.
	ex := firstSet(s.Elixir, libs["elixir"].Version)
	if ex != "" {
		out = append(out, Component{Name: "elixir", Version: ex, Kind: "elixir", Path: take("elixir").Path, Language: "elixir",
			PURL: purl("generic", "", "elixir", ex, nil), CPE: "cpe:2.3:a:elixir-lang:elixir:" + ex + ":*:*:*:*:*:*:*"})
	}
	if v := s.OTP; v != "" {
		out = append(out, Component{Name: "erlang-otp", Version: v, Kind: "erlang-otp", Language: "erlang",
			PURL: purl("generic", "", "erlang-otp", v, nil), CPE: "cpe:2.3:a:erlang:erlang\\/otp:" + v + ":*:*:*:*:*:*:*"})
	}
	out = append(out, erts...)
	var rest []string
	for name := range libs {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		lib := libs[name]
		c := Component{Name: name, Version: lib.Version, Kind: "otp", Path: lib.Path, Language: "erlang", PURL: purl("otp", "", name, lib.Version, nil)}
		if elixirApps[name] {
			c.Kind, c.Language = "elixir-app", "elixir"
		}
		out = append(out, c)
	}
	return out, nil
}

// Write writes the layer's launch SBOM in both formats.
func (s ReleaseSBOM) Write(layer libcnb.Layer) ([]Component, error) {
	cs, err := s.Components()
	if err != nil {
		return nil, err
	}
	var artifacts []sbom.SyftArtifact
	for _, c := range cs {
		a := sbom.SyftArtifact{ID: c.Kind + ":" + c.Name + "@" + c.Version, Name: c.Name, Version: c.Version,
			Type: syftType(c), FoundBy: BuildpackID, Language: c.Language, PURL: c.PURL}
		if c.Path != "" {
			a.Locations = []sbom.SyftLocation{{Path: c.Path}}
		}
		if c.CPE != "" {
			a.CPEs = []string{c.CPE}
		}
		artifacts = append(artifacts, a)
	}
	if err := sbom.NewSyftDependency(layer.Path, artifacts).WriteTo(layer.SBOMPath(libcnb.SyftJSON)); err != nil {
		return nil, err
	}
	if err := cycloneDX(cs).WriteFile(layer.SBOMPath(libcnb.CycloneDXJSON)); err != nil {
		return nil, err
	}
	return cs, nil
}

// Summary is the log line: "13 components: hex 2, git 2, path 1, ...".
func Summary(cs []Component) string {
	count := map[string]int{}
	for _, c := range cs {
		count[c.Kind]++
	}
	var parts []string
	for _, k := range []string{"hex", "git", "path", "app", "elixir", "elixir-app", "erlang-otp", "erts", "otp"} {
		if n := count[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
		}
	}
	return fmt.Sprintf("%d components: %s", len(cs), strings.Join(parts, ", "))
}

func syftType(c Component) string {
	switch c.Kind {
	case "hex":
		return "hex"
	case "otp", "erts", "elixir-app":
		return "erlang-otp"
	}
	return "UnknownPackage"
}

func onlyRebar3(managers []string) bool {
	for _, m := range managers {
		if m == "mix" {
			return false
		}
	}
	return len(managers) > 0
}

// github reads owner and repository from a GitHub URL (https, ssh, git).
func github(u string) (string, string, bool) {
	rest := ""
	for _, p := range []string{"https://github.com/", "http://github.com/", "git://github.com/", "ssh://git@github.com/", "git@github.com:"} {
		if r, ok := strings.CutPrefix(u, p); ok {
			rest = r
			break
		}
	}
	parts := strings.Split(strings.TrimSuffix(strings.TrimSuffix(rest, "/"), ".git"), "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", false
	}
	return strings.ToLower(parts[0]), parts[1], true
}

// vcsURL is the purl vcs_url form: git+https://host/repo.git@ref.
func vcsURL(u, ref string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "ssh://") {
		u = "git+" + u
	}
	if ref != "" {
		u += "@" + ref
	}
	return u
}

// purl builds a package URL, its qualifiers sorted by key as the spec asks.
func purl(typ, namespace, name, version string, q map[string]string) string {
	p := "pkg:" + typ + "/"
	if namespace != "" {
		p += url.PathEscape(namespace) + "/"
	}
	p += url.PathEscape(name)
	if version != "" {
		p += "@" + url.PathEscape(version)
	}
	var keys []string
	for k, v := range q {
		if v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for i, k := range keys {
		sep := "&"
		if i == 0 {
			sep = "?"
		}
		p += sep + k + "=" + strings.NewReplacer("%3A", ":", "%2F", "/").Replace(url.QueryEscape(q[k]))
	}
	return p
}

func relTo(root, p string) string {
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(p)
	}
	r, err := filepath.Rel(root, p)
	if err != nil {
		return ""
	}
	return filepath.ToSlash(r)
}

// cycloneDX is a CycloneDX 1.4 document with no serial number or
// timestamp, as the toolchain layers write theirs.
func cycloneDX(cs []Component) cyclonedx.BOM {
	b := cyclonedx.New(BuildpackID, nil)
	for _, c := range cs {
		typ := "library"
		switch c.Kind {
		case "app", "elixir", "erlang-otp", "erts":
			typ = "application"
		}
		x := cyclonedx.Component{BOMRef: c.Kind + ":" + c.Name + "@" + c.Version, Type: typ, Name: c.Name, Version: c.Version, CPE: c.CPE, PURL: c.PURL}
		if c.SHA256 != "" {
			x.Hashes = []cyclonedx.Hash{{Alg: "SHA-256", Content: c.SHA256}}
		}
		if c.VCS != "" {
			x.ExternalRefs = []cyclonedx.External{{Type: "vcs", URL: c.VCS, Comment: "commit " + c.Ref}}
		}
		x.Properties = append(x.Properties, cyclonedx.Property{Name: "elixir-buildpacks:source", Value: c.Kind})
		if c.Repo != "" {
			x.Properties = append(x.Properties, cyclonedx.Property{Name: "elixir-buildpacks:hex-repo", Value: c.Repo})
		}
		if c.Path != "" {
			x.Properties = append(x.Properties, cyclonedx.Property{Name: "elixir-buildpacks:path", Value: c.Path})
		}
		b.Components = append(b.Components, x)
	}
	return b
}

// releaseSBOM writes the release layer's launch SBOM and says what it holds.
func (j *job) releaseSBOM(layer libcnb.Layer) error {
	cs, err := ReleaseSBOM{Root: j.root, Project: j.project, OTP: j.tools.OTP.String(), Elixir: j.tools.Elixir, Dirs: []string{layer.Path}}.Write(layer)
	if err != nil {
		return err
	}
	j.b.Logger.Bodyf("SBOM of the release (Syft and CycloneDX): %s", Summary(cs))
	return nil
}
